from datetime import UTC, datetime, timedelta

import pytest

from quizzes import progress
from quizzes.models import Card
from tests.factories import CardFactory, EssayFactory, ReviewFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def test_due_forecast_puts_overdue_cards_today(student):
    essay = EssayFactory()
    for due in (
        NOW - timedelta(days=3),
        NOW,
        NOW + timedelta(days=2),
        NOW + timedelta(days=40),
    ):
        CardFactory(
            student=student,
            question__essay=essay,
            due=due,
            last_review=NOW - timedelta(days=5),
        )
    CardFactory(student=student, question__essay=essay, due=NOW)  # new: not a review
    forecast = progress.due_forecast(student=student, now=NOW, essay=essay)
    assert len(forecast) == 30
    assert forecast[0] == (NOW.date(), 2)
    assert forecast[2] == (NOW.date() + timedelta(days=2), 1)
    assert sum(n for _day, n in forecast) == 3


def test_reviews_per_day_and_true_retention(student, other_student):
    card = CardFactory(student=student)
    review_state = {"state": Card.State.REVIEW, "last_review": "x", "reps": 3}
    ReviewFactory(card=card, reviewed_at=NOW, rating=3, state_before=review_state)
    ReviewFactory(card=card, reviewed_at=NOW, rating=1, state_before=review_state)
    ReviewFactory(
        card=card,
        reviewed_at=NOW - timedelta(days=1),
        rating=1,
        state_before={"state": Card.State.LEARNING, "last_review": None, "reps": 0},
    )
    ReviewFactory(
        card__student=other_student, reviewed_at=NOW, state_before=review_state
    )
    days = progress.reviews_per_day(student=student, now=NOW)
    assert len(days) == 90
    assert days[-1] == (NOW.date(), 2)
    assert days[-2] == (NOW.date() - timedelta(days=1), 1)
    assert progress.true_retention(student=student, now=NOW) == (1, 2)


def test_section_retrievability_averages_studied_cards(student):
    CardFactory(
        student=student,
        state=Card.State.REVIEW,
        step=None,
        stability=10,
        difficulty=5,
        last_review=NOW - timedelta(days=10),
        due=NOW,
    )
    CardFactory(student=student)  # never studied: not in the average
    (row,) = progress.section_retrievability(student=student, now=NOW)
    assert row.studied == 1
    assert 0.85 < row.average < 0.95  # about the desired retention at the due date
