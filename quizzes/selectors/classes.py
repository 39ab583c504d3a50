"""Reads for the Teach area's class pages: a teacher's classes, a class's
roster and teachers, and a roster file's rows checked against the site."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.db.models.functions import Lower
from django.utils import timezone

from quizzes import rosters
from quizzes.models import Classroom, Enrolment
from quizzes.rosters import RosterRow

# A username may start with "-", "+", "@" or "=" for Django; those made by a
# roster must not, so the logins' CSV shows every username as it is typed
# (a spreadsheet would take such a cell for a formula).
USERNAME_RULE = (
    "A username is letters, digits and . _ @ + - (no spaces), "
    "starting with a letter or a digit."
)


@dataclass
class TeacherClasses:
    active: list[Classroom]
    archived: list[Classroom]


@functools.cache
def _teaching_right_sql() -> str:
    """Has the user quizzes.view_classroom, given or through a group: what
    the model backend (the only one granting rights) reads, in one
    statement. Raw: the ORM's building of it cost ten times its running."""
    User = get_user_model()
    own = User.user_permissions.through._meta
    groups = User.groups.through._meta
    given = Group.permissions.through._meta
    return (
        f'SELECT 1 FROM "{Permission._meta.db_table}" p '
        f'JOIN "{ContentType._meta.db_table}" c ON c.id = p.content_type_id '
        "WHERE c.app_label = %s AND p.codename = %s AND ("
        f'EXISTS (SELECT 1 FROM "{own.db_table}" up '
        "WHERE up.permission_id = p.id AND up.user_id = %s) "
        f'OR EXISTS (SELECT 1 FROM "{given.db_table}" gp '
        f'JOIN "{groups.db_table}" ug ON ug.group_id = gp.group_id '
        "WHERE gp.permission_id = p.id AND ug.user_id = %s))"
    )


def has_teaching_right(user) -> bool:
    """The user has quizzes.view_classroom, given or through a group (a
    superuser's is the caller's to grant)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _teaching_right_sql(), ["quizzes", "view_classroom", user.pk, user.pk]
        )
        return cursor.fetchone() is not None


def teacher_classes(teacher) -> TeacherClasses:
    """The teacher's classes with their student counts, active ones first:
    one query."""
    classes = list(
        Classroom.objects.taught_by(teacher)
        .annotate(student_count=Count("enrolments", distinct=True))
        .order_by("archived", "name", "id")
    )
    return TeacherClasses(
        active=[c for c in classes if not c.archived],
        archived=[c for c in classes if c.archived],
    )


def _roster_prefetches() -> list[Prefetch]:
    User = get_user_model()
    return [
        Prefetch(
            "teachers",
            queryset=User.objects.order_by("last_name", "first_name", "username"),
        ),
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("student").order_by(
                "student__last_name", "student__first_name", "student__username"
            ),
            to_attr="roster",
        ),
    ]


def classes_with_roster():
    """Classes with their teachers and their roster (each enrolment with its
    student) loaded: three queries for a class, whatever its size. Fetch one
    through ``own_classroom(request, pk, queryset=...)``."""
    return Classroom.objects.prefetch_related(*_roster_prefetches())


def with_roster(classroom: Classroom) -> Classroom:
    """The class already fetched, its teachers and roster loaded as
    ``classes_with_roster`` loads them: two queries."""
    prefetch_related_objects([classroom], *_roster_prefetches())
    return classroom


@functools.cache
def locked_sql() -> str:
    """The usernames of a class's students locked out now (django-axes, as
    ``services.rosters.locked_usernames`` counts them); ``locked_params``
    fill it. Raw: the class page asks it on every request, cached or not."""
    User = get_user_model()
    username = User._meta.get_field(User.USERNAME_FIELD).column
    return (
        f'SELECT DISTINCT x.username FROM "{AccessAttempt._meta.db_table}" x '
        f'WHERE x.username IN (SELECT u."{username}" '
        f'FROM "{User._meta.db_table}" u '
        f'JOIN "{Enrolment._meta.db_table}" e ON e.student_id = u.id '
        "WHERE e.classroom_id = %s) "
        "AND x.failures_since_start >= %s AND x.attempt_time >= %s"
    )


def locked_params(classroom_pk: int) -> list:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return [classroom_pk, settings.AXES_FAILURE_LIMIT, since]


def roster_checked(rows: list[RosterRow]) -> list[RosterRow]:
    """The rows with every problem they have: the file's own
    (``rosters.check_rows``), then a username Django does not allow or that
    someone already has (in any case), an email that is not one. One query
    for all the usernames; the preview and the import both check with it."""
    User = get_user_model()
    rosters.check_rows(rows)
    names = {row.username.lower() for row in rows if row.username}
    taken = set(
        User.objects.annotate(folded=Lower("username"))
        .filter(folded__in=names)
        .values_list("folded", flat=True)
    )
    for row in rows:
        if row.username and not _username_allowed(row.username):
            row.problems.append(USERNAME_RULE)
        elif row.username.lower() in taken:
            row.problems.append(
                f"The username {row.username} is taken. (A student who already "
                "has an account joins with the class code instead.)"
            )
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.problems.append(f"“{row.email}” is not an email address.")
    return rows


def _username_allowed(username: str) -> bool:
    if not username[:1].isalnum():
        return False
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return False
    return True
