"""A teacher's changes to questions: edits recorded, statuses moved."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from quizzes.models import Question


@transaction.atomic
def question_record_edit(*, question: Question, previous_signature: tuple) -> bool:
    """After a teacher saved a question and its choices, answers and pairs: if
    what students see changed, bump ``version`` and mark it edited by a teacher
    (so a re-import never overwrites it). Returns whether it changed."""
    fresh = Question.objects.prefetch_related(
        "choices", "accepted_answers", "pairs"
    ).get(pk=question.pk)
    if fresh.content_signature() == previous_signature:
        return False
    Question.objects.filter(pk=question.pk).update(
        version=F("version") + 1, edited_by_teacher=True
    )
    question.refresh_from_db(fields=["version", "edited_by_teacher", "updated_at"])
    return True


@transaction.atomic
def questions_set_status(*, questions: Iterable[Question], status: str) -> int:
    """Publish, retire or return questions to draft; returns how many changed."""
    if status not in Question.Status.values:
        raise ValueError(f"Unknown question status: {status!r}")
    ids = [q.pk for q in questions]
    return (
        Question.objects.filter(pk__in=ids).exclude(status=status).update(status=status)
    )
