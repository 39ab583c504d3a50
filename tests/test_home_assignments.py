"""The student's home page: joining a class with its code, "Your
assignments" with their status, and only the quizzes they may take
(views.home, selectors.assignments, selectors.quizzes)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Card, Enrolment
from quizzes.selectors.home import Status, home_assignments
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    CardFactory,
    CardGoalFactory,
    ClaimFactory,
    ClassroomFactory,
    EssayFactory,
    SectionFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)


def closed_quiz(title: str):
    """A quiz students take only when it is assigned."""
    return quiz_with([single_choice_question()], title=title, open_practice=False)


@pytest.fixture
def classroom(student):
    return ClassroomFactory(name="Year 10 History", students=[student])


def assign(classroom, title, **fields):
    fields.setdefault("opens_at", NOW - 3 * DAY)
    fields.setdefault("due_at", NOW + DAY)
    return AssignmentFactory(classroom=classroom, quiz=closed_quiz(title), **fields)


def cards_of(page: str) -> list[str]:
    """Each assignment on the page as "title: status", in the page's order."""
    found = re.findall(
        r'<h3>(.*?)</h3>.*?<span class="status status-[a-z-]+">(.*?)</span>',
        page.split('id="assignments-heading"')[1].split('id="quizzes-heading"')[0],
        re.S,
    )
    return [f"{title}: {status}" for title, status in found]


# --- Quiz assignments ---------------------------------------------------------


def test_assignments_come_first_with_their_status_what_needs_doing_first(
    student_client, student, classroom
):
    assign(classroom, "Not begun", due_at=NOW + 2 * DAY)
    going = assign(classroom, "Begun")
    AttemptFactory(quiz=going.quiz, student=student, assignment=going)
    done = assign(classroom, "Handed in")
    AttemptFactory(
        quiz=done.quiz, student=student, assignment=done, finished_at=NOW, score=80
    )
    late = assign(classroom, "Handed in late", due_at=NOW - DAY)
    AttemptFactory(
        quiz=late.quiz, student=student, assignment=late, finished_at=NOW, score=40
    )
    assign(classroom, "Forgotten", due_at=NOW - DAY)
    assign(classroom, "Next week", opens_at=NOW + 5 * DAY, due_at=NOW + 7 * DAY)

    page = student_client.get("/").content.decode()

    assert page.index("Your assignments") < page.index("Your quizzes")
    assert cards_of(page) == [
        "Forgotten: Overdue",
        "Begun: In progress",
        "Not begun: Not started",
        "Next week: Not open yet",
        "Handed in late: Done late",
        "Handed in: Done",
    ]
    assert "Year 10 History" in page
    assert "Was due" in page
    assert "Score: <strong>80%</strong>" in page


def test_a_late_attempt_is_done_late_and_an_on_time_one_makes_it_done(
    student, classroom
):
    assignment = assign(classroom, "Causes", due_at=NOW - DAY)
    AttemptFactory(
        quiz=assignment.quiz,
        student=student,
        assignment=assignment,
        finished_at=NOW,
        score=40,
    )
    [row] = home_assignments(student, NOW)
    assert row.status == Status.LATE
    AttemptFactory(
        quiz=assignment.quiz,
        student=student,
        assignment=assignment,
        finished_at=NOW - 2 * DAY,
        score=90,
    )
    [row] = home_assignments(student, NOW)
    assert row.status == Status.DONE
    assert row.score == 90  # the highest, as the quiz grades by
    assignment.quiz.grading = "last"
    assignment.quiz.save()
    [row] = home_assignments(student, NOW)
    assert row.score == 40  # the last finished


def test_an_assignment_closed_and_not_done_offers_no_start(student_client, classroom):
    assign(classroom, "Shut", due_at=NOW - 2 * DAY, closes_at=NOW - DAY)
    page = student_client.get("/").content.decode()
    assert cards_of(page) == ["Shut: Overdue"]
    assert "Closed: no new attempt can start." in page


def test_an_extension_shows_its_due_date_and_attempts(student, classroom):
    assignment = assign(classroom, "Causes", due_at=NOW - DAY)
    assignment.quiz.attempts_allowed = 1
    assignment.quiz.save()
    assignment.extensions.create(
        student=student, due_at=NOW + 2 * DAY, extra_attempts=2
    )
    [row] = home_assignments(student, NOW)
    assert row.status == Status.NOT_STARTED
    assert row.due_at == NOW + 2 * DAY
    assert row.attempts_allowed == 3


def test_another_students_work_and_archived_classes_are_not_shown(
    student, other_student, classroom
):
    Enrolment.objects.create(classroom=classroom, student=other_student, joined_at=NOW)
    theirs = assign(classroom, "Only for Bob")
    theirs.students.set([other_student])
    archived = ClassroomFactory(students=[student], archived=True)
    assign(archived, "Old class")
    assert home_assignments(student, NOW) == []
    assert [row.assignment for row in home_assignments(other_student, NOW)] == [theirs]


# --- Flashcard goals ----------------------------------------------------------


@pytest.fixture
def deck():
    """An essay of two sections, two published questions in each."""
    essay = EssayFactory(title="The Great Purge")
    first, second = (SectionFactory(essay=essay, heading=h) for h in ("Causes", "Ends"))
    questions = [
        single_choice_question(essay=essay, claim=ClaimFactory(section=section))
        for section in (first, first, second, second)
    ]
    return essay, (first, second), questions


def studied(student, question, *, stability: float, days_ago: float = 0):
    reviewed = NOW - timedelta(days=days_ago)
    return CardFactory(
        student=student,
        question=question,
        state=Card.State.REVIEW,
        stability=stability,
        difficulty=5,
        last_review=reviewed,
        due=reviewed + timedelta(days=stability),
        reps=1,
    )


def test_a_goal_counts_cards_studied_and_recall_on_the_due_date(
    student_client, student, classroom, deck
):
    essay, _, questions = deck
    CardGoalFactory(
        classroom=classroom, essay=essay, due_at=NOW + 7 * DAY, target_recall=0.9
    )
    studied(student, questions[0], stability=300)
    studied(student, questions[1], stability=300)
    CardFactory(student=student, question=questions[2])  # made, never studied

    [row] = home_assignments(student, NOW)

    assert (row.goal.cards, row.goal.studied) == (4, 2)
    # Two cards near 99 % on the due date and two counted 0.
    assert 0.49 < row.goal.recall < 0.5
    assert row.status == Status.IN_PROGRESS
    page = student_client.get("/").content.decode()
    assert "Studied: 2 of 4 cards" in page
    assert "Predicted recall on the due date: <strong>50%</strong> (goal 90%)" in page
    # "Study" posts to study_start, which makes the cards and opens them.
    assert reverse("study_start", kwargs={"slug": essay.slug}) in page


def test_a_goal_is_done_when_every_card_is_studied_and_recall_reaches_it(
    student, classroom, deck
):
    essay, _, questions = deck
    CardGoalFactory(classroom=classroom, essay=essay, due_at=NOW + 7 * DAY)
    cards = [studied(student, q, stability=300) for q in questions]
    [row] = home_assignments(student, NOW)
    assert row.status == Status.DONE
    assert row.goal.recall > 0.9
    # Cards that will be half forgotten by the due date do not reach 90 %.
    Card.objects.filter(pk=cards[0].pk).update(stability=0.1)
    [row] = home_assignments(student, NOW)
    assert row.goal.studied == 4
    assert row.status == Status.IN_PROGRESS


def test_a_section_goal_counts_only_its_section_and_skips_suspended_cards(
    student_client, student, classroom, deck
):
    essay, (first, second), questions = deck
    CardGoalFactory(classroom=classroom, essay=essay, section=second)
    studied(student, questions[2], stability=300)
    CardFactory(student=student, question=questions[3], suspended=True)
    [row] = home_assignments(student, NOW)
    assert (row.goal.cards, row.goal.studied) == (1, 1)
    page = student_client.get("/").content.decode()
    assert f'name="section" value="{second.order}"' in page
    assert "Flashcards: The Great Purge, Ends" in page


def test_a_goal_on_chosen_sentences_counts_only_theirs(student, classroom, deck):
    essay, _, questions = deck
    goal = CardGoalFactory(classroom=classroom, essay=essay)
    goal.claims.set([questions[0].claim, questions[3].claim])
    [row] = home_assignments(student, NOW)
    assert (row.goal.cards, row.goal.claims) == (2, 2)


def test_a_goal_past_its_due_date_not_reached_is_overdue(student, classroom, deck):
    essay, _, _ = deck
    CardGoalFactory(
        classroom=classroom, essay=essay, opens_at=NOW - 3 * DAY, due_at=NOW - DAY
    )
    [row] = home_assignments(student, NOW)
    assert row.status == Status.OVERDUE


# --- The quizzes one may take -------------------------------------------------


def test_only_quizzes_assigned_and_open_or_open_practice_are_listed(
    student_client, classroom
):
    closed_quiz("Nobody's")
    quiz_with([single_choice_question()], title="Free practice")  # open practice
    assign(classroom, "Ours")
    assign(classroom, "Not yet", opens_at=NOW + DAY, due_at=NOW + 2 * DAY)
    assign(classroom, "Shut", due_at=NOW - 2 * DAY, closes_at=NOW - DAY)
    AssignmentFactory(classroom=ClassroomFactory(), quiz=closed_quiz("Theirs"))

    page = student_client.get("/").content.decode()
    quizzes = page.split('id="quizzes-heading"')[1]

    assert "Free practice" in quizzes
    assert "Ours" in quizzes
    for hidden in ("Nobody's", "Not yet", "Shut", "Theirs"):
        assert hidden not in quizzes


def test_a_teacher_previews_every_published_quiz_and_joins_nothing(teacher_client):
    quiz = closed_quiz("Nobody's")
    page = teacher_client.get("/").content.decode()
    assert "Nobody&#x27;s" in page
    assert reverse("quiz_preview", kwargs={"pk": quiz.pk}) in page
    assert "Join a class" not in page
    assert "Your assignments" not in page


def test_the_quiz_list_counts_an_extensions_attempts(
    student_client, student, classroom
):
    assignment = assign(classroom, "Ours")
    assignment.quiz.attempts_allowed = 1
    assignment.quiz.save()
    AttemptFactory(
        quiz=assignment.quiz, student=student, assignment=assignment, finished_at=NOW
    )
    assignment.extensions.create(student=student, extra_attempts=1)
    quizzes = student_client.get("/").content.decode().split('id="quizzes-heading"')[1]
    assert "Attempts: 1 / 2" in quizzes
    assert "Try again" in quizzes


# --- A fixed number of queries ------------------------------------------------


def a_class_with_work(student, n: int, deck):
    classroom = ClassroomFactory(students=[student])
    essay, (first, _), questions = deck
    for i in range(n):
        assignment = assign(classroom, f"Quiz {i}")
        AttemptFactory(quiz=assignment.quiz, student=student, assignment=assignment)
        CardGoalFactory(classroom=classroom, essay=essay, section=first if i else None)
    return classroom


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_page_runs_as_many_queries_for_1_as_for_20_assignments(
    student_client, student, deck, django_assert_max_num_queries
):
    _, _, questions = deck
    studied(student, questions[0], stability=10)
    a_class_with_work(student, 1, deck)
    one = home_queries(student_client)
    Enrolment.objects.all().delete()
    a_class_with_work(student, 20, deck)
    assert home_queries(student_client) == one
    # The 7 of the page without goals, and the goals' sentences, questions
    # and cards.
    with django_assert_max_num_queries(10):
        student_client.get("/")


def test_the_home_page_runs_as_many_queries_in_3_classes_as_in_60(
    student_client, student, deck
):
    for _ in range(3):
        a_class_with_work(student, 1, deck)
    three = home_queries(student_client)
    for _ in range(57):
        a_class_with_work(student, 1, deck)
    assert len(home_assignments(student, NOW)) == 120
    assert home_queries(student_client) == three


# --- Joining a class ----------------------------------------------------------


def join(client, code: str) -> str:
    response = client.post(reverse("class_join"), {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    return response.content.decode()


def test_a_student_joins_with_the_code_and_is_told_the_class(student_client, student):
    classroom = ClassroomFactory(name="<b>10B</b> History")
    page = join(student_client, classroom.join_code.lower())
    assert "You joined &lt;b&gt;10B&lt;/b&gt; History." in page
    assert Enrolment.objects.filter(classroom=classroom, student=student).exists()


def test_a_wrong_or_closed_code_or_joining_twice_says_so(student_client, student):
    assert "No class has the code ABCDEFGH" in join(student_client, "ABCDEFGH")
    assert "A class code has 8 letters and digits" in join(student_client, "ABC")
    assert "Type the class code" in join(student_client, "")
    shut = ClassroomFactory(name="Shut class", join_open=False)
    assert "Shut class is not taking new students" in join(
        student_client, shut.join_code
    )
    mine = ClassroomFactory(name="Mine", students=[student])
    assert "You are already in Mine." in join(student_client, mine.join_code)
    assert Enrolment.objects.filter(student=student).count() == 1


def test_joining_needs_a_login_and_a_post(client, student_client):
    assert student_client.get(reverse("class_join")).status_code == 405
    client.logout()
    response = client.post(reverse("class_join"), {"code": "ABCDEFGH"})
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_the_join_form_is_on_the_home_page(student_client):
    page = student_client.get("/").content.decode()
    assert page.index("Join a class") < page.index("Your assignments")
    assert f'action="{reverse("class_join")}"' in page
    assert "csrfmiddlewaretoken" in page
