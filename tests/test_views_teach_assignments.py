"""A teacher's pages for a class's assignments: the list, a new quiz or
flashcard goal, new dates, deleting (views.teach.assignments)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Assignment, Attempt
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    CardGoalFactory,
    ClassroomFactory,
    EnrolmentFactory,
    EssayFactory,
    SectionFactory,
    UserFactory,
    quiz_with,
    single_choice_question,
)
from tests.test_teach_cache import forget

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(second=0, microsecond=0)
DAY = timedelta(days=1)


def local(moment) -> str:
    """A moment as a datetime-local input sends it."""
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def classroom(teacher, student):
    return ClassroomFactory(name="Year 10 History", teacher=teacher, students=[student])


@pytest.fixture
def quiz():
    return quiz_with(
        [single_choice_question()], title="Causes of the Purge", open_practice=False
    )


def new_url(classroom) -> str:
    return reverse("teach_assignment_create", kwargs={"pk": classroom.pk})


def list_url(classroom) -> str:
    return reverse("teach_assignments", kwargs={"pk": classroom.pk})


def form(**fields) -> dict:
    data = {
        "kind": "quiz",
        "opens_at": local(NOW),
        "due_at": local(NOW + 7 * DAY),
        "closes_at": "",
        "title": "",
        "target_recall": "90",
    }
    return data | fields


# --- The list -----------------------------------------------------------------


def test_the_list_shows_each_assignment_with_its_dates(
    teacher_client, classroom, quiz, student
):
    assignment = AssignmentFactory(
        classroom=classroom,
        quiz=quiz,
        title="<i>Homework</i>",
        due_at=NOW + 2 * DAY,
        closes_at=NOW + 3 * DAY,
    )
    AttemptFactory(quiz=quiz, student=student, assignment=assignment)
    essay = EssayFactory(title="The Great Purge")
    goal = CardGoalFactory(
        classroom=classroom,
        essay=essay,
        section=SectionFactory(essay=essay, heading="Causes"),
        target_recall=0.85,
    )
    goal.students.set([student])

    page = teacher_client.get(list_url(classroom)).content.decode()

    assert "&lt;i&gt;Homework&lt;/i&gt;" in page
    assert "<i>Homework</i>" not in page
    assert "Quiz: Causes of the Purge" in page
    assert "Flashcard goal: The Great Purge, Causes, 85% recall" in page
    due = NOW + 2 * DAY
    assert f"{due:%a} {due.day} {due:%b}, {due:%H:%M}" in page
    assert "Whole class" in page
    assert "1 student<" in page
    assert (
        reverse(
            "teach_assignment_edit", kwargs={"pk": classroom.pk, "assignment": goal.pk}
        )
        in page
    )


def test_an_empty_list_says_what_to_do(teacher_client, classroom):
    page = teacher_client.get(list_url(classroom)).content.decode()
    assert "Nothing is assigned to Year 10 History yet" in page
    assert new_url(classroom) in page


def list_queries(client, classroom) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(list_url(classroom)).status_code == 200
    return len(queries)


def test_the_list_runs_as_many_queries_for_1_as_for_20_assignments_and_60_students(
    teacher_client, classroom, quiz, django_assert_max_num_queries
):
    for _ in range(2):
        EnrolmentFactory(classroom=classroom)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    one = list_queries(teacher_client, classroom)
    for _ in range(19):
        AssignmentFactory(classroom=classroom, quiz=quiz)
    for _ in range(57):
        student = EnrolmentFactory(classroom=classroom).student
        AttemptFactory(
            quiz=quiz, student=student, assignment=classroom.assignments.first()
        )
    assert list_queries(teacher_client, classroom) == one
    # Made afresh (the factories wrote): session, user, the right to teach,
    # the class with its version, the assignments.
    forget()
    with django_assert_max_num_queries(5):
        teacher_client.get(list_url(classroom))


# --- Giving work --------------------------------------------------------------


def test_a_teacher_assigns_a_quiz_and_the_students_see_it(
    teacher_client, client, classroom, quiz, student
):
    page = teacher_client.get(new_url(classroom)).content.decode()
    assert "Causes of the Purge" in page
    assert 'type="datetime-local"' in page

    response = teacher_client.post(
        new_url(classroom),
        form(quiz=quiz.pk, closes_at=local(NOW + 8 * DAY), title="Week 1"),
        follow=True,
    )

    assignment = Assignment.objects.get()
    assert response.redirect_chain[-1][0] == list_url(classroom)
    assert "Assigned “Week 1” to Year 10 History." in response.content.decode()
    assert (assignment.quiz, assignment.kind, assignment.title) == (
        quiz,
        "quiz",
        "Week 1",
    )
    assert assignment.due_at == NOW + 7 * DAY
    assert assignment.closes_at == NOW + 8 * DAY
    assert assignment.created_by.username == "mrs_teacher"
    client.force_login(student)
    assert "Week 1" in client.get("/").content.decode()


def test_a_teacher_sets_a_flashcard_goal_on_a_section_for_some_students(
    teacher_client, classroom, student
):
    essay = EssayFactory(title="The Great Purge")
    section = SectionFactory(essay=essay, heading="Causes")
    other = UserFactory(username="bob")
    EnrolmentFactory(classroom=classroom, student=other)

    response = teacher_client.post(
        new_url(classroom),
        form(
            kind="cards",
            scope=f"section:{section.pk}",
            target_recall="80",
            students=[other.pk],
        ),
    )

    assert response.status_code == 302
    goal = Assignment.objects.get()
    assert (goal.kind, goal.essay, goal.section) == ("cards", essay, section)
    assert goal.target_recall == pytest.approx(0.8)
    assert list(goal.students.all()) == [other]


def test_a_goal_on_a_whole_essay(teacher_client, classroom):
    essay = EssayFactory(title="The Great Purge")
    response = teacher_client.post(
        new_url(classroom), form(kind="cards", scope=f"essay:{essay.pk}")
    )
    assert response.status_code == 302
    goal = Assignment.objects.get()
    assert (goal.essay, goal.section, goal.target_recall) == (essay, None, 0.9)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quiz": ""}, "Choose the quiz to assign."),
        ({"kind": "cards"}, "Choose the essay or the section to study."),
        ({"due_at": "next Friday"}, "Enter a valid date/time."),
        ({"due_at": local(NOW - DAY)}, "The due date is before the assignment opens."),
        ({"closes_at": local(NOW + DAY)}, "The hard close is before the due date."),
        ({"kind": "cards", "target_recall": "40"}, "greater than or equal to 50"),
    ],
)
def test_a_form_with_a_mistake_says_what_it_is_and_saves_nothing(
    teacher_client, classroom, quiz, fields, message
):
    response = teacher_client.post(new_url(classroom), form(quiz=quiz.pk) | fields)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert "The assignment is not saved yet" in page
    assert not Assignment.objects.exists()


def test_only_the_classs_own_students_can_be_chosen(teacher_client, classroom, quiz):
    stranger = UserFactory(username="stranger")
    response = teacher_client.post(
        new_url(classroom), form(quiz=quiz.pk, students=[stranger.pk])
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()


# --- New dates ----------------------------------------------------------------


def edit_url(assignment) -> str:
    return reverse(
        "teach_assignment_edit",
        kwargs={"pk": assignment.classroom_id, "assignment": assignment.pk},
    )


def test_a_teacher_moves_the_due_date_and_lateness_follows(
    teacher_client, classroom, quiz, student
):
    assignment = AssignmentFactory(
        classroom=classroom, quiz=quiz, opens_at=NOW - 3 * DAY, due_at=NOW + DAY
    )
    attempt = AttemptFactory(
        quiz=quiz, student=student, assignment=assignment, finished_at=NOW
    )
    page = teacher_client.get(edit_url(assignment)).content.decode()
    assert f'value="{local(NOW + DAY)}"' in page

    response = teacher_client.post(
        edit_url(assignment),
        {"opens_at": local(NOW - 3 * DAY), "due_at": local(NOW - DAY), "title": "Late"},
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.due_at, assignment.closes_at, assignment.title) == (
        NOW - DAY,
        None,
        "Late",
    )
    assert Attempt.objects.get(pk=attempt.pk).is_late


def test_new_dates_in_the_wrong_order_are_refused(teacher_client, classroom, quiz):
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    response = teacher_client.post(
        edit_url(assignment),
        {"opens_at": local(NOW), "due_at": local(NOW + DAY), "closes_at": local(NOW)},
    )
    assert response.status_code == 422
    assert "The hard close is before the due date." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.closes_at is None


# --- Deleting -----------------------------------------------------------------


def delete_url(assignment) -> str:
    return reverse(
        "teach_assignment_delete",
        kwargs={"pk": assignment.classroom_id, "assignment": assignment.pk},
    )


def test_deleting_warns_of_the_attempts_made_and_keeps_them(
    teacher_client, classroom, quiz, student
):
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz, title="Week 1")
    attempt = AttemptFactory(
        quiz=quiz, student=student, assignment=assignment, finished_at=NOW, score=70
    )
    page = teacher_client.get(delete_url(assignment)).content.decode()
    assert "Delete “Week 1”?" in page
    assert "1 attempt was made for it." in page
    assert "set a hard close" in page

    # Only the page's own button deletes.
    assert teacher_client.post(delete_url(assignment)).status_code == 400
    assert Assignment.objects.exists()

    response = teacher_client.post(
        delete_url(assignment), {"confirm": "1"}, follow=True
    )
    assert "“Week 1” is deleted. The 1 attempts made for it stay" in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()
    attempt.refresh_from_db()
    assert (attempt.assignment, attempt.score) == (None, 70)


def test_deleting_work_nobody_started_asks_without_a_warning(
    teacher_client, classroom, quiz
):
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    page = teacher_client.get(delete_url(assignment)).content.decode()
    assert "made for it" not in page
