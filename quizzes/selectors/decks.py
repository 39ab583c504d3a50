"""The deck list and a deck's page: per essay and per section, the cards new,
learning and due today, by the one definition of each count in
``selectors.queue``."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet, Value
from django.utils import timezone

from quizzes import scheduling
from quizzes.models import Card, DeckSettings, Essay
from quizzes.selectors import queue, queue_sql, sql
from quizzes.selectors.queue import QueueCounts, deck_cards


@dataclass
class DeckRow:
    """Today's counts for one section of a deck."""

    label: str
    section: int | None = None
    new: int = 0
    learning: int = 0
    due: int = 0
    total: int = 0  # the section's published questions, studied or not

    @property
    def counts(self) -> QueueCounts:
        return QueueCounts(new=self.new, learning=self.learning, due=self.due)


@dataclass(frozen=True)
class DeckPage:
    sections: list[DeckRow]
    counts: QueueCounts  # the sections' rows added up: the deck's header
    next_due: datetime | None


def deck_essay(slug: str, *, student=None) -> Essay | None:
    """The deck's essay by its slug, its settings with it (or None), in one
    statement; its body is left unread (queue_sql.ESSAY_WITHOUT). With a
    `student`, ``essay.cards_made`` says whether they have a card of every
    question it publishes (models.CardsMade): then none is missing."""
    made = "0"
    if student is not None:
        made = (
            "EXISTS (SELECT 1 FROM quizzes_cardsmade m"
            " WHERE m.student_id = %(student)s AND m.essay_id = e.id)"
        )
    statement = f"""
SELECT {queue_sql.essay_columns()}, {made} FROM quizzes_essay e
LEFT JOIN quizzes_decksettings ds ON ds.essay_id = e.id
WHERE e.slug = %(slug)s"""
    params = {"slug": slug, "student": getattr(student, "pk", None)}
    found = sql.row(statement, params)
    if found is None:
        return None
    essay = queue_sql.essay_with_settings(found[:-1])
    essay.cards_made = bool(found[-1])
    return essay


def decks(*, student, now: datetime) -> list[tuple[Essay, QueueCounts]]:
    """Every essay with published questions, with the student's counts."""
    essays = queue.deck_essays()
    counts = queue.deck_counts(student=student, essays=essays, now=now)
    return [(essay, counts[essay.pk]) for essay in essays]


def _picked(first: QuerySet | None):
    """How many of today's picked cards (see queue.today_cards) a group holds."""
    return Value(0) if first is None else Count("pk", filter=Q(pk__in=first))


def _card_rows(*, student, essay: Essay, now: datetime, limits: DeckSettings):
    """The deck's cards grouped by section: today's counts and what is held
    back (one query, after one for the daily limits)."""
    left = queue.day_left(student=student, limits=[limits], now=now)[essay.pk]
    buried = queue.deck_burial(student=student, now=now, limits=limits)
    today = queue.today_cards(
        student=student, essay=essay, now=now, left=left, buried=buried
    )
    due, every = queue.due_filters(now, buried=buried), queue.due_filters(now)
    active = Q(suspended=False)
    rows = (
        deck_cards(student=student, essay=essay)
        .values("question__claim__section__order")
        .annotate(
            n_new=_picked(today.new),
            n_learning=Count("pk", filter=active & due["learning"]),
            n_due=_picked(today.reviews),
            n_total=Count("pk"),
            due_today=Count("pk", filter=active & (every["new"] | every["review"])),
            next_learning=Min(
                "due",
                filter=active
                & Q(last_review__isnull=False, state__in=queue.LEARNING_STATES),
            ),
            next_review=Min(
                "due",
                filter=active
                & Q(state=Card.State.REVIEW, due__gte=scheduling.day_end(now)),
            ),
        )
        .order_by()
    )
    return {row.pop("question__claim__section__order"): row for row in rows}, left


def _unmade_rows(*, student, essay: Essay, now: datetime, limits, slots: int):
    """Questions without a card yet, by section: `new` are those of them the
    new-card limit still reaches today (after the deck's cards)."""
    unmade = queue.unmade_questions(
        student=student,
        essays=[essay],
        now=now,
        decks_off=() if limits.bury_siblings else [essay.pk],
    )
    first = unmade.values("pk")[:slots] if slots > 0 else None
    rows = (
        unmade.values("claim__section__order")
        .annotate(n_new=_picked(first), n_total=Count("pk"))
        .order_by()
    )
    return {row.pop("claim__section__order"): row for row in rows}


def deck_page(*, student, essay: Essay, now: datetime) -> DeckPage:
    """A deck's counts by section, and the deck's: the rows add up to it.

    The daily limits are the deck's: today's new cards and reviews are picked
    for the whole deck in queue order (cards first, then the questions whose
    cards are not made yet), and each row shows those that fall in its
    section, as studying the section shows them.
    """
    limits = DeckSettings.for_essay(essay)
    cards, left = _card_rows(student=student, essay=essay, now=now, limits=limits)
    slots = left.new - sum(row["n_new"] for row in cards.values())
    unmade = _unmade_rows(
        student=student, essay=essay, now=now, limits=limits, slots=slots
    )
    labels = {section.order: section.label for section in essay.sections.all()}
    labels[None] = "Other questions"
    rows = []
    for order, label in labels.items():
        row = DeckRow(label=label, section=order)
        for group in (cards.get(order, {}), unmade.get(order, {})):
            row.new += group.get("n_new", 0)
            row.learning += group.get("n_learning", 0)
            row.due += group.get("n_due", 0)
            row.total += group.get("n_total", 0)
        if row.total:
            rows.append(row)
    counts = sum((row.counts for row in rows), QueueCounts())
    return DeckPage(
        sections=rows, counts=counts, next_due=_next_due(cards, unmade, now)
    )


def _next_due(cards: dict, unmade: dict, now: datetime) -> datetime | None:
    """When the deck next has a card, once today's are done: every card due
    today is held back by then, and so are questions without a card."""

    def soonest(key: str) -> datetime | None:
        return min((g[key] for g in cards.values() if g[key]), default=None)

    return queue.next_due(
        learning=soonest("next_learning"),
        review=soonest("next_review"),
        tomorrow=any(g["due_today"] for g in cards.values()) or bool(unmade),
        now=now,
    )


def leeches(*, student, essay: Essay) -> QuerySet:
    return (
        deck_cards(student=student, essay=essay)
        .filter(is_leech=True)
        .select_related("question")
        .order_by("question__claim__order", "pk")
    )


def cards_missing(*, student, essay: Essay, now: datetime | None = None) -> int:
    """How many of the deck's published questions the student has no card
    for yet, but for those held back (one query): the study page offers to
    add them. It reads every published question of the deck (one probe of
    the student's cards each): ask only when not ``essay.cards_made``
    (deck_essay), which says none is missing."""
    statement = f"""
WITH held(question_id) AS ({queue_sql.HELD})
SELECT COUNT(*) FROM quizzes_question q
WHERE q.essay_id = %(essay)s AND q.status = '{queue_sql.PUBLISHED}'
  AND NOT EXISTS (
    SELECT 1 FROM quizzes_card c
    WHERE c.student_id = %(student)s AND c.question_id = q.id)
  AND q.id NOT IN (SELECT question_id FROM held)"""
    params = {
        "essay": essay.pk,
        "student": student.pk,
        "now": sql.at(now or timezone.now()),
    }
    return sql.row(statement, params)[0]
