"""The item analysis page: a teacher sees each question's Moodle statistics
for their class, the questions to look at, and what each choice drew."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from quizzes import analysis, services
from quizzes.models import Attempt, Response
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    TeacherFactory,
    cloze_question,
    multiple_answer_question,
    quiz_with,
    single_choice_question,
    true_false_question,
)

pytestmark = pytest.mark.django_db

# What each student sends, question by question (choice positions in the
# order shown: the quiz does not shuffle). Everyone gets Q1 right (too easy);
# Q2 and Q3 go with the rest of the quiz; Q4 is right only for a weaker
# student (too hard, and a negative discrimination).
#           Q1 single   Q2 true/false  Q3 multiple          Q4 cloze
ANSWERS = [
    ("choice=0", "value=true", "choice=0&choice=1", "text=wrong"),
    ("choice=0", "value=true", "choice=0&choice=1", "text=wrong"),
    ("choice=0", "value=true", "choice=0&choice=1", "text=wrong"),
    ("choice=0", "value=false", "choice=0", "text=wrong"),
    ("choice=0", "value=false", "choice=0", "text=Yezhov"),
    ("choice=0", "value=false", "choice=2&choice=3", "text=wrong"),
]
# Their marks: the table the page must analyse.
MARKS = [
    [1, 1, 1, 0],
    [1, 1, 1, 0],
    [1, 1, 1, 0],
    [1, 0, 0.5, 0],
    [1, 0, 0.5, 1],
    [1, 0, 0, 0],
]


def pupils(count: int, prefix: str = "pupil") -> list:
    """Students without passwords: hashing one takes a good part of a second."""
    User = get_user_model()
    return User.objects.bulk_create(User(username=f"{prefix}{n}") for n in range(count))


def sit(quiz, student, answers):
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    for question_id, data in zip(attempt.question_ids, answers, strict=False):
        services.attempts.attempt_answer(
            attempt_id=attempt.pk,
            student=student,
            question_id=question_id,
            data=QueryDict(data),
        )
    attempt.refresh_from_db()
    return services.attempts.attempt_finish(attempt=attempt)


@pytest.fixture
def taught():
    teacher = TeacherFactory()
    students = pupils(len(ANSWERS))
    classroom = ClassroomFactory(teacher=teacher, students=students, name="Year 11")
    questions = [
        single_choice_question(prompt="Who was killed in 1934 <b>first</b>?"),
        true_false_question(prompt="The purge began in 1936."),
        multiple_answer_question(prompt="Which were show trials?"),
        cloze_question(prompt="The NKVD chief in 1937 was _____."),
    ]
    quiz = quiz_with(questions, title="Purge quiz")
    AssignmentFactory(classroom=classroom, quiz=quiz)
    for student, answers in zip(students, ANSWERS, strict=True):
        sit(quiz, student, answers)
    return {
        "teacher": teacher,
        "classroom": classroom,
        "quiz": quiz,
        "questions": questions,
        "students": students,
        "url": reverse("teach_analysis", kwargs={"pk": classroom.pk, "quiz": quiz.pk}),
    }


@pytest.fixture
def teacher_in(client, taught):
    client.force_login(taught["teacher"])
    return client


def test_the_page_shows_each_questions_moodle_numbers(teacher_in, taught):
    page = teacher_in.get(taught["url"])

    assert page.status_code == 200
    text = page.content.decode()
    assert "Item analysis: Purge quiz" in text
    assert "6 finished attempts by 6 students of the class" in text
    # The same numbers quizzes.analysis gives for the students' marks.
    expected = analysis.analyse(MARKS).items
    q2 = page.context["report"].questions[1].stats
    assert q2.facility == pytest.approx(50)
    assert q2.discrimination == pytest.approx(expected[1].discrimination)
    assert f"{expected[1].discrimination:.2f}" in text
    assert f"{expected[2].efficiency:.2f} %" in text
    # A true/false guess scores half, a single choice of three a third.
    assert "50.00 %" in text
    assert "33.33 %" in text
    # The test's own numbers.
    assert "Mean total" in text
    assert "2.33 of 4 (58.33 %)" in text
    # What a teacher typed is escaped.
    assert "&lt;b&gt;first&lt;/b&gt;" in text
    assert "<b>first</b>" not in text


def test_flagged_questions_say_why_and_link_to_their_editor(teacher_in, taught):
    text = teacher_in.get(taught["url"]).content.decode()
    q1, _, _, q4 = taught["questions"]

    assert "Questions to look at" in text
    assert "Easy: students earned 100 % of its mark" in text
    assert "Hard: students earned 17 % of its mark" in text
    assert "Negative discrimination" in text
    assert "did worse on the rest of the quiz did better" in text
    for question in (q1, q4):
        edit = reverse("admin:quizzes_question_change", args=[question.pk])
        assert f'href="{edit}"' in text
    assert "Edit question 1" in text
    assert "Edit question 4" in text
    assert "Edit question 2" not in text
    assert text.count('class="is-flagged"') == 2


def test_each_choice_shows_how_many_picked_it(teacher_in, taught):
    report = teacher_in.get(taught["url"]).context["report"]
    single, true_false, multiple, cloze = report.questions

    assert [(c.text, c.count) for c in single.choices] == [
        ("Right answer", 6),
        ("Wrong answer A", 0),
        ("Wrong answer B", 0),
    ]
    assert [(c.text, c.count) for c in true_false.choices] == [
        ("True", 3),
        ("False", 3),
    ]
    assert [(c.text, c.count) for c in multiple.choices] == [
        ("Right A", 5),
        ("Right B", 3),
        ("Wrong C", 1),
        ("Wrong D", 1),
    ]
    assert cloze.choices == []
    assert multiple.responses == 6


def test_the_teacher_chooses_which_attempts_count(teacher_in, taught):
    # The first student sits again and gets everything wrong: the graded
    # attempt (the highest) stays the first one.
    first = taught["students"][0]
    sit(taught["quiz"], first, ("choice=1", "value=false", "choice=2", "text=x"))

    graded = teacher_in.get(taught["url"]).context["report"]
    firsts = teacher_in.get(taught["url"], {"attempts": "first"}).context["report"]
    every = teacher_in.get(taught["url"], {"attempts": "all"})

    assert graded.attempts == firsts.attempts == 6
    assert graded.questions[0].stats.facility == 100
    assert "7 finished attempts by 6 students" in every.content.decode()
    assert every.context["report"].questions[0].stats.facility == pytest.approx(600 / 7)
    # Grading by the last attempt: the new one counts.
    taught["quiz"].grading = "last"
    taught["quiz"].save()
    last = teacher_in.get(taught["url"]).context["report"]
    assert last.questions[0].stats.facility == pytest.approx(500 / 6)
    assert "each student&#x27;s last" in teacher_in.get(taught["url"]).content.decode()


def test_practice_open_and_outside_attempts_are_not_counted(teacher_in, taught):
    quiz = taught["quiz"]
    (outsider,) = pupils(1, prefix="outsider")
    sit(quiz, outsider, ANSWERS[0])
    services.attempts.attempt_start(quiz=quiz, student=taught["students"][1])

    report = teacher_in.get(taught["url"]).context["report"]

    assert report.attempts == 6


def test_a_question_added_after_the_attempts_has_none(teacher_in, taught):
    late = single_choice_question(essay=taught["quiz"].essay, prompt="Added later")
    taught["quiz"].items.create(question=late, order=9)

    report = teacher_in.get(taught["url"]).context["report"]

    assert report.questions[4].stats.attempts == 0
    assert report.questions[4].stats.facility is None
    assert report.test.mean == pytest.approx(14 / 6)  # the other four only


def test_the_htmx_request_gets_the_report_alone(teacher_in, taught):
    part = teacher_in.get(taught["url"], {"attempts": "first"}, HTTP_HX_REQUEST="true")
    text = part.content.decode()

    assert 'id="report"' in text
    assert 'hx-swap-oob="true"' in text
    assert "<h1>" not in text
    assert part["Vary"] == "HX-Request" or "HX-Request" in part["Vary"]


def test_a_class_without_finished_attempts_is_told_so(client):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher, students=pupils(1))
    quiz = quiz_with([single_choice_question()])
    AssignmentFactory(classroom=classroom, quiz=quiz)
    client.force_login(teacher)

    page = client.get(
        reverse("teach_analysis", kwargs={"pk": classroom.pk, "quiz": quiz.pk})
    )

    assert (
        "No finished attempts by students of this class yet." in page.content.decode()
    )


def test_a_quiz_not_assigned_to_the_class_is_not_found(teacher_in, taught):
    other = quiz_with([single_choice_question()])
    url = reverse(
        "teach_analysis", kwargs={"pk": taught["classroom"].pk, "quiz": other.pk}
    )
    assert teacher_in.get(url).status_code == 404


def _class_of(size: int):
    """A class of ``size`` students who each sat the quiz, a third of them
    twice; made row by row in bulk, as sitting it through the services
    would take a minute for 60 students."""
    teacher = TeacherFactory()
    students = pupils(size)
    classroom = ClassroomFactory(teacher=teacher, students=students)
    questions = [single_choice_question(), true_false_question(), cloze_question()]
    quiz = quiz_with(questions)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    ids = [question.pk for question in questions]
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            student=student,
            seed=1,
            question_ids=ids,
            started_at=now - timedelta(minutes=sitting),
            finished_at=now,
            score=50,
        )
        for n, student in enumerate(students)
        for sitting in range(1 + (n % 3 == 0))
    )
    choices = [
        {"id": c.pk, "text": c.text, "is_correct": c.is_correct}
        for c in questions[0].choices.all()
    ]
    Response.objects.bulk_create(
        Response(
            attempt=attempt,
            question=question,
            snapshot={"choices": choices if question.kind == "single" else []},
            answer=answer,
            score=n % 2,
            is_correct=bool(n % 2),
            answered_at=now,
        )
        for n, attempt in enumerate(attempts)
        for question, answer in zip(
            questions,
            [
                {"choice_ids": [choices[n % 3]["id"]]},
                {"value": bool(n % 2)},
                {"text": "x"},
            ],
            strict=True,
        )
    )
    return teacher, reverse(
        "teach_analysis", kwargs={"pk": classroom.pk, "quiz": quiz.pk}
    )


@pytest.mark.parametrize("size", [3, 60])
def test_the_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    teacher, url = _class_of(size)
    client.force_login(teacher)

    with django_assert_max_num_queries(10):
        page = client.get(url, {"attempts": "all"})

    assert page.status_code == 200
    report = page.context["report"]
    assert report.attempts == size + (size + 2) // 3
    assert sum(c.count for c in report.questions[0].choices) == report.attempts
