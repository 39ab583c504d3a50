"""The home page (a student's assignments, then the quizzes they may take;
joining a class with its code) and an essay's page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quizzes import services
from quizzes.selectors.assignments import assignments_of, attempts_of
from quizzes.selectors.home import home_assignments
from quizzes.selectors.quizzes import (
    essays_listed,
    essays_with_sections,
    quizzes_for,
)
from quizzes.services.classes import ClassRefused
from quizzes.views import HtmxHttpRequest
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


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    context = {"essays": essays_listed(request.user)}
    if request.user.is_authenticated:
        context |= _own_work(request.user)
    return render(request, "quizzes/home.html", context)


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
