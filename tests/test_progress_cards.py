from datetime import UTC, datetime, timedelta

import pytest

from quizzes import scheduling, selectors, services
from quizzes.models import Card, DeckSettings
from tests.factories import (
    CardFactory,
    EssayFactory,
    QuestionFactory,
    ReviewFactory,
)

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
    forecast = selectors.stats.due_forecast(student=student, now=NOW, essay=essay)
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
    days = selectors.stats.reviews_per_day(student=student, now=NOW)
    assert len(days) == 90
    assert days[-1] == (NOW.date(), 2)
    assert days[-2] == (NOW.date() - timedelta(days=1), 1)
    assert selectors.stats.true_retention(student=student, now=NOW) == (1, 2)


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
    (row,) = selectors.stats.section_retrievability(student=student, now=NOW)
    assert row.studied == 1
    assert 0.85 < row.average < 0.95  # about the desired retention at the due date


# --- The flashcard queue -----------------------------------------------------


def _reviewed(student, essay, *, due, state=Card.State.REVIEW, **kwargs) -> Card:
    """A card studied before, in `state`, due at `due`."""
    values = {
        "step": None if state == Card.State.REVIEW else 0,
        "stability": 5.0,
        "difficulty": 5.0,
        "last_review": NOW - timedelta(days=3),
        "reps": 3,
    }
    return CardFactory(
        student=student,
        question__essay=essay,
        state=state,
        due=due,
        **(values | kwargs),
    )


def _rate(student, card, *, rating=3, now=NOW):
    return services.cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=rating,
        token=card.reps,
        duration_ms=None,
        now=now,
    )


def test_new_cards_are_made_due_at_once(student):
    # The queue reads only cards due by now + LEARN_AHEAD: new cards included.
    essay = EssayFactory()
    QuestionFactory.create_batch(2, essay=essay)
    services.cards.deck_cards_create(student=student, essay=essay, now=NOW)
    assert set(Card.objects.values_list("due", flat=True)) == {NOW}
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=DeckSettings(essay=essay), now=NOW
    )
    assert queue.card is not None
    assert queue.counts == selectors.queue.QueueCounts(new=2)


def test_a_cards_last_review_is_its_latest_reviews_time(student):
    # The daily limits find today's reviews through the cards' last_review.
    essay = EssayFactory()
    card = CardFactory(student=student, question__essay=essay, due=NOW)
    card, first = _rate(student, card, now=NOW - timedelta(days=1))
    assert card.last_review == first.reviewed_at
    card, second = _rate(student, card, now=NOW)
    assert card.last_review == second.reviewed_at
    card, undone = services.cards.rating_undo(
        student=student, card_id=card.pk, review_id=second.pk
    )
    assert undone
    assert card.last_review == first.reviewed_at


def test_learning_cards_are_shown_early_only_within_learn_ahead(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay)
    later = _reviewed(
        student, essay, state=Card.State.LEARNING, due=NOW + timedelta(minutes=30)
    )
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card is None
    assert queue.next_due == later.due
    soon = _reviewed(
        student, essay, state=Card.State.LEARNING, due=NOW + timedelta(minutes=15)
    )
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card == soon
    assert queue.counts == selectors.queue.QueueCounts()
    assert queue.next_due == soon.due


def test_the_undone_card_comes_first_however_far_ahead_it_is_due(student):
    essay = EssayFactory()
    _reviewed(student, essay, due=NOW - timedelta(days=1))
    ahead = _reviewed(student, essay, due=NOW + timedelta(days=30))
    queue = selectors.queue.next_card(
        student=student,
        essay=essay,
        limits=DeckSettings(essay=essay),
        now=NOW,
        first=ahead.pk,
    )
    assert queue.card == ahead
    assert queue.counts == selectors.queue.QueueCounts(due=1)


def test_counts_stop_at_the_daily_limits(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, new_cards_per_day=2, reviews_per_day=3)
    for days in range(5):
        _reviewed(student, essay, due=NOW - timedelta(days=days))
    for _ in range(4):
        CardFactory(student=student, question__essay=essay, due=NOW)
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card.state == Card.State.REVIEW
    assert queue.counts == selectors.queue.QueueCounts(new=2, due=3)
    summary = selectors.queue.queue_summary(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert summary.counts == queue.counts
    assert summary.new_waiting


def test_daily_limits_of_zero(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, new_cards_per_day=0, reviews_per_day=0)
    CardFactory(student=student, question__essay=essay, due=NOW)
    _reviewed(student, essay, due=NOW - timedelta(days=1))
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card is None
    assert queue.counts == selectors.queue.QueueCounts()
    assert queue.new_waiting


def test_todays_reviews_count_against_the_daily_limits(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, new_cards_per_day=1, reviews_per_day=1)
    new = [CardFactory(student=student, question__essay=essay, due=NOW) for _ in "abc"]
    due = [_reviewed(student, essay, due=NOW - timedelta(days=2)) for _ in "abc"]
    # Yesterday's reviews leave today's limits alone.
    _rate(student, new[0], rating=4, now=NOW - timedelta(days=1))
    _rate(student, due[0], rating=4, now=NOW - timedelta(days=1))
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card == due[1]
    assert queue.counts == selectors.queue.QueueCounts(new=1, due=1)

    _rate(student, due[1], rating=4, now=NOW)
    _rate(student, new[1], rating=4, now=NOW)
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card is None
    assert queue.counts == selectors.queue.QueueCounts()
    assert queue.new_waiting
    # The same reviews do not count against another deck's limits.
    other = EssayFactory()
    card = CardFactory(student=student, question__essay=other, due=NOW)
    queue = selectors.queue.next_card(
        student=student, essay=other, limits=DeckSettings(essay=other), now=NOW
    )
    assert queue.card == card


def test_a_review_card_is_due_all_day_on_its_due_date(student):
    # Like Anki: review cards due today are shown from the start of the day;
    # learning cards keep their exact time.
    essay = EssayFactory()
    limits = DeckSettings(essay=essay)
    later_today = _reviewed(student, essay, due=NOW + timedelta(hours=6))
    tomorrow = _reviewed(student, essay, due=NOW + timedelta(days=1))
    learning = _reviewed(
        student, essay, state=Card.State.LEARNING, due=NOW + timedelta(hours=6)
    )
    assert later_today.due.date() == NOW.date()

    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card == later_today
    assert queue.counts == selectors.queue.QueueCounts(due=1)
    summary = selectors.queue.queue_summary(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert summary.counts == selectors.queue.QueueCounts(due=1)
    ((_essay, row),) = selectors.decks.decks(student=student, now=NOW)
    assert (row.new, row.learning, row.due) == (0, 0, 1)
    (row,) = selectors.decks.deck_sections(student=student, essay=essay, now=NOW)
    assert (row.new, row.learning, row.due) == (0, 0, 1)
    forecast = selectors.stats.due_forecast(student=student, now=NOW, essay=essay)
    assert forecast[0] == (NOW.date(), 2)  # the review and the learning card

    # Once it is rated, nothing is due until the learning card's time, then
    # until tomorrow's review card, which is due from midnight.
    _rate(student, later_today)
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card is None
    assert queue.next_due == learning.due
    Card.objects.filter(pk=learning.pk).update(suspended=True)
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card is None
    assert queue.next_due == scheduling.day_end(NOW) < tomorrow.due


def test_a_review_card_due_later_today_waits_for_the_daily_limit(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, reviews_per_day=0)
    _reviewed(student, essay, due=NOW + timedelta(hours=6))
    queue = selectors.queue.next_card(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert queue.card is None
    # Due already: the reviewer says the limit is reached, not "due in 6 hours".
    assert queue.next_due <= NOW


def test_deck_lists_show_no_more_reviews_than_the_daily_limit_leaves(student):
    essay = EssayFactory()
    DeckSettings.objects.create(essay=essay, new_cards_per_day=2, reviews_per_day=3)
    for days in range(1, 6):
        _reviewed(student, essay, due=NOW - timedelta(days=days))
    for _ in range(4):
        CardFactory(student=student, question__essay=essay, due=NOW)
    ((_essay, row),) = selectors.decks.decks(student=student, now=NOW)
    (section,) = selectors.decks.deck_sections(student=student, essay=essay, now=NOW)
    assert (row.new, row.due) == (section.new, section.due) == (2, 3)

    done = _reviewed(student, essay, due=NOW - timedelta(days=1))
    _rate(student, done, rating=3)
    ((_essay, row),) = selectors.decks.decks(student=student, now=NOW)
    (section,) = selectors.decks.deck_sections(student=student, essay=essay, now=NOW)
    assert (row.new, row.due) == (section.new, section.due) == (2, 2)
    limits = DeckSettings.for_essay(essay)
    summary = selectors.queue.queue_summary(
        student=student, essay=essay, limits=limits, now=NOW
    )
    assert (summary.counts.new, summary.counts.due) == (2, 2)
