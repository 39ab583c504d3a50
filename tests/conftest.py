from pathlib import Path

import pytest

from tests.factories import PASSWORD, TeacherFactory, UserFactory


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password the production way takes the better part of a
    # second; tests that make a class of 60 students would wait minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Client.login() authenticates without a request, which django-axes's
    # backend refuses: the lockout tests put it back (tests/test_lockout.py).
    settings.AUTHENTICATION_BACKENDS = [
        backend for backend in settings.AUTHENTICATION_BACKENDS if "axes" not in backend
    ]
    # Tasks run at once, inside the request that queues them; the worker's
    # own test puts the database backend back (tests/test_tasks.py).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


SEED_ESSAY = Path(__file__).resolve().parents[1] / "quizzes/data/great_purge.txt"


@pytest.fixture
def seed_text() -> str:
    return SEED_ESSAY.read_text(encoding="utf-8")


@pytest.fixture
def student(db):
    return UserFactory(username="alice")


@pytest.fixture
def other_student(db):
    return UserFactory(username="bob")


@pytest.fixture
def teacher(db):
    return TeacherFactory(username="mrs_teacher")


@pytest.fixture
def student_client(client, student):
    client.login(username=student.username, password=PASSWORD)
    return client


@pytest.fixture
def teacher_client(client, teacher):
    client.login(username=teacher.username, password=PASSWORD)
    return client
