"""A Teach page served from the cache while the class's version (read from
the database on every request: ``selectors.versions``) is unchanged.

The whole page is kept, as bytes cut at its CSRF tokens: a hit costs the
query that fetches the class (with its version), a cache read and a join
with this request's token. What else the page depends on is in the key:
the teacher (and the name the header shows), the page's own parameters,
htmx or not. A page with messages waiting is rendered as it always was
(the messages are shown once).
"""

from collections.abc import Callable
from datetime import datetime

from django.contrib.messages import get_messages
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from quizzes.models import Classroom
from quizzes.selectors import versions
from quizzes.views import HtmxHttpRequest

Build = Callable[[], tuple[dict, datetime | None]]
TOKEN = "csrf"


def _cut(content: bytes) -> tuple[bytes, ...]:
    """The page split at the token's slot."""
    return tuple(content.split(str(versions.slot(TOKEN)).encode()))


def _rendered(request, template: str, parts: tuple, build: Build):
    """The page and its htmx part, each cut at its tokens, and until when."""
    context, valid_until = build()
    context |= {"csrf_token": versions.slot(TOKEN)}
    made = {
        name: versions.html(render_to_string(f"{template}#{name}", context, request))
        for name in parts
    }
    slots = {f"part_{name}": versions.slot(name) for name in parts}
    page = render_to_string(template, context | slots, request)
    made["page"] = versions.fill(versions.html(page), made)
    return {name: _cut(content) for name, content in made.items()}, valid_until


def own_classroom(
    request: HtmxHttpRequest, pk: int, *, locked: bool = False
) -> Classroom:
    """The class, if the user asking teaches it, read with its version
    (``versions.taught_class``, and ``locked``: who is locked out); else
    404, as ``views.teach.own_classroom``."""
    classroom = versions.taught_class(request.user, pk, locked=locked)
    if classroom is None:
        raise Http404("No such class.")
    return classroom


def uncached_page(
    request: HtmxHttpRequest,
    template: str,
    context: dict,
    *,
    part: str | None = None,
    only: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page rendered as it is, not kept (a form sent back with its
    errors, messages to show): its part rendered first, into its slot."""
    if part:
        part_html = render_to_string(f"{template}#{part}", context, request)
        context |= {f"part_{part}": part_html}
    template = f"{template}#{only}" if only else template
    return render(request, template, context, status=status)


def cached_page(
    request: HtmxHttpRequest,
    *,
    classroom: Classroom,
    name: str,
    template: str,
    now: datetime,
    build: Build,
    params: tuple = (),
    part: str | None = None,
) -> HttpResponse:
    """The page (or over htmx, its ``part``: a partial of the template named
    ``<part>`` whose page shows it as ``{{ part_<part> }}``), cached. ``build``
    reads the page's context and says until when it holds; the classroom
    must have been read through ``own_classroom`` here."""
    user = request.user
    params += (user.get_username(), user.is_staff, user.is_superuser)
    return _served(
        request,
        template,
        build,
        part,
        lambda render: versions.cached(
            name,
            classroom=classroom,
            teacher=user,
            params=params,
            now=now,
            build=render,
        ),
    )


def kept_page(
    request: HtmxHttpRequest,
    *,
    name: str,
    version: str,
    template: str,
    now: datetime,
    build: Build,
    params: tuple = (),
    part: str | None = None,
) -> HttpResponse:
    """cached_page for a Teach page of no class: kept under ``version``,
    which the caller read from the database in this request before
    anything the page shows (``versions.kept``)."""
    user = request.user
    who = (user.pk, user.get_username(), user.is_staff, user.is_superuser)
    wanted = repr((name, *who, translation.get_language(), params))
    return _served(
        request,
        template,
        build,
        part,
        lambda render: versions.kept(wanted, version=version, now=now, build=render),
    )


def _served(request, template: str, build: Build, part: str | None, keep):
    """What cached_page and kept_page share: a page with messages waiting is
    rendered as it is; otherwise ``keep(render)`` gives the kept page's
    pieces (cut at its CSRF tokens), joined with this session's token."""
    htmx = part if request.htmx and not request.htmx.history_restore_request else None
    if len(get_messages(request)):
        return uncached_page(request, template, build()[0], part=part, only=htmx)
    made = keep(lambda: _rendered(request, template, (part,) if part else (), build))
    return HttpResponse(get_token(request).encode().join(made[htmx or "page"]))
