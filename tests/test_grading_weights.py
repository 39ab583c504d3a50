"""Weighed answers (Moodle's, brought in by quizzes/interchange/): choices
worth part of the mark or taking marks away, accepted answers only partly
right, and the feedback true / false and typed answers carry."""

import pytest

from quizzes import grading
from tests.test_grading import snapshot

# GIFT: {~%50%Grant ~%50%Ulysses ~%-100%Nobody ~%-100%Lincoln}
WEIGHED = snapshot(
    "multiple",
    choices=[
        {"id": 1, "text": "Grant", "is_correct": True, "feedback": "", "weight": 50},
        {"id": 2, "text": "Ulysses", "is_correct": True, "feedback": "", "weight": 50},
        {
            "id": 3,
            "text": "Nobody",
            "is_correct": False,
            "feedback": "",
            "weight": -100,
        },
        {
            "id": 4,
            "text": "Lincoln",
            "is_correct": False,
            "feedback": "",
            "weight": -100,
        },
    ],
)


@pytest.mark.parametrize(
    ("picked", "score", "correct"),
    [
        ([1, 2], 1.0, True),
        ([1], 0.5, False),
        ([1, 3], 0.0, False),  # never below nothing
        ([], 0.0, False),
        ([3, 4], 0.0, False),
    ],
)
def test_weighed_choices_add_their_percents(picked, score, correct):
    grade = grading.grade(WEIGHED, {"choice_ids": picked})
    assert (grade.score, grade.is_correct) == (score, correct)


def test_thirds_written_to_five_decimals_make_the_whole_mark():
    third = [
        {
            "id": n,
            "text": f"T{n}",
            "is_correct": True,
            "feedback": "",
            "weight": 33.33333,
        }
        for n in (1, 2, 3)
    ]
    question = snapshot("multiple", choices=third)
    grade = grading.grade(question, {"choice_ids": [1, 2, 3]})
    assert grade == grading.Grade(1.0, True)


def test_a_single_choice_may_give_part_of_the_mark():
    question = snapshot(
        "single",
        choices=[
            {
                "id": 1,
                "text": "Best",
                "is_correct": True,
                "feedback": "",
                "weight": 100,
            },
            {
                "id": 2,
                "text": "Close",
                "is_correct": False,
                "feedback": "",
                "weight": 50,
            },
            {
                "id": 3,
                "text": "Wrong",
                "is_correct": False,
                "feedback": "",
                "weight": None,
            },
        ],
    )
    assert grading.grade(question, {"choice_ids": [2]}) == grading.Grade(0.5, False)
    assert grading.grade(question, {"choice_ids": [1]}) == grading.Grade(1.0, True)
    assert grading.grade(question, {"choice_ids": [3]}) == grading.Grade(0.0, False)


PARTLY = snapshot(
    "cloze",
    prompt="Who is buried in _____'s tomb?",
    accepted=["Ulysses Grant", "Grant", "Lincoln"],
    accepted_weights=[100, 50, 0],
    accepted_feedback=["", "His first name too.", "Lincoln is in Springfield."],
)


def test_an_accepted_answer_may_be_partly_right_and_say_why():
    grade = grading.grade(PARTLY, {"text": "grant"})
    assert grade == grading.Grade(0.5, False)
    marked = grading.mark(PARTLY, {"text": "grant"})
    assert marked["feedback"] == "His first name too."
    assert marked["right_answer"] == ["Ulysses Grant"]
    assert marked["also_accepted"] == []
    wrong = grading.mark(PARTLY, {"text": "Lincoln"})
    assert grading.grade(PARTLY, {"text": "Lincoln"}).score == 0.0
    assert wrong["feedback"] == "Lincoln is in Springfield."


def test_answers_made_before_weights_keep_the_whole_mark():
    old = snapshot("cloze", accepted=["Kirov"])  # no weights: an older snapshot
    assert grading.grade(old, {"text": "Kirov"}) == grading.Grade(1.0, True)


def test_true_false_feedback_goes_with_the_answer_given():
    question = snapshot(
        "true_false",
        is_true=False,
        true_feedback="No: the sun rises in the east.",
        false_feedback="Right: in the east.",
    )
    rows = grading.mark(question, {"value": True})["rows"]
    assert [(r["text"], r["picked"], r["feedback"]) for r in rows] == [
        ("True", True, "No: the sun rises in the east."),
        ("False", False, "Right: in the east."),
    ]


def test_weights_never_reach_the_page_before_the_answer():
    shown = grading.public(WEIGHED)
    assert "weight" not in repr(shown)
    assert "-100" not in repr(shown)
    shown = grading.public(PARTLY)
    assert "Lincoln" not in repr(shown)
    assert "accepted" not in shown
