from datetime import timedelta

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from quizzes import scheduling, selectors, services
from quizzes.models import Assignment, Card, DeckSettings, Question, Review
from tests.factories import (
    CardFactory,
    CardGoalFactory,
    ClaimFactory,
    ClassroomFactory,
    EssayFactory,
    QuestionFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _review_card(student, **kwargs) -> Card:
    """A graduated card, due now."""
    now = timezone.now()
    defaults = {
        "state": Card.State.REVIEW,
        "step": None,
        "stability": 10.0,
        "difficulty": 5.0,
        "due": now,
        "last_review": now - timedelta(days=10),
        "reps": 5,
    }
    return CardFactory(student=student, **(defaults | kwargs))


def test_deck_cards_create_is_idempotent_and_skips_drafts(student):
    essay = EssayFactory()
    QuestionFactory.create_batch(3, essay=essay)
    QuestionFactory(essay=essay, status=Question.Status.DRAFT)
    now = timezone.now()
    assert services.cards.deck_cards_create(student=student, essay=essay, now=now) == 3
    assert services.cards.deck_cards_create(student=student, essay=essay, now=now) == 0
    assert Card.objects.filter(student=student).count() == 3
    assert DeckSettings.objects.filter(essay=essay).exists()


def test_card_review_stores_the_state_before(student):
    card = _review_card(student)
    before = services.cards.card_state(card)
    card, review = services.cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=3,
        token=5,
        duration_ms=2000,
        now=timezone.now(),
    )
    assert review.state_before == before.to_json()
    assert card.reps == 6
    assert card.due > timezone.now() + timedelta(days=1)


def test_card_review_with_a_stale_token_changes_nothing(student):
    card = _review_card(student)
    same, review = services.cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=1,
        token=4,
        duration_ms=None,
        now=timezone.now(),
    )
    assert review is None
    assert Card.objects.get(pk=card.pk).reps == 5
    assert not Review.objects.exists()


def test_card_review_of_another_students_card_raises(student, other_student):
    card = _review_card(other_student)
    with pytest.raises(Card.DoesNotExist):
        services.cards.card_rate(
            student=student,
            card_id=card.pk,
            rating=3,
            token=5,
            duration_ms=None,
            now=timezone.now(),
        )


def test_the_eighth_lapse_suspends_the_card_as_a_leech(student):
    card = _review_card(student, lapses=scheduling.LEECH_LAPSES - 1)
    card, _review = services.cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=1,
        token=5,
        duration_ms=None,
        now=timezone.now(),
    )
    card.refresh_from_db()
    assert card.lapses == scheduling.LEECH_LAPSES
    assert card.is_leech
    assert card.suspended
    assert list(
        selectors.decks.leeches(student=student, essay=card.question.essay)
    ) == [card]


def test_undo_only_takes_back_the_latest_review(student):
    card = _review_card(student)
    now = timezone.now()
    card, first = services.cards.card_rate(
        student=student, card_id=card.pk, rating=3, token=5, duration_ms=None, now=now
    )
    card, second = services.cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=1,
        token=6,
        duration_ms=None,
        now=now + timedelta(days=30),
    )
    _card, undone = services.cards.rating_undo(
        student=student, card_id=card.pk, review_id=first.pk
    )
    assert not undone
    assert Review.objects.count() == 2
    card, undone = services.cards.rating_undo(
        student=student, card_id=card.pk, review_id=second.pk
    )
    assert undone
    assert card.reps == 6
    assert card.last_review == now
    assert list(Review.objects.all()) == [first]


def test_an_unsuspended_leech_forgotten_four_more_times_is_suspended_again(student):
    card = _review_card(student, lapses=11, is_leech=True, suspended=False)
    card, _review = services.cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=1,
        token=5,
        duration_ms=None,
        now=timezone.now(),
    )
    card.refresh_from_db()
    assert card.lapses == 12
    assert card.suspended
    assert list(
        selectors.decks.leeches(student=student, essay=card.question.essay)
    ) == [card]


def test_a_question_with_cards_cannot_be_deleted(student):
    # Deleting it would take the students' cards and review history with it:
    # teachers retire questions instead.
    review = ReviewFactory(card=_review_card(student))
    question = review.card.question
    with pytest.raises(ProtectedError):
        question.delete()
    services.questions.questions_set_status(
        questions=[question], status=Question.Status.RETIRED
    )
    assert Review.objects.filter(card__question=question).get() == review


# --- Flashcard goals: the exam-date rule, applied ------------------------------


def _at_risk_card(student, question, *, now) -> Card:
    """A review card FSRS shows again in 29 days; its recall in 20 days
    would be 94 %."""
    return CardFactory(
        student=student,
        question=question,
        state=Card.State.REVIEW,
        step=None,
        stability=30.0,
        difficulty=5.0,
        last_review=now - timedelta(days=1),
        due=now + timedelta(days=29),
        reps=4,
    )


@pytest.fixture
def goal_deck(student):
    """A class with a 95 % goal due in 20 days on an essay of two claims."""
    now = timezone.now()
    first = ClaimFactory()
    essay = first.essay
    second = ClaimFactory(essay=essay, section=first.section)
    questions = [QuestionFactory(essay=essay, claim=claim) for claim in (first, second)]
    classroom = ClassroomFactory(students=[student])
    return {
        "now": now,
        "essay": essay,
        "claims": [first, second],
        "questions": questions,
        "classroom": classroom,
        "due_at": now + timedelta(days=20),
    }


def _goal(deck, **kwargs) -> Assignment:
    kwargs.setdefault("target_recall", 0.95)
    goal = CardGoalFactory(
        classroom=deck["classroom"],
        essay=deck["essay"],
        due_at=deck["due_at"],
        **{k: v for k, v in kwargs.items() if k not in ("claims", "students")},
    )
    goal.claims.set(kwargs.get("claims", []))
    goal.students.set(kwargs.get("students", []))
    return goal


def test_a_card_fsrs_would_show_after_the_goal_is_studied_before_it(student, goal_deck):
    """Rated Good today, FSRS alone would show the card again in 32 days,
    after the goal's date; the goal brings it forward, and the study queue
    shows it on a day before the date."""
    now, due_at = goal_deck["now"], goal_deck["due_at"]
    _goal(goal_deck)
    question = goal_deck["questions"][0]
    card = _review_card(student, question=question, due=now)
    alone = scheduling.rate(
        scheduling.build_scheduler(DeckSettings(essay=question.essay)),
        card.pk,
        services.cards.card_state(card),
        rating=3,
        now=now,
    ).after
    assert alone.due > due_at  # FSRS alone: after the goal's date
    assert scheduling.recall(alone.stability, alone.last_review, at=due_at) < 0.95

    card, _review = services.cards.card_rate(
        student=student, card_id=card.pk, rating=3, token=5, duration_ms=None, now=now
    )
    card.refresh_from_db()
    assert now < card.due < due_at - timedelta(days=1) + timedelta(seconds=1)
    assert card.stability == pytest.approx(alone.stability)  # FSRS's memory state

    day_before = due_at - timedelta(days=1)
    queue = selectors.queue.next_card(
        student=student, essay=question.essay, now=day_before
    )
    assert queue.card == card
    # Without the goal the same card would not be there that day.
    Assignment.objects.all().delete()
    Card.objects.filter(pk=card.pk).update(due=alone.due)
    assert (
        selectors.queue.next_card(
            student=student, essay=question.essay, now=day_before
        ).card
        is None
    )


def test_a_goal_set_brings_forward_the_cards_it_covers_for_its_students(
    student, goal_deck, django_assert_max_num_queries
):
    now = goal_deck["now"]
    other = UserFactory()
    goal_deck["classroom"].enrolments.create(student=other, joined_at=now)
    first, second = goal_deck["questions"]
    mine = _at_risk_card(student, first, now=now)
    other_claim = _at_risk_card(student, second, now=now)
    not_named = _at_risk_card(other, first, now=now)
    goal = _goal(goal_deck, claims=[goal_deck["claims"][0]], students=[student])

    # Four reads, the bulk update, the Teach pages' mark on the students
    # moved (services.stamps), and the transaction's savepoint and release.
    with django_assert_max_num_queries(8):
        moved = services.cards.goal_cards_schedule(assignment=goal, now=now)

    assert moved == 1
    for card in (mine, other_claim, not_named):
        card.refresh_from_db()
    assert mine.due < goal.due_at
    assert other_claim.due == now + timedelta(days=29)  # not a claim of the goal
    assert not_named.due == now + timedelta(days=29)  # not a student of it


def test_a_goal_on_the_whole_class_or_a_section_covers_what_it_says(student, goal_deck):
    now = goal_deck["now"]
    elsewhere = ClaimFactory(essay=goal_deck["essay"])  # another section
    outside = _at_risk_card(
        student, QuestionFactory(essay=goal_deck["essay"], claim=elsewhere), now=now
    )
    inside = _at_risk_card(student, goal_deck["questions"][0], now=now)
    section = goal_deck["claims"][0].section
    goal = _goal(goal_deck, section=section)
    assert services.cards.goal_cards_schedule(assignment=goal, now=now) == 1
    outside.refresh_from_db()
    assert outside.due == now + timedelta(days=29)

    whole = _goal(goal_deck)
    assert services.cards.goal_cards_schedule(assignment=whole, now=now) == 1
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.due < whole.due_at
    assert outside.due < whole.due_at


@pytest.mark.parametrize("size", [3, 60])
def test_bringing_a_goals_cards_forward_takes_the_same_queries_for_any_class(
    size, goal_deck, django_assert_max_num_queries
):
    now = goal_deck["now"]
    students = UserFactory.create_batch(size)
    for pupil in students:
        goal_deck["classroom"].enrolments.create(student=pupil, joined_at=now)
        for question in goal_deck["questions"]:
            _at_risk_card(pupil, question, now=now)
    goal = _goal(goal_deck)
    with django_assert_max_num_queries(8):  # with the Teach pages' mark
        moved = services.cards.goal_cards_schedule(assignment=goal, now=now)
    assert moved == 2 * size


def test_a_target_the_deck_already_keeps_moves_no_card(student, goal_deck):
    now = goal_deck["now"]
    card = _at_risk_card(student, goal_deck["questions"][0], now=now)
    goal = _goal(goal_deck, target_recall=0.9)
    assert services.cards.goal_cards_schedule(assignment=goal, now=now) == 0
    card.refresh_from_db()
    assert card.due == now + timedelta(days=29)


def test_a_rating_heeds_only_the_students_own_goals(student, goal_deck):
    now = goal_deck["now"]
    other = UserFactory()
    goal_deck["classroom"].enrolments.create(student=other, joined_at=now)
    _goal(goal_deck, students=[other])  # not for `student`
    card = _review_card(student, question=goal_deck["questions"][0], due=now)
    card, _review = services.cards.card_rate(
        student=student, card_id=card.pk, rating=3, token=5, duration_ms=None, now=now
    )
    assert card.due > goal_deck["due_at"]


def test_a_goal_given_from_the_assignment_form_brings_its_cards_forward(
    student, goal_deck
):
    """Whichever page sets the goal, its cards move at once, not at their
    next rating."""
    now = goal_deck["now"]
    card = _at_risk_card(student, goal_deck["questions"][0], now=now)
    classroom = goal_deck["classroom"]
    goal = services.classes.assignment_create(
        classroom=classroom,
        teacher=classroom.teachers.get(),
        essay=goal_deck["essay"],
        target_recall=0.95,
        opens_at=now,
        due_at=goal_deck["due_at"],
        now=now,
    )
    card.refresh_from_db()
    assert now <= card.due < goal.due_at
