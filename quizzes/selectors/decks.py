"""The deck list and a deck's page: per essay and per section, the cards
new, learning and due today, within the deck's daily limits."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from quizzes import scheduling
from quizzes.models import Card, DeckSettings, Essay, Question, Review
from quizzes.selectors.queue import deck_cards, due_filters, left_today


@dataclass
class DeckRow:
    """Counts for one deck (an essay) or one of its sections."""

    label: str
    section: int | None = None
    new: int = 0
    learning: int = 0
    due: int = 0
    total: int = 0


def _state_counts(now: datetime) -> dict:
    due = due_filters(now)
    active = Q(suspended=False)
    return {
        "new": Count("pk", filter=active & due["new"]),
        "learning": Count("pk", filter=active & due["learning"]),
        "due": Count("pk", filter=active & due["review"]),
        "total": Count("pk"),
    }


def _done_today(*, student, essays, now: datetime) -> dict[int, tuple[int, int]]:
    """Per essay: the new cards and the reviews studied today (for the limits)."""
    rows = (
        Review.objects.filter(
            card__student=student,
            card__question__essay__in=essays,
            reviewed_at__gte=scheduling.day_start(now),
        )
        .values_list("card__question__essay")
        .annotate(
            new=Count("pk", filter=Q(state_before__last_review=None)),
            reviews=Count("pk", filter=Q(state_before__state=Card.State.REVIEW)),
        )
    )
    return {essay: (new, reviews) for essay, new, reviews in rows}


def _cap(row: DeckRow, limits: DeckSettings, done: tuple[int, int]) -> None:
    """Show no more new cards and reviews than the daily limits leave, as the
    study page does."""
    new_left, reviews_left = left_today(
        limits, new_today=done[0], reviews_today=done[1]
    )
    row.new = min(row.new, new_left)
    row.due = min(row.due, reviews_left)


def _questions_without_cards(*, student, essays, group_by: str) -> dict:
    """Published questions the student has no card for yet: new cards to come."""
    rows = (
        Question.objects.published()
        .filter(essay__in=essays)
        .exclude(cards__student=student)
        .values(group_by)
        .annotate(n=Count("pk"))
    )
    return {row[group_by]: row["n"] for row in rows}


def decks(*, student, now: datetime) -> list[tuple[Essay, DeckRow]]:
    """Every essay with published questions, with the student's counts."""
    essays = list(
        Essay.objects.annotate(
            published=Count(
                "questions", filter=Q(questions__status=Question.Status.PUBLISHED)
            )
        )
        .filter(published__gt=0)
        .select_related("deck_settings")
    )
    rows = (
        Card.objects.filter(
            student=student,
            question__essay__in=essays,
            question__status=Question.Status.PUBLISHED,
        )
        .values("question__essay")
        .annotate(**_state_counts(now))
    )
    by_essay = {row.pop("question__essay"): row for row in rows}
    uncarded = _questions_without_cards(
        student=student, essays=essays, group_by="essay"
    )
    done = _done_today(student=student, essays=essays, now=now)
    result = []
    for essay in essays:
        row = DeckRow(label=essay.title, **by_essay.get(essay.pk, {}))
        row.new += uncarded.get(essay.pk, 0)
        row.total += uncarded.get(essay.pk, 0)
        _cap(row, DeckSettings.for_essay(essay), done.get(essay.pk, (0, 0)))
        result.append((essay, row))
    return result


def deck_sections(*, student, essay: Essay, now: datetime) -> list[DeckRow]:
    """One row per section of the essay (and one for questions without one).

    Studying a section spends the deck's daily limits, so each row shows at
    most what the limits leave today.
    """
    rows = (
        deck_cards(student=student, essay=essay)
        .values("question__claim__section__order")
        .annotate(**_state_counts(now))
    )
    by_section = {row.pop("question__claim__section__order"): row for row in rows}
    uncarded = _questions_without_cards(
        student=student, essays=[essay], group_by="claim__section__order"
    )
    limits = DeckSettings.for_essay(essay)
    done = _done_today(student=student, essays=[essay], now=now).get(essay.pk, (0, 0))
    result = []
    for section in essay.sections.all():
        row = DeckRow(
            label=section.label,
            section=section.order,
            **by_section.get(section.order, {}),
        )
        row.new += uncarded.get(section.order, 0)
        row.total += uncarded.get(section.order, 0)
        if row.total:
            _cap(row, limits, done)
            result.append(row)
    if None in by_section or None in uncarded:
        row = DeckRow(label="Other questions", **by_section.get(None, {}))
        row.new += uncarded.get(None, 0)
        row.total += uncarded.get(None, 0)
        _cap(row, limits, done)
        result.append(row)
    return result


def leeches(*, student, essay: Essay) -> QuerySet:
    return (
        deck_cards(student=student, essay=essay)
        .filter(is_leech=True)
        .select_related("question")
        .order_by("question__claim__order", "pk")
    )
