"""Reads for the student's home page: the quizzes they may sit, with their
own figures, and the essays with their sections. (Their assignments:
selectors.assignments.home_assignments.)"""

from datetime import datetime

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from quizzes.models import Attempt, Essay, Question, Quiz, QuizQuestion, Section
from quizzes.selectors import assignments as assignment_reads


def essays_with_sections(user=None) -> QuerySet:
    """Essays with their sections (prefetched) and published question count:
    for a visitor or a student only those with published questions (an
    essay of drafts is a teacher's work in progress), for a teacher all."""
    essays = Essay.objects.annotate(
        published_count=Count(
            "questions", filter=Q(questions__status=Question.Status.PUBLISHED)
        )
    ).prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("order")))
    if user is None or not user.is_staff:
        essays = essays.filter(published_count__gt=0)
    return essays


def _count(queryset, field: str):
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def quizzes_for(student, *, now: datetime, every_quiz: bool = False) -> QuerySet:
    """The published quizzes the student may take now (assigned to a class
    of theirs and open, or open practice; ``every_quiz`` for a teacher's
    previews), each with the student's attempts used and allowed, best
    score, open attempt and last result: one query, whatever the number."""
    quizzes = Quiz.objects.published()
    if not every_quiz:
        quizzes = quizzes.filter(assignment_reads.offered_quizzes(student, now))
    extra = assignment_reads.current_extra_attempts(student, now)
    own = Attempt.objects.filter(
        quiz=OuterRef("pk"), student=student, is_practice=False
    )
    items = QuizQuestion.objects.filter(
        quiz=OuterRef("pk"), question__status=Question.Status.PUBLISHED
    )
    finished = own.filter(finished_at__isnull=False)
    return quizzes.select_related("essay").annotate(
        attempts_allowed_now=Case(
            When(attempts_allowed=0, then=Value(0)),
            default=F("attempts_allowed") + extra,
        ),
        question_count=_count(items, "quiz"),
        attempts_used=_count(own, "quiz"),
        best_score=Subquery(finished.order_by("-score").values("score")[:1]),
        open_attempt=Subquery(own.filter(finished_at__isnull=True).values("pk")[:1]),
        last_result=Subquery(finished.order_by("-finished_at").values("pk")[:1]),
    )
