"""The review queue kept under its version (selectors.review.queue_version,
views.teach.cached.kept_page): every kind of write to what it shows shows at
once, and the page served equals the page made with an empty cache."""

import pytest
from django.contrib import admin
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from quizzes.models import Choice, Essay, Question
from quizzes.services import questions as question_services
from quizzes.services.questions import QuestionContent
from tests.factories import TeacherFactory, UserFactory
from tests.test_teach_cache import assert_shows, empty_cache, forget, fresh, text  # noqa: F401 (autouse)
from tests.test_views_teach_review import decide, essay_with_drafts, queue_url

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def queue():
    return essay_with_drafts(4)


def _admin_save(obj) -> None:
    admin.site._registry[type(obj)].save_model(
        RequestFactory().post("/"), obj, form=None, change=True
    )


def test_a_decision_on_any_question_shows(teacher_client, queue):
    essay, drafts = queue
    for url in (queue_url(essay), queue_url(essay, drafts[2].pk)):
        assert_shows(
            teacher_client,
            url,
            lambda q=drafts[3]: question_services.questions_set_status(
                questions=[q], status=Question.Status.RETIRED
            ),
        )
        Question.objects.filter(pk=drafts[3].pk).update(status=Question.Status.DRAFT)


def test_publishing_the_clean_drafts_shows(teacher_client, queue):
    essay, _ = queue
    assert "Publish all 2 without warnings" in text(teacher_client, queue_url(essay))
    assert_shows(
        teacher_client,
        queue_url(essay),
        lambda: question_services.essay_drafts_publish_clean(essay=essay),
        "2</strong> of 4 left",
    )


def test_the_shown_question_edited_in_place_or_in_the_admin_shows(
    teacher_client, queue
):
    essay, drafts = queue
    question = drafts[0]
    url = queue_url(essay, question.pk)
    content = QuestionContent(
        prompt="Which one, now?",
        explanation="",
        is_true=None,
        choices=(("Right 0", True), ("Wrong 0", False)),
        accepted_answers=(),
        pairs=(),
    )
    assert_shows(
        teacher_client,
        url,
        lambda: question_services.question_edit(question=question, content=content),
        "Which one, now?",
    )
    assert_shows(
        teacher_client, url + "&edit=1", lambda: _reprompt(question, "Edited again")
    )


def _reprompt(question, prompt: str) -> None:
    question.refresh_from_db()
    question.prompt = prompt
    _admin_save(question)


def test_a_choice_changed_in_the_admin_shows(teacher_client, queue):
    """The admin saves the question, then its choices: version is bumped."""
    essay, drafts = queue
    question = drafts[1]
    signature = (
        Question.objects.prefetch_related("choices", "accepted_answers", "pairs")
        .get(pk=question.pk)
        .content_signature()
    )

    def change():
        Choice.objects.filter(question=question, order=1).update(text="Plainly wrong")
        question_services.question_record_edit(
            question=question, previous_signature=signature
        )

    assert_shows(teacher_client, queue_url(essay, question.pk), change, "Plainly wrong")


def test_a_warning_changed_shows(teacher_client, queue):
    essay, drafts = queue
    url = queue_url(essay, drafts[1].pk)
    assert_shows(
        teacher_client,
        url,
        lambda: Question.objects.filter(pk=drafts[1].pk).update(warnings=["Too long"]),
        "Too long",
    )


def test_the_essay_renamed_or_its_text_changed_shows(teacher_client, queue):
    essay, drafts = queue

    def rename():
        fresh_essay = Essay.objects.get(pk=essay.pk)
        fresh_essay.title = "A new <b>name</b>"
        fresh_essay.body = fresh_essay.body.replace("first", "FIRST")
        _admin_save(fresh_essay)

    assert_shows(
        teacher_client,
        queue_url(essay, drafts[0].pk),
        rename,
        "A new &lt;b&gt;name&lt;/b&gt;",
        "FIRST",
    )


def test_the_undo_step_is_the_teachers_own(client, teacher_client, teacher, queue):
    essay, drafts = queue
    url = queue_url(essay, drafts[1].pk)
    before = text(teacher_client, url)
    assert "Undo" not in before
    decide(teacher_client, essay, drafts[0], "publish", HTTP_HX_REQUEST="true")
    Question.objects.filter(pk=drafts[0].pk).update(status=Question.Status.DRAFT)
    # The statuses are as they were: only the log differs.
    after = text(teacher_client, url)
    assert "Undo publish" in after
    assert after == fresh(teacher_client, url)
    other = TeacherFactory()
    other.user_permissions.add(*teacher.user_permissions.all())
    for group in teacher.groups.all():
        other.groups.add(group)
    client.force_login(other)
    theirs = text(client, url)
    assert "Undo" not in theirs
    assert other.username in theirs


def test_over_htmx_the_area_is_kept_apart(teacher_client, queue):
    essay, drafts = queue
    url = queue_url(essay, drafts[1].pk)
    page = text(teacher_client, url)
    area = text(teacher_client, url, **HTMX)
    assert area.strip().startswith('<div id="review-area"')
    assert area in page
    response = teacher_client.get(url, headers=HTMX)
    assert response["HX-Replace-Url"] == url
    assert_shows(
        teacher_client,
        url,
        lambda: Question.objects.filter(pk=drafts[1].pk).update(
            status=Question.Status.PUBLISHED, version=F("version")
        ),
        **HTMX,
    )


def test_a_kept_page_costs_five_queries_and_is_never_anothers(
    client, teacher_client, queue, django_assert_max_num_queries
):
    essay, drafts = queue
    url = queue_url(essay, drafts[1].pk)
    text(teacher_client, url)
    # Session, user, the right to teach, the essay with the right to review,
    # the queue's order.
    with django_assert_max_num_queries(5):
        text(teacher_client, url)
    other, theirs = essay_with_drafts(1)
    assert teacher_client.get(queue_url(essay, theirs[0].pk)).status_code == 404
    no_right = TeacherFactory()
    no_right.groups.clear()
    client.force_login(no_right)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert reverse("teach_review", args=[essay.pk]) in url
