"""What a teacher changes from the gradebook: a response's score (logged,
with a comment the student sees) and one student's extension on an
assignment (more attempts, more minutes, a later due date)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum

from quizzes.models import Assignment, Attempt, Extension, Response, ScoreOverride
from quizzes.services import stamps


class GradebookRefused(Exception):
    """What the gradebook's rules do not allow; the message is for the teacher."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def response_override(
    *, response: Response, teacher, score: float, comment: str, now: datetime
) -> Attempt:
    """Set the response's score (0 to 1) and comment, log the change, and
    recompute its attempt's points and score. Returns the attempt."""
    if not 0 <= score <= 1:
        raise GradebookRefused("A score is between 0 and 100 %.")
    # The attempt's row is locked first, as attempt_answer locks it: an
    # answer still coming in and this change queue, so the total adds both.
    attempt = Attempt.objects.select_for_update(of=("self",)).get(
        pk=response.attempt_id
    )
    response = Response.objects.get(pk=response.pk)
    ScoreOverride.objects.create(
        response=response,
        teacher=teacher,
        score_before=response.score,
        score_after=score,
        comment=comment,
        created_at=now,
    )
    response.score = score
    response.is_correct = score == 1
    response.comment = comment
    response.save(update_fields=["score", "is_correct", "comment"])
    attempt.points = attempt.responses.aggregate(total=Sum("score"))["total"] or 0
    if attempt.is_finished:
        # Only a finished attempt has a score; an open one gets it on finishing.
        attempt.score = (
            100 * attempt.points / attempt.max_points if attempt.max_points else 0
        )
    attempt.save(update_fields=["points", "score"])
    stamps.student_changed(attempt.student_id)
    return attempt


@transaction.atomic
def extension_grant(
    *,
    assignment: Assignment,
    student,
    teacher,
    extra_attempts: int,
    extra_minutes: int,
    due_at: datetime | None,
) -> Extension:
    """The student's extension on the assignment, replacing any earlier one
    (the teacher's form shows the current values)."""
    if extra_attempts < 0 or extra_minutes < 0:
        raise GradebookRefused("Extra attempts and minutes cannot be negative.")
    if due_at is not None and due_at <= assignment.due_at:
        raise GradebookRefused(
            "The new due date must be later than the assignment's "
            f"({assignment.due_at:%d %b %Y %H:%M} UTC)."
        )
    extension, _created = Extension.objects.update_or_create(
        assignment=assignment,
        student=student,
        defaults={
            "extra_attempts": extra_attempts,
            "extra_minutes": extra_minutes,
            "due_at": due_at,
            "granted_by": teacher,
        },
    )
    stamps.class_changed(assignment.classroom_id)
    return extension
