import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import selectors, services
from quizzes.models import Attempt, Choice, Question, Quiz, Response
from tests.factories import (
    PASSWORD,
    AttemptFactory,
    ClaimFactory,
    EssayFactory,
    QuestionFactory,
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


def question_url(attempt: Attempt, n: int) -> str:
    return reverse("attempt_question", kwargs={"pk": attempt.pk, "n": n})


def answer_url(attempt: Attempt, question: Question) -> str:
    return reverse(
        "attempt_answer", kwargs={"pk": attempt.pk, "question_id": question.pk}
    )


def shown(attempt: Attempt, question: Question) -> list[int]:
    """The question's choice ids in the order this attempt shows them."""
    question, parts = selectors.questions.question_load(question.pk)
    snapshot = selectors.questions.question_snapshot(
        question,
        parts,
        seed=attempt.seed,
        shuffle_choices=attempt.quiz.shuffle_choices,
    )
    return [choice["id"] for choice in snapshot["choices"]]


def pick(attempt: Attempt, choice: Choice) -> dict:
    """The form data of a click on this choice: its position on the page."""
    return {"choice": shown(attempt, choice.question).index(choice.pk)}


def right(attempt: Attempt, question: Question) -> dict:
    return pick(attempt, question.choices.get(is_correct=True))


def start(quiz: Quiz, student) -> Attempt:
    return services.attempts.attempt_start(quiz=quiz, student=student)


@pytest.fixture
def essay():
    return EssayFactory(
        title="The Purge",
        body="Causes: Stalin feared rivals. Kirov was popular in Leningrad.",
    )


@pytest.fixture
def claim(essay):
    section = SectionFactory(
        essay=essay, heading="Causes", start=0, end=len(essay.body)
    )
    return ClaimFactory(section=section, start=8, end=29)


@pytest.fixture
def quiz(essay, claim):
    return quiz_with(
        [
            single_choice_question(essay=essay, claim=claim),
            true_false_question(essay=essay, claim=claim, is_true=False),
            cloze_question(essay=essay, claim=claim, answers=["Yezhov"]),
        ]
    )


# --- Home ---------------------------------------------------------------------


def test_home_shows_essays_and_a_login_link_to_visitors(client, quiz):
    page = client.get("/").content.decode()
    assert "The Purge" in page
    assert "Causes" in page
    assert reverse("login") in page
    assert quiz.title not in page


def test_an_essay_of_drafts_only_is_neither_listed_nor_readable(student, teacher):
    """An essay whose questions are all drafts is a teacher's work in
    progress: visitors and students neither see it listed nor read its text;
    teachers do."""
    drafts = EssayFactory(title="Unfinished essay", body="Secret draft text here.")
    QuestionFactory(essay=drafts, status=Question.Status.DRAFT)
    url = reverse("essay_detail", kwargs={"slug": drafts.slug})
    client, student_client, teacher_client = Client(), Client(), Client()
    student_client.login(username=student.username, password=PASSWORD)
    teacher_client.login(username=teacher.username, password=PASSWORD)

    for someone in (client, student_client):
        assert "Unfinished essay" not in someone.get("/").content.decode()
        assert someone.get(url).status_code == 404
    assert "Unfinished essay" in teacher_client.get("/").content.decode()
    assert teacher_client.get(url).status_code == 200
    QuestionFactory(essay=drafts, status=Question.Status.PUBLISHED)
    assert "Unfinished essay" in client.get("/").content.decode()
    assert client.get(url).status_code == 200


def test_home_lists_open_quizzes_with_attempts_best_score_and_continue(
    student_client, student, quiz
):
    Quiz.objects.create(title="Hidden draft quiz", essay=quiz.essay)
    quiz.attempts_allowed = 3
    quiz.save()
    now = timezone.now()
    done = AttemptFactory(quiz=quiz, student=student, finished_at=now, score=50)
    AttemptFactory(
        quiz=quiz,
        student=student,
        is_practice=True,
        practice_of=done,
        finished_at=now,
        score=100,
    )
    open_attempt = AttemptFactory(quiz=quiz, student=student)
    page = student_client.get("/").content.decode()
    assert quiz.title in page
    assert "Hidden draft quiz" not in page
    assert "Attempts: 2 / 3" in page  # practice runs do not count
    assert "50%" in page
    assert "100%" not in page
    assert reverse("attempt", kwargs={"pk": open_attempt.pk}) in page
    assert "Continue" in page


def test_home_runs_a_fixed_number_of_queries(
    student_client, student, quiz, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as one:
        student_client.get("/")
    for _ in range(4):
        other = quiz_with([single_choice_question(essay=quiz.essay)])
        AttemptFactory(quiz=other, student=student)
    with CaptureQueriesContext(connection) as five:
        student_client.get("/")
    assert len(one) == len(five)
    # Session, user, open attempts past their time (closed first), the
    # assignments, the quizzes, the essays and their sections.
    with django_assert_max_num_queries(7):
        student_client.get("/")


# --- Starting -----------------------------------------------------------------


def test_start_creates_then_resumes_the_attempt(student_client, student, quiz):
    url = reverse("quiz_start", kwargs={"pk": quiz.pk})
    first = student_client.post(url)
    attempt = Attempt.objects.get()
    assert first.url == reverse("attempt", kwargs={"pk": attempt.pk})
    assert student_client.post(url).url == first.url
    assert Attempt.objects.count() == 1


def test_start_refuses_when_attempts_are_used_up(student_client, student, quiz):
    quiz.attempts_allowed = 1
    quiz.save()
    AttemptFactory(quiz=quiz, student=student, finished_at=timezone.now())
    response = student_client.post(
        reverse("quiz_start", kwargs={"pk": quiz.pk}), follow=True
    )
    assert "used all your attempts" in response.content.decode()
    assert Attempt.objects.count() == 1


def test_start_needs_get_free_post_and_a_published_quiz(student_client, quiz):
    url = reverse("quiz_start", kwargs={"pk": quiz.pk})
    assert student_client.get(url).status_code == 405
    quiz.is_published = False
    quiz.save()
    assert student_client.post(url).status_code == 404


# --- The question page --------------------------------------------------------


def test_question_page_full_and_fragment(student_client, student, quiz):
    attempt = start(quiz, student)
    full = student_client.get(reverse("attempt", kwargs={"pk": attempt.pk}))
    page = full.content.decode()
    assert "<html" in page
    assert "Question 1 of 3" in page
    assert "<progress" in page
    assert 'hx-history="false"' in page
    assert 'hx-disabled-elt="this"' in page
    first = Question.objects.get(pk=attempt.question_ids[0])
    assert f'action="{answer_url(attempt, first)}"' in page
    assert "no-store" in full["Cache-Control"]
    assert "HX-Request" in full["Vary"]
    fragment = student_client.get(question_url(attempt, 2), **HTMX).content.decode()
    assert "<html" not in fragment
    assert "Question 2 of 3" in fragment
    assert 'id="question-area"' in fragment


def test_history_restore_gets_the_whole_page(student_client, student, quiz):
    attempt = start(quiz, student)
    page = student_client.get(
        question_url(attempt, 1), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    ).content.decode()
    assert "<html" in page


def test_current_question_is_the_first_unanswered(student_client, student, quiz):
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    student_client.post(answer_url(attempt, first), right(attempt, first))
    page = student_client.get(reverse("attempt", kwargs={"pk": attempt.pk}))
    assert "Question 2 of 3" in page.content.decode()


class _QuestionForm(HTMLParser):
    """The elements of the question form, each with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = "question-form" in (attrs.get("class") or "")
        elif self.inside and attrs.get("name") != "csrfmiddlewaretoken":
            self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_elements(page: str) -> list[tuple[str, dict]]:
    parser = _QuestionForm()
    parser.feed(page)
    return parser.elements


def form_attributes(page: str) -> list[tuple[str, str, str | None]]:
    """Every value, id, name, for and data-* attribute in the question form."""
    return [
        (tag, name, value)
        for tag, attrs in form_elements(page)
        for name, value in attrs.items()
        if name in {"value", "id", "name", "for"} or name.startswith("data-")
    ]


def choice_values(page: str) -> list[str | None]:
    return [
        attrs["value"]
        for tag, attrs in form_elements(page)
        if tag == "input" and attrs.get("type") in {"radio", "checkbox"}
    ]


def choice_values_checked(page: str) -> list[str | None]:
    return [
        attrs["value"]
        for tag, attrs in form_elements(page)
        if tag == "input" and "checked" in attrs
    ]


def move_the_answer(question: Question) -> None:
    """The same question as shown, with another right answer."""
    if question.kind == Question.Kind.TRUE_FALSE:
        question.is_true = not question.is_true
        question.save()
    elif question.kind == Question.Kind.CLOZE:
        for n, accepted in enumerate(question.accepted_answers.all()):
            accepted.text = f"Beria {n}"
            accepted.save()
    elif question.kind == Question.Kind.MATCHING:
        pairs = list(question.pairs.all())
        rights = [pair.right for pair in pairs]
        for pair, right in zip(pairs, rights[1:] + rights[:1], strict=True):
            pair.right = right
            pair.save()
    else:  # the right choices move from the first (lowest ids) to the last
        choices = list(question.choices.all())
        flags = [choice.is_correct for choice in choices]
        for choice, flag in zip(choices, reversed(flags), strict=True):
            choice.is_correct = flag
            choice.save()


@pytest.mark.parametrize("shuffle_choices", [False, True], ids=["in_order", "shuffled"])
@pytest.mark.parametrize(
    "make",
    [
        lambda essay, claim: single_choice_question(essay=essay, claim=claim),
        lambda essay, claim: multiple_answer_question(essay=essay, claim=claim),
        lambda essay, claim: true_false_question(essay=essay, claim=claim),
        lambda essay, claim: cloze_question(
            essay=essay, claim=claim, answers=["Yezhov", "Nikolai Yezhov"]
        ),
        lambda essay, claim: matching_question(essay=essay, claim=claim),
    ],
    ids=["single", "multiple", "true_false", "cloze", "matching"],
)
def test_an_unanswered_question_shows_no_sign_of_its_answer(
    student_client, student, essay, claim, make, shuffle_choices
):
    question = make(essay, claim)
    question.explanation = "Secret explanation text"
    question.save()
    quiz = quiz_with([question], shuffle_choices=shuffle_choices)
    attempt = start(quiz, student)
    # The same question with its answer elsewhere, in a quiz of its own.
    twin = make(essay, claim)
    move_the_answer(twin)
    twin_attempt = start(quiz_with([twin], shuffle_choices=shuffle_choices), student)
    twin_page = student_client.get(question_url(twin_attempt, 1)).content.decode()
    for kwargs in ({}, HTMX):
        page = student_client.get(question_url(attempt, 1), **kwargs).content.decode()
        assert question.prompt in page
        assert "Secret explanation text" not in page
        if question.kind == Question.Kind.CLOZE:
            assert "Yezhov" not in page
        assert "is_correct" not in page
        assert "correct" not in page.lower().replace("log out", "")
        assert "data-correct" not in page
        assert "checked" not in page
        assert "<mark>" not in page
        assert "feared rivals" not in page  # the source passage comes with feedback
        # No attribute tells the answers apart: a choice's value is its place
        # on the page, never its database id (the right one is usually first).
        assert form_attributes(page) == form_attributes(twin_page)
        count = question.choices.count()
        assert choice_values(page) == (
            ["true", "false"]
            if question.kind == Question.Kind.TRUE_FALSE
            else [str(n) for n in range(count)]
        )
    if question.kind == Question.Kind.MATCHING:
        # Options are numbered in their shuffled order, which never lines up
        # with the items on the left.
        assert 'name="match-0"' in page
        assert page.index("NKVD chief") < page.index("Murdered 1934")


def test_an_answer_over_htmx_shows_feedback_and_the_escaped_passage(
    student_client, student, essay, claim
):
    essay.body = "Causes: <script>alert(1)</script> feared. Kirov was popular."
    essay.save()
    claim.start, claim.end = 8, 41
    claim.save()
    question = single_choice_question(essay=essay, claim=claim)
    question.explanation = "Because <b>bold</b>."
    question.save()
    quiz = quiz_with([question, true_false_question(essay=essay)])
    attempt = start(quiz, student)
    wrong = question.choices.filter(is_correct=False).first()
    response = student_client.post(
        answer_url(attempt, question), pick(attempt, wrong), **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not quite" in page
    assert "Right answer" in page
    assert "Because &lt;b&gt;bold&lt;/b&gt;." in page
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt; feared.</mark>" in page
    assert "<script>alert" not in page
    assert response["HX-Push-Url"] == question_url(attempt, 1)
    assert question_url(attempt, 2) in page  # next
    assert "no-store" in response["Cache-Control"]


def test_an_answer_without_htmx_redirects_to_its_feedback(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    response = student_client.post(answer_url(attempt, first), right(attempt, first))
    assert response.status_code == 302
    assert response.url == question_url(attempt, 1)
    page = student_client.get(response.url).content.decode()
    assert "Correct" in page
    assert "Because the essay says so." in page


def test_a_doubled_post_stores_one_response_and_answers_the_same(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    one = student_client.post(answer_url(attempt, first), right(attempt, first), **HTMX)
    two = student_client.post(answer_url(attempt, first), right(attempt, first), **HTMX)
    assert one.status_code == two.status_code == 200
    assert one.content == two.content
    assert Response.objects.count() == 1


def refusal(page: str) -> str:
    """The message in the question's alert, or "" when there is none."""
    found = re.search(
        r'<p id="[\w-]+-error" class="answer-error" role="alert"[^>]*>([^<]*)</p>', page
    )
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Pick an answer"),
        ({"choice": "999999"}, "not one of this question"),
        ({"choice": "3"}, "not one of this question"),  # positions 0 to 2
        ({"choice": "-1"}, "not one of this question"),
        ({"choice": "one"}, "could not be read"),
    ],
)
def test_a_refused_answer_shows_its_message_inside_the_question(
    student_client, student, quiz, data, message
):
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    response = student_client.post(answer_url(attempt, first), data, **HTMX)
    # 422, not 400: django-htmx's debug script puts a 400's body in place
    # of the whole page (the bare text students saw).
    assert response.status_code == 422
    page = response.content.decode()
    assert message in refusal(page)
    # The question again, to replace the one on screen, with its form.
    assert page.lstrip().startswith('<section id="question-area"')
    assert "<html" not in page
    assert f'action="{answer_url(attempt, first)}"' in page
    assert 'tabindex="-1" data-focus>' in page  # the message takes the focus
    assert "HX-Retarget" not in response
    plain = student_client.post(answer_url(attempt, first), data)
    assert plain.status_code == 422
    page = plain.content.decode()
    assert "<html" in page
    assert message in refusal(page)
    assert 'class="question-form"' in page
    assert not Response.objects.exists()


def test_a_refused_answer_keeps_what_the_student_picked(student_client, student, essay):
    single = single_choice_question(essay=essay)
    attempt = start(quiz_with([single]), student)
    both = {"choice": ["0", "2"], "version": single.version}
    for kwargs in ({}, HTMX):
        page = student_client.post(answer_url(attempt, single), both, **kwargs)
        assert "Pick only one" in refusal(page.content.decode())
        assert choice_values_checked(page.content.decode()) == ["0", "2"]


def test_a_refused_match_marks_the_items_left_unmatched(student_client, student, essay):
    question = matching_question(
        essay=essay, pairs=[("Kirov", "1934"), ("Yezhov", "NKVD"), ("Bukharin", "1938")]
    )
    attempt = start(quiz_with([question]), student)
    data = {"match-0": "1", "match-1": "", "version": question.version}
    response = student_client.post(answer_url(attempt, question), data, **HTMX)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Match every item" in refusal(page)
    selects = re.findall(r"<select [^>]*>.*?</select>", page, re.S)
    assert len(selects) == 3
    assert '<option value="1" selected>' in selects[0]
    assert "aria-invalid" not in selects[0]
    for unmatched in selects[1:]:
        assert 'aria-invalid="true"' in unmatched
        assert "selected" not in unmatched
    assert not Response.objects.exists()


def test_a_typed_answer_refused_is_typed_again(student_client, student, essay):
    question = cloze_question(essay=essay)
    attempt = start(quiz_with([question]), student)
    page = student_client.post(
        answer_url(attempt, question), {"text": "  "}, **HTMX
    ).content.decode()
    assert "Type an answer" in refusal(page)
    assert 'value="  "' in page


def test_an_answer_to_an_older_version_shows_the_new_one_without_old_picks(
    student_client, student, essay
):
    question = single_choice_question(essay=essay, prompt="Old prompt")
    attempt = start(quiz_with([question]), student)
    Question.objects.filter(pk=question.pk).update(prompt="New prompt", version=2)
    response = student_client.post(
        answer_url(attempt, question), {"choice": "0", "version": "1"}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "changed this question" in refusal(page)
    assert "New prompt" in page
    assert 'name="version" value="2"' in page
    assert "checked" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Type an answer"),
        ({"text": "x" * 501}, "500 characters"),
        ({}, "Type an answer"),
        # PostgreSQL refuses a NUL (a 500 once); no control character is text.
        ({"text": "Yez\x00hov"}, "control character"),
        ({"text": "Yez\x1bhov"}, "control character"),
    ],
)
def test_bad_typed_answers_are_refused(student_client, student, essay, data, message):
    question = cloze_question(essay=essay)
    attempt = start(quiz_with([question]), student)
    response = student_client.post(answer_url(attempt, question), data, **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in refusal(page)
    assert "\x00" not in page
    assert "\x1b" not in page
    assert not Response.objects.exists()


def test_wrong_number_of_matches_is_refused(student_client, student, essay):
    question = matching_question(essay=essay)
    attempt = start(quiz_with([question]), student)
    response = student_client.post(
        answer_url(attempt, question), {"match-0": "0"}, **HTMX
    )
    assert response.status_code == 422
    assert "Match every item" in refusal(response.content.decode())
    assert not Response.objects.exists()


def test_a_choice_is_answered_by_its_place_on_the_page(student_client, student, essay):
    question = single_choice_question(essay=essay)
    attempt = start(quiz_with([question], shuffle_choices=True), student)
    page = student_client.get(question_url(attempt, 1)).content.decode()
    texts = re.findall(r'<span class="choice-text">([^<]*)</span>', page)
    assert sorted(texts) == ["Right answer", "Wrong answer A", "Wrong answer B"]
    value = choice_values(page)[texts.index("Right answer")]
    student_client.post(answer_url(attempt, question), {"choice": value})
    response = Response.objects.get()
    assert response.is_correct
    assert response.answer == {"choice_ids": [question.choices.get(is_correct=True).pk]}


def test_answering_a_finished_attempt_or_a_foreign_question_is_refused(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    outside = single_choice_question(essay=first.essay)
    assert (
        student_client.post(
            answer_url(attempt, outside), right(attempt, outside)
        ).status_code
        == 404
    )
    services.attempts.attempt_finish(attempt=attempt)
    response = student_client.post(
        answer_url(attempt, first), right(attempt, first), **HTMX
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "finished" in refusal(page)
    assert reverse("attempt_result", kwargs={"pk": attempt.pk}) in page
    assert "Submit answer" not in page
    assert not Response.objects.exists()


def test_a_late_answer_closes_the_attempt_and_says_why(student_client, student, quiz):
    quiz.time_limit_minutes = 1
    quiz.save()
    attempt = start(quiz, student)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=31)
    )
    first = Question.objects.get(pk=attempt.question_ids[0])
    response = student_client.post(
        answer_url(attempt, first), right(attempt, first), **HTMX
    )
    result_url = reverse("attempt_result", kwargs={"pk": attempt.pk})
    assert response["HX-Redirect"] == result_url
    assert not Response.objects.exists()
    page = student_client.get(result_url).content.decode()
    assert "Time ran out" in page


def test_a_countdown_shows_with_a_time_limit(student_client, student, quiz):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = start(quiz, student)
    page = student_client.get(question_url(attempt, 1)).content.decode()
    assert "data-deadline=" in page
    assert 'role="timer"' in page


# --- Summary and finish -------------------------------------------------------


def summary_url(attempt: Attempt) -> str:
    return reverse("attempt_summary", kwargs={"pk": attempt.pk})


def test_the_summary_lists_every_question_answered_or_not(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    first.prompt = "A <b>bold</b> prompt " + "long " * 30
    first.save()
    student_client.post(answer_url(attempt, first), right(attempt, first))
    page = student_client.get(summary_url(attempt)).content.decode()
    assert "Summary of your attempt" in page
    rows = re.findall(r"<tr class=\"(is-\w+)\">(.*?)</tr>", page, re.S)
    assert [status for status, _ in rows] == ["is-answered", "is-open", "is-open"]
    for n, (_, row) in enumerate(rows, start=1):
        assert f'href="{question_url(attempt, n)}"' in row
    assert "Answered" in rows[0][1]
    assert "Not answered" in rows[1][1]
    assert "A &lt;b&gt;bold&lt;/b&gt; prompt long" in rows[0][1]
    assert "long " * 30 not in page  # prompts are cut short
    assert "2 of 3 questions are not answered" in page
    assert "They score nothing" in page
    assert f'action="{reverse("attempt_finish", kwargs={"pk": attempt.pk})}"' in page
    assert 'name="confirm"' in page
    assert not Attempt.objects.get().is_finished  # showing it finishes nothing


def test_finishing_takes_the_summarys_confirmation(student_client, student, quiz):
    attempt = start(quiz, student)
    finish = reverse("attempt_finish", kwargs={"pk": attempt.pk})
    assert student_client.post(finish).url == summary_url(attempt)
    assert not Attempt.objects.get().is_finished
    response = student_client.post(finish, {"confirm": "1"})
    assert response.url == reverse("attempt_result", kwargs={"pk": attempt.pk})
    assert Attempt.objects.get().is_finished
    # A finished attempt has no summary: its result stands.
    assert student_client.get(summary_url(attempt)).url == response.url


def test_the_question_page_links_to_the_summary_not_to_a_finish_button(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    page = student_client.get(question_url(attempt, 1)).content.decode()
    assert f'href="{summary_url(attempt)}"' in page
    assert reverse("attempt_finish", kwargs={"pk": attempt.pk}) not in page


def test_past_the_last_question_the_summary_lists_those_left(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    last = Question.objects.get(pk=attempt.question_ids[-1])
    page = student_client.post(
        answer_url(attempt, last), {"text": "Yezhov"}, **HTMX
    ).content.decode()
    assert "Unanswered questions" in page
    assert f'href="{summary_url(attempt)}"' in page
    # Without feedback after each answer, the last answer leads there at once.
    later = quiz_with(list(quiz.questions.all()), reveal=Quiz.Reveal.AFTER_ATTEMPT)
    other = start(later, student)
    last = Question.objects.get(pk=other.question_ids[-1])
    response = student_client.post(answer_url(other, last), {"text": "x"}, **HTMX)
    assert response["HX-Redirect"] == summary_url(other)
    response = student_client.post(answer_url(other, last), {"text": "x"})
    assert response.url == summary_url(other)


def test_the_summary_runs_a_fixed_number_of_queries(
    student_client, student, essay, claim, django_assert_max_num_queries
):
    counts = []
    for size in (5, 50):
        attempt = start(big_quiz(essay, claim, size), student)
        first = Question.objects.get(pk=attempt.question_ids[0])
        student_client.post(answer_url(attempt, first), {"value": "true"})
        with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as ctx:
            page = student_client.get(summary_url(attempt)).content.decode()
        assert page.count("<tr class=") == size
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# --- Result and practice ------------------------------------------------------


def answer_all(client, attempt, *, correctly: bool, first_right: bool = False):
    for number, question_id in enumerate(attempt.question_ids):
        question = Question.objects.get(pk=question_id)
        right = correctly or (first_right and number == 0)
        if question.kind == Question.Kind.SINGLE:
            data = pick(attempt, question.choices.filter(is_correct=right).first())
        elif question.kind == Question.Kind.TRUE_FALSE:
            data = {"value": "true" if question.is_true == right else "false"}
        else:
            data = {"text": "Yezhov" if right else "Beria"}
        client.post(answer_url(attempt, question), data)


def test_result_page_shows_score_pass_and_review_from_snapshots(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    answer_all(student_client, attempt, correctly=True)
    attempt.refresh_from_db()
    assert attempt.is_finished
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    single.prompt = "Edited later"
    single.save()
    single.choices.update(text="Edited choice")
    page = student_client.get(
        reverse("attempt_result", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert "100%" in page
    assert "Passed" in page
    assert "Edited" not in page
    assert "Right answer" in page
    assert "Because the essay says so." in page
    assert "Practise" not in page  # nothing missed


def test_result_with_reveal_never_shows_only_the_total(student_client, student, quiz):
    """A question's own mark gives its answer away (0 % on a true/false
    question says the other one was right): with answers never revealed the
    result shows the total and which were answered, nothing per question."""
    quiz.reveal = Quiz.Reveal.NEVER
    quiz.save()
    attempt = start(quiz, student)
    answer_all(student_client, attempt, correctly=False, first_right=True)
    attempt.refresh_from_db()
    url = reverse("attempt_result", kwargs={"pk": attempt.pk})

    page = student_client.get(url).content.decode()
    filtered = student_client.get(url + "?missed=1").content.decode()

    assert attempt.is_finished
    assert "Not passed" in page
    assert "33%" in page  # the total
    for shown in (page, filtered):
        assert "result-item-score" not in shown
        assert not re.search(r"(?<![\d.])(?:0|100)%", shown)  # 33 % and 60 % are
        assert "is-correct" not in shown
        assert "is-wrong" not in shown
        assert "Right answer" not in shown
        assert "Because the essay says so." not in shown
        assert "Yezhov" not in shown
        assert "missed" not in shown.lower()
        assert shown.count("Answered.") == len(attempt.question_ids)


def test_reveal_after_attempt_gives_no_feedback_during_the_attempt(
    student_client, student, quiz
):
    quiz.reveal = Quiz.Reveal.AFTER_ATTEMPT
    quiz.save()
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    response = student_client.post(
        answer_url(attempt, first), right(attempt, first), **HTMX
    )
    assert response.status_code == 200
    assert question_url(attempt, 2) in response["HX-Location"]
    page = student_client.get(question_url(attempt, 1)).content.decode()
    assert "Answer saved" in page
    assert "Because the essay says so." not in page


def test_finish_early_then_practise_the_missed_ones(student_client, student, quiz):
    attempt = start(quiz, student)
    first = Question.objects.get(pk=attempt.question_ids[0])
    student_client.post(answer_url(attempt, first), right(attempt, first))
    response = student_client.post(
        reverse("attempt_finish", kwargs={"pk": attempt.pk}), {"confirm": "1"}
    )
    assert response.url == reverse("attempt_result", kwargs={"pk": attempt.pk})
    page = student_client.get(response.url).content.decode()
    assert "Not answered" in page
    assert "33%" in page
    response = student_client.post(
        reverse("attempt_practise", kwargs={"pk": attempt.pk})
    )
    practice = Attempt.objects.get(is_practice=True)
    assert response.url == reverse("attempt", kwargs={"pk": practice.pk})
    assert practice.practice_of == attempt
    assert practice.question_ids == attempt.question_ids[1:]
    page = student_client.get(response.url).content.decode()
    assert "Practice" in page
    assert "Question 1 of 2" in page


def test_a_quiz_that_never_reveals_answers_offers_no_practice(
    student_client, student, quiz
):
    quiz.reveal = Quiz.Reveal.NEVER
    quiz.save()
    attempt = start(quiz, student)
    answer_all(student_client, attempt, correctly=False)
    result_url = reverse("attempt_result", kwargs={"pk": attempt.pk})
    practise_url = reverse("attempt_practise", kwargs={"pk": attempt.pk})
    page = student_client.get(result_url).content.decode()
    assert "Practise" not in page
    assert practise_url not in page
    # Practice runs show right and wrong at once: as many as a student liked.
    response = student_client.post(practise_url)
    assert response.status_code == 409
    page = response.content.decode()
    assert "keeps the answers to this quiz hidden" in page
    assert f'href="{result_url}"' in page
    assert not Attempt.objects.filter(is_practice=True).exists()


def test_a_quiz_revealing_answers_after_the_attempt_offers_practice(
    student_client, student, quiz
):
    quiz.reveal = Quiz.Reveal.AFTER_ATTEMPT
    quiz.save()
    attempt = start(quiz, student)
    answer_all(student_client, attempt, correctly=False)
    page = student_client.get(
        reverse("attempt_result", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert "Practise the 3 I missed" in page


def result_url(attempt: Attempt, **query) -> str:
    url = reverse("attempt_result", kwargs={"pk": attempt.pk})
    return url + ("?missed=1" if query.get("missed") else "")


def test_the_result_shows_only_the_missed_ones_on_request(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    first, second, _ = (Question.objects.get(pk=pk) for pk in attempt.question_ids)
    student_client.post(answer_url(attempt, first), right(attempt, first))
    student_client.post(answer_url(attempt, second), {"value": "true"})  # wrong
    services.attempts.attempt_finish(attempt=attempt)
    page = student_client.get(result_url(attempt)).content.decode()
    assert page.count('<article class="result-item') == 3
    assert "Show only the ones I missed (2)" in page
    assert 'hx-get="' + result_url(attempt) + '"' in page
    assert 'name="missed" value="1" role="switch">' in page  # not checked
    assert "<noscript>" in page  # a Show button when nothing runs the switch
    page = student_client.get(result_url(attempt, missed=True)).content.decode()
    assert page.count('<article class="result-item') == 2
    assert first.prompt not in page
    assert '<li value="2">' in page  # each keeps its number
    assert 'role="switch" checked>' in page
    response = student_client.get(result_url(attempt, missed=True), **HTMX)
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<ol id="result-list"')
    assert fragment.count('<article class="result-item') == 2
    assert "HX-Request" in response["Vary"]


def test_the_result_offers_no_filter_when_nothing_was_missed(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    answer_all(student_client, attempt, correctly=True)
    page = student_client.get(result_url(attempt)).content.decode()
    assert "Show only the ones I missed" not in page
    page = student_client.get(result_url(attempt, missed=True)).content.decode()
    assert "You missed none of them." in page


def test_the_result_page_runs_a_fixed_number_of_queries(
    student_client, student, essay, claim, django_assert_max_num_queries
):
    counts = []
    for size in (5, 50):
        attempt = start(big_quiz(essay, claim, size), student)
        first = Question.objects.get(pk=attempt.question_ids[0])
        student_client.post(answer_url(attempt, first), {"value": "true"})
        services.attempts.attempt_finish(attempt=attempt)
        for url in (result_url(attempt), result_url(attempt, missed=True)):
            with (
                django_assert_max_num_queries(6),
                CaptureQueriesContext(connection) as ctx,
            ):
                assert student_client.get(url).status_code == 200
            counts.append((url.endswith("=1"), len(ctx)))
    assert counts[:2] == counts[2:]


# --- Feedback ------------------------------------------------------------------


def feedback_of(client, attempt, question, data) -> str:
    response = client.post(answer_url(attempt, question), data, **HTMX)
    return response.content.decode()


def test_an_explanation_that_only_quotes_the_passage_is_left_out(
    student_client, student, essay, claim
):
    quoted = true_false_question(essay=essay, claim=claim, is_true=True)
    quoted.explanation = f'The essay says: "{claim.text}"'
    quoted.save()
    attempt = start(quiz_with([quoted, true_false_question(essay=essay)]), student)
    page = feedback_of(student_client, attempt, quoted, {"value": "false"})
    assert "Why:" not in page
    assert page.count(claim.text) == 1  # in the passage, marked
    assert f"<mark>{claim.text}</mark>" in page


def test_matching_feedback_gives_each_right_match_once(student_client, student, essay):
    pairs = [("Kirov", "Murdered 1934"), ("Yezhov", "NKVD chief"), ("Bukharin", "1938")]
    question = matching_question(essay=essay, pairs=pairs)
    attempt = start(quiz_with([question, true_false_question(essay=essay)]), student)
    question_, parts = selectors.questions.question_load(question.pk)
    options = selectors.questions.question_snapshot(
        question_, parts, seed=attempt.seed, shuffle_choices=False
    )["options"]
    # Kirov matched right, the other two swapped.
    data = {
        "match-0": options.index("Murdered 1934"),
        "match-1": options.index("1938"),
        "match-2": options.index("NKVD chief"),
    }
    page = feedback_of(student_client, attempt, question, data)
    assert "Partly right (33%)" in page
    assert "The answer:" not in page
    assert page.count("Murdered 1934") == 1  # right: shown once, as the answer
    assert page.count("NKVD chief") == 2  # Bukharin's wrong pick, Yezhov's match
    assert page.count("right match") == 2


def test_a_typed_answer_accepted_with_a_typo_gives_the_spelling(
    student_client, student, essay
):
    question = cloze_question(essay=essay, answers=["Yezhov"])
    attempt = start(quiz_with([question, true_false_question(essay=essay)]), student)
    page = feedback_of(student_client, attempt, question, {"text": "yezhof"})
    assert "Correct" in page
    assert "Accepted; the spelling is <strong>Yezhov</strong>." in page
    assert "The answer:" not in page


def test_result_of_an_open_attempt_goes_back_to_the_attempt(
    student_client, student, quiz
):
    attempt = start(quiz, student)
    response = student_client.get(reverse("attempt_result", kwargs={"pk": attempt.pk}))
    assert response.url == reverse("attempt", kwargs={"pk": attempt.pk})


# --- Access -------------------------------------------------------------------


def id_urls(attempt: Attempt, question: Question):
    pk = attempt.pk
    return [
        ("get", reverse("attempt", kwargs={"pk": pk})),
        ("get", question_url(attempt, 1)),
        ("get", reverse("attempt_result", kwargs={"pk": pk})),
        ("post", answer_url(attempt, question)),
        ("get", reverse("attempt_summary", kwargs={"pk": pk})),
        ("post", reverse("attempt_finish", kwargs={"pk": pk})),
        ("post", reverse("attempt_practise", kwargs={"pk": pk})),
    ]


def test_every_attempt_url_is_a_404_to_another_student(
    client, student, other_student, quiz
):
    attempt = start(quiz, student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    client.login(username=other_student.username, password=PASSWORD)
    for method, url in id_urls(attempt, question):
        response = getattr(client, method)(
            url, right(attempt, question) if method == "post" else {}
        )
        assert response.status_code == 404, url
    assert not Response.objects.exists()
    assert Attempt.objects.get().finished_at is None
    page = client.get(reverse("attempt", kwargs={"pk": attempt.pk})).content.decode()
    assert "Page not found" in page


def test_visitors_are_sent_to_log_in(client, student, quiz):
    attempt = start(quiz, student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    urls = [
        *id_urls(attempt, question),
        ("post", reverse("quiz_start", kwargs={"pk": quiz.pk})),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_ids_too_large_for_the_database_are_404(student_client, student, quiz):
    # SQLite's integers end at 2**63 - 1: an id past them was a 500 once.
    huge = 10**25
    attempt = start(quiz, student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    urls = [
        ("post", reverse("attempt_answer", args=[attempt.pk, huge])),
        ("post", reverse("attempt_answer", args=[huge, question.pk])),
        ("get", reverse("attempt", args=[huge])),
        ("get", reverse("attempt_question", args=[attempt.pk, huge])),
        ("get", reverse("attempt_result", args=[huge])),
        ("get", reverse("attempt_summary", args=[huge])),
        ("post", reverse("attempt_finish", args=[huge])),
        ("post", reverse("attempt_practise", args=[huge])),
        ("post", reverse("quiz_start", args=[huge])),
    ]
    for method, url in urls:
        response = getattr(student_client, method)(url, right(attempt, question))
        assert response.status_code == 404, url
    assert not Response.objects.exists()
    assert Attempt.objects.get().finished_at is None


def test_out_of_range_question_numbers_are_404(student_client, student, quiz):
    attempt = start(quiz, student)
    assert student_client.get(question_url(attempt, 0)).status_code == 404
    assert student_client.get(question_url(attempt, 4)).status_code == 404


def test_csrf_is_enforced_on_htmx_posts(student, quiz):
    client = Client(enforce_csrf_checks=True)
    client.login(username=student.username, password=PASSWORD)
    attempt = start(quiz, student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    url = answer_url(attempt, question)
    assert client.post(url, right(attempt, question), **HTMX).status_code == 403
    assert not Response.objects.exists()
    page = client.get(question_url(attempt, 1)).content.decode()
    assert "x-csrftoken" in page
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, right(attempt, question), HTTP_X_CSRFTOKEN=token, **HTMX
    )
    assert response.status_code == 200
    assert Response.objects.count() == 1
    start_url = reverse("quiz_start", kwargs={"pk": quiz.pk})
    assert client.post(start_url).status_code == 403


# --- Queries ------------------------------------------------------------------


def big_quiz(essay, claim, size: int) -> Quiz:
    questions = []
    for n in range(size):
        maker = [single_choice_question, true_false_question, cloze_question][n % 3]
        questions.append(maker(essay=essay, claim=claim))
    return quiz_with(questions)


@pytest.mark.parametrize("path", ["attempt", "question", "answered"])
def test_question_page_queries_do_not_grow_with_the_quiz(
    student_client, student, essay, claim, path, django_assert_max_num_queries
):
    counts = []
    for size in (5, 50):
        attempt = start(big_quiz(essay, claim, size), student)
        for question_id in attempt.question_ids[:2]:
            question = Question.objects.get(pk=question_id)
            data = (
                right(attempt, question)
                if question.choices.exists()
                else {"value": "true"}
            )
            student_client.post(answer_url(attempt, question), data)
        url = {
            "attempt": reverse("attempt", kwargs={"pk": attempt.pk}),
            "question": question_url(attempt, 4),
            "answered": question_url(attempt, 1),
        }[path]
        # Session, user, the attempt, its answered questions, the question
        # with its parts (or the stored answer).
        with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as ctx:
            assert student_client.get(url, **HTMX).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("position", ["first", "last"])
def test_answer_post_queries_do_not_grow_with_the_quiz(
    student_client, student, essay, claim, position, django_assert_max_num_queries
):
    counts = []
    for size in (5, 50):
        quiz = big_quiz(essay, claim, size)
        attempt = start(quiz, student)
        ids = attempt.question_ids
        if position == "last":
            for question_id in ids[:-1]:
                Response.objects.create(
                    attempt=attempt,
                    question_id=question_id,
                    snapshot={},
                    answer={},
                    score=1,
                    is_correct=True,
                    answered_at=timezone.now(),
                )
        question = Question.objects.get(pk=ids[-1] if position == "last" else ids[0])
        data = (
            pick(attempt, question.choices.first()) if question.choices.exists() else {}
        )
        data = data or (
            {"value": "true"} if question.kind == "true_false" else {"text": "x"}
        )
        # The last answer closes the attempt and marks the Teach pages
        # (services.stamps): one UPDATE more than the first.
        most = 9 if position == "last" else 8
        with (
            django_assert_max_num_queries(most),
            CaptureQueriesContext(connection) as ctx,
        ):
            response = student_client.post(answer_url(attempt, question), data, **HTMX)
        assert response.status_code == 200
        counts.append(len(ctx))
        if position == "last":
            attempt.refresh_from_db()
            assert attempt.is_finished
    assert counts[0] == counts[1]


def test_a_refused_answer_runs_a_fixed_number_of_queries(
    student_client, student, essay, claim, django_assert_max_num_queries
):
    counts = []
    for size in (5, 50):
        attempt = start(big_quiz(essay, claim, size), student)
        question = Question.objects.get(pk=attempt.question_ids[-1])
        with (
            django_assert_max_num_queries(11),
            CaptureQueriesContext(connection) as ctx,
        ):
            response = student_client.post(answer_url(attempt, question), {}, **HTMX)
        assert response.status_code == 422
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_essay_page_shows_each_heading_once_and_escapes_the_text(client):
    body = "Causes <b>bold</b>: The <script>alert(1)</script> riots began."
    services.imports.essay_import(text=body, title="A <i>title</i>", publish=True)

    page = client.get(reverse("essay_detail", args=["a-ititlei"])).content.decode()

    assert page.count("Causes &lt;b&gt;bold&lt;/b&gt;") == 1
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; riots began." in page
    assert "A &lt;i&gt;title&lt;/i&gt;" in page


def test_unknown_essay_answers_404(client):
    assert client.get(reverse("essay_detail", args=["nope"])).status_code == 404


@pytest.mark.parametrize("pk", [2**70, 0])
def test_an_attempt_id_no_row_can_hold_is_a_404(student_client, pk):
    assert student_client.get(f"/attempts/{pk}/").status_code == 404
    assert student_client.get(f"/attempts/{pk}/q/1/").status_code == 404
