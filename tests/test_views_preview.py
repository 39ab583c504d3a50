"""Teachers' previews: a whole quiz, or one question from the admin, graded
by the students' grading code and never stored."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Attempt, Question, Response
from tests.factories import (
    PASSWORD,
    ClaimFactory,
    EssayFactory,
    SectionFactory,
    cloze_question,
    matching_question,
    multiple_answer_question,
    quiz_with,
    single_choice_question,
    true_false_question,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BODY = "Causes: Stalin feared rivals. Kirov was popular in Leningrad."


@pytest.fixture
def quiz():
    essay = EssayFactory(title="The Purge", body=BODY)
    section = SectionFactory(essay=essay, heading="Causes", end=len(BODY))
    claim = ClaimFactory(section=section, start=8, end=29)
    questions = [
        single_choice_question(essay=essay, claim=claim, prompt="Pick the right one"),
        true_false_question(essay=essay, claim=claim, is_true=False),
        cloze_question(essay=essay, claim=claim, answers=["Beria", "Lavrenty Beria"]),
        matching_question(essay=essay, claim=claim),
        multiple_answer_question(essay=essay, claim=claim),
    ]
    for question in questions:
        question.explanation = "A secret explanation."
        question.save()
    return quiz_with(questions, shuffle_choices=True)


def preview_url(quiz) -> str:
    return reverse("quiz_preview", kwargs={"pk": quiz.pk})


def answer_url(question: Question) -> str:
    return reverse("preview_answer", kwargs={"question_id": question.pk})


def hidden(page: str, question: Question) -> dict:
    """The hidden fields of the question's form on a preview page."""
    form = re.search(
        rf'<form [^>]*action="{answer_url(question)}".*?</form>', page, re.S
    ).group()
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))


def shown_texts(page: str, question: Question) -> list[str]:
    section = re.search(
        rf'<section id="preview-{question.pk}".*?</section>', page, re.S
    ).group()
    return re.findall(r'<span class="choice-text">([^<]*)</span>', section)


# --- Who previews ---------------------------------------------------------------


def test_home_offers_teachers_a_preview_and_students_a_start(
    client, teacher, student, quiz
):
    client.login(username=teacher.username, password=PASSWORD)
    page = client.get("/").content.decode()
    assert f'href="{preview_url(quiz)}"' in page
    assert ">Preview</a>" in page
    assert reverse("quiz_start", kwargs={"pk": quiz.pk}) not in page
    assert "Attempts:" not in page
    client.login(username=student.username, password=PASSWORD)
    page = client.get("/").content.decode()
    assert preview_url(quiz) not in page
    assert ">Start</button>" in page


def test_a_teachers_home_runs_a_fixed_number_of_queries(
    teacher_client, quiz, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as one:
        teacher_client.get("/")
    for _ in range(4):
        quiz_with([single_choice_question(essay=quiz.essay)])
    # New questions published: the essays' list is made again (its version,
    # the essays, their sections): 8; kept, 6.
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as five:
        page = teacher_client.get("/").content.decode()
    assert page.count(">Preview</a>") == 5
    assert len(one) == len(five)
    with django_assert_max_num_queries(6):
        assert teacher_client.get("/").content.decode().count(">Preview</a>") == 5


def test_a_quiz_not_yet_published_is_previewed_with_a_note(teacher_client, quiz):
    quiz.is_published = False
    quiz.save()
    page = teacher_client.get(preview_url(quiz)).content.decode()
    assert "Students do not see this quiz until it is published." in page
    assert page.count('<form class="question-form"') == 5


def test_a_teacher_pressing_an_old_start_button_gets_the_preview(teacher_client, quiz):
    response = teacher_client.post(reverse("quiz_start", kwargs={"pk": quiz.pk}))
    assert response.url == preview_url(quiz)
    assert not Attempt.objects.exists()


def test_previews_are_404_to_students_and_ask_visitors_to_log_in(client, student, quiz):
    question = quiz.questions.first()
    data = {"seed": "1", "shuffle": "false", "choice": "0"}
    assert client.get(preview_url(quiz)).url.startswith(reverse("login"))
    assert client.post(answer_url(question), data).url.startswith(reverse("login"))
    client.login(username=student.username, password=PASSWORD)
    assert client.get(preview_url(quiz)).status_code == 404
    assert client.post(answer_url(question), data).status_code == 404
    assert client.post(answer_url(question), data, **HTMX).status_code == 404


# --- The quiz's page -------------------------------------------------------------


def test_the_preview_shows_every_question_and_no_answer(teacher_client, quiz):
    page = teacher_client.get(preview_url(quiz)).content.decode()
    questions = [item.question for item in quiz.items.order_by("order")]
    assert page.count('<form class="question-form"') == len(questions)
    for question in questions:
        assert f'hx-post="{answer_url(question)}"' in page
        assert f'hx-target="#preview-{question.pk}"' in page
        assert question.prompt in page
    assert "Preview of “" in page
    assert "never stored" in page
    # Nothing gives an answer away before the teacher answers.
    assert "A secret explanation." not in page
    assert "Beria" not in page
    assert "correct" not in page.lower()
    assert "checked" not in page
    assert "<mark>" not in page
    assert "feared rivals" not in page


def test_a_draft_question_is_left_out_as_students_would_not_see_it(
    teacher_client, quiz
):
    draft = quiz.questions.get(kind=Question.Kind.CLOZE)
    draft.status = Question.Status.DRAFT
    draft.save()
    page = teacher_client.get(preview_url(quiz)).content.decode()
    assert answer_url(draft) not in page
    assert page.count('<form class="question-form"') == 4


def test_the_preview_page_runs_a_fixed_number_of_queries(
    teacher_client, django_assert_max_num_queries
):
    essay = EssayFactory()
    counts = []
    for size in (5, 50):
        makers = [single_choice_question, true_false_question, cloze_question]
        makers += [matching_question]
        quiz = quiz_with([makers[n % 4](essay=essay) for n in range(size)])
        with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as ctx:
            page = teacher_client.get(preview_url(quiz)).content.decode()
        assert page.count('<form class="question-form"') == size
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# --- Answering ---------------------------------------------------------------------


def test_an_answer_is_graded_with_its_feedback_and_stored_nowhere(teacher_client, quiz):
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    page = teacher_client.get(preview_url(quiz)).content.decode()
    texts = shown_texts(page, single)
    data = hidden(page, single) | {"choice": texts.index("Wrong answer A")}
    response = teacher_client.post(answer_url(single), data, **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<section id="preview-{single.pk}"')
    assert "<html" not in fragment
    assert "Not quite" in fragment
    assert re.search(
        r"Right answer</span>\s*<small class=\"marked-tag\">right", fragment
    )
    assert "A secret explanation." in fragment
    assert "<mark>Stalin feared rivals.</mark>" in fragment
    data["choice"] = texts.index("Right answer")
    assert (
        "Correct"
        in teacher_client.post(answer_url(single), data, **HTMX).content.decode()
    )
    assert Attempt.objects.count() == 0
    assert Response.objects.count() == 0


def test_matching_and_typed_answers_are_graded_as_shown(teacher_client, quiz):
    matching = quiz.questions.get(kind=Question.Kind.MATCHING)
    cloze = quiz.questions.get(kind=Question.Kind.CLOZE)
    page = teacher_client.get(preview_url(quiz)).content.decode()
    # Two pairs are always shown swapped: option 1 matches item 0.
    data = hidden(page, matching) | {"match-0": "1", "match-1": "0"}
    fragment = teacher_client.post(answer_url(matching), data).content.decode()
    assert "Correct" in fragment
    assert "<html" in fragment  # without htmx: a page of its own
    data = hidden(page, cloze) | {"text": "berja"}
    fragment = teacher_client.post(answer_url(cloze), data, **HTMX).content.decode()
    assert "Accepted; the spelling is <strong>Beria</strong>." in fragment
    assert not Response.objects.exists()


def test_a_refused_preview_answer_keeps_the_form(teacher_client, quiz):
    matching = quiz.questions.get(kind=Question.Kind.MATCHING)
    page = teacher_client.get(preview_url(quiz)).content.decode()
    data = hidden(page, matching) | {"match-0": "1", "match-1": ""}
    response = teacher_client.post(answer_url(matching), data, **HTMX)
    assert response.status_code == 422
    fragment = response.content.decode()
    assert "Match every item before submitting." in fragment
    assert '<option value="1" selected>' in fragment
    assert 'aria-invalid="true"' in fragment
    assert 'class="question-form"' in fragment


def test_a_preview_answer_without_its_seed_is_a_400(teacher_client, quiz):
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    for seed in ("", "x", "-1", str(2**40)):
        response = teacher_client.post(answer_url(single), {"seed": seed, "choice": 0})
        assert response.status_code == 400
    missing = reverse("preview_answer", kwargs={"question_id": 10**25})
    assert teacher_client.post(missing, {"seed": "1"}).status_code == 404


def test_preview_answers_need_the_csrf_token(teacher, quiz):
    client = Client(enforce_csrf_checks=True)
    client.login(username=teacher.username, password=PASSWORD)
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    data = {"seed": "1", "shuffle": "false", "choice": "0"}
    assert client.post(answer_url(single), data, **HTMX).status_code == 403
    client.get(preview_url(quiz))
    token = client.cookies["csrftoken"].value
    response = client.post(answer_url(single), data, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert response.status_code == 200


def test_a_preview_answer_runs_a_fixed_number_of_queries(
    teacher_client, quiz, django_assert_max_num_queries
):
    for question in quiz.questions.all():
        data = {"seed": "7", "shuffle": "true", "choice": "0", "value": "true"}
        data |= {"text": "x", "match-0": "0", "match-1": "1"}
        with django_assert_max_num_queries(7):
            response = teacher_client.post(answer_url(question), data, **HTMX)
        assert response.status_code == 200


# --- The admin's per-question preview ---------------------------------------------


def test_the_admins_question_preview_submits_and_shows_feedback(teacher_client, quiz):
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    single.status = Question.Status.DRAFT  # a draft is previewed too
    single.save()
    url = reverse("admin:quizzes_question_preview", args=[single.pk])
    page = teacher_client.get(url).content.decode()
    assert "never stored" in page
    assert "A secret explanation." not in page
    data = hidden(page, single) | {
        "choice": shown_texts(page, single).index("Right answer")
    }
    fragment = teacher_client.post(answer_url(single), data, **HTMX).content.decode()
    assert "Correct" in fragment
    assert "A secret explanation." in fragment
    assert not Response.objects.exists()
