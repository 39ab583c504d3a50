"""The flashcard queue: which card to show next, and how many are left today.

One definition of each count, used by the study page, the deck pages and the
statistics: see ``due_filters``. Every function runs a fixed number of
queries, whatever the number of cards.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Aggregate,
    Case,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONArray

from quizzes import scheduling
from quizzes.models import Card, DeckSettings, Essay, MatchPair, Question, Review

# Like Anki's "learn ahead limit": when nothing else is left, learning cards
# due within this time are shown rather than ending the session early.
LEARN_AHEAD = timedelta(minutes=20)
_LEARNING_STATES = (Card.State.LEARNING, Card.State.RELEARNING)


class _Count(Subquery):
    """COUNT(*) of a queryset as a scalar subquery (always one row)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


class _JSONList(Aggregate):
    """The grouped values as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, function="JSONB_AGG", **extra_context
        )


@dataclass(frozen=True)
class QueueCounts:
    new: int = 0
    learning: int = 0
    due: int = 0  # review cards due today

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass(frozen=True)
class Queue:
    card: Card | None
    counts: QueueCounts
    next_due: datetime | None = None
    new_waiting: bool = False


def deck_cards(*, student, essay: Essay, section: int | None = None) -> QuerySet:
    """A student's cards of published questions of one essay (or one section)."""
    cards = Card.objects.filter(
        student=student,
        question__essay=essay,
        question__status=Question.Status.PUBLISHED,
    )
    if section is not None:
        cards = cards.filter(question__claim__section__order=section)
    return cards


def due_filters(now: datetime) -> dict[str, Q]:
    """Which cards are due now, by kind.

    Like Anki, a review card is due all day on its due date (from midnight
    UTC); learning and relearning cards are due at their exact time.
    """
    reviewed = Q(last_review__isnull=False)
    return {
        "learning": reviewed & Q(state__in=_LEARNING_STATES, due__lte=now),
        "review": Q(state=Card.State.REVIEW, due__lt=scheduling.day_end(now)),
        "new": Q(last_review__isnull=True),
        "ahead": reviewed & Q(state__in=_LEARNING_STATES, due__lte=now + LEARN_AHEAD),
    }


def _queue_cards(
    *,
    student,
    essay: Essay,
    section: int | None,
    now: datetime,
    first: int | None = None,
) -> QuerySet:
    """The active cards the queue may show now (and `first`, however far ahead).

    All are due by the later of now + LEARN_AHEAD and the end of the day:
    learning and review cards by the rules of due_filters, new cards because
    they are made due at once (see services.deck_cards_create). Saying so, as
    one range, lets the (student, due) index read just these cards rather
    than the whole deck; the cards in range but not due yet (learning cards
    due later today) fall in no bucket of due_filters.
    """
    reach = Q(due__lte=max(now + LEARN_AHEAD, scheduling.day_end(now)))
    if first is not None:
        reach |= Q(pk=first)
    return (
        deck_cards(student=student, essay=essay, section=section)
        .filter(reach, suspended=False)
        .order_by()
    )


def _today_reviews(*, student, essay: Essay, now: datetime) -> QuerySet:
    """The student's reviews of the essay's cards since the day started.

    A card's last_review is the time of its latest review (card_review stores
    both from one clock reading, review_undo puts the previous one back), so
    a card reviewed today has last_review >= the day's start: saying so lets
    the (student, last_review) index find today's cards, not the whole deck.
    """
    start = scheduling.day_start(now)
    return Review.objects.filter(
        card__student=student,
        card__last_review__gte=start,
        card__question__essay=essay,
        reviewed_at__gte=start,
    ).order_by()


def _count_annotations(
    *, student, essay, section, now, limits: DeckSettings, count_unmade: bool
) -> dict:
    """The queue's numbers as scalar subqueries, to ride along another query."""
    queue = _queue_cards(student=student, essay=essay, section=section, now=now)
    today = _today_reviews(student=student, essay=essay, now=now)
    due = due_filters(now)
    studied = (
        deck_cards(student=student, essay=essay, section=section)
        .filter(suspended=False, last_review__isnull=False)
        .order_by("due")
    )
    annotations = {
        # Counted only as far as _counts can tell apart: it shows at most a
        # day's limit, and one card over the limit means more are waiting.
        "n_new": _Count(
            queue.filter(due["new"]).values("pk")[: limits.new_cards_per_day + 1]
        ),
        "n_learning": _Count(queue.filter(due["learning"]).values("pk")),
        "n_review": _Count(
            queue.filter(due["review"]).values("pk")[: limits.reviews_per_day + 1]
        ),
        "n_new_today": _Count(
            today.filter(state_before__last_review=None).values("pk")
        ),
        "n_reviews_today": _Count(
            today.filter(state_before__state=Card.State.REVIEW).values("pk")
        ),
        # Two, because a review card is due from the start of its day: see
        # _next_due.
        "next_learning_due": Subquery(
            studied.filter(state__in=_LEARNING_STATES).values("due")[:1]
        ),
        "next_review_due": Subquery(
            studied.filter(state=Card.State.REVIEW).values("due")[:1]
        ),
    }
    if count_unmade:
        # Published questions without a card yet: made when the deck is studied.
        unmade = (
            Question.objects.published()
            .for_essay(essay)
            .exclude(cards__student=student)
            .order_by()
        )
        if section is not None:
            unmade = unmade.filter(claim__section__order=section)
        annotations["n_unmade"] = _Count(unmade.values("pk"))
    return annotations


def left_today(
    limits: DeckSettings, *, new_today: int, reviews_today: int
) -> tuple[int, int]:
    """How many new cards and reviews the daily limits still allow today."""
    return (
        max(0, limits.new_cards_per_day - new_today),
        max(0, limits.reviews_per_day - reviews_today),
    )


def _next_due(row) -> datetime | None:
    """When the next studied card is due: a review card from its day's start."""
    dues = [row.next_learning_due]
    if row.next_review_due is not None:
        dues.append(scheduling.day_start(row.next_review_due))
    return min((due for due in dues if due is not None), default=None)


def _counts(row, limits: DeckSettings) -> tuple[QueueCounts, bool]:
    new_left, reviews_left = left_today(
        limits, new_today=row.n_new_today, reviews_today=row.n_reviews_today
    )
    new = row.n_new + getattr(row, "n_unmade", 0)
    counts = QueueCounts(
        new=min(new, new_left),
        learning=row.n_learning,
        due=min(row.n_review, reviews_left),
    )
    return counts, new > new_left


def next_card(
    *,
    student,
    essay: Essay,
    limits: DeckSettings,
    now: datetime,
    section: int | None = None,
    first: int | None = None,
) -> Queue:
    """The card to show now and the queue's counts, in one query.

    Anki's order: learning cards that are due, due reviews (up to the daily
    review limit), new cards (up to the daily new-card limit), then learning
    cards due within LEARN_AHEAD. `first` puts one card in front (after undo).

    The study page makes the deck's cards on its full page load, so questions
    without a card are not counted here (the deck page counts them). The
    work grows with the cards due now, not with the size of the deck.
    """
    annotations = _count_annotations(
        student=student,
        essay=essay,
        section=section,
        now=now,
        limits=limits,
        count_unmade=False,
    )
    due = due_filters(now)
    bucket = Case(
        When(pk=first or 0, then=Value(-1)),
        When(due["learning"], then=Value(0)),
        When(due["review"], then=Value(1)),
        When(due["new"], then=Value(2)),
        When(due["ahead"], then=Value(3)),
        default=Value(9),
    )
    pick = (
        _queue_cards(
            student=student, essay=essay, section=section, now=now, first=first
        )
        .alias(
            bucket=bucket,
            n_new_today=annotations["n_new_today"],
            n_reviews_today=annotations["n_reviews_today"],
        )
        .filter(
            Q(bucket__in=(-1, 0, 3))
            | Q(bucket=1, n_reviews_today__lt=limits.reviews_per_day)
            | Q(bucket=2, n_new_today__lt=limits.new_cards_per_day)
        )
        .order_by("bucket", "due", "pk")
        .values("pk")[:1]
    )
    # The card is picked in a subquery so that the counts and the pairs are
    # computed for it alone.
    card = (
        Card.objects.filter(pk=Subquery(pick))
        .select_related("question")
        .annotate(**annotations, front_pairs=_front_pairs())
        .order_by()
        .first()
    )
    if card is None:
        return queue_summary(
            student=student,
            essay=essay,
            limits=limits,
            now=now,
            section=section,
            count_unmade=False,
        )
    card.front_items = [left for _order, left in sorted(card.front_pairs or [])]
    counts, _new_waiting = _counts(card, limits)
    return Queue(card=card, counts=counts, next_due=_next_due(card))


def queue_summary(
    *,
    student,
    essay: Essay,
    limits: DeckSettings,
    now: datetime,
    section: int | None = None,
    count_unmade: bool = True,
) -> Queue:
    """The queue's counts and when the next card is due, without a card.

    `count_unmade` counts published questions the student has no card for
    yet as new cards (they are made when the deck is studied).
    """
    annotations = _count_annotations(
        student=student,
        essay=essay,
        section=section,
        now=now,
        limits=limits,
        count_unmade=count_unmade,
    )
    row = Essay.objects.filter(pk=essay.pk).annotate(**annotations).get()
    counts, new_waiting = _counts(row, limits)
    return Queue(
        card=None, counts=counts, next_due=_next_due(row), new_waiting=new_waiting
    )


def _front_pairs() -> Subquery:
    """A matching card's (order, left) items, to ride along the card's query."""
    return Subquery(
        MatchPair.objects.filter(question=OuterRef("question"))
        .order_by()
        .values("question")
        .annotate(items=_JSONList(JSONArray("order", "left")))
        .values("items")
    )


def cram_card(
    *, student, essay: Essay, position: int, section: int | None = None
) -> Card | None:
    """The card at `position` of a study-ahead run: every card, soonest due first."""
    card = (
        deck_cards(student=student, essay=essay, section=section)
        .filter(suspended=False)
        .select_related("question")
        .annotate(front_pairs=_front_pairs())
        .order_by("due", "pk")[position : position + 1]
        .first()
    )
    if card is not None:
        card.front_items = [left for _order, left in sorted(card.front_pairs or [])]
    return card


def study_queue(
    *,
    student,
    essay: Essay,
    now: datetime,
    section: int | None = None,
    cram: int | None = None,
    first: int | None = None,
) -> Queue:
    """What the study page shows: the next card by the schedule, or, when
    studying ahead (``cram`` is the position reached), the next card of a run
    through every card, soonest due first, with no counts."""
    if cram is not None:
        card = cram_card(student=student, essay=essay, section=section, position=cram)
        return Queue(card=card, counts=QueueCounts())
    return next_card(
        student=student,
        essay=essay,
        limits=DeckSettings.for_essay(essay),
        now=now,
        section=section,
        first=first,
    )
