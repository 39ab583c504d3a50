"""Flashcards: a student's cards made, rated (each rating is a Review, the
log FSRS learns from) and ratings undone; the cards of a flashcard goal
brought forward so that they reach its target recall on its due date
(``scheduling.goal_due``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from quizzes import scheduling
from quizzes.models import (
    Assignment,
    Card,
    CardsMade,
    Claim,
    DeckSettings,
    Enrolment,
    Essay,
    Question,
    Review,
)
from quizzes.models.cards import lock_essays
from quizzes.selectors import queue_sql, sql
from quizzes.services import stamps


class CardHeld(Exception):
    """The card is held back (selectors.queue.held_back): its back is a
    quiz's answer. Nothing is saved."""


def card_state(card: Card) -> scheduling.CardState:
    """A Card's scheduling columns as the plain data `scheduling` works on."""
    return scheduling.CardState(
        **{field: getattr(card, field) for field in _CARD_STATE_FIELDS}
    )


_CARD_STATE_FIELDS = tuple(scheduling.CardState.__dataclass_fields__)


@transaction.atomic
def deck_cards_create(*, student, essay: Essay, now: datetime) -> int:
    """Make the student's cards for the essay's published questions (idempotent).

    Returns how many cards were made. New cards are due at once (so no
    flashcard goal has a reason to bring them forward), and made in the
    essay's order: the queue shows new cards made together in the order
    they were made (selectors.queue.QUEUE_ORDER), and the deck page counts
    the questions without a card in this order too. The student's
    CardsMade row says so until a question is published (models.cards).
    """
    DeckSettings.objects.get_or_create(essay=essay)
    # A question published from now waits for these cards to be made, and
    # then voids the CardsMade row (models.cards.cards_made_void).
    lock_essays([essay.pk])
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
    CardsMade.objects.bulk_create(
        [CardsMade(student=student, essay=essay)], ignore_conflicts=True
    )
    stamps.students_changed([student.pk] if cards else [])
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
    Card.DoesNotExist for a card that is not the student's, and CardHeld for
    a card held back (an open quiz attempt, an exam not closed yet).
    """
    card, held = _card_locked(student=student, card_id=card_id, now=now)
    if held:
        raise CardHeld
    if studying_ahead or token != card.reps or card.suspended:
        return card, None
    before = card_state(card)
    limits = DeckSettings.for_essay(card.question.essay)
    scheduler = scheduling.build_scheduler(limits)
    outcome = scheduling.rate(
        scheduler,
        card.pk,
        before,
        rating=rating,
        now=now,
        duration_ms=duration_ms,
    )
    after = outcome.after
    if after.due > now + timedelta(days=1):
        # Sooner than that, the card comes before any goal's eve anyway.
        goals = _goals_of(student=student, question=card.question, now=now)
        after = replace(after, due=_goal_due(after, goals, now, scheduler))
    for field in _CARD_STATE_FIELDS:
        setattr(card, field, getattr(after, field))
    params = {f: sql.db_value(Card, f, getattr(after, f)) for f in _CARD_STATE_FIELDS}
    sql.execute(_CARD_UPDATE, params | {"card": card.pk})
    review = Review(
        card=card,
        rating=rating,
        reviewed_at=now,
        duration_ms=scheduling.clamp_duration(duration_ms),
        state_before=before.to_json(),
    )
    values = {f: sql.db_value(Review, f, getattr(review, f)) for f in _REVIEW_SAVED}
    (review.pk,) = sql.row(_REVIEW_INSERT, values | {"card": card.pk})
    review._state.adding, review._state.db = False, connection.alias
    stamps.student_changed(student.pk)
    return card, review


# A rating's writes and its locked read, as SQL: the ORM's compiling cost
# more than the database's work (see selectors.sql).
_CARD_UPDATE = "UPDATE quizzes_card SET {} WHERE id = %(card)s".format(
    ", ".join(
        f'"{Card._meta.get_field(f).column}" = %({f})s' for f in _CARD_STATE_FIELDS
    )
)
_REVIEW_SAVED = ("rating", "reviewed_at", "duration_ms", "state_before")
_REVIEW_INSERT = (
    "INSERT INTO quizzes_review (card_id, {}) VALUES (%(card)s, {}) RETURNING id"
).format(", ".join(_REVIEW_SAVED), ", ".join(f"%({f})s" for f in _REVIEW_SAVED))


@cache
def _card_locked_sql(vendor: str) -> str:
    """_card_locked's statement (`vendor` keys the cache: the lock differs)."""
    return f"""
WITH held(question_id) AS ({queue_sql.HELD})
SELECT {sql.columns(Card, "c")}, {sql.columns(Question, "q")},
    {queue_sql.essay_columns()},
    CASE WHEN c.question_id IN (SELECT question_id FROM held) THEN 1 ELSE 0 END
FROM quizzes_card c
JOIN quizzes_question q ON q.id = c.question_id
JOIN quizzes_essay e ON e.id = q.essay_id
LEFT JOIN quizzes_decksettings ds ON ds.essay_id = e.id
WHERE c.id = %(card)s AND c.student_id = %(student)s{sql.for_update("c")}"""


def _card_locked(*, student, card_id: int, now: datetime) -> tuple[Card, bool]:
    """The student's card, locked for the rating, with its question, essay
    and deck settings; and whether it is held back. Raises Card.DoesNotExist."""
    if not -(2**63) <= card_id < 2**63:
        raise Card.DoesNotExist  # a database integer is 64 bits
    statement = _card_locked_sql(sql.vendor())
    params = {"card": card_id, "student": student.pk, "now": sql.at(now)}
    found = sql.row(statement, params)
    if found is None:
        raise Card.DoesNotExist
    cards = len(Card._meta.concrete_fields)
    questions = cards + len(Question._meta.concrete_fields)
    card = sql.instance(Card, found[:cards])
    card.question = sql.instance(Question, found[cards:questions])
    card.question.essay = queue_sql.essay_with_settings(found[questions:-1])
    return card, bool(found[-1])


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
    stamps.student_changed(student.pk)
    return card, True


# --- Flashcard goals: the exam-date rule applied -------------------------------
#
# A goal covers its chosen claims, else its section, else its whole essay
# (Assignment.claims / section / essay). The two functions below say so from
# either side: the goals of one card, and the cards of one goal.


def _goals_of(*, student, question: Question, now: datetime) -> list[tuple]:
    """(due date, target recall) of the student's flashcard goals still ahead
    that cover the question; one query."""
    chosen = Assignment.claims.through.objects.filter(assignment=OuterRef("pk"))
    whole = ~Exists(chosen)
    if question.claim_id is None:
        covers = whole & Q(section__isnull=True)
    else:
        in_section = Exists(
            Claim.objects.filter(pk=question.claim_id, section=OuterRef("section"))
        )
        covers = (whole & (Q(section__isnull=True) | in_section)) | Exists(
            chosen.filter(claim=question.claim_id)
        )
    return list(
        Assignment.objects.for_student(student)
        .filter(covers, kind=Assignment.Kind.CARDS, essay=question.essay_id)
        .filter(due_at__gt=now, target_recall__isnull=False)
        .values_list("due_at", "target_recall")
    )


def _goal_due(state: scheduling.CardState, goals, now: datetime, scheduler):
    """The earliest date any of the goals asks of the card (FSRS's without one)."""
    return min(
        (
            scheduling.goal_due(
                state, goal_at=at, target=target, now=now, scheduler=scheduler
            )
            for at, target in goals
        ),
        default=state.due,
    )


@transaction.atomic
def goal_cards_schedule(*, assignment: Assignment, now: datetime) -> int:
    """Bring forward the studied cards of a flashcard goal, for each of its
    students, by ``scheduling.goal_due``; returns how many moved.

    Called when a goal is set: from then on each rating applies the rule
    (``card_rate``). Cards not made yet are new, and due at once when they
    are. Four queries and a bulk update, whatever the number of students.
    """
    if assignment.kind != Assignment.Kind.CARDS or assignment.due_at <= now:
        return 0
    students = Enrolment.objects.filter(classroom=assignment.classroom_id)
    named = list(assignment.students.values_list("pk", flat=True))
    if named:
        students = students.filter(student__in=named)
    cards = Card.objects.filter(
        student__in=students.values("student"),
        question__essay=assignment.essay_id,
        question__status=Question.Status.PUBLISHED,
        last_review__isnull=False,
        suspended=False,
        due__gt=assignment.due_at,
    )
    claims = list(assignment.claims.order_by().values_list("pk", flat=True))
    if claims:
        cards = cards.filter(question__claim__in=claims)
    elif assignment.section_id is not None:
        cards = cards.filter(question__claim__section=assignment.section_id)
    limits = DeckSettings.objects.filter(essay=assignment.essay_id).first()
    scheduler = scheduling.build_scheduler(
        limits or DeckSettings(essay_id=assignment.essay_id)
    )
    goal = [(assignment.due_at, assignment.target_recall)]
    moved = []
    for card in cards.select_for_update(of=("self",)).order_by("pk"):
        due = _goal_due(card_state(card), goal, now, scheduler)
        if due != card.due:
            card.due = due
            moved.append(card)
    Card.objects.bulk_update(moved, ["due"], batch_size=500)
    stamps.students_changed(card.student_id for card in moved)
    return len(moved)
