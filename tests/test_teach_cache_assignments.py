"""A class's Assignments page served from the Teach pages' cache
(views/teach/cached.py, as tests/test_teach_cache.py for the other pages):
each kind of write, and time, shows at once, and the page served equals the
page made with an empty cache."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Assignment
from quizzes.services import attempts, classes
from tests.factories import TeacherFactory, UserFactory
from tests.test_mastery import hand_made
from tests.test_teach_cache import assert_shows, empty_cache, forget, fresh, text  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(client):
    made = hand_made()
    client.force_login(made["teacher"])
    return made


def url(made) -> str:
    return reverse("teach_assignments", args=[made["classroom"].pk])


def _create(made, **fields) -> Assignment:
    now = timezone.now()
    fields = {"opens_at": now, "due_at": now + timedelta(days=3)} | fields
    return classes.assignment_create(
        classroom=made["classroom"],
        teacher=made["teacher"],
        quiz=made["quiz"],
        **fields,
    )


def test_an_assignment_created_edited_and_deleted_shows(client, made):
    created = None

    def create():
        nonlocal created
        created = _create(made, title="Second go")

    assert_shows(client, url(made), create, "Second go")
    now = timezone.now()
    assert_shows(
        client,
        url(made),
        lambda: classes.assignment_update(
            assignment=created,
            opens_at=now,
            due_at=now + timedelta(days=4),
            title="Redo",
        ),
        "Redo",
    )
    assert_shows(
        client, url(made), lambda: classes.assignment_delete(assignment=created)
    )
    assert "Redo" not in text(client, url(made))


def test_an_attempt_started_counts_at_once(client, made):
    carol = made["students"][2]
    assert_shows(
        client,
        url(made),
        lambda: attempts.attempt_start(quiz=made["quiz"], student=carol),
        '<td data-label="Attempts">1</td>',
    )


def test_the_quiz_renamed_shows(client, made):
    _create(made, title="Homework")
    quiz = made["quiz"]

    def rename():
        quiz.title = "Purge quiz, revised"
        quiz.save()

    assert_shows(client, url(made), rename, "Quiz: Purge quiz, revised")


def test_a_former_students_attempts_deleted_with_them_show(client, made):
    """Their attempts count after they left; deleting the user drops them."""
    dave = UserFactory(username="dave")
    classroom = made["classroom"]
    classes.classroom_join(student=dave, code=classroom.join_code, now=timezone.now())
    attempts.attempt_start(quiz=made["quiz"], student=dave)
    classes.classroom_student_remove(classroom=classroom, student=dave)
    assert '<td data-label="Attempts">1</td>' in text(client, url(made))
    assert_shows(client, url(made), dave.delete, '<td data-label="Attempts">0</td>')


def test_not_open_yet_goes_when_it_opens_and_past_comes_with_the_due_date(
    client, made, monkeypatch
):
    now = timezone.now()
    later = _create(
        made,
        title="Later",
        opens_at=now + timedelta(hours=1),
        due_at=now + timedelta(hours=2),
    )
    before = text(client, url(made))
    assert "(not open yet)" in before
    assert "(past)" not in before
    opened = later.opens_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: opened)
    after = text(client, url(made))
    assert "(not open yet)" not in after
    assert after == fresh(client, url(made))
    assert "(past)" not in after
    due = later.due_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    # The hand-made assignment is due in a week: only "Later" is past.
    assert text(client, url(made)).count("(past)") == 1
    assert text(client, url(made)) == fresh(client, url(made))


def test_a_cached_page_costs_four_queries_and_another_teacher_gets_404(
    client, made, django_assert_max_num_queries
):
    text(client, url(made))
    # Session, user, the right to teach, the class with its version.
    with django_assert_max_num_queries(4):
        text(client, url(made))
    client.force_login(TeacherFactory())
    assert client.get(url(made)).status_code == 404
    client.force_login(made["students"][0])
    assert client.get(url(made)).status_code == 404


def test_the_page_served_from_the_cache_carries_this_sessions_csrf_token(made):
    """The logout form of a page kept for one session posts from another."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(made["teacher"])
        page = browser.get(url(made)).content.decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302


def test_a_message_is_shown_once_and_the_page_kept_stays_true(client, made):
    text(client, url(made))
    response = client.post(
        reverse("teach_assignment_create", args=[made["classroom"].pk]), {}
    )
    assert response.status_code == 422  # a form with its errors, not the list
    _create(made, title="Fresh")
    page = text(client, url(made))
    assert "Fresh" in page
    assert page == fresh(client, url(made))
