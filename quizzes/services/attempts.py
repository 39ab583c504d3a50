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
from django.db.models import Count, Subquery, Sum
from django.utils import timezone

from quizzes import grading
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.selectors.questions import question_parts, question_snapshot


class AttemptRefused(Exception):
    """What the quiz's rules do not allow; the message is for the student."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


def _attempt_close(attempt: Attempt, *, points: float, now: datetime, reason: str = ""):
    attempt.finished_at = now
    attempt.points = points
    attempt.score = 100 * points / attempt.max_points if attempt.max_points else 0
    attempt.closed_reason = reason
    attempt.save(update_fields=["finished_at", "points", "score", "closed_reason"])


def _points(attempt: Attempt) -> float:
    return attempt.responses.aggregate(total=Sum("score"))["total"] or 0


TIME_UP = "Time ran out: answers sent after the time limit were not counted."


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
    open_attempt = attempts.filter(finished_at__isnull=True).first()
    if open_attempt is not None:
        if not open_attempt.is_overdue(now):
            return open_attempt
        _attempt_close(
            open_attempt, points=_points(open_attempt), now=now, reason=TIME_UP
        )
    if quiz.attempts_allowed and attempts.count() >= quiz.attempts_allowed:
        raise AttemptRefused("You have used all your attempts at this quiz.")
    question_ids = list(_quiz_items(quiz).values_list("question_id", flat=True))
    if not question_ids:
        raise AttemptRefused("This quiz has no questions yet.")
    seed = secrets.randbelow(2**31)
    minutes = quiz.time_limit_minutes
    return Attempt.objects.create(
        quiz=quiz,
        student=student,
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
    now = now or timezone.now()
    if attempt.is_finished or not attempt.is_overdue(now):
        return False
    attempt_finish(attempt=attempt, now=now, reason=TIME_UP)
    return True


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
    attempt = (
        Attempt.objects.filter(student=student)
        .select_related("quiz__essay")
        .select_for_update(of=("self",))
        .get(pk=attempt_id)
    )
    # Before any query takes the id: one that no attempt holds, even one too
    # large for the database's integers, is simply not found.
    if question_id not in attempt.question_ids:
        raise Question.DoesNotExist("Not a question of this attempt.")
    return attempt


def _question_for_answer(*, attempt: Attempt, question_id: int) -> Question:
    """The question, annotated with how far the attempt got (answered,
    points_so_far) and any answer to it already stored (stored_response)."""
    # A statement of its own, after the lock: on PostgreSQL a statement that
    # waited for a lock still sees the rows as they were before it waited.
    responses = Response.objects.filter(attempt=attempt).order_by()
    return (
        Question.objects.select_related("claim__section")
        .annotate(
            answered=Subquery(
                responses.values("attempt").annotate(n=Count("pk")).values("n")
            ),
            points_so_far=Subquery(
                responses.values("attempt").annotate(total=Sum("score")).values("total")
            ),
            stored_response=Subquery(
                responses.filter(question_id=question_id).values("pk")[:1]
            ),
        )
        .get(pk=question_id)
    )


@transaction.atomic
def _attempt_answer(
    *, attempt_id: int, student, question_id: int, data, now: datetime
) -> Answered:
    attempt = _attempt_for_answer(
        attempt_id=attempt_id, student=student, question_id=question_id
    )
    question = _question_for_answer(attempt=attempt, question_id=question_id)
    if question.stored_response:
        response = Response.objects.get(pk=question.stored_response)
        return Answered(
            attempt=attempt, response=response, answered_count=question.answered
        )
    if attempt.is_finished:
        raise AttemptRefused("This attempt is finished: it takes no more answers.")
    points = question.points_so_far or 0
    if attempt.is_overdue(now):
        _attempt_close(attempt, points=points, now=now, reason=TIME_UP)
        return Answered(attempt=attempt, response=None)
    parts = question_parts(question)
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
    answered_count = (question.answered or 0) + 1
    if answered_count >= len(attempt.question_ids):
        _attempt_close(attempt, points=points + result.score, now=now)
    return Answered(
        attempt=attempt,
        response=response,
        answered_count=answered_count,
        created=True,
    )
