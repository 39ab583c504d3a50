"""quizzes.kinds: one declaration of the question kinds and their rules."""

import pytest

from quizzes import generation, kinds
from quizzes.essays import parse
from quizzes.models import Question


def messages(draft: kinds.Draft) -> list[str]:
    return [problem.message for problem in kinds.problems(draft)]


def test_the_model_choices_are_the_declared_kinds():
    assert Question.Kind.choices == [(k.value, k.label) for k in kinds.KINDS]
    assert sorted(kinds.CHOICE_KINDS) == ["multiple", "single"]
    assert [kinds.part(k.value) for k in kinds.KINDS] == [
        "choices",
        "choices",
        None,
        "accepted_answers",
        "pairs",
    ]


@pytest.mark.parametrize(
    "draft",
    [
        kinds.Draft("single", "Who?", choices=[("Kirov", True), ("Yagoda", False)]),
        kinds.Draft("multiple", "Which?", choices=[("A", True), ("B", True)]),
        kinds.Draft("true_false", "Kirov died in 1934.", is_true=False),
        kinds.Draft("cloze", "Sergei _____ died.", accepted_answers=["Kirov"]),
        kinds.Draft(
            "matching", "Match", pairs=[("1934", "Kirov"), ("1936", "Zinoviev")]
        ),
    ],
    ids=lambda draft: draft.kind,
)
def test_a_well_formed_question_of_each_kind_has_no_problem(draft):
    assert kinds.problems(draft) == []


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (kinds.Draft("essay", "Why?"), "“essay” is not a kind of question."),
        (
            kinds.Draft("true_false", " ", is_true=True),
            "Write the question's prompt.",
        ),
        (
            kinds.Draft("single", "Who?", choices=[("A", True), ("B", True)]),
            "A single choice question needs exactly one correct choice (it has 2).",
        ),
        (
            kinds.Draft("single", "Who?", choices=[("A", True), (" a ", False)]),
            "Two choices have the same text.",
        ),
        (
            kinds.Draft("multiple", "Which?", choices=[("A", False), ("B", False)]),
            "A multiple answer question needs at least one correct choice.",
        ),
        (
            kinds.Draft("cloze", "No gap here.", accepted_answers=["x"]),
            "Mark the gap in a fill-in-the-blank prompt with _____.",
        ),
        (
            kinds.Draft("cloze", "A _____ gap.", accepted_answers=["  "]),
            "A fill-in-the-blank question needs at least one accepted answer.",
        ),
        (
            kinds.Draft("matching", "Match", pairs=[("A", "1"), ("a", "2")]),
            "Two pairs share an item: each item must be different.",
        ),
        (
            kinds.Draft("true_false", "Kirov died.", is_true=True, pairs=[("a", "b")]),
            "Only matching questions have pairs: delete them.",
        ),
    ],
)
def test_each_problem_says_what_to_fix(draft, message):
    assert message in messages(draft)


def test_every_generated_draft_passes_the_rules_the_admin_applies(seed_text):
    """The generator makes nothing a teacher could not save as it stands."""
    for draft in generation.generate(parse(seed_text)):
        checked = kinds.Draft(
            kind=draft.kind,
            prompt=draft.prompt,
            is_true=draft.is_true,
            choices=[(c.text, c.is_correct) for c in draft.choices],
            accepted_answers=draft.accepted_answers,
            pairs=[(p.left, p.right) for p in draft.pairs],
        )
        assert messages(checked) == [], draft
