"""The Teach area: the pages where teachers run their classes.

Every view here is wrapped in ``teacher_view`` and fetches a class through
``own_classroom`` (or ``Classroom.objects.taught_by``), so a class of another
teacher is a 404 and a student or a visitor never gets in (tested by walking
every URL of ``quizzes.urls_teach``).
"""

import functools
from collections.abc import Callable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from quizzes.models import Classroom
from quizzes.views import HtmxHttpRequest


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


def is_teacher(user) -> bool:
    """Staff in the Teachers group (or with its rights on classes): what
    ``user.has_perm("quizzes.view_classroom")`` says, in one query rather
    than the two that load all the user's rights, once per request."""
    if not (user.is_active and user.is_staff):
        return False
    if not hasattr(user, "_teaches"):
        if user.is_superuser:
            user._teaches = True
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    _teaching_right_sql(),
                    ["quizzes", "view_classroom", user.pk, user.pk],
                )
                user._teaches = cursor.fetchone() is not None
    return user._teaches


def teacher_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Teachers only: a visitor is told to log in (403), a student finds no
    such page (404)."""

    @wraps(view)
    def wrapped(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            raise PermissionDenied("Log in as a teacher.")
        if not is_teacher(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def own_classroom(request: HtmxHttpRequest, pk: int, *, queryset=None) -> Classroom:
    """The class, if the user asking teaches it; else 404."""
    classes = queryset if queryset is not None else Classroom.objects.all()
    return get_object_or_404(classes.taught_by(request.user), pk=pk)
