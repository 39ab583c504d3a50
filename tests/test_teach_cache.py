"""The Teach pages' cache (quizzes/selectors/versions.py, views/teach/cached.py):
a page served from it is the page made afresh, whatever changed since, by
whom and in which process; each kind of write changes the class's version.

Each test reads a page (which keeps it), writes, and reads it again: the
page must show the write, and equal the page made with an empty cache."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import F
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from quizzes import rosters
from quizzes.models import (
    Attempt,
    Card,
    Classroom,
    Enrolment,
    Extension,
    Question,
    Quiz,
)
from quizzes.selectors import versions
from quizzes.services import attempts, cards, classes, gradebook, questions, stamps
from quizzes.services import rosters as roster_services
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    TeacherFactory,
    UserFactory,
)
from tests.test_mastery import hand_made

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def empty_cache():
    forget()
    yield
    forget()


def forget() -> None:
    """Both layers of the cache emptied: this process's and the shared one
    (of Redis, only this test's keys: other tests share its database)."""
    shared = caches["default"]
    if isinstance(shared, LocMemCache):
        shared.clear()
    else:
        _drop_keys(shared.key_prefix)
    versions.RECENT.entries.clear()
    versions.RECENT.used = 0


def _drop_keys(prefix: str) -> None:
    import redis

    from tests.test_redis_sessions import REDIS

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def made(client):
    made = hand_made()
    client.force_login(made["teacher"])
    return made


def urls(made) -> dict[str, str]:
    pk = made["classroom"].pk
    alice = made["students"][0]
    return {
        "gradebook": reverse("teach_gradebook", args=[pk]),
        "mastery": reverse("teach_mastery", args=[pk]),
        "class": reverse("teach_class", args=[pk]),
        "analysis": reverse("teach_analysis", args=[pk, made["quiz"].pk]),
        "student": reverse("teach_student", args=[pk, alice.pk]),
    }


def text(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    # Each response masks the CSRF token anew.
    return re.sub(
        r'(csrfmiddlewaretoken" value="|x-csrftoken": ")[^"]+', r"\1-", response.text
    )


def fresh(client, url: str, **headers) -> str:
    """The page as made with nothing kept."""
    forget()
    return text(client, url, **headers)


def assert_shows(client, url: str, write, *expected: str, **headers) -> None:
    before = text(client, url, **headers)
    assert text(client, url, **headers) == before  # served from the cache
    write()
    after = text(client, url, **headers)
    assert after != before
    for words in expected:
        assert words in after
    assert after == fresh(client, url, **headers)


# --- The student's writes ---------------------------------------------------------


def test_an_attempt_started_and_finished_shows_at_once(client, made):
    carol, quiz = made["students"][2], made["quiz"]
    url = urls(made)["gradebook"]
    attempt = None

    def start():
        nonlocal attempt
        attempt = attempts.attempt_start(quiz=quiz, student=carol)

    assert_shows(client, url, start, "in progress")

    def answer_all():
        for question_id in attempt.question_ids:
            attempts.attempt_answer(
                attempt_id=attempt.pk,
                student=carol,
                question_id=question_id,
                data=QueryDict("choice=0"),
            )

    # The last answer finishes the attempt: its score shows.
    assert_shows(client, url, answer_all)
    attempt.refresh_from_db()
    assert attempt.is_finished


def test_an_attempt_closed_when_its_time_is_up_shows(client, made):
    carol, quiz = made["students"][2], made["quiz"]
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_minutes=5)
    quiz.refresh_from_db()
    attempt = attempts.attempt_start(quiz=quiz, student=carol)
    url = urls(made)["gradebook"]
    later = timezone.now() + timedelta(hours=1)
    assert_shows(
        client,
        url,
        lambda: attempts.attempts_close_overdue(students=[carol], now=later),
    )
    attempt.refresh_from_db()
    assert attempt.is_finished


def _finish_open_attempts(student) -> None:
    """Her open graded attempt holds the quiz's cards back (rating one is
    refused, services.cards.CardHeld): finished before she studies."""
    Attempt.objects.filter(student=student, finished_at=None).update(
        finished_at=timezone.now()
    )


def _rate(student, prompt: str):
    card = Card.objects.get(student=student, question__prompt=prompt)
    return cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=3,
        token=card.reps,
        duration_ms=None,
        now=timezone.now(),
    )


def test_a_card_rated_changes_the_map_and_the_students_page(client, made):
    alice = made["students"][0]
    _finish_open_attempts(alice)
    # A new card studied: one fewer new card on her page.
    assert_shows(
        client, urls(made)["student"], lambda: _rate(alice, "What did he fear?")
    )
    # A card studied three days ago, again: recall now is back up.
    assert_shows(
        client, urls(made)["mastery"], lambda: _rate(alice, "Whom did Stalin fear?")
    )


def test_a_rating_undone_shows(client, made):
    alice = made["students"][0]
    _finish_open_attempts(alice)
    card = Card.objects.get(student=alice, question__prompt="What did he fear?")
    _card, review = cards.card_rate(
        student=alice,
        card_id=card.pk,
        rating=3,
        token=card.reps,
        duration_ms=None,
        now=timezone.now(),
    )
    assert_shows(
        client,
        urls(made)["mastery"],
        lambda: cards.rating_undo(student=alice, card_id=card.pk, review_id=review.pk),
    )


def test_a_student_renamed_in_the_admin_shows_renamed(client, made):
    alice = made["students"][0]
    pages = urls(made)
    del pages["analysis"]  # it names no student
    for n, url in enumerate(pages.values()):
        name = f"Alicia{n}"
        assert_shows(client, url, lambda name=name: _rename(alice, name), name)


def _rename(user, first_name: str) -> None:
    user.first_name = first_name
    user.save()


def test_a_login_changes_nothing(client, made):
    """A login saves last_login alone: it leaves the pages kept."""
    alice = made["students"][0]
    url = urls(made)["gradebook"]
    text(client, url)
    version = _version(made)
    alice.last_login = timezone.now()
    alice.save(update_fields=["last_login"])
    assert _version(made) == version


def _version(made) -> str:
    classroom = versions.taught_class(made["teacher"], made["classroom"].pk)
    return versions.version_of(classroom)


# --- The teacher's writes --------------------------------------------------------


def test_a_new_assignment_edited_and_deleted_shows(client, made):
    url = urls(made)["gradebook"]
    now = timezone.now()
    created = None

    def create():
        nonlocal created
        created = classes.assignment_create(
            classroom=made["classroom"],
            teacher=made["teacher"],
            opens_at=now,
            due_at=now + timedelta(days=3),
            quiz=made["quiz"],
            title="Second go",
        )

    assert_shows(client, url, create, "Second go")
    assert_shows(
        client,
        url,
        lambda: classes.assignment_update(
            assignment=created,
            opens_at=now,
            due_at=now + timedelta(days=4),
            title="Third go",
        ),
        "Third go",
    )
    assert_shows(client, url, lambda: classes.assignment_delete(assignment=created))


def test_a_goal_set_from_the_map_shows_on_the_gradebook(client, made):
    now = timezone.now()
    alice = made["students"][0]
    claim = made["claims"][0]
    url = urls(made)["gradebook"]
    assert_shows(
        client,
        url,
        lambda: classes.assignment_create(
            classroom=made["classroom"],
            teacher=made["teacher"],
            opens_at=now,
            due_at=now + timedelta(days=3),
            essay=made["essay"],
            claims=[claim],
            students=[alice],
            target_recall=0.9,
            title="Fear goal",
            now=now,
        ),
        "Fear goal",
    )


def test_an_extension_and_an_override_show(client, made):
    alice = made["students"][0]
    assignment = made["classroom"].assignments.get()
    url = urls(made)["gradebook"]
    assert_shows(
        client,
        url,
        lambda: gradebook.extension_grant(
            assignment=assignment,
            student=alice,
            teacher=made["teacher"],
            extra_attempts=1,
            extra_minutes=0,
            due_at=None,
        ),
        "extended",
    )
    assert Extension.objects.count() == 1
    carol = made["students"][2]
    attempt = _finished_attempt(made, carol)
    response = attempt.responses.first()
    carols = reverse("teach_student", args=[made["classroom"].pk, carol.pk])
    for url in (urls(made)["gradebook"], carols):
        response.refresh_from_db()
        assert_shows(
            client,
            url,
            lambda r=response: gradebook.response_override(
                response=r,
                teacher=made["teacher"],
                score=0 if r.score else 1,
                comment="",
                now=timezone.now(),
            ),
        )


def _finished_attempt(made, student):
    attempt = attempts.attempt_start(quiz=made["quiz"], student=student)
    for question_id in attempt.question_ids:
        attempts.attempt_answer(
            attempt_id=attempt.pk,
            student=student,
            question_id=question_id,
            data=QueryDict("choice=0"),
        )
    attempt.refresh_from_db()
    assert attempt.is_finished
    return attempt


def test_students_joining_leaving_and_added_from_a_roster_show(client, made):
    classroom = made["classroom"]
    url = urls(made)["class"]
    dave = UserFactory(username="dave", first_name="Dave", last_name="Dunn")
    assert_shows(
        client,
        url,
        lambda: classes.classroom_join(
            student=dave, code=classroom.join_code, now=timezone.now()
        ),
        "Dave Dunn",
    )
    assert_shows(
        client,
        url,
        lambda: classes.classroom_student_remove(classroom=classroom, student=dave),
    )
    roster = rosters.read_roster(b"username,first_name,last_name\nerin,Erin,Evans\n")
    assert_shows(
        client,
        url,
        lambda: roster_services.roster_import(
            classroom=classroom, rows=roster.rows, now=timezone.now()
        ),
        "Erin Evans",
    )


def test_the_class_settings_and_teachers_show(client, made):
    classroom = Classroom.objects.get(pk=made["classroom"].pk)
    url = urls(made)["class"]
    assert_shows(
        client,
        url,
        lambda: classes.classroom_set_flags(classroom=classroom, join_open=False),
        "Joining is closed",
    )
    assert_shows(client, url, lambda: classes.join_code_regenerate(classroom=classroom))
    other = TeacherFactory(username="mr_other", first_name="Otto", last_name="Ore")
    assert_shows(
        client,
        url,
        lambda: classes.classroom_teacher_add(classroom=classroom, teacher=other),
        "Otto Ore",
    )
    assert_shows(client, url, lambda: _rename(other, "Oscar"), "Oscar Ore")


def test_a_lockout_shows_on_the_class_page(client, made, settings):
    from axes.models import AccessAttempt

    alice = made["students"][0]
    url = urls(made)["class"]
    assert_shows(
        client,
        url,
        lambda: AccessAttempt.objects.create(
            username=alice.username,
            failures_since_start=settings.AXES_FAILURE_LIMIT,
            attempt_time=timezone.now(),
            ip_address="127.0.0.1",
            user_agent="test",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/login/",
        ),
        "Locked out",
    )


# --- Content edited ----------------------------------------------------------------


def test_a_question_edited_in_the_admin_shows(client, made, admin_user):
    question = Question.objects.get(prompt="Whom did Stalin fear?")
    url = urls(made)["analysis"]

    def edit():
        question.prompt = "Whom did Stalin fear most?"
        # As the admin saves it: the model's save().
        admin.site._registry[Question].save_model(
            RequestFactory().post("/"), question, form=None, change=True
        )

    assert_shows(client, url, edit, "Whom did Stalin fear most?")


def test_a_question_unpublished_in_bulk_shows(client, made):
    """A bulk update dates nothing: the published questions are counted."""
    question = Question.objects.get(prompt="When was Kirov killed?")
    assert_shows(
        client,
        urls(made)["mastery"],
        lambda: questions.questions_set_status(
            questions=[question], status=Question.Status.DRAFT
        ),
    )


def test_a_quiz_renamed_shows(client, made):
    quiz = made["quiz"]

    def rename():
        quiz.title = "Purge quiz, revised"
        quiz.save()

    assert_shows(client, urls(made)["gradebook"], rename, "Purge quiz, revised")


# --- Time, htmx, other processes, access --------------------------------------------


def test_a_cell_turns_missing_when_the_due_date_passes(client, made, monkeypatch):
    assignment = made["classroom"].assignments.get()
    url = urls(made)["gradebook"]
    before = text(client, url)
    assert "missing" not in before
    later = assignment.due_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = text(client, url)
    assert "missing" in after  # Carol did nothing
    assert after == fresh(client, url)


def test_the_map_is_made_again_after_a_minute(client, made, monkeypatch):
    url = urls(made)["mastery"]
    text(client, url)
    key_entries = dict(versions.RECENT.entries)
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    text(client, url)
    (entry_before,) = [e for e, _ in key_entries.values()]
    (entry_after,) = [e for e, _ in versions.RECENT.entries.values()]
    assert entry_after.valid_until > entry_before.valid_until


def test_over_htmx_the_part_is_kept_apart_from_the_page(client, made):
    url = urls(made)["gradebook"] + "?sort=name&dir=desc"
    page = text(client, url)
    part = text(client, url, **HTMX)
    assert part.strip().startswith('<div id="gradebook">')
    assert part in page
    assert text(client, url) == page
    alice = made["students"][0]
    assert_shows(client, url, lambda: _rename(alice, "Alicia"), "Alicia", **HTMX)


def test_a_change_made_by_another_process_is_never_served_stale(client, made):
    """Another server writes to the database and nothing else: its change
    reaches this process's cache through the version alone (here an update
    that bypasses every hook but the stamp, as any process's service does)."""
    alice = made["students"][0]
    url = urls(made)["gradebook"]
    before = text(client, url)
    type(alice).objects.filter(pk=alice.pk).update(first_name="Alicia")
    assert text(client, url) == before  # no mark: the page as kept
    Enrolment.objects.filter(student=alice).update(stamp=F("stamp") + 1)
    after = text(client, url)
    assert "Alicia" in after
    assert after == fresh(client, url)


def test_an_entry_kept_by_another_process_at_an_older_version_is_not_used(client, made):
    url = urls(made)["gradebook"]
    text(client, url)  # kept here and in the shared cache, at this version
    versions.RECENT.entries.clear()  # a process that never saw the page
    stamps.student_changed(made["students"][0].pk)
    alice = made["students"][0]
    type(alice).objects.filter(pk=alice.pk).update(last_name="Adamson")
    assert "Adamson" in text(client, url)


def test_another_teacher_never_gets_the_page_kept(client, made):
    urls_ = urls(made)
    for url in urls_.values():
        text(client, url)
    client.force_login(TeacherFactory())
    for url in urls_.values():
        assert client.get(url).status_code == 404


def test_a_co_teacher_gets_the_page_with_their_own_name(client, made):
    url = urls(made)["gradebook"]
    text(client, url)
    other = TeacherFactory(username="mr_other")
    made["classroom"].teachers.add(other)
    client.force_login(other)
    page = text(client, url)
    assert '<span class="muted">mr_other</span>' in page
    assert page == fresh(client, url)


def test_a_student_or_quiz_not_of_the_class_is_not_found_even_when_kept(client, made):
    pk = made["classroom"].pk
    outsider = UserFactory()
    other_quiz = AssignmentFactory(classroom=ClassroomFactory()).quiz
    for url in (
        reverse("teach_student", args=[pk, outsider.pk]),
        reverse("teach_analysis", args=[pk, other_quiz.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404
    alice = made["students"][0]
    url = reverse("teach_student", args=[pk, alice.pk])
    text(client, url)
    classes.classroom_student_remove(classroom=made["classroom"], student=alice)
    assert client.get(url).status_code == 404


def test_a_cached_page_costs_one_query_after_the_login(
    client, made, django_assert_max_num_queries
):
    for url in urls(made).values():
        text(client, url)
        # session, user, the right to teach, the class with its version (and
        # for the class page, who is locked out)
        with django_assert_max_num_queries(4):
            text(client, url)


def test_the_right_to_teach_is_what_has_perm_says():
    from django.contrib.auth.models import Group, Permission

    from quizzes.views.teach import is_teacher

    right = Permission.objects.get(
        content_type__app_label="quizzes", codename="view_classroom"
    )
    given = UserFactory(is_staff=True)
    given.user_permissions.add(right)
    grouped = UserFactory(is_staff=True)
    grouped.groups.add(Group.objects.create(name="Heads"))
    Group.objects.get(name="Heads").permissions.add(right)
    other_right = UserFactory(is_staff=True)
    other_right.user_permissions.add(Permission.objects.exclude(pk=right.pk).first())
    people = [
        given,
        grouped,
        other_right,
        UserFactory(is_staff=True),  # staff without the right
        UserFactory(),  # a student
        UserFactory(is_staff=True, is_superuser=True),
        UserFactory(is_staff=True, is_superuser=True, is_active=False),
        TeacherFactory(),
    ]
    for person in people:
        fresh_user = type(person).objects.get(pk=person.pk)
        expected = (
            fresh_user.is_active
            and fresh_user.is_staff
            and fresh_user.has_perm("quizzes.view_classroom")
        )
        assert is_teacher(type(person).objects.get(pk=person.pk)) == expected
    assert [is_teacher(p) for p in people] == [1, 1, 0, 0, 0, 1, 0, 1]


@pytest.fixture
def redis_cache():
    """The shared cache several app servers have (REDIS_URL), under a prefix
    of this test's own, its keys removed after."""
    import uuid

    from django.test import override_settings

    from tests.test_redis_sessions import REDIS

    prefix = f"teach-test-{uuid.uuid4().hex}"
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=shared):
        yield caches["default"]
    _drop_keys(prefix)


def test_with_redis_a_page_made_by_one_server_is_served_by_another_until_a_write(
    client, made, redis_cache, monkeypatch
):
    from quizzes.selectors import gradebook as gradebook_reads

    url = urls(made)["gradebook"]
    page = text(client, url)  # server A makes it, keeps it in Redis too
    built = []
    make = gradebook_reads.gradebook
    monkeypatch.setattr(
        gradebook_reads, "gradebook", lambda **kw: built.append(1) or make(**kw)
    )
    versions.RECENT.entries.clear()  # server B has never seen it
    assert text(client, url) == page  # from Redis, not made again
    assert not built
    versions.RECENT.entries.clear()
    _rename(made["students"][0], "Alicia")  # a write, on any server
    after = text(client, url)
    assert built  # made again: Redis's copy is of an older version
    assert "Alicia" in after
    assert after == fresh(client, url)
