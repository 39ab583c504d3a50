"""Who may start a quiz and for which assignment; opening, due and hard-close
dates; extensions; late attempts (services.attempts, views.attempts)."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, Enrolment, Extension
from quizzes.services.attempts import AttemptRefused, QuizNotOffered
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)


def start(quiz, student, now=NOW) -> Attempt:
    return services.attempts.attempt_start(quiz=quiz, student=student, now=now)


@pytest.fixture
def quiz():
    """A quiz only a class can be given: not open practice."""
    questions = [single_choice_question()]
    questions.append(single_choice_question(essay=questions[0].essay))
    return quiz_with(questions, title="Causes of the Purge", open_practice=False)


@pytest.fixture
def classroom(student):
    return ClassroomFactory(name="Year 10 History", students=[student])


def assign(classroom, quiz, **dates):
    dates.setdefault("opens_at", NOW - DAY)
    dates.setdefault("due_at", NOW + DAY)
    return AssignmentFactory(classroom=classroom, quiz=quiz, **dates)


def answer_all(attempt, now):
    for question_id in attempt.question_ids:
        services.attempts.attempt_answer(
            attempt_id=attempt.pk,
            student=attempt.student,
            question_id=question_id,
            data=QueryDict("choice=0"),
            now=now,
        )
    attempt.refresh_from_db()
    return attempt


# --- Who may start ------------------------------------------------------------


def test_a_quiz_no_class_of_theirs_has_cannot_be_started(student, quiz):
    with pytest.raises(QuizNotOffered):
        start(quiz, student)
    # Nor through another class's assignment, or one of a class they left.
    assign(ClassroomFactory(), quiz)
    with pytest.raises(QuizNotOffered):
        start(quiz, student)
    assert not Attempt.objects.exists()


def test_starting_it_is_a_404_to_the_student(student_client, quiz):
    response = student_client.post(reverse("quiz_start", kwargs={"pk": quiz.pk}))
    assert response.status_code == 404
    assert not Attempt.objects.exists()


def test_an_assigned_quiz_records_the_open_assignment_due_first(
    student, quiz, classroom
):
    assign(classroom, quiz, due_at=NOW + 5 * DAY)
    first_due = assign(classroom, quiz, due_at=NOW + 2 * DAY)
    assign(classroom, quiz, opens_at=NOW + DAY / 2, due_at=NOW + DAY)
    assert start(quiz, student).assignment == first_due


def test_an_assignment_for_some_students_only_is_theirs_alone(
    student, other_student, quiz, classroom
):
    Enrolment.objects.create(classroom=classroom, student=other_student, joined_at=NOW)
    assignment = assign(classroom, quiz)
    assignment.students.set([other_student])
    with pytest.raises(QuizNotOffered):
        start(quiz, student)
    assert start(quiz, other_student).assignment == assignment


def test_open_practice_starts_without_an_assignment(student, quiz):
    quiz.open_practice = True
    quiz.save()
    assert start(quiz, student).assignment is None


def test_open_practice_still_records_an_open_assignment(student, quiz, classroom):
    quiz.open_practice = True
    quiz.save()
    assignment = assign(classroom, quiz)
    assert start(quiz, student).assignment == assignment


def test_before_it_opens_it_cannot_start_and_says_when(
    student_client, student, quiz, classroom
):
    opens = (NOW + 2 * DAY).replace(hour=9, minute=0)
    assign(classroom, quiz, opens_at=opens, due_at=opens + DAY)
    with pytest.raises(AttemptRefused, match="This quiz opens"):
        start(quiz, student)
    page = student_client.post(
        reverse("quiz_start", kwargs={"pk": quiz.pk}), follow=True
    ).content.decode()
    assert f"This quiz opens {opens:%a} {opens.day} {opens:%b}, 09:00 UTC." in page
    assert not Attempt.objects.exists()


def test_after_the_hard_close_no_attempt_starts(student_client, quiz, classroom):
    assign(
        classroom,
        quiz,
        opens_at=NOW - 3 * DAY,
        due_at=NOW - 2 * DAY,
        closes_at=NOW - DAY,
    )
    page = student_client.post(
        reverse("quiz_start", kwargs={"pk": quiz.pk}), follow=True
    ).content.decode()
    assert "This quiz closed" in page
    assert "no new attempt can start" in page
    assert not Attempt.objects.exists()


def test_past_the_due_date_without_a_hard_close_it_still_starts(
    student, quiz, classroom
):
    assignment = assign(classroom, quiz, opens_at=NOW - 3 * DAY, due_at=NOW - DAY)
    assert start(quiz, student).assignment == assignment


def test_an_attempt_already_started_stays_reachable_after_the_student_leaves(
    student_client, student, quiz, classroom
):
    assign(classroom, quiz)
    attempt = start(quiz, student)
    Enrolment.objects.all().delete()
    page = student_client.get(reverse("attempt", kwargs={"pk": attempt.pk}))
    assert page.status_code == 200
    assert "Question 1 of 2" in page.content.decode()
    # Starting again resumes it rather than answering 404.
    response = student_client.post(reverse("quiz_start", kwargs={"pk": quiz.pk}))
    assert response.url == reverse("attempt", kwargs={"pk": attempt.pk})
    # A new one, once it is finished, cannot start.
    services.attempts.attempt_finish(attempt=attempt)
    response = student_client.post(reverse("quiz_start", kwargs={"pk": quiz.pk}))
    assert response.status_code == 404
    result = student_client.get(reverse("attempt_result", kwargs={"pk": attempt.pk}))
    assert result.status_code == 200


# --- The hard close closes open attempts --------------------------------------


@pytest.fixture
def closing(student, quiz, classroom):
    """An attempt started an hour before its assignment's hard close."""
    closes = NOW + timedelta(hours=1)
    assignment = assign(classroom, quiz, due_at=closes, closes_at=closes)
    return start(quiz, student, now=NOW), closes, assignment


def test_an_answer_after_the_hard_close_is_not_counted_and_closes_it(student, closing):
    attempt, closes, _ = closing
    outcome = services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=attempt.question_ids[0],
        data=QueryDict("choice=0"),
        now=closes + timedelta(minutes=1),
    )
    assert outcome.response is None
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.closed_reason.startswith("The assignment closed")
    # It ended at the close (with the answers' grace), not when it was noticed.
    assert attempt.finished_at == closes + timedelta(seconds=30)
    assert not attempt.is_late


def test_an_answer_within_the_grace_of_the_close_counts(student, closing):
    attempt, closes, _ = closing
    outcome = services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=attempt.question_ids[0],
        data=QueryDict("choice=0"),
        now=closes + timedelta(seconds=20),
    )
    assert outcome.response is not None


def test_loading_the_attempt_after_the_close_shows_why_it_closed(
    student_client, closing
):
    attempt, closes, assignment = closing
    # The close moved to the past: the page closes it on the server.
    assignment.closes_at = assignment.due_at = NOW - timedelta(minutes=5)
    assignment.opens_at = NOW - DAY
    assignment.save()
    response = student_client.get(reverse("attempt", kwargs={"pk": attempt.pk}))
    assert response.url == reverse("attempt_result", kwargs={"pk": attempt.pk})
    page = student_client.get(response.url).content.decode()
    assert "The assignment closed" in page
    assert "answers sent after it were not counted" in page
    attempt.refresh_from_db()
    assert attempt.is_finished


def test_the_home_page_closes_attempts_past_the_close(student_client, closing):
    attempt, _, assignment = closing
    assignment.closes_at = assignment.due_at = NOW - timedelta(minutes=5)
    assignment.save()
    page = student_client.get("/").content.decode()
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert f'href="{reverse("attempt", kwargs={"pk": attempt.pk})}"' not in page
    assert "Continue" not in page
    assert reverse("attempt_result", kwargs={"pk": attempt.pk}) in page


def test_closing_in_bulk_closes_only_what_is_over(student, other_student, closing):
    attempt, closes, _ = closing
    other = quiz_with([single_choice_question()])
    running = start(other, other_student, now=NOW)
    closed = services.attempts.attempts_close_overdue(
        students=[student, other_student], now=closes + timedelta(minutes=2)
    )
    assert closed == 1
    attempt.refresh_from_db()
    running.refresh_from_db()
    assert attempt.is_finished
    assert not running.is_finished


def test_a_time_limit_ends_before_the_close_when_it_is_sooner(student, quiz, classroom):
    quiz.time_limit_minutes = 10
    quiz.save()
    assign(classroom, quiz, closes_at=NOW + DAY)
    attempt = start(quiz, student)
    services.attempts.attempt_close_if_overdue(attempt=attempt, now=NOW + DAY / 2)
    attempt.refresh_from_db()
    assert "Time ran out" in attempt.closed_reason
    assert attempt.finished_at == NOW + timedelta(minutes=10, seconds=30)


# --- Extensions ---------------------------------------------------------------


def extend(assignment, student, **fields):
    return Extension.objects.create(assignment=assignment, student=student, **fields)


def test_an_extension_adds_attempts(student, quiz, classroom):
    quiz.attempts_allowed = 1
    quiz.save()
    assignment = assign(classroom, quiz)
    services.attempts.attempt_finish(attempt=start(quiz, student))
    with pytest.raises(AttemptRefused, match="used all your attempts"):
        start(quiz, student)
    extend(assignment, student, extra_attempts=1)
    second = start(quiz, student)
    assert second.assignment == assignment
    services.attempts.attempt_finish(attempt=second)
    with pytest.raises(AttemptRefused):
        start(quiz, student)


def test_an_extension_adds_minutes_to_the_time_limit(student, quiz, classroom):
    quiz.time_limit_minutes = 20
    quiz.save()
    extend(assign(classroom, quiz), student, extra_minutes=10)
    assert start(quiz, student).deadline == NOW + timedelta(minutes=30)


def test_extra_minutes_set_no_limit_on_a_quiz_without_one(student, quiz, classroom):
    extend(assign(classroom, quiz), student, extra_minutes=10)
    assert start(quiz, student).deadline is None


def test_an_extension_moves_the_due_date_and_the_hard_close(student, quiz, classroom):
    assignment = assign(
        classroom,
        quiz,
        opens_at=NOW - 3 * DAY,
        due_at=NOW - 2 * DAY,
        closes_at=NOW - DAY,
    )
    with pytest.raises(AttemptRefused, match="closed"):
        start(quiz, student)
    extend(assignment, student, due_at=NOW + DAY)
    attempt = answer_all(start(quiz, student), now=NOW + timedelta(hours=1))
    assert attempt.is_finished
    assert attempt.assignment == assignment
    assert not attempt.is_late


# --- Late attempts ------------------------------------------------------------


def test_an_attempt_finished_after_the_due_date_is_late(student, quiz, classroom):
    assign(classroom, quiz, due_at=NOW + timedelta(hours=1))
    on_time = answer_all(start(quiz, student), now=NOW + timedelta(minutes=30))
    assert not on_time.is_late
    late = answer_all(
        start(quiz, student, now=NOW + timedelta(hours=2)), now=NOW + timedelta(hours=2)
    )
    assert late.is_late
    # Read again without the annotations, the property asks the database.
    assert Attempt.objects.get(pk=late.pk).is_late
    assert not Attempt.objects.get(pk=on_time.pk).is_late


def test_open_practice_attempts_are_never_late(student, quiz):
    quiz.open_practice = True
    quiz.save()
    attempt = answer_all(start(quiz, student), now=NOW + 400 * DAY)
    assert not attempt.is_late


def test_the_result_page_marks_a_late_attempt(student_client, student, quiz, classroom):
    assignment = assign(classroom, quiz, opens_at=NOW - 3 * DAY, due_at=NOW - DAY)
    late = AttemptFactory(
        quiz=quiz, student=student, assignment=assignment, finished_at=NOW, score=50
    )
    on_time = AttemptFactory(
        quiz=quiz,
        student=student,
        assignment=assignment,
        finished_at=NOW - 2 * DAY,
        score=50,
    )
    page = student_client.get(reverse("attempt_result", kwargs={"pk": late.pk}))
    assert '<span class="status status-late">Late</span>' in page.content.decode()
    assert "Handed in late: it was due" in page.content.decode()
    page = student_client.get(reverse("attempt_result", kwargs={"pk": on_time.pk}))
    assert "status-late" not in page.content.decode()


def test_an_extensions_due_date_keeps_an_attempt_from_being_late(
    student, quiz, classroom
):
    assignment = assign(classroom, quiz, opens_at=NOW - 3 * DAY, due_at=NOW - DAY)
    attempt = AttemptFactory(
        quiz=quiz, student=student, assignment=assignment, finished_at=NOW
    )
    assert Attempt.objects.get(pk=attempt.pk).is_late
    extend(assignment, student, due_at=NOW + DAY)
    assert not Attempt.objects.get(pk=attempt.pk).is_late
