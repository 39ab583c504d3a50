"""The Teach area: the pages where teachers run their classes.

Every view here is wrapped in ``teacher_view`` and fetches a class through
``own_classroom`` (or ``Classroom.objects.taught_by``), so a class of another
teacher is a 404 and a student or a visitor never gets in (tested by walking
every URL of ``quizzes.urls_teach``).
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from quizzes.models import Classroom
from quizzes.selectors import classes as class_reads
from quizzes.views import HtmxHttpRequest


def is_teacher(user) -> bool:
    """Staff in the Teachers group (or with its rights on classes): what
    ``user.has_perm("quizzes.view_classroom")`` says, in one query rather
    than the two that load all the user's rights, once per request."""
    if not (user.is_active and user.is_staff):
        return False
    if not hasattr(user, "_teaches"):
        if user.is_superuser or hasattr(user, "_perm_cache"):
            # All the user's rights are loaded already (the model backend's
            # cache, when a page asked for another right first): no query.
            user._teaches = user.has_perm("quizzes.view_classroom")
        else:
            user._teaches = class_reads.has_teaching_right(user)
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
