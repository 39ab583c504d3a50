"""A teacher's changes from the gradebook: a response's score overridden
(logged, the attempt's total recomputed) and a student's extension."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from quizzes.models import Attempt, Extension, ScoreOverride
from quizzes.services.attempts import attempt_answer, attempt_finish, attempt_start
from quizzes.services.gradebook import (
    GradebookRefused,
    extension_grant,
    response_override,
)
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    quiz_with,
    true_false_question,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def answered_attempt(student, assignment, answers, *, finish=True) -> Attempt:
    """An attempt at the assignment's quiz (true/false questions, all true)
    answered "true" or "false" in order; the rest left unanswered."""
    attempt = attempt_start(quiz=assignment.quiz, student=student, now=NOW)
    Attempt.objects.filter(pk=attempt.pk).update(assignment=assignment)
    for question_id, value in zip(attempt.question_ids, answers, strict=False):
        attempt_answer(
            attempt_id=attempt.pk,
            student=student,
            question_id=question_id,
            data=QueryDict(f"value={value}"),
            now=NOW,
        )
    attempt.refresh_from_db()
    if finish:
        attempt_finish(attempt=attempt, now=NOW)
    return attempt


@pytest.fixture
def assignment(teacher, student):
    classroom = ClassroomFactory(teacher=teacher, students=[student])
    quiz = quiz_with([true_false_question() for _ in range(4)])
    return AssignmentFactory(classroom=classroom, quiz=quiz)


def third_response(attempt):
    return attempt.responses.get(question_id=attempt.question_ids[2])


def test_an_override_logs_the_change_and_recomputes_the_total(
    student, teacher, assignment
):
    attempt = answered_attempt(student, assignment, ["true", "true", "false", "false"])
    assert attempt.score == 50
    response = third_response(attempt)
    later = NOW + timedelta(hours=1)
    attempt = response_override(
        response=response,
        teacher=teacher,
        score=1.0,
        comment="Your reading of the passage holds.",
        now=later,
    )
    response.refresh_from_db()
    assert (response.score, response.is_correct) == (1.0, True)
    assert response.comment == "Your reading of the passage holds."
    assert (attempt.points, attempt.score) == (3, 75)
    assert Attempt.objects.get(pk=attempt.pk).score == 75
    log = ScoreOverride.objects.get()
    assert (log.score_before, log.score_after) == (0, 1.0)
    assert (log.teacher, log.created_at, log.response) == (teacher, later, response)
    assert log.comment == "Your reading of the passage holds."


def test_part_marks_are_not_correct_and_each_change_is_logged(
    student, teacher, assignment
):
    attempt = answered_attempt(student, assignment, ["true", "true", "false", "false"])
    response = third_response(attempt)
    response_override(response=response, teacher=teacher, score=1, comment="", now=NOW)
    attempt = response_override(
        response=response, teacher=teacher, score=0.5, comment="Half", now=NOW
    )
    response.refresh_from_db()
    assert (response.score, response.is_correct) == (0.5, False)
    assert attempt.score == 62.5
    assert list(ScoreOverride.objects.values_list("score_before", "score_after")) == [
        (0, 1),
        (1, 0.5),
    ]


def test_a_score_outside_0_to_100_percent_is_refused_and_nothing_changes(
    student, teacher, assignment
):
    attempt = answered_attempt(student, assignment, ["true", "true", "false", "false"])
    with pytest.raises(GradebookRefused):
        response_override(
            response=third_response(attempt),
            teacher=teacher,
            score=1.5,
            comment="",
            now=NOW,
        )
    assert not ScoreOverride.objects.exists()
    assert Attempt.objects.get(pk=attempt.pk).score == 50


def test_an_open_attempt_gets_its_points_now_and_its_score_when_it_finishes(
    student, teacher, assignment
):
    attempt = answered_attempt(student, assignment, ["false", "true"], finish=False)
    first = attempt.responses.get(question_id=attempt.question_ids[0])
    attempt = response_override(
        response=first, teacher=teacher, score=1, comment="", now=NOW
    )
    assert (attempt.points, attempt.score) == (2, None)
    attempt_finish(attempt=attempt, now=NOW)
    assert attempt.score == 50


def test_an_extension_is_written_and_a_second_one_replaces_it(
    student, teacher, assignment
):
    later = assignment.due_at + timedelta(days=2)
    extension_grant(
        assignment=assignment,
        student=student,
        teacher=teacher,
        extra_attempts=1,
        extra_minutes=15,
        due_at=later,
    )
    extension = Extension.objects.get()
    assert (extension.extra_attempts, extension.extra_minutes) == (1, 15)
    assert (extension.due_at, extension.granted_by) == (later, teacher)
    extension_grant(
        assignment=assignment,
        student=student,
        teacher=teacher,
        extra_attempts=2,
        extra_minutes=0,
        due_at=None,
    )
    extension = Extension.objects.get()
    assert (extension.extra_attempts, extension.extra_minutes) == (2, 0)
    assert extension.due_at is None


def test_an_extension_due_no_later_than_the_assignment_is_refused(
    student, teacher, assignment
):
    with pytest.raises(GradebookRefused, match="later than the assignment's"):
        extension_grant(
            assignment=assignment,
            student=student,
            teacher=teacher,
            extra_attempts=0,
            extra_minutes=0,
            due_at=assignment.due_at,
        )
    assert not Extension.objects.exists()
