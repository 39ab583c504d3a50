"""A student's flashcard statistics: due forecast, review history, true
retention and predicted recall by section."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from quizzes import scheduling
from quizzes.models import Card, Essay, Question, Review, Section


def _student_cards(*, student, essay: Essay | None) -> QuerySet:
    cards = Card.objects.filter(
        student=student, question__status=Question.Status.PUBLISHED
    )
    return cards.filter(question__essay=essay) if essay else cards


def due_forecast(
    *, student, now: datetime, essay: Essay | None = None, days: int = 30
) -> list[tuple[date, int]]:
    """Cards falling due on each of the next `days` days (overdue ones today)."""
    today = scheduling.day_start(now)
    rows = (
        _student_cards(student=student, essay=essay)
        .filter(suspended=False, last_review__isnull=False)
        .filter(due__lt=today + timedelta(days=days))
        .annotate(day=TruncDate("due"))
        .values("day")
        .annotate(n=Count("pk"))
    )
    counts: dict[date, int] = defaultdict(int)
    for row in rows:
        counts[max(row["day"], today.date())] += row["n"]
    return [
        (day, counts[day])
        for day in (today.date() + timedelta(days=i) for i in range(days))
    ]


def reviews_per_day(
    *, student, now: datetime, essay: Essay | None = None, days: int = 90
) -> list[tuple[date, int]]:
    """Reviews done on each of the last `days` days, oldest first."""
    first = scheduling.day_start(now) - timedelta(days=days - 1)
    reviews = Review.objects.filter(card__student=student, reviewed_at__gte=first)
    if essay:
        reviews = reviews.filter(card__question__essay=essay)
    counts = dict(
        reviews.annotate(day=TruncDate("reviewed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    return [
        (day, counts.get(day, 0))
        for day in (first.date() + timedelta(days=i) for i in range(days))
    ]


def true_retention(
    *, student, now: datetime, essay: Essay | None = None, days: int = 30
) -> tuple[int, int]:
    """(passed, total) reviews of cards in review state, the last `days` days."""
    reviews = Review.objects.filter(
        card__student=student,
        reviewed_at__gte=now - timedelta(days=days),
        state_before__state=Card.State.REVIEW,
    )
    if essay:
        reviews = reviews.filter(card__question__essay=essay)
    totals = reviews.aggregate(
        total=Count("pk"), passed=Count("pk", filter=~Q(rating=Review.Rating.AGAIN))
    )
    return totals["passed"], totals["total"]


@dataclass(frozen=True)
class SectionRecall:
    label: str
    studied: int
    average: float | None


def section_retrievability(
    *, student, now: datetime, essay: Essay | None = None
) -> list[SectionRecall]:
    """The mean predicted recall now of the studied cards, per section.

    One query for the card columns; the maths is fsrs's, per card, in Python.
    """
    rows = (
        _student_cards(student=student, essay=essay)
        .filter(last_review__isnull=False)
        .order_by("question__essay__title", "question__claim__section__order")
        .values_list(
            "question__essay__title",
            "question__claim__section__order",
            "question__claim__section__heading",
            "state",
            "stability",
            "last_review",
        )
    )
    groups: dict[tuple, list[float]] = {}
    for title, order, heading, state, stability, last_review in rows:
        if order is None:
            label = "Other questions"
        else:
            label = Section.label_for(heading=heading, order=order)
        if essay is None:
            label = f"{title}: {label}"
        card = scheduling.CardState(
            state=state, stability=stability, last_review=last_review
        )
        groups.setdefault((title, order, label), []).append(
            scheduling.retrievability(card, now=now)
        )
    return [
        SectionRecall(
            label=label, studied=len(values), average=sum(values) / len(values)
        )
        for (_title, _order, label), values in groups.items()
    ]
