"""A teacher reviews one attempt of their class: each answer as the student
saw it, the unanswered ones, a score changed with a comment the student
then sees, and more time or attempts for the student."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Extension, Question, Quiz, ScoreOverride
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    UserFactory,
    quiz_with,
    true_false_question,
)
from tests.test_services_gradebook import answered_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def classroom(teacher, student):
    return ClassroomFactory(teacher=teacher, students=[student], name="Year 11")


def assignment_of(classroom, questions: int = 4, **quiz):
    questions = [
        true_false_question(prompt=f"Statement {n}: true?") for n in range(questions)
    ]
    return AssignmentFactory(
        classroom=classroom, quiz=quiz_with(questions, **quiz), title="Causes quiz"
    )


@pytest.fixture
def attempt(classroom, student):
    # Two right, one wrong, the last left unanswered: 50 %.
    return answered_attempt(
        student, assignment_of(classroom), ["true", "false", "true"]
    )


def review_url(attempt):
    return reverse(
        "teach_attempt",
        kwargs={"pk": attempt.assignment.classroom_id, "attempt": attempt.pk},
    )


def override_url(response):
    return reverse(
        "teach_response_override",
        kwargs={
            "pk": response.attempt.assignment.classroom_id,
            "response": response.pk,
        },
    )


def second(attempt):
    return attempt.responses.select_related("attempt__assignment").get(
        question_id=attempt.question_ids[1]
    )


def test_the_review_shows_each_answer_as_the_student_saw_it(teacher_client, attempt):
    # The question changes after the answer: the review shows it as it was.
    Question.objects.filter(pk=attempt.question_ids[0]).update(prompt="Reworded")
    page = teacher_client.get(review_url(attempt)).content.decode()
    assert 'alice: <span class="review-total">50%</span>' in page
    assert "2 of 4 points" in page
    assert "Statement 0: true?" in page
    assert "Reworded" not in page
    assert "right answer" in page  # the answers are shown to the teacher
    assert "Not answered (1):" in page
    assert 'href="#question-4">question 4</a>' in page
    assert "counted in the gradebook" in page


def test_a_changed_score_shows_its_new_total_and_its_log(
    teacher_client, attempt, student
):
    response = second(attempt)
    prefix = f"r{response.pk}"
    reply = teacher_client.post(
        override_url(response),
        {f"{prefix}-score": "100", f"{prefix}-comment": "A fair reading."},
    )
    assert reply.status_code == 302
    assert reply.url == review_url(attempt) + f"#response-{response.pk}"
    page = teacher_client.get(reply.url).content.decode()
    assert "Score saved. The attempt now scores 75% (3 of 4 points)." in page
    assert '<span class="review-total">75%</span>' in page
    log = page[page.index('id="log-heading"') :]
    assert "mrs_teacher" in log
    assert "A fair reading." in log
    assert '<span class="override-from">0%</span>' in log
    assert '<span class="override-to">100%</span>' in log
    # The comment is the teacher's to read as theirs on this page.
    assert "Your comment to the student:" in page


def test_the_student_sees_the_teachers_comment_escaped_on_their_result(
    teacher, attempt, client, student
):
    client.force_login(teacher)
    response = second(attempt)
    prefix = f"r{response.pk}"
    client.post(
        override_url(response),
        {f"{prefix}-score": "50", f"{prefix}-comment": "<b>Nearly</b> right"},
    )
    client.force_login(student)
    page = client.get(reverse("attempt_result", kwargs={"pk": attempt.pk}))
    text = page.content.decode()
    assert "Your teacher's comment:" in text
    assert "&lt;b&gt;Nearly&lt;/b&gt; right" in text
    assert "<b>Nearly</b>" not in text
    assert 'Your score: <span class="result-score">63%</span>' in text


def test_a_quiz_that_never_shows_answers_still_shows_the_comment(
    client, teacher, classroom, student
):
    assignment = assignment_of(classroom, reveal=Quiz.Reveal.NEVER)
    attempt = answered_attempt(student, assignment, ["true", "false"])
    client.force_login(teacher)
    response = second(attempt)
    prefix = f"r{response.pk}"
    client.post(
        override_url(response),
        {f"{prefix}-score": "0", f"{prefix}-comment": "See me about this one."},
    )
    client.force_login(student)
    text = client.get(reverse("attempt_result", kwargs={"pk": attempt.pk}))
    assert "See me about this one." in text.content.decode()
    assert "right answer" not in text.content.decode()


def test_a_score_over_100_is_refused_on_the_page_and_nothing_is_written(
    teacher_client, attempt
):
    response = second(attempt)
    prefix = f"r{response.pk}"
    reply = teacher_client.post(override_url(response), {f"{prefix}-score": "150"})
    assert reply.status_code == 422
    assert "less than or equal to 100" in reply.content.decode()
    assert not ScoreOverride.objects.exists()


def test_an_attempt_at_another_classs_assignment_is_not_found(
    teacher_client, classroom, student
):
    # The student is in both classes; the teacher teaches only one.
    theirs = ClassroomFactory(students=[student])
    elsewhere = answered_attempt(student, assignment_of(theirs), ["true"])
    url = reverse("teach_attempt", kwargs={"pk": classroom.pk, "attempt": elsewhere.pk})
    assert teacher_client.get(url).status_code == 404


def test_the_review_runs_a_fixed_number_of_queries(
    teacher_client, classroom, student, django_assert_max_num_queries
):
    counts = []
    for size in (3, 30):
        # All answered but the last.
        answers = (["true", "false"] * size)[: size - 1]
        attempt = answered_attempt(student, assignment_of(classroom, size), answers)
        url = review_url(attempt)
        with (
            django_assert_max_num_queries(12),
            CaptureQueriesContext(connection) as queries,
        ):
            page = teacher_client.get(url).content.decode()
        assert page.count('class="override"') == size - 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Extensions -----------------------------------------------------------------


def extension_url(attempt):
    return reverse(
        "teach_extension",
        kwargs={
            "pk": attempt.assignment.classroom_id,
            "assignment": attempt.assignment_id,
            "student": attempt.student_id,
        },
    )


def test_a_teacher_gives_an_extra_attempt_and_a_later_date_from_the_review(
    teacher_client, attempt, teacher
):
    page = teacher_client.get(review_url(attempt)).content.decode()
    assert "Save the extension" in page
    due = attempt.assignment.due_at + timedelta(days=3)
    reply = teacher_client.post(
        extension_url(attempt),
        {
            "extra_attempts": "1",
            "extra_minutes": "10",
            "due_at": due.strftime("%Y-%m-%dT%H:%M"),
            "next": review_url(attempt),
        },
    )
    assert reply.status_code == 302
    assert reply.url == review_url(attempt)
    extension = Extension.objects.get()
    assert (extension.extra_attempts, extension.extra_minutes) == (1, 10)
    assert extension.due_at == due.replace(second=0, microsecond=0)
    assert extension.granted_by == teacher
    page = teacher_client.get(reply.url).content.decode()
    assert "Extension saved for alice on Causes quiz." in page
    assert "1 extra attempt, 10 extra minutes, due" in page


def test_an_extension_due_too_early_is_refused_with_the_reason(teacher_client, attempt):
    early = attempt.assignment.due_at - timedelta(days=1)
    reply = teacher_client.post(
        extension_url(attempt),
        {
            "extra_attempts": "0",
            "extra_minutes": "0",
            "due_at": early.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert reply.status_code == 422
    assert "must be later than the assignment" in reply.content.decode()
    assert not Extension.objects.exists()


def test_after_an_extension_the_form_goes_back_only_to_this_site(
    teacher_client, attempt
):
    reply = teacher_client.post(
        extension_url(attempt),
        {"extra_attempts": "1", "extra_minutes": "0", "next": "https://evil.test/"},
    )
    assert reply.url == reverse(
        "teach_gradebook", kwargs={"pk": attempt.assignment.classroom_id}
    )


def test_a_student_who_never_started_can_be_given_more_time_from_the_grid(
    teacher_client, classroom, student
):
    assignment = assignment_of(classroom)
    assignment.opens_at = assignment.opens_at - timedelta(days=9)
    assignment.due_at = assignment.opens_at + timedelta(days=1)
    assignment.save()
    UserFactory(username="bob")
    grid = teacher_client.get(
        reverse("teach_gradebook", kwargs={"pk": classroom.pk})
    ).content.decode()
    url = reverse(
        "teach_extension",
        kwargs={"pk": classroom.pk, "assignment": assignment.pk, "student": student.pk},
    )
    assert f'href="{url}"' in grid
    page = teacher_client.get(url).content.decode()
    assert "More time or attempts for alice" in page
