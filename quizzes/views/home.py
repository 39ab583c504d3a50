"""The home page (a student's assignments, then the quizzes they may take;
joining a class with its code) and an essay's page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from quizzes import services
from quizzes.selectors import versions
from quizzes.selectors.assignments import assignments_of, attempts_of
from quizzes.selectors.home import essays_version, home_assignments
from quizzes.selectors.quizzes import (
    essays_listed,
    essays_with_sections,
    quizzes_for,
)
from quizzes.services.classes import ClassRefused
from quizzes.views import HtmxHttpRequest
from quizzes.views.links import links
from quizzes.views.preview import can_preview


class JoinForm(forms.Form):
    code = forms.CharField(label="Class code", max_length=40)


def _own_work(user) -> dict:
    now = timezone.now()
    if can_preview(user):
        # Every published quiz, to preview (Preview, never Start).
        return {"teacher": True, "quizzes": quizzes_for(user, now=now, every_quiz=True)}
    # Attempts past their time or their hard close are closed before they
    # are listed, so that none shows as in progress.
    attempts = attempts_of(user)
    if services.attempts.attempts_close_overdue(
        students=[user], now=now, candidates=attempts
    ):
        attempts = attempts_of(user)
    assignments = assignments_of(user)
    known = {"assignments": assignments, "attempts": attempts}
    return {
        "assignments": home_assignments(user, now, **known),
        "quizzes": quizzes_for(user, now=now, **known),
        "join_form": JoinForm(),
    }


def _with_links(context: dict) -> dict:
    """Each card's links, reversed once per page (views.links)."""
    to = {name: links(name) for name in ("attempt", "attempt_result", "quiz_start")}
    to["quiz_preview"] = links("quiz_preview")
    study, essay_page = (links(n, kind="slug") for n in ("study_start", "essay_detail"))

    def common(open_attempt, last_result, quiz_id) -> dict:
        return {
            "continue": open_attempt and to["attempt"](open_attempt),
            "result": last_result and to["attempt_result"](last_result),
            "start": quiz_id and to["quiz_start"](quiz_id),
        }

    for row in context.get("assignments", ()):
        a = row.assignment
        row.links = common(a.open_attempt, a.last_result, a.quiz_id)
        row.links["study"] = a.essay_id and study(a.essay.slug)
    for quiz in context.get("quizzes", ()):
        quiz.links = common(quiz.open_attempt, quiz.last_result, quiz.pk)
        quiz.links["preview"] = to["quiz_preview"](quiz.pk)
    for essay in context["essays"]:
        essay.link = essay_page(essay.slug)
    return context


HOME = "quizzes/home.html"


def _essays_html(request: HtmxHttpRequest, now) -> str:
    """The list of essays, the same for every student (and visitor): kept
    while the essays' version (read now, one query) is the one it was made
    at (``versions.kept``); made afresh in two queries."""
    user = request.user

    def build():
        essays = _with_links({"essays": essays_listed(user)})["essays"]
        made = render_to_string(f"{HOME}#essays", {"essays": essays}, request)
        return {"essays": (versions.html(made),)}, None

    wanted = repr(("home-essays", user.is_staff, translation.get_language()))
    version = essays_version(user)
    made = versions.kept(wanted, version=version, now=now, build=build)
    return mark_safe(made["essays"][0].decode())  # noqa: S308 (rendered, escaped)


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    context = {"essays": []}
    if request.user.is_authenticated:
        context |= _own_work(request.user)
    context["essays_html"] = _essays_html(request, timezone.now())
    return render(request, HOME, _with_links(context))


@require_POST
@login_required
def class_join(request: HtmxHttpRequest) -> HttpResponse:
    """Join a class with the code the teacher gave; the answer is a message
    on the home page."""
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type the class code your teacher gave you.")
        return redirect("home")
    try:
        classroom = services.classes.classroom_join(
            student=request.user, code=form.cleaned_data["code"], now=timezone.now()
        )
    except ClassRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"You joined {classroom.name}.")
    return redirect("home")


@require_GET
def essay_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    essay = get_object_or_404(essays_with_sections(request.user), slug=slug)
    return render(request, "quizzes/essay_detail.html", {"essay": essay})
