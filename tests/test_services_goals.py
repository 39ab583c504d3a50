"""Flashcard goals set from the mastery map's weak cells
(quizzes/services/goals.py): just those claims, for just those students."""

from datetime import timedelta

import pytest

from quizzes.models import Assignment, Card
from quizzes.selectors import mastery
from quizzes.services import goals
from quizzes.services.classes import ClassRefused
from tests.factories import ClaimFactory, UserFactory
from tests.test_mastery import hand_made

pytestmark = pytest.mark.django_db


@pytest.fixture
def made():
    return hand_made()


def assign(made, cells, **kwargs) -> list[Assignment]:
    values = {
        "classroom": made["classroom"],
        "teacher": made["teacher"],
        "essay": made["essay"],
        "cells": cells,
        "due_at": made["now"] + timedelta(days=14),
        "target_recall": 0.95,
        "now": made["now"],
    }
    return goals.goal_assign(**(values | kwargs))


def test_each_student_gets_just_the_claims_picked_for_them(made):
    alice, bob, carol = made["students"]
    a1, a2, _b1 = made["claims"]
    set_goals = assign(made, {(alice.pk, a1.pk), (alice.pk, a2.pk), (bob.pk, a1.pk)})

    assert len(set_goals) == 2
    for goal in set_goals:
        assert goal.kind == Assignment.Kind.CARDS
        assert goal.essay == made["essay"]
        assert goal.target_recall == 0.95
        assert goal.opens_at == made["now"]
        assert goal.created_by == made["teacher"]
    theirs = {
        tuple(goal.students.values_list("username", flat=True)): list(
            goal.claims.order_by("order")
        )
        for goal in set_goals
    }
    assert theirs == {("alice",): [a1, a2], ("bob",): [a1]}
    # The students see their own goal, and Carol none.
    alices = Assignment.objects.for_student(alice).filter(kind="cards")
    assert list(alices.values_list("title", flat=True)) == [
        "Flashcards: 2 sentences of The Great Purge"
    ]
    assert list(Assignment.objects.for_student(bob).filter(kind="cards")) == [
        goal for goal in set_goals if goal.claims.count() == 1
    ]
    assert not Assignment.objects.for_student(carol).filter(kind="cards").exists()


def test_a_row_is_one_goal_for_the_whole_row(made):
    a2 = made["claims"][1]
    heat = mastery.class_mastery(
        classroom=made["classroom"], essay=made["essay"], now=made["now"]
    )
    (goal,) = assign(made, heat.select(claims={a2.pk}))
    assert set(goal.students.all()) == set(made["students"])
    assert list(goal.claims.all()) == [a2]
    assert goal.title == "Flashcards: “The party purged itself.”"


def test_the_goal_brings_the_picked_claims_cards_forward_at_once(made):
    alice = made["students"][0]
    a1 = made["claims"][0]
    card = made["alice_q1"]
    Card.objects.filter(pk=card.pk).update(
        stability=30.0,
        last_review=made["now"] - timedelta(days=1),
        due=made["now"] + timedelta(days=29),
    )
    (goal,) = assign(made, {(alice.pk, a1.pk)})
    card.refresh_from_db()
    assert card.due < goal.due_at


def test_a_teacher_title_replaces_the_made_up_one(made):
    alice = made["students"][0]
    (goal,) = assign(
        made, {(alice.pk, made["claims"][0].pk)}, title="  Before  Friday "
    )
    assert goal.title == "Before Friday"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cells": set()}, "Pick the cells"),
        ({"outsider": True}, "not all of this class and essay"),
        ({"foreign_claim": True}, "not all of this class and essay"),
        ({"due_at": "past"}, "before the assignment opens"),
        ({"target_recall": 0.3}, "50 % to 99 %"),
    ],
)
def test_a_refused_goal_says_why_and_sets_nothing(made, change, message):
    alice = made["students"][0]
    cells = {(alice.pk, made["claims"][0].pk)}
    kwargs = {}
    if change.pop("outsider", False):
        cells.add((UserFactory().pk, made["claims"][0].pk))
    if change.pop("foreign_claim", False):
        cells.add((alice.pk, ClaimFactory().pk))
    if change.get("due_at") == "past":
        change["due_at"] = made["now"] - timedelta(days=1)
    kwargs = {"cells": cells} | change
    with pytest.raises(ClassRefused, match=message):
        assign(made, **kwargs)
    assert not Assignment.objects.filter(kind="cards").exists()
