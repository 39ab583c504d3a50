"""True/false statements: what a term names, which swaps make a statement
false, and how many statements are true."""

import re
from collections import Counter
from dataclasses import replace

import pytest

from quizzes.essays import ParsedEssay, parse
from quizzes.generation import QuizCandidate, compose_quiz, generate
from quizzes.generation.context import EssayContext
from quizzes.generation.drafts import NEEDS_CONTEXT
from quizzes.generation.numbers import distance
from quizzes.generation.statements import FEW_SWAPS, still_true
from quizzes.generation.text import Term, find_terms
from quizzes.generation.truefalse import tf_prompt
from quizzes.generation.types import classify_names, fine_kind
from tests.test_generation import FRENCH_REVOLUTION, long_essay, swapped

# --- kinds of terms ------------------------------------------------------------------


def kinds_of(*sentences: str) -> dict[str, str]:
    return EssayContext(parse("\n\n".join(sentences))).name_kinds


def test_people_are_known_by_titles_verbs_and_who():
    kinds = kinds_of(
        "In the spring Dr Helen Marsh arrived.",
        "The new plan was written by Okonkwo, who then left.",
        "Later that year Vasquez said the plan had failed.",
    )

    assert kinds["dr helen marsh"] == "person"
    assert kinds["okonkwo"] == "person"
    assert kinds["vasquez"] == "person"


def test_organisations_places_events_and_works_by_their_head_noun():
    kinds = kinds_of(
        "The Labour Party joined the Miners Union after the Winter War.",
        "Envoys met near the Orinoco River and signed the Treaty of Tordesillas.",
        "The ships reached North Borneo before the Great Famine.",
    )

    assert kinds["labour party"] == kinds["miners union"] == "organisation"
    assert kinds["orinoco river"] == kinds["north borneo"] == "place"
    assert kinds["winter war"] == kinds["great famine"] == "event"
    assert kinds["treaty of tordesillas"] == "work"


def test_a_name_without_evidence_has_no_kind():
    kinds = kinds_of(
        "Farmers in the valley grew rice for Zembla.",
        "On 14 July the harvest failed.",
        "The Revolution came slowly to the farms.",
    )

    assert kinds["zembla"] == "other"  # nothing says what it is
    assert kinds.get("july", "other") == "other"  # a month is no name
    assert kinds.get("revolution", "other") == "other"  # an everyday word


def test_a_name_the_essay_also_writes_in_lower_case_is_no_person():
    kinds = kinds_of(
        "Later, Git said the merge had failed.",
        "The command git status shows what changed.",
        "Later, Alice said the merge had worked.",
    )

    assert kinds["git"] == "other"
    assert kinds["alice"] == "person"


def test_a_place_needs_two_spatial_hints_or_a_place_noun():
    """ "in X" comes before a language, a program, a project: no hint at all."""
    one = kinds_of("The tool was written in Python.", "Errors appear in Python.")
    two = kinds_of("The climbers camped near Kodari.", "Roads ran east of Kodari.")

    assert one["python"] == "other"
    assert two["kodari"] == "place"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("It rose in 1937.", "year"),
        ("It rose in the 1930s.", "decade"),
        ("It cost 4,000 million livres.", "number:million"),
        ("Level 1 In addition, it works.", "other"),  # "In" is no unit
        ("Call 0800-1937 now.", "other"),  # part of a code
        ("It ran from 1936–1938.", "other"),  # a range
    ],
)
def test_numbers_have_a_kind_of_their_own(text, kind):
    terms = [t for t in find_terms(text) if t.kind in {"year", "decade", "number"}]

    assert fine_kind(text, terms[0], {}) == kind


def test_the_word_opening_a_sentence_is_not_part_of_the_name():
    text = "Under Stalin, the police purged the army."
    term = Term("Under Stalin", "proper", 0, 12)
    later = "Historians say Stalin feared Lenin."
    stalin = Term("Stalin", "proper", 15, 21)

    kinds = classify_names([(text, term, ""), (later, stalin, "")])

    assert kinds["under stalin"] == kinds["stalin"] == "person"


# --- false statements --------------------------------------------------------------

PEOPLE_AND_PARTIES = """\
Vasquez said that the Labour Party had won in 1921.

Okonkwo, who led the Farmers Union, was arrested in 1926.

Dr Helen Marsh wrote that the Liberal Party split in 1931.

Tanaka feared the Railway Union after the General Strike of 1934.

Later, Tanaka said that the Farmers Union had lied.

Then Vasquez wrote that the Liberal Party had lied.
"""


def falses(essay: ParsedEssay) -> dict[str, tuple[str, str]]:
    """Claim text -> (the words replaced, the words put in)."""
    return {
        essay.claims[d.claim_index].text: swapped(
            essay.claims[d.claim_index].text, d.prompt
        )
        for d in generate(essay)
        if d.is_true is False
    }


def explained_swaps(essay: ParsedEssay) -> list[tuple[str, str]]:
    """(the term replaced, the term put in), as each explanation says."""
    found = []
    for draft in generate(essay):
        if draft.is_true is False:
            (pair,) = re.findall(r'\("(.+?)", not "(.+?)"\)\.$', draft.explanation)
            found.append(pair)
    return found


def test_a_person_is_swapped_for_a_person_and_a_year_for_a_year():
    essay = parse(PEOPLE_AND_PARTIES)
    context = EssayContext(essay)
    swaps = explained_swaps(essay)

    assert any(old.isdigit() for old, _ in swaps)
    assert any(not old.isdigit() for old, _ in swaps)
    for old, new in swaps:
        if old.isdigit():
            assert new.isdigit()
            assert len(new) == 4
        else:
            kind = context.name_kinds
            assert kind[old.casefold()] == kind[new.casefold()], (old, new)


def test_a_person_is_never_swapped_for_an_organisation():
    """People and companies used alike (no "the"): only their kinds keep a
    company out of a person's place, and a person is never swapped at all
    (what one did, another often did too)."""
    essay = parse(
        "Later, Vasquez said that Acme Corporation had cheated.\n\n"
        "Later, Okonkwo said that Zenith Company had cheated.\n\n"
        "Globex Corporation bought Initech Company.\n\n"
        "Later, Tanaka sold Umbrella Corporation."
    )
    kinds = EssayContext(essay).name_kinds
    swaps = explained_swaps(essay)

    assert swaps
    for old, new in swaps:
        assert kinds[old.casefold()] == kinds[new.casefold()], (old, new)
    assert {kinds[old.casefold()] for old, _ in swaps} == {"organisation"}


def test_years_are_swapped_before_names():
    essay = parse(PEOPLE_AND_PARTIES)
    swaps = falses(essay)

    assert swaps["Vasquez said that the Labour Party had won in 1921."][0] == "1921"


def test_a_swap_another_claim_makes_true_is_refused():
    essay = parse(
        "Arrests of officers peaked in 1937.\n\n"
        "The purge of officers peaked in 1938.\n\n"
        "The harvest failed in 1932."
    )
    context = EssayContext(essay)
    source = context.sources[0]
    year = next(t for t in source.terms if t.text == "1937")

    assert still_true(context, source, year, "1938")  # officers peaked then too
    assert not still_true(context, source, year, "1932")
    for claim, (old, new) in falses(essay).items():
        assert {old, new} != {"1937", "1938"}, claim


def test_a_hedged_sentence_keeps_its_names_but_not_its_years():
    essay = parse(
        "Vasquez may have said that Tanaka lied in 1921.\n\n"
        "Later, Tanaka left the party in 1925."
    )
    swaps = falses(essay)

    assert swaps["Vasquez may have said that Tanaka lied in 1921."] == (
        "1921",
        "1925",
    )


# --- context and warnings ----------------------------------------------------------


def with_context(essay: ParsedEssay, index: int, context: str) -> ParsedEssay:
    claims = list(essay.claims)
    claims[index] = replace(claims[index], context=context)
    sections, at = [], 0
    for section in essay.sections:
        size = len(section.claims)
        sections.append(replace(section, claims=tuple(claims[at : at + size])))
        at += size
    return replace(essay, sections=tuple(sections))


def test_a_claim_that_needs_its_context_shows_it_before_the_statement():
    essay = parse(PEOPLE_AND_PARTIES)
    essay = with_context(essay, 1, "The strikes spread.")

    drafts = [
        d for d in generate(essay) if d.claim_index == 1 and d.is_true is not None
    ]

    assert drafts
    for draft in drafts:
        assert draft.prompt.startswith('The essay says: "The strikes spread." ')
        assert "True or false: " in draft.prompt
        assert NEEDS_CONTEXT in draft.warnings
    true = next(d for d in drafts if d.is_true)
    assert true.prompt == tf_prompt(essay.claims[1].text, "The strikes spread.")


def test_a_prompt_without_context_is_the_statement_alone():
    assert tf_prompt("Tanaka left in 1934.") == "Tanaka left in 1934."


def test_a_swap_from_a_small_pool_is_flagged():
    essay = parse(
        "In 1921, Vasquez founded the league.\n\nIn 1950, the river flooded the valley."
    )
    (false,) = [d for d in generate(essay) if d.is_true is False and d.claim_index == 0]

    assert FEW_SWAPS in false.warnings
    assert false.prompt == "In 1950, Vasquez founded the league."
    assert false.explanation == (
        'False: the essay says "In 1921, Vasquez founded the league." '
        '("1921", not "1950").'
    )


# --- balance -------------------------------------------------------------------


def statements(essay: ParsedEssay) -> Counter:
    return Counter(d.is_true for d in generate(essay) if d.kind == "true_false")


def share(counts: Counter) -> float:
    return counts[True] / (counts[True] + counts[False])


@pytest.mark.parametrize("name", ["seed", "french"])
def test_an_essays_statements_are_as_often_true_as_false(name, seed_text):
    text = seed_text if name == "seed" else FRENCH_REVOLUTION
    counts = statements(parse(text))

    assert counts[True] + counts[False] >= 4
    assert 0.4 <= share(counts) <= 0.6, counts


def test_a_long_generated_essay_is_balanced_too(seed_text):
    counts = statements(parse(long_essay(seed_text, 30_000)))

    assert counts[False] > 20
    assert 0.4 <= share(counts) <= 0.6, counts


def test_a_claim_with_no_other_question_keeps_its_true_statement():
    essay = parse("Farmers grew rice in the valley for a decade.")
    drafts = generate(essay)

    assert [d.builder for d in drafts] == ["tf_true"]


def test_a_claim_with_a_false_statement_gets_its_true_one_too():
    drafts = generate(parse(PEOPLE_AND_PARTIES))
    false = {d.claim_index for d in drafts if d.is_true is False}
    true = {d.claim_index for d in drafts if d.is_true is True}

    assert false
    assert false <= true


# --- quizzes --------------------------------------------------------------------


def candidates(claims: int, falses: int) -> list[QuizCandidate]:
    """Every claim has a true statement; some a false one, some a cloze."""
    made = []
    for number in range(claims):
        key = f"c{number}"
        made.append(QuizCandidate(len(made), key, "true_false", f"t{key}", "", True))
        if number < falses:
            made.append(
                QuizCandidate(len(made), key, "true_false", f"f{key}", "", False)
            )
        if number % 2:
            made.append(QuizCandidate(len(made), key, "cloze", f"k{key}", ""))
    return made


@pytest.mark.parametrize(("claims", "falses"), [(12, 2), (12, 0), (20, 6), (8, 8)])
def test_a_composed_quiz_keeps_its_statements_balanced(claims, falses):
    pool = candidates(claims, falses)
    ids = set(compose_quiz(pool, {f"c{n}": f"Claim {n}." for n in range(claims)}))
    chosen = [c for c in pool if c.id in ids]
    truths = Counter(c.is_true for c in chosen if c.kind == "true_false")

    assert len({c.claim for c in chosen}) == len(chosen)  # one per claim
    if truths[True] + truths[False] >= 5:
        assert 0.4 <= share(truths) <= 0.6, truths
    # A claim gives up its true statement for another question when it can.
    assert len(chosen) >= falses + (claims - falses) // 2


def as_candidates(essay: ParsedEssay) -> list[QuizCandidate]:
    """An essay's drafts as the composer would see them once saved."""
    made = []
    for number, draft in enumerate(generate(essay)):
        claim = None
        if draft.claim_index is not None:
            claim = essay.claims[draft.claim_index].key
        parts = [draft.prompt, draft.explanation]
        parts += [choice.text for choice in draft.choices]
        parts += [f"{pair.left}\n{pair.right}" for pair in draft.pairs]
        made.append(
            QuizCandidate(
                number,
                claim,
                draft.kind,
                draft.generator_key,
                "\n".join(parts),
                draft.is_true,
            )
        )
    return made


@pytest.mark.parametrize("size", [0, 30_000])
def test_an_essays_own_quiz_keeps_its_statements_balanced(seed_text, size):
    essay = parse(long_essay(seed_text, size) if size else FRENCH_REVOLUTION)
    pool = as_candidates(essay)
    claims = {claim.key: claim.text for claim in essay.claims}
    ids = set(compose_quiz(pool, claims))
    truths = Counter(c.is_true for c in pool if c.id in ids and c.is_true is not None)

    assert len(ids) > 5
    if truths[True] + truths[False] >= 5:
        assert 0.4 <= share(truths) <= 0.6, truths


def test_a_swapped_number_is_near_but_not_too_near():
    """ "By 1789 the Crown was close to bankruptcy" might pass for true; 1614
    and 1950 are plainly wrong, 1780 a plausible slip."""
    years = sorted(["1789", "1614", "1780", "1950"], key=lambda y: distance("1788", y))
    counts = sorted(["4,100", "9,000", "5,000"], key=lambda n: distance("4,000", n))

    assert years == ["1780", "1950", "1614", "1789"]
    assert counts == ["5,000", "9,000", "4,100"]


def test_a_person_is_never_swapped_for_another():
    """ "Lenin aimed to eliminate any opposition to his leadership" for
    Stalin: what one person of a text did, another often did too, and a
    teacher finds the false statement defensible."""
    essay = parse(
        "Vasquez said that his plan had failed.\n\n"
        "Okonkwo said that her plan had worked.\n\n"
        "Tanaka said that his plan was late.\n\n"
        "Later, Vasquez resigned.\n\nLater, Okonkwo resigned.\n\n"
        "Later, Tanaka resigned."
    )
    swaps = {frozenset(pair) for pair in explained_swaps(essay)}

    people = {"Vasquez", "Okonkwo", "Tanaka"}
    assert not any(pair & people for pair in swaps), swaps


def test_evidence_that_misleads_is_not_taken():
    kinds = kinds_of(
        "Fleming worked at St Mary's Hospital in the city.",
        "In 1939 Howard Florey began to study the mould.",
        "Later, Fleming said the mould was useful.",
        "Alexander Fleming was a physician.",
        "The war began in 1939 and ended in 1945.",
        "Later, the Great War began in 1914.",
    )

    assert kinds["howard florey"] != "event"  # "began to study": a person
    assert kinds["great war"] == "event"
    assert kinds["alexander fleming"] == "person"  # Fleming is one
    text = "Fleming worked at St Mary's Hospital in the city."
    (saint,) = [t for t in find_terms(text) if t.text == "St Mary"]
    assert fine_kind(text, saint, {"st mary": "person"}) == "other"


def test_a_number_in_a_range_or_pair_is_never_swapped():
    essay = parse(
        "The eruption occurred between 1210 and 1300.\n\n"
        "Later, the lake rose in 1320.\n\nLater, the lake fell in 1000."
    )
    swaps = {
        essay.claims[d.claim_index].text: d.prompt
        for d in generate(essay)
        if d.is_true is False and " not " not in d.prompt  # a "not" put in
    }

    # A number beside another (a range, "1937 and 1938") is never swapped:
    # the other one tells the swap, and a range could turn round.
    assert "The eruption occurred between 1210 and 1300." not in swaps
    assert swaps["Later, the lake rose in 1320."] != "Later, the lake rose in 1320."


def test_a_second_false_statement_changes_another_word():
    """Where the claims no other question covers outnumber what the false
    statements balance, some claims get a second false statement, with
    another word changed, rather than more "which is true?" questions among
    the same few wrong statements."""
    rows = {
        "Norton": "The abbey of Norton was founded in 1801, and its library "
        "burned in 1852.",
        "Sutton": "The harbour at Sutton silted up in 1903, and fishermen left "
        "it in 1961.",
        "Weston": "A railway reached Weston in 1712, although passengers waited "
        "until 1790.",
        "Easton": "Easton elected its first mayor in 1620 and built a town hall "
        "in 1688.",
    }
    plain = (
        "People there were happy for many years. Children played near the old "
        "houses every day. Most families kept a small garden behind the house. "
        "The roads were long and the winters were hard. The church bells rang "
        "every Sunday morning. Old songs were sung at every wedding feast. "
        "Bakers lit their ovens before dawn. Shepherds walked their flocks "
        "over the hills."
    )
    text = "\n\n".join(
        [*(f"# {h}\n\n{s}" for h, s in rows.items()), f"# Life\n\n{plain}"]
    )
    falses: dict[int, list[str]] = {}
    for draft in generate(parse(text)):
        if draft.builder == "tf_false":
            changed = re.search(r'\("(.+)", not "', draft.explanation)[1]
            falses.setdefault(draft.claim_index, []).append(changed)
    for changed in falses.values():
        assert len(changed) == len(set(changed)) <= 2
    assert [changed for changed in falses.values() if len(changed) == 2]


def test_a_choices_wrong_statements_are_about_as_long_as_the_answer():
    """The one long choice among short ones is the answer: wrong statements
    of about the answer's length are taken first, so most choices have only
    such (where an essay has too few, others fill in)."""
    from tests.quality.corpus import corpus

    asked = alike = 0
    for _, text in corpus():
        for draft in generate(parse(text)):
            if draft.builder == "statement_choice":
                key = next(c.text for c in draft.choices if c.is_correct)
                wrong = [c.text for c in draft.choices if not c.is_correct]
                asked += 1
                alike += all(0.5 <= len(w) / len(key) <= 2.0 for w in wrong)
    # Not all: with few plain false statements to choose from, others fill in.
    assert alike >= 0.4 * asked, (alike, asked)
