"""A student's flashcard statistics: due forecast, review history, true
retention and predicted recall by section."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from quizzes import scheduling
from quizzes.models import Card, Essay, Question, Review, Section
from quizzes.selectors import queue


def _student_cards(*, student, essay: Essay | None) -> QuerySet:
    cards = Card.objects.filter(
        student=student, question__status=Question.Status.PUBLISHED
    )
    return cards.filter(question__essay=essay) if essay else cards


@dataclass(frozen=True)
class Forecast:
    days: list[tuple[date, int]]  # reviews due each day, today first
    now: int  # of today's: the learning and due cards the study page shows now
    later_today: int  # of today's: learning cards due later today


def due_forecast(
    *, student, now: datetime, essay: Essay | None = None, days: int = 30
) -> Forecast:
    """Cards falling due for review on each of the next `days` days (new
    cards aside); today holds what queue.forecast_today says."""
    essays = [essay] if essay else queue.deck_essays()
    counts = sum(
        queue.deck_counts(student=student, essays=essays, now=now).values(),
        queue.QueueCounts(),
    )
    dates = queue.forecast_days(now, days)
    first_day = dates[0]
    rows = (
        _student_cards(student=student, essay=essay)
        .filter(suspended=False, last_review__isnull=False)
        .filter(due__lt=scheduling.day_start(now) + timedelta(days=days))
        .annotate(day=TruncDate("due"))
        .values("day")
        .annotate(
            reviews=Count("pk", filter=Q(state=Card.State.REVIEW)),
            later=Count(
                "pk",
                filter=Q(
                    state__in=queue.LEARNING_STATES, due__gt=now + queue.LEARN_AHEAD
                ),
            ),
        )
        .order_by()
    )
    per_day: dict[date, int] = defaultdict(int)
    due_today = later_today = 0
    for row in rows:
        if row["day"] <= first_day:
            due_today += row["reviews"]
            later_today += row["later"]
        else:
            per_day[row["day"]] += row["reviews"] + row["later"]
    today, held_back = queue.forecast_today(
        counts=counts, due_today=due_today, later_today=later_today
    )
    per_day[first_day] += today
    if days > 1:
        per_day[dates[1]] += held_back
    return Forecast(
        days=[(day, per_day[day]) for day in dates],
        now=counts.learning + counts.due,
        later_today=later_today,
    )


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
