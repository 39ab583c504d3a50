"""The class dashboard: the grid's numbers, its sort, its CSV export and
histograms, and the fixed number of queries it runs."""

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import scheduling
from quizzes.models import Attempt, Extension, Quiz
from quizzes.selectors.gradebook import gradebook
from quizzes.services.gradebook import response_override
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    CardFactory,
    CardGoalFactory,
    ClaimFactory,
    ClassroomFactory,
    EssayFactory,
    QuestionFactory,
    UserFactory,
    quiz_with,
    true_false_question,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Dozens of students each: hashing their passwords properly would take
    # most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def students():
    return [
        UserFactory(username="alice", first_name="Alice", last_name="Adams"),
        UserFactory(username="bob", first_name="Bob", last_name="Brown"),
        UserFactory(username="cara", first_name="Cara", last_name="Chen"),
    ]


@pytest.fixture
def classroom(teacher, students):
    return ClassroomFactory(teacher=teacher, students=students, name="Year 11 History")


@pytest.fixture
def quiz():
    return quiz_with([true_false_question() for _ in range(4)], title="Purge quiz")


@pytest.fixture
def assignment(classroom, quiz):
    return AssignmentFactory(
        classroom=classroom,
        quiz=quiz,
        title="Causes quiz",
        opens_at=NOW - timedelta(days=7),
        due_at=NOW - timedelta(days=1),
    )


def sat(student, assignment, score, *, hours_ago=48, **kwargs):
    """A finished attempt at the assignment, this many hours ago."""
    finished = NOW - timedelta(hours=hours_ago)
    return AttemptFactory(
        quiz=assignment.quiz,
        student=student,
        assignment=assignment,
        started_at=finished - timedelta(minutes=10),
        finished_at=finished,
        score=score,
        points=score / 25,
        **kwargs,
    )


def cell(book, username, column=0):
    row = next(r for r in book.rows if r.student.username == username)
    return row.cells[column]


def gradebook_url(classroom, **query):
    url = reverse("teach_gradebook", kwargs={"pk": classroom.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- The numbers -------------------------------------------------------------


def test_a_quiz_cell_shows_the_highest_attempt_and_counts_the_attempts(
    classroom, assignment, students
):
    alice = students[0]
    sat(alice, assignment, 75, hours_ago=50)
    sat(alice, assignment, 50, hours_ago=49)
    found = cell(gradebook(classroom=classroom, now=NOW), "alice")
    assert (found.value, found.attempts, found.late) == (75, 2, False)


def test_a_quiz_graded_by_the_last_attempt_shows_the_last_finished_one(
    classroom, assignment, quiz, students
):
    quiz.grading = Quiz.Grading.LAST
    quiz.save()
    alice = students[0]
    sat(alice, assignment, 75, hours_ago=50)
    last = sat(alice, assignment, 50, hours_ago=49)
    # An attempt still open has no score: the last finished one stands.
    AttemptFactory(quiz=quiz, student=alice, assignment=assignment)
    found = cell(gradebook(classroom=classroom, now=NOW), "alice")
    assert (found.value, found.attempts, found.attempt_id) == (50, 3, last.pk)


def test_practice_runs_and_other_classes_attempts_do_not_count(
    classroom, assignment, quiz, students
):
    alice = students[0]
    counted = sat(alice, assignment, 50)
    sat(alice, assignment, 100, is_practice=True, practice_of=counted)
    # The same quiz sat for no assignment (open practice) counts nowhere.
    AttemptFactory(quiz=quiz, student=alice, score=100, finished_at=NOW)
    found = cell(gradebook(classroom=classroom, now=NOW), "alice")
    assert (found.value, found.attempts) == (50, 1)


def test_an_attempt_finished_after_the_due_date_is_late_unless_extended(
    classroom, assignment, students, teacher
):
    alice, bob, _cara = students
    sat(alice, assignment, 100, hours_ago=2)  # due a day ago
    sat(bob, assignment, 100, hours_ago=2)
    sat(students[2], assignment, 100, hours_ago=30)  # in time
    Extension.objects.create(
        assignment=assignment, student=bob, due_at=NOW, granted_by=teacher
    )
    book = gradebook(classroom=classroom, now=NOW)
    assert [cell(book, name).late for name in ("alice", "bob", "cara")] == [
        True,
        False,
        False,
    ]
    assert cell(book, "bob").extension is not None


def test_past_the_due_date_nothing_finished_is_missing(classroom, assignment, quiz):
    book = gradebook(classroom=classroom, now=NOW)
    assert cell(book, "alice").missing
    AttemptFactory(quiz=quiz, student=book.rows[0].student, assignment=assignment)
    book = gradebook(classroom=classroom, now=NOW)
    assert cell(book, "alice").in_progress
    assert cell(book, "alice").value is None


def test_a_changed_score_is_what_the_grid_shows(
    classroom, assignment, students, teacher
):
    attempt = sat(students[0], assignment, 50)
    responses = [
        attempt.responses.create(
            question_id=pk,
            snapshot={},
            answer={},
            score=1 if i < 2 else 0,
            is_correct=i < 2,
            answered_at=NOW,
        )
        for i, pk in enumerate(attempt.question_ids)
    ]
    response_override(
        response=responses[2], teacher=teacher, score=0.5, comment="", now=NOW
    )
    assert cell(gradebook(classroom=classroom, now=NOW), "alice").value == 63  # 62.5


def test_an_assignment_for_some_students_leaves_the_others_blank(
    classroom, assignment, students, client, teacher
):
    assignment.students.set([students[0]])
    book = gradebook(classroom=classroom, now=NOW)
    assert cell(book, "alice").assigned
    assert not cell(book, "bob").assigned
    client.force_login(teacher)
    assert "not assigned" in client.get(gradebook_url(classroom)).content.decode()


def test_a_flashcard_goal_cell_shows_cards_studied_and_recall_at_the_due_date(
    classroom, students
):
    essay = EssayFactory()
    questions = [QuestionFactory(essay=essay) for _ in range(4)]
    QuestionFactory(essay=essay, status="draft")  # not a card anyone studies
    goal = CardGoalFactory(
        classroom=classroom, essay=essay, due_at=NOW + timedelta(days=3)
    )
    alice = students[0]
    states = []
    for question, stability in zip(questions[:3], (30.0, 60.0, 90.0), strict=False):
        CardFactory(
            student=alice,
            question=question,
            state=2,
            stability=stability,
            last_review=NOW - timedelta(days=1),
            due=NOW + timedelta(days=20),
        )
        states.append(
            scheduling.CardState(
                state=2, stability=stability, last_review=NOW - timedelta(days=1)
            )
        )
    CardFactory(student=alice, question=questions[3])  # made, never studied
    book = gradebook(classroom=classroom, now=NOW)
    expected = sum(scheduling.retrievability(s, now=goal.due_at) for s in states) / 4
    found = cell(book, "alice")
    assert (found.studied, found.total) == (3, 4)
    assert found.value == round(100 * expected)
    assert not found.met  # a card is not studied yet
    assert (cell(book, "bob").studied, cell(book, "bob").value) == (0, 0)


def test_a_goal_on_chosen_claims_counts_only_their_cards(classroom, students):
    essay = EssayFactory()
    chosen, other = ClaimFactory(essay=essay), ClaimFactory(essay=essay)
    for claim in (chosen, chosen, other):
        QuestionFactory(essay=essay, claim=claim)
    goal = CardGoalFactory(classroom=classroom, essay=essay)
    goal.claims.set([chosen])
    assert cell(gradebook(classroom=classroom, now=NOW), "alice").total == 2


# --- Sorting -----------------------------------------------------------------


def names(book):
    return [row.student.username for row in book.rows]


def test_the_grid_sorts_by_any_column_with_blank_cells_last(
    classroom, assignment, students
):
    sat(students[0], assignment, 50)
    sat(students[2], assignment, 100)
    key = f"a{assignment.pk}"
    assert names(gradebook(classroom=classroom, now=NOW)) == ["alice", "bob", "cara"]
    book = gradebook(classroom=classroom, now=NOW, sort="name", direction="desc")
    assert names(book) == ["cara", "bob", "alice"]
    book = gradebook(classroom=classroom, now=NOW, sort=key, direction="desc")
    assert names(book) == ["cara", "alice", "bob"]
    book = gradebook(classroom=classroom, now=NOW, sort=key, direction="asc")
    assert names(book) == ["alice", "cara", "bob"]
    # Anything else is the default: by name, A to Z.
    book = gradebook(
        classroom=classroom, now=NOW, sort="a0; drop", direction="sideways"
    )
    assert (names(book), book.sort, book.direction) == (
        ["alice", "bob", "cara"],
        "name",
        "asc",
    )


def test_the_page_says_the_sort_and_htmx_gets_only_the_grid(
    client, teacher, classroom, assignment, students
):
    sat(students[0], assignment, 50)
    client.force_login(teacher)
    key = f"a{assignment.pk}"
    page = client.get(gradebook_url(classroom, sort=key, dir="desc")).content.decode()
    assert 'aria-sort="descending"' in page
    assert "sorted by Causes quiz, highest first" in page
    assert "(sorted highest first)" in page
    # The heading's link asks for the other order; the name's for A to Z.
    assert f'href="?sort={key}&amp;dir=asc"' in page
    assert 'href="?sort=name&amp;dir=asc"' in page
    grid = client.get(
        gradebook_url(classroom, sort="name", dir="desc"), HTTP_HX_REQUEST="true"
    )
    text = grid.content.decode()
    assert "<html" not in text
    assert 'id="gradebook"' in text
    assert text.index("Cara Chen") < text.index("Alice Adams")
    assert "HX-Request" in grid["Vary"]


# --- The export --------------------------------------------------------------


class _Table(HTMLParser):
    """The gradebook table's cells, as text, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell, self._in_table = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "gradebook") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif self._in_table and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _numbers(texts) -> list[int]:
    return sorted(int(n) for text in texts for n in re.findall(r"\d+", text))


def test_the_csv_has_exactly_the_numbers_the_page_shows(
    client, teacher, classroom, assignment, students, quiz
):
    sat(students[0], assignment, 75, hours_ago=3)  # late
    sat(students[0], assignment, 25)
    sat(students[1], assignment, 50)
    essay = EssayFactory()
    question = QuestionFactory(essay=essay)
    CardGoalFactory(classroom=classroom, essay=essay, title="Cards")
    CardFactory(
        student=students[1],
        question=question,
        state=2,
        stability=40.0,
        last_review=NOW,
    )
    client.force_login(teacher)
    query = {"sort": f"a{assignment.pk}", "dir": "desc"}
    parser = _Table()
    parser.feed(client.get(gradebook_url(classroom, **query)).content.decode())
    page = parser.rows[1:]  # under the heading
    response = client.get(
        reverse("teach_gradebook_csv", kwargs={"pk": classroom.pk}), query
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "year-11-history-gradebook.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "Student",
        "Username",
        "Causes quiz: score (%)",
        "Causes quiz: late",
        "Causes quiz: attempts",
    ]
    assert rows[0][5:] == [
        "Cards: cards studied",
        "Cards: cards",
        "Cards: recall at due date (%)",
        "Cards: target 90% met",
    ]
    assert [row[1] for row in rows[1:]] == ["alice", "bob", "cara"]
    assert rows[1][:5] == ["Alice Adams", "alice", "75", "late", "2"]
    for line, shown in zip(rows[1:], page, strict=True):
        assert shown[0].startswith(line[0])
        assert _numbers(shown[1:]) == _numbers(line[2:]), (line, shown)
        assert ("late" in shown[1]) == (line[3] == "late")


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(
    client, teacher, classroom, quiz
):
    mallory = UserFactory(username="mallory", first_name='=HYPERLINK("x")')
    classroom.enrolments.create(student=mallory, joined_at=NOW)
    AssignmentFactory(classroom=classroom, quiz=quiz, title="+SUM(A1:A9)")
    client.force_login(teacher)
    response = client.get(reverse("teach_gradebook_csv", kwargs={"pk": classroom.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2] == "'+SUM(A1:A9): score (%)"
    assert ['\'=HYPERLINK("x")', "mallory"] in [row[:2] for row in rows]


@pytest.mark.parametrize(
    ("first_name", "username", "cells"),
    [
        ("+1", "plus", ["'+1", "plus"]),
        ("@SUM(A1)", "at", ["'@SUM(A1)", "at"]),
        ("-2+3", "-minus", ["'-2+3", "'-minus"]),
        ('=HYPERLINK("x";"y")', "@home", ['\'=HYPERLINK("x";"y")', "'@home"]),
        ("Anne-Marie", "anne", ["Anne-Marie", "anne"]),
    ],
)
def test_every_typed_cell_of_the_csv_is_text_in_a_spreadsheet(
    client, teacher, classroom, quiz, first_name, username, cells
):
    student = UserFactory(username=username, first_name=first_name)
    classroom.enrolments.create(student=student, joined_at=NOW)
    AssignmentFactory(classroom=classroom, quiz=quiz, title="-Quiz, @once")
    client.force_login(teacher)
    response = client.get(reverse("teach_gradebook_csv", kwargs={"pk": classroom.pk}))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][2] == "'-Quiz, @once: score (%)"
    assert cells in [row[:2] for row in rows]
    # Every cell in quotes: a spreadsheet splitting at another separator
    # still reads each one whole.
    assert text.startswith('"Student","Username","\'-Quiz, @once: score (%)"')


def test_names_and_titles_are_escaped_on_the_page(client, teacher, classroom, quiz):
    al = UserFactory(username="al", first_name="<b>Al</b>")
    classroom.enrolments.create(student=al, joined_at=NOW)
    AssignmentFactory(classroom=classroom, quiz=quiz, title="<script>x</script>")
    client.force_login(teacher)
    page = client.get(gradebook_url(classroom)).content.decode()
    assert "<script>x" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;Al&lt;/b&gt;" in page


# --- Histograms --------------------------------------------------------------


def test_each_assignment_has_a_histogram_of_the_scores_shown(
    client, teacher, classroom, assignment, students
):
    for student, score in zip(students, (9.6, 10, 100), strict=True):
        sat(student, assignment, score)
    chart = gradebook(classroom=classroom, now=NOW).columns[0].histogram
    # 9.6 shows as 10 %, and is counted where it shows.
    assert [b["n"] for b in chart["bins"]] == [0, 2, 0, 0, 0, 0, 0, 0, 0, 1]
    client.force_login(teacher)
    page = client.get(gradebook_url(classroom)).content.decode()
    assert "Causes quiz: 2 at 10–19%; 1 at 90–100%." in page  # the SVG's title
    assert "<td>10–19</td><td>2</td>" in page  # and its table


# --- Queries -----------------------------------------------------------------


def _class_of(size: int, assignments: int):
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"s{size}-{assignments}-{i}") for i in range(size)
    )
    classroom = ClassroomFactory(students=users)
    students = list(classroom.students.all())
    essay = EssayFactory()
    questions = [QuestionFactory(essay=essay) for _ in range(3)]
    quiz = quiz_with(questions)
    attempts, cards = [], []
    for n in range(assignments):
        if n % 5 == 4:
            CardGoalFactory(classroom=classroom, essay=essay)
            continue
        assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
        Extension.objects.create(assignment=assignment, student=students[0])
        for student in students:
            for score in (40, 80):
                attempts.append(
                    Attempt(
                        quiz=quiz,
                        student=student,
                        assignment=assignment,
                        seed=1,
                        question_ids=[q.pk for q in questions],
                        started_at=NOW,
                        finished_at=NOW,
                        score=score,
                        max_points=3,
                    )
                )
    for student in students:
        cards += [
            CardFactory.build(
                student=student, question=q, state=2, stability=9.0, last_review=NOW
            )
            for q in questions
        ]
    Attempt.objects.bulk_create(attempts)
    type(cards[0]).objects.bulk_create(cards)
    return classroom


# Four for the session, the user and the teacher's rights; the class; nine
# for the grid.
QUERY_BOUND = 14


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, teacher, django_assert_max_num_queries
):
    client.force_login(teacher)
    counts = {}
    for size in (3, 60):
        for assignments in (1, 10):
            classroom = _class_of(size, assignments)
            classroom.teachers.add(teacher)
            with (
                django_assert_max_num_queries(QUERY_BOUND),
                CaptureQueriesContext(connection) as queries,
            ):
                page = client.get(gradebook_url(classroom))
            assert page.content.decode().count('<th scope="row"') == size
            counts[size, assignments] = len(queries)
    assert counts[3, 1] == counts[60, 1]
    assert counts[3, 10] == counts[60, 10]
    with django_assert_max_num_queries(QUERY_BOUND):
        client.get(reverse("teach_gradebook_csv", kwargs={"pk": classroom.pk}))
