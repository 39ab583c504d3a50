"""Password guessing: django-axes locks a username from one address after
five wrong passwords, never a whole address (a classroom shares one behind
the school's NAT); a teacher unlocks a student from the class page."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, ClassroomFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
CLASSROOM_IP = "10.0.0.7"


@pytest.fixture(autouse=True)
def lockouts(settings):
    """The production backends: tests elsewhere log in without a request."""
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def _login(username: str, password: str, ip: str = CLASSROOM_IP):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def _guess(username: str, times: int, ip: str = CLASSROOM_IP) -> None:
    for n in range(times):
        _, response = _login(username, "wrong-guess", ip)
        # The form again with its error; the fifth wrong one is the lockout.
        assert response.status_code == (429 if n >= 4 else 200)


def test_five_wrong_passwords_lock_the_username_from_that_address(student):
    _guess(student.username, 5)

    _, response = _login(student.username, PASSWORD)

    assert response.status_code == 429
    assert "Too many wrong passwords" in response.text
    assert "ask your teacher" in response.text


def test_a_classmate_behind_the_same_address_still_logs_in(student, other_student):
    _guess(student.username, 5)

    _, response = _login(other_student.username, PASSWORD)

    assert response.status_code == 302  # to the home page


def test_a_success_forgets_the_failures(student):
    _guess(student.username, 4)
    _, response = _login(student.username, PASSWORD)
    assert response.status_code == 302
    _guess(student.username, 4)

    _, response = _login(student.username, PASSWORD)

    assert response.status_code == 302


def test_behind_a_proxy_the_clients_address_is_the_forwarded_one(
    settings, student, other_student
):
    """Behind a load balancer every request comes from its address: the
    client's is read from X-Forwarded-For (DJANGO_PROXY_COUNT hops)."""
    settings.PROXY_COUNT = 1
    proxy = "192.0.2.1"
    for _ in range(5):
        Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9").post(
            LOGIN, {"username": student.username, "password": "wrong-guess"}
        )

    elsewhere = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.10")
    there = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    login = {"username": student.username, "password": PASSWORD}

    assert there.post(LOGIN, login).status_code == 429
    assert elsewhere.post(LOGIN, login).status_code == 302


def test_a_teacher_unlocks_a_student_of_their_class(teacher, student):
    classroom = ClassroomFactory(teacher=teacher, name="10B")
    classroom.enrolments.create(student=student, joined_at="2026-09-03T08:00:00Z")
    _guess(student.username, 5)
    teacher_client = Client()
    teacher_client.force_login(teacher)
    page = teacher_client.get(reverse("teach_class", args=[classroom.pk])).text
    unlock = reverse("teach_student_unlock", args=[classroom.pk, student.pk])
    assert "Locked out" in page
    assert f'action="{unlock}"' in page

    response = teacher_client.post(unlock, follow=True)

    assert "can log in again with their password" in response.text
    assert "Locked out" not in response.text
    assert _login(student.username, PASSWORD)[1].status_code == 302


def test_a_teacher_cannot_unlock_someone_outside_their_classes(teacher, student):
    classroom = ClassroomFactory(teacher=teacher, name="10B")
    stranger = UserFactory(username="stranger")
    _guess(stranger.username, 5)
    teacher_client = Client()
    teacher_client.force_login(teacher)

    response = teacher_client.post(
        reverse("teach_student_unlock", args=[classroom.pk, stranger.pk])
    )

    assert response.status_code == 404
    assert _login(stranger.username, PASSWORD)[1].status_code == 429


def test_without_a_proxy_a_forwarded_address_is_ignored(student):
    """A guesser who writes a new X-Forwarded-For each time is still one
    address when no proxy is configured."""
    for n in range(5):
        Client(REMOTE_ADDR=CLASSROOM_IP, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            LOGIN, {"username": student.username, "password": "wrong-guess"}
        )

    _, response = _login(student.username, PASSWORD)

    assert response.status_code == 429
