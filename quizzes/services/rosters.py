"""Students added to a class in bulk from a roster file, with generated
passwords; a student's password reset by a teacher of their class."""

from __future__ import annotations

from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes import rosters
from quizzes.models import Classroom, Enrolment
from quizzes.rosters import RosterRow
from quizzes.selectors.classes import roster_checked
from quizzes.services import stamps
from quizzes.services.classes import ClassRefused

# Django stretches a password with 1,000,000 PBKDF2 rounds (a third of a
# second) because people choose guessable ones. A generated password has
# 49.5 bits of its own, so 10,000 rounds already make it years of GPU time;
# a class of 30 is then made in a blink instead of ten seconds, and Django
# re-hashes it at full strength at the student's first login (the hasher
# reads the rounds from the hash and asks for an update when they differ).
GENERATED_ROUNDS = 10_000


class RosterRefused(ClassRefused):
    """The roster cannot be imported as it stands: ``rows`` says why, row by
    row (empty when the reason is not one row's)."""

    def __init__(self, message: str, rows: list[RosterRow] = ()) -> None:
        super().__init__(message)
        self.rows = list(rows)


def _generated_hash(password: str) -> str:
    hasher = get_hasher()
    if not isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt())
    rounds = min(GENERATED_ROUNDS, hasher.iterations)
    return hasher.encode(password, hasher.salt(), iterations=rounds)


def roster_import(
    *, classroom: Classroom, rows: list[RosterRow], now: datetime
) -> list[dict]:
    """Create an account for every row and enrol it in the class, all or
    none. Returns each student's login (username, names, password): the only
    time the passwords exist in clear. Raises RosterRefused when a row has a
    problem, checked again here as the preview checked it."""
    passwords = [rosters.new_password() for _ in rows]
    # Hashed before the transaction: the write lock is held for the inserts only.
    hashes = [_generated_hash(password) for password in passwords]
    try:
        _create_and_enrol(classroom=classroom, rows=rows, hashes=hashes, now=now)
    except IntegrityError:
        # Someone took a username between the check and the insert.
        raise RosterRefused(
            "One of these usernames was taken a moment ago. Upload the file "
            "again to see which; nothing was created."
        ) from None
    return [
        {
            "username": row.username,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "password": password,
        }
        for row, password in zip(rows, passwords, strict=True)
    ]


@transaction.atomic
def _create_and_enrol(
    *, classroom: Classroom, rows: list[RosterRow], hashes: list[str], now: datetime
) -> None:
    if not rows:
        raise RosterRefused("The roster lists no students.")
    checked = roster_checked([RosterRow.from_data(row.as_data()) for row in rows])
    if any(row.problems for row in checked):
        raise RosterRefused(
            "Some rows have problems; nothing was created.",
            rows=checked,
        )
    User = get_user_model()
    students = User.objects.bulk_create(
        User(
            username=row.username,
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email,
            password=password_hash,
        )
        for row, password_hash in zip(rows, hashes, strict=True)
    )
    Enrolment.objects.bulk_create(
        Enrolment(classroom=classroom, student=student, joined_at=now)
        for student in students
    )
    stamps.class_changed(classroom.pk)


@transaction.atomic
def student_password_reset(*, classroom: Classroom, student) -> str:
    """A new password for a student of the class, returned once: it is not
    kept in clear anywhere. Staff accounts are never reset from a class (a
    teacher could otherwise take over a colleague's or an admin's login)."""
    _own_student(classroom, student, "change its password")
    password = rosters.new_password()
    student.set_password(password)
    student.save(update_fields=["password"])
    axes_reset(username=student.get_username())  # a new password unlocks too
    return password


def student_unlock(*, classroom: Classroom, student) -> int:
    """Forget the student's failed logins (django-axes), which lock their
    username after too many: how many records went. Only a student of the
    class, never a staff account."""
    _own_student(classroom, student, "unlock it")
    return axes_reset(username=student.get_username())


def _own_student(classroom: Classroom, student, what: str) -> None:
    """Refuse a staff account (a teacher could otherwise take over a
    colleague's or an admin's login) and anyone outside the class."""
    if student.is_staff or student.is_superuser:
        raise ClassRefused(
            f"{student.get_username()} is a staff account: only an administrator "
            f"can {what}."
        )
    if not classroom.enrolments.filter(student=student).exists():
        raise ClassRefused(f"{student.get_username()} is not in {classroom.name}.")


def locked_usernames(usernames) -> set[str]:
    """Which of these usernames are locked out now (one query)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )
