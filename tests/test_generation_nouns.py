"""Questions for texts that name nothing (a manual, a science text): which
word completes a sentence, never a key noun swapped for another, and a
choice of the true statement where another true/false one would tip the
balance."""

import re
from collections import Counter

from quizzes.essays import parse
from quizzes.generation import BLANK, generate
from quizzes.generation.context import EssayContext
from quizzes.generation.negation import put_in
from quizzes.generation.nouns import article_for, essay_nouns, plural, put
from quizzes.generation.opposites import OPPOSITES, opposites, put_opposite
from quizzes.generation.text import Term
from tests.test_generation import FRENCH_REVOLUTION

PLANTS = """\
Light

Leaves catch sunlight with chlorophyll. The light splits water into hydrogen \
and oxygen. Oxygen leaves the plant through the stomata.

Sugar

Carbon dioxide and hydrogen become glucose in the chloroplast. The glucose is \
stored as starch in the roots.

Water

The roots take up water through tiny hairs. The water rises through the xylem \
to the leaves.
"""


def drafts_of(text: str):
    return generate(parse(text))


def test_key_nouns_are_the_rare_nouns_the_text_teaches():
    nouns = essay_nouns(EssayContext(parse(PLANTS)))

    assert {"chlorophyll", "stomata", "xylem", "glucose"} <= nouns
    assert "leaves" not in nouns  # an everyday word
    assert "through" not in nouns


def test_which_word_offers_other_key_nouns_of_the_same_number():
    choices = [d for d in drafts_of(PLANTS) if d.builder == "word_choice"]

    assert choices
    for draft in choices:
        right = [c.text for c in draft.choices if c.is_correct]
        wrong = [c.text for c in draft.choices if not c.is_correct]
        assert len(right) == 1
        assert len(wrong) >= 2
        assert draft.prompt.count(BLANK) == 1
        assert right[0] not in draft.prompt
        assert all(word not in draft.prompt for word in wrong)
        assert all(plural(w) == plural(right[0]) for w in wrong)


def test_a_key_noun_is_never_swapped_into_a_false_statement():
    """ "The light splits water into stomata": a noun of the essay put in
    another's place made nonsense more often than a plausible slip (teachers
    judged most of them bad); false statements swap like for like or say
    the opposite."""
    for text in (PLANTS, FRENCH_REVOLUTION):
        for draft in drafts_of(text):
            if draft.builder != "tf_false":
                continue
            old, new = re.search(r'\("(.+)", not "(.+)"\)', draft.explanation).groups()
            named = old[:1].isupper() or old[:1].isdigit()  # a name, a year
            opposite = OPPOSITES.get(old.lower()) == new.lower()
            negation = old.endswith(f" {new}")  # "do not await", not "await"
            assert named or opposite or negation or put_in(old, new), (old, new)


def test_article_agrees_with_the_word_put_in():
    text = "A trigger is a record of interest."
    term = Term("record", "key", text.index("record"), text.index("record") + 6)

    assert put(text, term, "entry") == "A trigger is an entry of interest."
    assert put(text, term, "union") == "A trigger is a union of interest."
    assert article_for("hour", "A") == "An"


def test_a_text_of_plain_claims_is_not_asked_true_only():
    """Nothing to swap, no opposite: no false statement can be made, so no
    true one either (answering "True" every time would pass); every claim
    is still asked, another way."""
    text = "\n\n".join(
        f"Step {n}\n\nThe {word} holds the {other} of the {third} in place."
        for n, (word, other, third) in enumerate(
            [
                ("bracket", "spindle", "gearbox"),
                ("washer", "flange", "manifold"),
                ("gasket", "piston", "cylinder"),
                ("sprocket", "chain", "derailleur"),
                ("hinge", "lever", "ratchet"),
                ("clamp", "rivet", "housing"),
                ("bushing", "axle", "chassis"),
                ("spring", "valve", "carburettor"),
            ],
            start=1,
        )
    )
    drafts = drafts_of(text)
    truth = Counter(d.is_true for d in drafts if d.kind == "true_false")

    assert truth[True] <= 0.6 * (truth[True] + truth[False])
    covered = {d.claim_index for d in drafts}
    assert covered >= set(range(len(parse(text).claims))) - {None}
    for draft in drafts:
        if draft.builder == "statement_choice":
            falses = {d.prompt for d in drafts if d.builder == "tf_false"}
            wrong = [c.text for c in draft.choices if not c.is_correct]
            assert set(wrong) <= falses  # each one checked false


# --- opposites -------------------------------------------------------------------


def test_an_opposite_makes_a_false_statement_and_a_negation_is_only_taken_away():
    def made(text: str) -> list[str]:
        return [put_opposite(text, o) for o in opposites(text)]

    # Before/after made statements the rest of the sentence contradicts.
    assert made("The file is not overwritten before the copy ends.") == [
        "The file is overwritten before the copy ends.",
    ]
    assert made("Packages do not await triggers.") == ["Packages await triggers."]
    assert made("Before 1900 few people voted.") == []
    # Always/never: "will never be assigned ... and is reserved for private
    # usage" turned into "will always be assigned" contradicts itself.
    assert made("This always happens.") == []
    # "without waiting for the first response" is true of the last one too.
    assert made("It sends requests without waiting for the first response.") == []
    # A clause's opener turns the logic of the whole sentence, not one fact.
    assert made("After a client and server can talk, they must agree.") == []
    assert made("Clients send messages as opposed to a stream.") == []
    assert all(" not " not in made_ for made_ in made("Taxes rose sharply."))


def test_no_opposite_that_the_section_itself_uses():
    essay = parse(
        "Threats\n\nStalin feared internal threats most of all. He also saw "
        "external enemies everywhere and feared their spies.\n\n"
        "Results\n\nThe army lost most of its officers in the purge of 1937."
    )
    for draft in generate(essay):
        if draft.builder == "tf_false" and "external" in draft.explanation:
            raise AssertionError(draft.prompt)  # "internal" is in the section


def test_a_negating_prefix_is_taken_away_never_added():
    """ "Whenever impossible" for "Whenever possible": a negated word would
    tell the false statements apart, as an added "not" would."""
    assert [o.new for o in opposites("It is impossible to undo.")] == ["possible"]
    assert opposites("Whenever possible, text is plain.") == []
    assert [o.new for o in opposites("The move is illegal.")] == ["legal"]
    assert opposites("The move is legal.") == []
    # Valid/invalid is no pair at all: "Git will erase a valid password".
    assert opposites("The key is invalid.") == []
