"""Students sitting quizzes: start, one question at a time, answer, finish,
result, practice runs. Grading happens in services.attempts, on the server."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import (
    HttpResponseClientRedirect,
    HttpResponseLocation,
    push_url,
    reswap,
    retarget,
)

from quizzes import grading, services
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.selectors import attempts as attempt_reads
from quizzes.selectors.questions import question_load, question_snapshot
from quizzes.services.attempts import AttemptRefused
from quizzes.views import HtmxHttpRequest

TEMPLATE = "quizzes/attempt.html"


def _own_attempt(request: HtmxHttpRequest, pk: int) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("quiz"), pk=pk, student=request.user
    )


def _to_result(request: HtmxHttpRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("attempt_result", kwargs={"pk": attempt.pk})
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _question_url(attempt: Attempt, position: int) -> str:
    return reverse("attempt_question", kwargs={"pk": attempt.pk, "n": position})


def _next_url(attempt: Attempt, position: int) -> str:
    if position < len(attempt.question_ids):
        return _question_url(attempt, position + 1)
    # Past the last question: the first one still unanswered, or the result.
    return reverse("attempt", kwargs={"pk": attempt.pk})


def _page_context(attempt: Attempt, position: int, *, answered_count: int) -> dict:
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "position": position,
        "total": len(attempt.question_ids),
        "answered_count": answered_count,
        "next_url": _next_url(attempt, position),
    }


def _question_context(attempt: Attempt, position: int, answered: set) -> dict:
    """The question at ``position``: its form, or its feedback once answered."""
    question_id = attempt.question_ids[position - 1]
    context = _page_context(attempt, position, answered_count=len(answered))
    if question_id in answered:
        response = Response.objects.get(attempt=attempt, question_id=question_id)
        context["item"] = attempt_reads.feedback(
            response, show_answers=attempt.shows_answers_now
        )
    else:
        question, parts = question_load(question_id)
        snapshot = question_snapshot(
            question,
            parts,
            seed=attempt.seed,
            shuffle_choices=attempt.quiz.shuffle_choices,
        )
        context["question"] = grading.public(snapshot)
    return context


def _question_page(
    request: HtmxHttpRequest, attempt: Attempt, position: int, answered: set
) -> HttpResponse:
    if attempt.is_finished or services.attempts.attempt_close_if_overdue(
        attempt=attempt
    ):
        return _to_result(request, attempt)
    context = _question_context(attempt, position, answered)
    template_name = TEMPLATE
    # A history restore (the Back button) needs the whole page, not the part.
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#question"
    return render(request, template_name, context)


@require_POST
@login_required
def quiz_start(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), pk=pk)
    try:
        attempt = services.attempts.attempt_start(quiz=quiz, student=request.user)
    except AttemptRefused as refused:
        messages.error(request, refused.message)
        return redirect("home")
    return redirect(attempt)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def attempt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The first unanswered question."""
    attempt = _own_attempt(request, pk)
    answered = attempt_reads.answered_ids(attempt)
    position = attempt_reads.first_open_position(attempt, answered)
    return _question_page(request, attempt, position, answered)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def attempt_question(request: HtmxHttpRequest, pk: int, n: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    if not 1 <= n <= len(attempt.question_ids):
        raise Http404("No such question in this attempt.")
    return _question_page(request, attempt, n, attempt_reads.answered_ids(attempt))


def _answer_refused(
    request: HtmxHttpRequest, pk: int, message: str, status: int
) -> HttpResponse:
    context = {"error": message, "back_url": reverse("attempt", kwargs={"pk": pk})}
    if not request.htmx:
        return render(request, "quizzes/attempt_error.html", context, status=status)
    response = render(request, f"{TEMPLATE}#answer_error", context, status=status)
    # The button targets the question area; the message belongs in the form.
    retarget(response, "#answer-error")
    return reswap(response, "innerHTML")


def _answered(request: HtmxHttpRequest, outcome) -> HttpResponse:
    """Where a stored answer leads: its feedback, the next question, or the result."""
    attempt = outcome.attempt
    position = attempt.question_ids.index(outcome.response.question_id) + 1
    if not attempt.shows_answers_now:
        if attempt.is_finished:
            return _to_result(request, attempt)
        url = _next_url(attempt, position)
        if request.htmx:
            return HttpResponseLocation(url, target="#question-area", swap="outerHTML")
        return redirect(url)
    if not request.htmx:
        return redirect(_question_url(attempt, position))
    context = _page_context(attempt, position, answered_count=outcome.answered_count)
    context["item"] = attempt_reads.feedback(outcome.response, show_answers=True)
    response = render(request, f"{TEMPLATE}#question", context)
    return push_url(response, _question_url(attempt, position))


@require_POST
@login_required
@never_cache
@vary_on_headers("HX-Request")
def attempt_answer(request: HtmxHttpRequest, pk: int, question_id: int) -> HttpResponse:
    try:
        outcome = services.attempts.attempt_answer(
            attempt_id=pk,
            student=request.user,
            question_id=question_id,
            data=request.POST,
        )
    except (Attempt.DoesNotExist, Question.DoesNotExist):
        raise Http404("No such question in your attempts.") from None
    except grading.InvalidAnswer as invalid:
        return _answer_refused(request, pk, invalid.message, status=400)
    except AttemptRefused as refused:
        return _answer_refused(request, pk, refused.message, status=409)
    if outcome.response is None:
        return _to_result(request, outcome.attempt)
    return _answered(request, outcome)


@require_POST
@login_required
def attempt_finish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    services.attempts.attempt_finish(attempt=attempt)
    return _to_result(request, attempt)


@require_GET
@login_required
@never_cache
def attempt_result(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    if not attempt.is_finished and not services.attempts.attempt_close_if_overdue(
        attempt=attempt
    ):
        return redirect(attempt)
    items = attempt_reads.result_items(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "missed": sum(1 for item in items if item.get("missing") or item["score"] < 1),
    }
    return render(request, "quizzes/result.html", context)


@require_POST
@login_required
def attempt_practise(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    try:
        practice = services.attempts.practice_start(attempt=attempt)
    except AttemptRefused as refused:
        context = {
            "heading": "No practice run",
            "error": refused.message,
            "back_url": reverse("attempt_result", kwargs={"pk": attempt.pk}),
            "back_label": "Back to your result",
        }
        return render(request, "quizzes/attempt_error.html", context, status=409)
    return redirect(practice)
