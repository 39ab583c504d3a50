"""False statements made by a "not": only where it contradicts the claim."""

import pytest

from quizzes.essays import parse
from quizzes.generation import generate
from quizzes.generation.negation import negation


def _negated(text: str) -> str | None:
    where = negation(text)
    if where is None:
        return None
    start, end, _, new = where
    return text[:start] + new + text[end:]


@pytest.mark.parametrize(
    ("claim", "false"),
    [
        (
            "Trigger processing should be idempotent.",
            "Trigger processing should not be idempotent.",
        ),
        (
            "A single Git repository can maintain multiple branches of development.",
            "A single Git repository cannot maintain multiple branches of development.",
        ),
        (
            "Donations to it are tax-deductible.",
            "Donations to it are not tax-deductible.",
        ),
        (
            "Stalin was fearful of espionage and sabotage by foreign agents.",
            "Stalin was not fearful of espionage and sabotage by foreign agents.",
        ),
        (
            "The deputies of the Third Estate declared themselves a National Assembly.",
            "The deputies of the Third Estate did not declare themselves a "
            "National Assembly.",
        ),
        (
            "Stalin sought to impose his vision of socialism.",
            "Stalin did not seek to impose his vision of socialism.",
        ),
        (
            "Stalin used the Purge to eliminate any opposition.",
            "Stalin did not use the Purge to eliminate any opposition.",
        ),
        (
            "Git stores the contents of the index.",
            "Git does not store the contents of the index.",
        ),
        (
            "HTTP is on top, at the application layer.",
            "HTTP is not on top, at the application layer.",
        ),
        (
            "If a package fails, it is left in config-failed.",
            "If a package fails, it is not left in config-failed.",
        ),
        (
            "Majordomo has a statically allocated uid on Debian.",
            "Majordomo does not have a statically allocated uid on Debian.",
        ),
    ],
)
def test_a_not_on_the_main_verb_contradicts_the_claim(claim, false):
    assert _negated(claim) == false


@pytest.mark.parametrize(
    "claim",
    [
        "Packages do not await triggers.",  # a negation already
        "Some packages are interested in a trigger.",  # some, not all
        "A trigger is usually activated by dpkg.",  # a hedge
        "The archive may be large.",  # "may not" is no contradiction
        "On the other side is the server.",  # the verb before its subject
        "The date is still celebrated in France.",  # "is not still"
        "The messages are called requests and the answers are called responses.",
        "The clone is a copy, which is kept apart from the original.",  # two
        "A tree is larger than a bush.",  # a comparison
        "Use the --force option.",  # no auxiliary
        "UCS contains the characters required by most languages.",  # present
        "The Purge resulted in suffering and deeply affected society.",  # two
        "This uses the same notation we saw earlier.",  # a clause's verb
        "Allows members to use fax software.",  # no subject
        "Pumice falls with a fine graining have been used as a marker.",  # a noun
        "A combining character just adds an accent.",  # an adverb before
        "If you want an editor, you can either set it or leave it.",
        "The user-agent is any tool that acts on behalf of the user.",
    ],
)
def test_no_not_where_the_result_could_still_be_true(claim):
    assert _negated(claim) is None


def test_a_not_statement_is_the_claims_one_false_question_where_needed():
    """A text with nothing to swap and no headings: the claims a true
    statement would tip are said with a "not", each as its one question."""
    text = " ".join(
        f"The {name} valve should be checked by the operator on duty."
        for name in ("brass", "copper", "steel", "iron", "zinc", "tin", "lead")
    )
    drafts = generate(parse(text))
    negated = [d for d in drafts if d.is_true is False and " not " in d.prompt]
    true = [d for d in drafts if d.is_true is True]

    assert negated
    assert all('("should", not "should not")' in d.explanation for d in negated)
    assert {d.claim_index for d in negated}.isdisjoint({d.claim_index for d in true})
    assert 0.4 <= len(true) / (len(true) + len(negated) + 0.0) <= 0.6
