from datetime import timedelta

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from quizzes import scheduling, selectors, services
from quizzes.models import Card, DeckSettings, Question, Review
from tests.factories import (
    CardFactory,
    EssayFactory,
    QuestionFactory,
    ReviewFactory,
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
