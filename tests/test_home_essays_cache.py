"""The home page's list of essays, kept while the essays' version
(selectors.home.essays_version) is unchanged (views.home._essays_html):
every kind of write to what it shows shows at once, and the page served
equals the page made with an empty cache."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from quizzes import services
from quizzes.models import Essay, Question
from quizzes.services import questions
from tests.factories import (
    EssayFactory,
    QuestionFactory,
    SectionFactory,
    TeacherFactory,
    single_choice_question,
)
from tests.test_teach_cache import assert_shows, empty_cache, forget, fresh, text  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db
PUBLISHED, DRAFT = Question.Status.PUBLISHED, Question.Status.DRAFT


@pytest.fixture
def essay():
    essay = EssayFactory(title="The Great Purge", body="Stalin feared rivals. " * 5)
    SectionFactory(essay=essay, order=0, heading="", start=0, end=40)
    single_choice_question(essay=essay, prompt="Whom did Stalin fear?")
    return essay


@pytest.fixture(params=["visitor", "student", "teacher"])
def someone(request, client, student):
    if request.param == "student":
        client.force_login(student)
    elif request.param == "teacher":
        client.force_login(TeacherFactory())
    return request.param


def test_the_essay_renamed_in_the_admin_shows(client, someone, essay):
    def rename():
        essay.title = "The Great Terror"
        admin.site._registry[Essay].save_model(
            RequestFactory().post("/"), essay, form=None, change=True
        )

    assert_shows(client, "/", rename, "The Great Terror")


def test_a_question_published_in_bulk_is_counted(client, someone, essay):
    draft = QuestionFactory(essay=essay, status=DRAFT)
    assert_shows(
        client,
        "/",
        lambda: questions.questions_set_status(questions=[draft], status=PUBLISHED),
        "2 published questions",
    )


def test_an_essay_left_with_no_published_question_goes_but_for_teachers(
    client, someone, essay
):
    published = list(Question.objects.filter(essay=essay))
    retire = questions.questions_set_status
    if someone == "teacher":
        assert_shows(
            client,
            "/",
            lambda: retire(questions=published, status=DRAFT),
            "0 published questions",
        )
    else:
        assert_shows(client, "/", lambda: retire(questions=published, status=DRAFT))
        assert "The Great Purge" not in text(client, "/")


def test_an_essay_imported_again_shows_its_new_sections(client, someone, seed_text):
    services.imports.essay_import(text=seed_text, title="The Purge", publish=True)
    before = text(client, "/")
    assert "The Purge" in before
    # The first section is untitled: the list shows its first words.
    changed = "Joseph " + seed_text
    assert_shows(
        client,
        "/",
        lambda: services.imports.essay_import(
            text=changed, title="The Purge", publish=True
        ),
        "Joseph Stalin",
    )


def test_an_essay_added_or_deleted_shows(client, someone, essay):
    def add():
        other = EssayFactory(title="Another essay")
        single_choice_question(essay=other)

    assert_shows(client, "/", add, "Another essay")
    assert_shows(client, "/", essay.delete)
    assert "The Great Purge" not in text(client, "/")


def test_a_teachers_list_is_never_a_students(client, student, essay):
    EssayFactory(title="Drafts only")
    client.force_login(TeacherFactory())
    assert "Drafts only" in text(client, "/")
    client.force_login(student)
    page = text(client, "/")
    assert "Drafts only" not in page
    assert page == fresh(client, "/")
