"""Students sitting quizzes: attempts started, answered, finished.

Every answer is graded on the server against a snapshot of the question as
it was shown, and stored once (one row per attempt and question), whatever
the retries.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from quizzes import grading
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.models.quizzes import ANSWER_GRACE
from quizzes.selectors import assignments as assignment_reads
from quizzes.selectors import attempts as attempt_reads
from quizzes.selectors.questions import question_snapshot
from quizzes.services import stamps


class AttemptRefused(Exception):
    """What the quiz's rules do not allow; the message is for the student."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuizNotOffered(Exception):
    """No class of the student's has the quiz, and it is not open practice:
    to them it does not exist (the view answers 404)."""


@dataclass(frozen=True)
class Answered:
    attempt: Attempt
    response: Response | None  # None when the answer came too late to count
    answered_count: int = 0
    created: bool = False


def _quiz_items(quiz: Quiz):
    return quiz.items.filter(question__status=Question.Status.PUBLISHED).order_by(
        "order", "id"
    )


_CLOSED_FIELDS = ["finished_at", "points", "score", "closed_reason"]


def _set_closed(attempt: Attempt, *, points: float, now: datetime, reason: str):
    attempt.finished_at = now
    attempt.points = points
    attempt.score = 100 * points / attempt.max_points if attempt.max_points else 0
    attempt.closed_reason = reason


def _attempt_close(attempt: Attempt, *, points: float, now: datetime, reason: str = ""):
    _set_closed(attempt, points=points, now=now, reason=reason)
    attempt.save(update_fields=_CLOSED_FIELDS)
    stamps.student_changed(attempt.student_id)


def _points(attempt: Attempt) -> float:
    return attempt.responses.aggregate(total=Sum("score"))["total"] or 0


TIME_UP = "Time ran out: answers sent after the time limit were not counted."
# Moodle's way: an attempt keeps the questions it started with (a question
# retired since is still answered and scored in it), but a quiz its teacher
# unpublishes takes no more answers: its open attempts close as they are.
WITHDRAWN = "Your teacher closed this quiz: your answers so far are scored."


def hard_close_reason(closes_at: datetime) -> str:
    return (
        f"The assignment closed {assignment_reads.when(closes_at)}: "
        "answers sent after it were not counted."
    )


def _overrun(attempt: Attempt, now: datetime) -> tuple[str, datetime] | None:
    """Why and when an open attempt ended, if it is over: its time limit or
    its assignment's hard close for the student, whichever comes first, each
    with the answers' grace. The moment is its end, not ``now`` (when the
    server noticed), so that lateness is judged on when the work stopped."""
    if not attempt.quiz.is_published:
        return WITHDRAWN, now
    ends = []
    if attempt.deadline is not None:
        ends.append((attempt.deadline, TIME_UP))
    _due, closes_at = attempt.student_dates
    if closes_at is not None:
        ends.append((closes_at, hard_close_reason(closes_at)))
    if not ends:
        return None
    end, reason = min(ends, key=lambda pair: pair[0])
    if now <= end + ANSWER_GRACE:
        return None
    return reason, end + ANSWER_GRACE


def _open_attempts(**filters):
    """Open attempts with their quiz and their assignment's dates for their
    student."""
    return assignment_reads.with_student_dates(
        Attempt.objects.filter(finished_at__isnull=True, **filters)
    ).select_related("quiz")


def attempt_start(*, quiz: Quiz, student, now: datetime | None = None) -> Attempt:
    """The student's open attempt at the quiz, or a new one."""
    now = now or timezone.now()
    try:
        return _attempt_start(quiz=quiz, student=student, now=now)
    except IntegrityError:
        # A doubled click opened the attempt a moment ago: resume that one.
        return Attempt.objects.get(
            quiz=quiz, student=student, finished_at__isnull=True, is_practice=False
        )


@transaction.atomic
def _attempt_start(*, quiz: Quiz, student, now: datetime) -> Attempt:
    attempts = Attempt.objects.filter(quiz=quiz, student=student, is_practice=False)
    # An attempt once started stays the student's to finish, even if the
    # quiz is no longer theirs to start; unless its time is up.
    open_attempt = _open_attempts(pk__in=attempts.values("pk")).first()
    if open_attempt is not None:
        overrun = _overrun(open_attempt, now)
        if overrun is None:
            return open_attempt
        reason, ended = overrun
        _attempt_close(
            open_attempt, points=_points(open_attempt), now=ended, reason=reason
        )
    terms = assignment_reads.quiz_terms(student=student, quiz=quiz, now=now)
    if not terms.offered:
        raise QuizNotOffered(quiz.pk)
    if terms.refusal:
        raise AttemptRefused(terms.refusal)
    allowed = quiz.attempts_allowed and quiz.attempts_allowed + terms.extra_attempts
    if allowed and attempts.count() >= allowed:
        raise AttemptRefused("You have used all your attempts at this quiz.")
    question_ids = list(_quiz_items(quiz).values_list("question_id", flat=True))
    if not question_ids:
        raise AttemptRefused("This quiz has no questions yet.")
    seed = secrets.randbelow(2**31)
    minutes = quiz.time_limit_minutes and quiz.time_limit_minutes + terms.extra_minutes
    stamps.student_changed(student.pk)
    return Attempt.objects.create(
        quiz=quiz,
        student=student,
        assignment=terms.assignment,
        seed=seed,
        question_ids=grading.question_order(
            question_ids, seed=seed, shuffle=quiz.shuffle_questions
        ),
        started_at=now,
        deadline=now + timedelta(minutes=minutes) if minutes else None,
        max_points=len(question_ids),
    )


@transaction.atomic
def practice_start(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """A practice run over the questions the student missed; it never counts."""
    if attempt.quiz.reveal == Quiz.Reveal.NEVER:
        # Runs without end would show, question by question, what is right.
        raise AttemptRefused(
            "Your teacher keeps the answers to this quiz hidden, "
            "so it has no practice runs."
        )
    if not attempt.is_finished:
        raise AttemptRefused("Finish this attempt before practising.")
    scores = dict(attempt.responses.values_list("question_id", "score"))
    missed = [pk for pk in attempt.question_ids if scores.get(pk, 0) < 1]
    if not missed:
        raise AttemptRefused("You missed nothing: there is nothing to practise.")
    return Attempt.objects.create(
        quiz=attempt.quiz,
        student=attempt.student,
        is_practice=True,
        practice_of=attempt,
        seed=secrets.randbelow(2**31),
        question_ids=missed,
        started_at=now or timezone.now(),
        max_points=len(missed),
    )


@transaction.atomic
def attempt_finish(
    *, attempt: Attempt, now: datetime | None = None, reason: str = ""
) -> Attempt:
    """Close the attempt; unanswered questions score nothing."""
    if not attempt.is_finished:
        _attempt_close(
            attempt, points=_points(attempt), now=now or timezone.now(), reason=reason
        )
    return attempt


def attempt_close_if_overdue(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """Close the attempt if its time limit or its assignment's hard close
    has passed; say whether it closed. (Read the attempt with
    selectors.assignments.with_student_dates to save a query.)"""
    now = now or timezone.now()
    overrun = None if attempt.is_finished else _overrun(attempt, now)
    if overrun is None:
        return False
    reason, ended = overrun
    attempt_finish(attempt=attempt, now=ended, reason=reason)
    return True


def attempts_close_overdue(
    *, students, now: datetime | None = None, candidates=None
) -> int:
    """Close every open attempt of these students whose time limit or hard
    close has passed, before a page lists their attempts: one query when
    none has (no transaction; none when the caller passes their attempts as
    ``candidates``, read by selectors.assignments.attempts_of), a few more
    when some have, whatever the number. Returns how many closed."""
    now = now or timezone.now()
    if candidates is None:
        candidates = _open_attempts(student__in=students)
    candidates = [a for a in candidates if not a.is_finished]
    if not any(_overrun(attempt, now) for attempt in candidates):
        return 0
    return _attempts_close_overdue(students=students, now=now)


@transaction.atomic
def _attempts_close_overdue(*, students, now: datetime) -> int:
    # Again under the lock: an answer may have closed one meanwhile.
    candidates = _open_attempts(student__in=students).select_for_update(of=("self",))
    over = [(a, o) for a in candidates if (o := _overrun(a, now)) is not None]
    if not over:
        return 0
    totals = dict(
        Response.objects.filter(attempt__in=[a for a, _ in over])
        .values("attempt")
        .annotate(total=Sum("score"))
        .values_list("attempt", "total")
    )
    for attempt, (reason, ended) in over:
        points = totals.get(attempt.pk) or 0
        _set_closed(attempt, points=points, now=ended, reason=reason)
    Attempt.objects.bulk_update([a for a, _ in over], _CLOSED_FIELDS)
    stamps.students_changed(a.student_id for a, _ in over)
    return len(over)


def attempt_answer(
    *, attempt_id: int, student, question_id: int, data, now: datetime | None = None
) -> Answered:
    """Grade and store one answer; a repeated answer returns the stored one.

    Raises Attempt.DoesNotExist (not this student's attempt),
    Question.DoesNotExist (not a question of the attempt), AttemptRefused
    (the attempt is finished) or grading.InvalidAnswer; nothing is stored then.
    """
    now = now or timezone.now()
    try:
        return _attempt_answer(
            attempt_id=attempt_id,
            student=student,
            question_id=question_id,
            data=data,
            now=now,
        )
    except IntegrityError:
        # A doubled request stored this answer between our check and our
        # insert (one row per attempt and question): that answer stands.
        response = Response.objects.select_related("attempt__quiz").get(
            attempt_id=attempt_id, attempt__student=student, question_id=question_id
        )
        attempt = response.attempt
        return Answered(
            attempt=attempt,
            response=response,
            answered_count=attempt.responses.count(),
        )


def _attempt_for_answer(*, attempt_id: int, student, question_id: int) -> Attempt:
    # Locks the attempt's row (not its quiz's: other students answer on) until
    # the answer is stored. Two answers to one attempt queue here, so the
    # second one counts the first and closes the attempt after the last
    # question. SQLite has no row locks; its IMMEDIATE transactions queue too.
    attempt = attempt_reads.own_attempt(attempt_id, student, essay=True, lock=True)
    if attempt is None:
        raise Attempt.DoesNotExist("Not an attempt of this student's.")
    # Before any query takes the id: one that no attempt holds, even one too
    # large for the database's integers, is simply not found.
    if question_id not in attempt.question_ids:
        raise Question.DoesNotExist("Not a question of this attempt.")
    return attempt


@transaction.atomic
def _attempt_answer(
    *, attempt_id: int, student, question_id: int, data, now: datetime
) -> Answered:
    attempt = _attempt_for_answer(
        attempt_id=attempt_id, student=student, question_id=question_id
    )
    # A statement of its own, after the lock: on PostgreSQL a statement that
    # waited for a lock still sees the rows as they were before it waited.
    question, parts, so_far = attempt_reads.question_for_answer(
        attempt, question_id=question_id
    )
    if so_far.stored is not None:
        response = Response.objects.get(pk=so_far.stored)
        response.attempt = attempt
        return Answered(
            attempt=attempt, response=response, answered_count=so_far.answered
        )
    if attempt.is_finished:
        raise AttemptRefused("This attempt is finished: it takes no more answers.")
    points = so_far.points
    overrun = _overrun(attempt, now)
    if overrun is not None:
        reason, ended = overrun
        _attempt_close(attempt, points=points, now=ended, reason=reason)
        return Answered(attempt=attempt, response=None)
    snapshot = question_snapshot(
        question,
        parts,
        seed=attempt.seed,
        shuffle_choices=attempt.quiz.shuffle_choices,
        essay=attempt.quiz.essay,
    )
    answer = grading.parse_answer(snapshot, data)
    result = grading.grade(snapshot, answer)
    response = Response.objects.create(
        attempt=attempt,
        question=question,
        snapshot=snapshot,
        answer=answer,
        score=result.score,
        is_correct=result.is_correct,
        answered_at=now,
    )
    answered_count = so_far.answered + 1
    if answered_count >= len(attempt.question_ids):
        _attempt_close(attempt, points=points + result.score, now=now)
    return Answered(
        attempt=attempt,
        response=response,
        answered_count=answered_count,
        created=True,
    )
