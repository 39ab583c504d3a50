"""Flashcards: a student's cards made, rated (each rating is a Review, the
log FSRS learns from) and ratings undone."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from quizzes import scheduling
from quizzes.models import Card, DeckSettings, Essay, Question, Review


def card_state(card: Card) -> scheduling.CardState:
    """A Card's scheduling columns as the plain data `scheduling` works on."""
    return scheduling.CardState(
        **{field: getattr(card, field) for field in _CARD_STATE_FIELDS}
    )


_CARD_STATE_FIELDS = tuple(scheduling.CardState.__dataclass_fields__)


@transaction.atomic
def deck_cards_create(*, student, essay: Essay, now: datetime) -> int:
    """Make the student's cards for the essay's published questions (idempotent).

    Returns how many cards were made. New cards are due at once, and made in
    the essay's order: the queue shows new cards made together in the order
    they were made (selectors.queue.QUEUE_ORDER), and the deck page counts
    the questions without a card in this order too.
    """
    DeckSettings.objects.get_or_create(essay=essay)
    missing = (
        Question.objects.published()
        .for_essay(essay)
        .exclude(cards__student=student)
        .in_essay_order()
        .values_list("pk", flat=True)
    )
    cards = [
        Card(student=student, question_id=pk, due=now, state=Card.State.LEARNING)
        for pk in missing
    ]
    Card.objects.bulk_create(cards, ignore_conflicts=True)
    return len(cards)


@transaction.atomic
def card_rate(
    *,
    student,
    card_id: int,
    rating: int,
    token: int,
    duration_ms: int | None,
    now: datetime,
    studying_ahead: bool = False,
) -> tuple[Card, Review | None]:
    """Rate a card and reschedule it with FSRS; returns the card and the review.

    `token` is the card's `reps` when it was shown: a repeated or late POST
    carries a stale token and changes nothing (the review is None). So does
    a rating while `studying_ahead`: a run through cards not due yet never
    changes the schedule (Anki's custom study without rescheduling). Raises
    Card.DoesNotExist for a card that is not the student's.
    """
    cards = Card.objects.select_related("question__essay__deck_settings")
    if studying_ahead:
        return cards.get(pk=card_id, student=student), None
    card = cards.select_for_update(of=("self",)).get(pk=card_id, student=student)
    if token != card.reps or card.suspended:
        return card, None
    before = card_state(card)
    limits = DeckSettings.for_essay(card.question.essay)
    outcome = scheduling.rate(
        scheduling.build_scheduler(limits),
        card.pk,
        before,
        rating=rating,
        now=now,
        duration_ms=duration_ms,
    )
    for field in _CARD_STATE_FIELDS:
        setattr(card, field, getattr(outcome.after, field))
    card.save(update_fields=_CARD_STATE_FIELDS)
    review = Review.objects.create(
        card=card,
        rating=rating,
        reviewed_at=now,
        duration_ms=scheduling.clamp_duration(duration_ms),
        state_before=before.to_json(),
    )
    return card, review


@transaction.atomic
def rating_undo(*, student, card_id: int, review_id: int) -> tuple[Card, bool]:
    """Take back a card's last review: the card as it was, the review gone.

    Only the card's latest review can be undone; for any other (already
    undone, or followed by another rating) nothing changes and the second
    value is False. Raises Card.DoesNotExist for a card that is not the
    student's.
    """
    card = (
        Card.objects.select_for_update(of=("self",))
        .select_related("question__essay__deck_settings")
        .get(pk=card_id, student=student)
    )
    review = Review.objects.filter(pk=review_id, card=card).first()
    is_latest = (
        review is not None
        and card.last_review == review.reviewed_at
        and card.reps == review.state_before.get("reps", -1) + 1
    )
    if not is_latest:
        return card, False
    before = scheduling.CardState.from_json(review.state_before)
    for field in _CARD_STATE_FIELDS:
        setattr(card, field, getattr(before, field))
    card.save(update_fields=_CARD_STATE_FIELDS)
    review.delete()
    return card, True
