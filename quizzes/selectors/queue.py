"""The flashcard queue: which card to show next, and how many are left today.

One definition of each count, used by the study page, the deck page (its
header and its section table), the deck list and the statistics:

- **new**: cards never rated, as far as the deck's new-card limit still
  reaches today, taken in queue order (``QUEUE_ORDER``). Questions published
  since the deck was last studied count after them, in the order their cards
  will be made (``services.cards.deck_cards_create``).
- **learning**: learning and relearning cards due by now + LEARN_AHEAD. The
  study page shows those due later in that window once nothing else is left
  (Anki's learn-ahead), so they are counted from the start.
- **due**: review cards due before the end of the day (UTC), as far as the
  deck's review limit still reaches today, taken in queue order.

Suspended cards are in none of them, nor are buried siblings (see
``sibling_burial``). The daily limits belong to the deck, so today's new and
due cards are picked for the whole deck; a section's counts, and studying
a section, are the part of them that falls in it. The section table
therefore adds up to the deck's header.

The statistics' forecast counts on "today" what the study page still shows
today (see ``forecast_today``).

Every function runs a fixed number of queries, whatever the number of cards.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db.models import (
    Aggregate,
    Exists,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONArray
from django.utils import timezone

from quizzes import scheduling
from quizzes.models import (
    Assignment,
    Attempt,
    Card,
    DeckSettings,
    Essay,
    MatchPair,
    Question,
    QuizQuestion,
    Review,
)
from quizzes.selectors import queue_sql, sql

# Like Anki's "learn ahead limit": when nothing else is left, learning cards
# due within this time are shown rather than ending the session early.
LEARN_AHEAD = timedelta(minutes=20)
# Within a kind, the queue shows the card due first; cards made together
# (due at the same moment) in the order they were made, the essay's.
QUEUE_ORDER = ("due", "pk")
LEARNING_STATES = (Card.State.LEARNING, Card.State.RELEARNING)


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

    def __add__(self, other: "QueueCounts") -> "QueueCounts":
        return QueueCounts(
            new=self.new + other.new,
            learning=self.learning + other.learning,
            due=self.due + other.due,
        )


@dataclass(frozen=True)
class DayLeft:
    """What a deck's daily limits leave for the rest of the day."""

    new: int
    reviews: int


@dataclass(frozen=True)
class Queue:
    card: Card | None
    counts: QueueCounts
    next_due: datetime | None = None
    new_waiting: bool = False  # held back by the new-card limit
    reviews_waiting: bool = False  # held back by the review limit
    buried: int = 0  # cards of claims studied today, waiting for tomorrow
    undo: Review | None = None  # the rating Ctrl+Z takes back (last_rating)


@dataclass(frozen=True)
class Today:
    """The deck's new cards and reviews for the rest of today (pk querysets
    in queue order, None when the limit is spent)."""

    new: QuerySet | None
    reviews: QuerySet | None


def held_back(student, path: str = "question", now: datetime | None = None) -> Q:
    """The questions whose cards wait (a card's back is a quiz's answer):
    those of quizzes the student has an open graded attempt at, until it is
    finished, and those of exam-only quizzes assigned to them, until the
    assignment closes. Two subqueries, whatever the number of attempts."""
    open_quizzes = Attempt.objects.filter(
        student=student, finished_at__isnull=True, is_practice=False
    ).values("quiz")
    exams = (
        Assignment.objects.for_student(student)
        .filter(quiz__exam_only=True)
        .annotate(ends=Coalesce("closes_at", "due_at"))
        .filter(ends__gt=now or timezone.now())
        .values("quiz")
    )
    held = QuizQuestion.objects.filter(Q(quiz__in=open_quizzes) | Q(quiz__in=exams))
    return Q(**{f"{path}__in": held.values("question")})


def deck_cards(*, student, essay: Essay, section: int | None = None) -> QuerySet:
    """A student's cards of published questions of one essay (or one section),
    but for those held back by an open quiz attempt."""
    cards = Card.objects.filter(
        student=student,
        question__essay=essay,
        question__status=Question.Status.PUBLISHED,
    ).exclude(held_back(student))
    if section is not None:
        cards = cards.filter(question__claim__section__order=section)
    return cards


def deck_essays() -> list[Essay]:
    """The essays with published questions: the decks, by title, each with
    its settings (their bodies left unread: queue_sql.ESSAY_WITHOUT)."""
    statement = f"""
SELECT {queue_sql.essay_columns()} FROM quizzes_essay e
LEFT JOIN quizzes_decksettings ds ON ds.essay_id = e.id
WHERE EXISTS (
    SELECT 1 FROM quizzes_question q
    WHERE q.essay_id = e.id AND q.status = '{queue_sql.PUBLISHED}')
ORDER BY e.title, e.id"""
    return [queue_sql.essay_with_settings(found) for found in sql.fetch(statement, {})]


def day_left(*, student, limits: list[DeckSettings], now: datetime) -> dict:
    """Per essay (by pk), what its daily limits leave today: a new card rated
    for the first time today spends one new card, a rating of a card in
    review state one review. One query, whatever the number of decks."""
    params = {"student": student.pk, "day_start": sql.at(scheduling.day_start(now))}
    params |= {f"essay_{n}": deck.essay_id for n, deck in enumerate(limits)}
    done = {}
    if limits:
        statement = queue_sql.day_done_sql(len(limits))
        found = sql.fetch(statement, params)
        done = {essay: (new, reviews) for essay, new, reviews in found}
    left = {}
    for deck in limits:
        new, reviews = done.get(deck.essay_id, (0, 0))
        left[deck.essay_id] = DayLeft(
            new=max(0, deck.new_cards_per_day - new),
            reviews=max(0, deck.reviews_per_day - reviews),
        )
    return left


def sibling_burial(
    *, student, now: datetime, path: str = "question__", decks_off=()
) -> Q:
    """Anki's "bury siblings": the cards of a claim that had a card rated today.

    Their new and review cards wait until tomorrow, so that one card of a
    sentence does not give the next away; learning cards keep their steps
    of minutes, as in Anki. A rated card never buries itself: it is learning
    now, or a review card due on a later day. Undoing a rating puts the
    card's last_review back, and so unburies its siblings.

    The claims come from today's cards alone, through the (student,
    last_review) index; `path` leads from the filtered model to the
    question, and `decks_off` are essays whose settings turn burying off.
    """
    claims = Card.objects.filter(
        student=student,
        last_review__gte=scheduling.day_start(now),
        question__claim__isnull=False,
    ).values("question__claim")
    buried = Q(**{f"{path}claim__in": claims})
    if decks_off:
        buried &= ~Q(**{f"{path}essay__in": decks_off})
    return buried


def due_filters(now: datetime, *, buried: Q | None = None) -> dict[str, Q]:
    """Which cards are in each count now (suspended ones aside).

    Like Anki, a review card is due all day on its due date (from midnight
    UTC); learning and relearning cards are due at their exact time.
    `learning_now` are the learning cards due already, shown first.
    """
    learning = Q(last_review__isnull=False, state__in=LEARNING_STATES)
    waiting = Q() if buried is None else ~buried
    return {
        "learning": learning & Q(due__lte=now + LEARN_AHEAD),
        "learning_now": learning & Q(due__lte=now),
        "review": Q(state=Card.State.REVIEW, due__lt=scheduling.day_end(now)) & waiting,
        "new": Q(last_review__isnull=True) & waiting,
    }


def deck_burial(*, student, now: datetime, limits: DeckSettings) -> Q | None:
    """The deck's buried siblings, or None when its settings turn burying off."""
    if not limits.bury_siblings:
        return None
    return sibling_burial(student=student, now=now)


def _queue_cards(
    *, student, essay: Essay, section: int | None, now: datetime
) -> QuerySet:
    """The active cards the queue may show now.

    All are due by the later of now + LEARN_AHEAD and the end of the day:
    learning and review cards by the rules of due_filters, new cards because
    they are made due at once (see services.deck_cards_create). Saying so, as
    one range, lets the (student, due) index read just these cards rather
    than the whole deck; the cards in range but not due yet (learning cards
    due later today) fall in no count.
    """
    reach = Q(due__lte=max(now + LEARN_AHEAD, scheduling.day_end(now)))
    return (
        deck_cards(student=student, essay=essay, section=section)
        .filter(reach, suspended=False)
        .order_by()
    )


def today_cards(
    *, student, essay: Essay, now: datetime, left: DayLeft, buried: Q | None
) -> Today:
    """The deck's first new cards and due reviews, as many as the limits leave."""
    cards = _queue_cards(student=student, essay=essay, section=None, now=now)
    due = due_filters(now, buried=buried)

    def first(kind: str, n: int) -> QuerySet | None:
        if n <= 0:
            return None
        return cards.filter(due[kind]).order_by(*QUEUE_ORDER).values("pk")[:n]

    return Today(new=first("new", left.new), reviews=first("review", left.reviews))


def next_due(
    *,
    learning: datetime | None,
    review: datetime | None,
    tomorrow: bool,
    now: datetime,
) -> datetime | None:
    """When the queue next has a card: a learning card at its time, a review
    card from its day's start, and cards held back today (by a limit, or
    buried) from midnight."""
    dues = [learning]
    if review is not None:
        dues.append(scheduling.day_start(review))
    if tomorrow:
        dues.append(scheduling.day_end(now))
    return min((due for due in dues if due is not None), default=None)


def next_card(
    *,
    student,
    essay: Essay,
    now: datetime,
    limits: DeckSettings | None = None,
    section: int | None = None,
    first: int | None = None,
) -> Queue:
    """The card to show now, the queue's counts and the rating Ctrl+Z takes
    back (`undo`, see last_rating), in one query (queue_sql.next_card_sql).

    Anki's order: learning cards that are due, due reviews (up to the daily
    review limit), new cards (up to the daily new-card limit), then learning
    cards due within LEARN_AHEAD. `first` puts that card in front when it is
    in the queue at all (the card an undo restored), so the counts always
    include the card shown.

    The study page makes the deck's cards on its full page load, so questions
    without a card are not counted here (the deck page counts them). The
    work grows with the cards due now (up to the daily limits), not with the
    size of the deck.
    """
    limits = limits or DeckSettings.for_essay(essay)
    statement = queue_sql.next_card_sql(
        sql.vendor(),
        section=section is not None,
        first=first is not None,
        bury=limits.bury_siblings,
    )
    found = sql.row(statement, _params(student, essay, now, section, first, limits))
    n_new, n_learning, n_review = found[:3]
    undo = None
    if found[3] is not None:
        undo = sql.instance(Review, found[3:7], without=_UNDO_WITHOUT)
    card_values = found[7 : 7 + len(_CARD_FIELDS)]
    if card_values[0] is None:
        # Nothing to show means every count is 0: only when to come back.
        buried = deck_burial(student=student, now=now, limits=limits)
        done = _all_done(
            student=student, essay=essay, now=now, section=section, buried=buried
        )
        return replace(done, undo=undo)
    card = sql.instance(Card, card_values)
    card.question = sql.instance(Question, found[7 + len(_CARD_FIELDS) : -1])
    pairs = sql.json_value(found[-1]) or []
    card.front_items = [item for _order, item in sorted(pairs)]
    counts = QueueCounts(new=n_new, learning=n_learning, due=n_review)
    return Queue(card=card, counts=counts, undo=undo)


_CARD_FIELDS = Card._meta.concrete_fields


def _params(student, essay, now, section, first, limits: DeckSettings) -> dict:
    ahead = now + LEARN_AHEAD
    end = scheduling.day_end(now)
    return {
        "student": student.pk,
        "essay": essay.pk,
        "section": section,
        "first": first,
        "now": sql.at(now),
        "ahead": sql.at(ahead),
        "day_start": sql.at(scheduling.day_start(now)),
        "day_end": sql.at(end),
        "reach": sql.at(max(ahead, end)),
        "new_per_day": limits.new_cards_per_day,
        "reviews_per_day": limits.reviews_per_day,
    }


def _all_done(
    *, student, essay: Essay, now: datetime, section: int | None, buried: Q | None
) -> Queue:
    """The empty queue: when its next card is due, and what waits for tomorrow.

    Every card due today is held back by then (by a daily limit, by burying,
    or, in a section, because today's share of the deck is in other
    sections), so the next review card to count is one due from tomorrow.
    """
    cards = deck_cards(student=student, essay=essay, section=section).filter(
        suspended=False
    )
    due = due_filters(now, buried=buried)
    tomorrow = scheduling.day_end(now)
    held = due_filters(now)
    annotations = {
        "next_learning": Subquery(
            cards.filter(last_review__isnull=False, state__in=LEARNING_STATES)
            .order_by("due")
            .values("due")[:1]
        ),
        "next_review": Subquery(
            cards.filter(state=Card.State.REVIEW, due__gte=tomorrow)
            .order_by("due")
            .values("due")[:1]
        ),
        "held": Exists(cards.filter(held["new"] | held["review"])),
        "new_waiting": Exists(cards.filter(due["new"])),
        "reviews_waiting": Exists(cards.filter(due["review"])),
        "n_buried": Value(0),
    }
    if buried is not None:
        annotations["n_buried"] = _Count(
            cards.filter(buried & (held["new"] | held["review"])).values("pk")
        )
    row = Essay.objects.filter(pk=essay.pk).annotate(**annotations).get()
    return Queue(
        card=None,
        counts=QueueCounts(),
        next_due=next_due(
            learning=row.next_learning,
            review=row.next_review,
            tomorrow=row.held,
            now=now,
        ),
        new_waiting=row.new_waiting,
        reviews_waiting=row.reviews_waiting,
        buried=row.n_buried,
    )


def deck_counts(*, student, essays: list[Essay], now: datetime) -> dict:
    """Each deck's counts (by essay pk), for the deck list and the statistics.

    Three queries whatever the number of decks: today's ratings, the cards
    grouped by deck, and the questions without a card yet (as many as the
    new-card limit still reaches).
    """
    limits = [DeckSettings.for_essay(essay) for essay in essays]
    left = day_left(student=student, limits=limits, now=now)
    off = [deck.essay_id for deck in limits if not deck.bury_siblings]
    rows = []
    if essays:
        params = {"student": student.pk, "now": sql.at(now)}
        params["day_start"] = sql.at(scheduling.day_start(now))
        params["day_end"] = sql.at(scheduling.day_end(now))
        params["ahead"] = sql.at(now + LEARN_AHEAD)
        params |= {f"essay_{n}": essay.pk for n, essay in enumerate(essays)}
        params |= {f"off_{n}": pk for n, pk in enumerate(off)}
        bury = len(off) < len(essays)
        statement = queue_sql.deck_rows_sql(len(essays), len(off), bury)
        rows = sql.fetch(statement, params)
    by_essay = {essay: (new, learning, due) for essay, new, learning, due in rows}
    unmade = _unmade(student, essays, now, by_essay, left, off)
    counts = {}
    for essay in essays:
        new, learning, reviews = by_essay.get(essay.pk, (0, 0, 0))
        counts[essay.pk] = QueueCounts(
            new=min(new + unmade[essay.pk], left[essay.pk].new),
            learning=learning,
            due=min(reviews, left[essay.pk].reviews),
        )
    return counts


def _unmade(student, essays, now, by_essay, left, off) -> dict:
    """Per deck, its questions without a card yet, as far as the new-card
    limit still reaches past its new cards (queue_sql.unmade_sql)."""
    if not essays:
        return {}
    params = {"student": student.pk, "now": sql.at(now)}
    params["day_start"] = sql.at(scheduling.day_start(now))
    for n, essay in enumerate(essays):
        new = by_essay.get(essay.pk, (0, 0, 0))[0]
        params |= {f"essay_{n}": essay.pk, f"cap_{n}": max(0, left[essay.pk].new - new)}
    statement = queue_sql.unmade_sql(tuple(essay.pk not in off for essay in essays))
    return dict(
        zip([essay.pk for essay in essays], sql.row(statement, params), strict=True)
    )


def unmade_questions(*, student, essays, now: datetime, decks_off=()) -> QuerySet:
    """Published questions the student has no card for yet, but for those
    of claims studied today (their cards will be buried siblings), in the
    order their cards will be made."""
    return (
        Question.objects.published()
        .filter(essay__in=essays)
        .exclude(cards__student=student)
        .exclude(held_back(student, path="pk"))
        .exclude(sibling_burial(student=student, now=now, path="", decks_off=decks_off))
        .in_essay_order()
    )


def forecast_today(
    *, counts: QueueCounts, due_today: int, later_today: int
) -> tuple[int, int]:
    """What the forecast's "today" holds, and what it moves to tomorrow.

    Today is what the study page still shows today, new cards aside: the
    learning and due counts (the deck list's), and the learning cards due
    later today. Review cards due today (or overdue) beyond those, held back
    by the daily limit or buried, come tomorrow at the earliest. `due_today`
    is every review card due today, `later_today` the learning cards due
    after the learn-ahead window and before midnight.
    """
    return counts.learning + counts.due + later_today, due_today - counts.due


def forecast_days(now: datetime, days: int) -> list[date]:
    today = scheduling.day_start(now).date()
    return [today + timedelta(days=i) for i in range(days)]


def last_rating(*, student, essay: Essay, now: datetime) -> Review | None:
    """The rating Ctrl+Z takes back: the student's latest rating in this deck
    today that is still its card's latest, so undoing it restores the card.

    Once it is undone, the rating before it is the latest in turn, and so on
    back through the day's ratings, one card at a time, as Anki's undo goes.
    """
    params = {
        "student": student.pk,
        "essay": essay.pk,
        "day_start": sql.at(scheduling.day_start(now)),
    }
    found = sql.row(queue_sql.LAST_RATING, params)
    if found is None:
        return None
    return sql.instance(Review, found, without=_UNDO_WITHOUT)


_UNDO_WITHOUT = sql.only(Review, "card", "rating", "reviewed_at")


def card_held(*, student, card_id: int, now: datetime) -> bool:
    """Whether the student's card is held back (see held_back)."""
    if not -(2**63) <= card_id < 2**63:
        return False  # no such card (a database integer is 64 bits)
    params = {"student": student.pk, "card": card_id, "now": sql.at(now)}
    return sql.row(queue_sql.CARD_HELD, params) is not None


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
        .order_by(*QUEUE_ORDER)[position : position + 1]
        .first()
    )
    if card is not None:
        card.front_items = [item for _order, item in sorted(card.front_pairs or [])]
    return card


def study_queue(
    *, student, essay: Essay, now: datetime, section=None, cram=None, first=None
) -> Queue:
    """What the study page shows: the next card by the schedule, or, when
    studying ahead (``cram`` is the position reached), the next card of a run
    through every card, soonest due first, with no counts."""
    if cram is not None:
        card = cram_card(student=student, essay=essay, section=section, position=cram)
        return Queue(card=card, counts=QueueCounts())
    return next_card(
        student=student, essay=essay, now=now, section=section, first=first
    )
