"""Students sitting quizzes: start, one question at a time, answer, the
summary before finishing, result, practice runs. Grading happens in
services.attempts, on the server."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, HttpResponseLocation, push_url

from quizzes import grading, services
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.selectors import attempts as attempt_reads
from quizzes.selectors.questions import question_load, question_snapshot
from quizzes.services.attempts import AttemptRefused, QuizNotOffered
from quizzes.views import HtmxHttpRequest
from quizzes.views.preview import can_preview

TEMPLATE = "quizzes/attempt.html"


def _own_attempt(request: HtmxHttpRequest, pk: int) -> Attempt:
    # Reachable whether or not the quiz is still the student's to start: an
    # attempt once started is theirs. With its dates, to close it at the
    # assignment's hard close and to mark it late.
    attempt = attempt_reads.own_attempt(pk, request.user)
    if attempt is None:
        raise Http404("No such attempt among yours.")
    return attempt


def _to_result(request: HtmxHttpRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("attempt_result", kwargs={"pk": attempt.pk})
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _question_url(attempt: Attempt, position: int) -> str:
    return reverse("attempt_question", kwargs={"pk": attempt.pk, "n": position})


def _next_url(attempt: Attempt, position: int) -> str:
    if position < len(attempt.question_ids):
        return _question_url(attempt, position + 1)
    # Past the last question (the attempt closes once all are answered): the
    # summary, which lists the ones still open.
    return reverse("attempt_summary", kwargs={"pk": attempt.pk})


def _page_context(attempt: Attempt, position: int, *, answered_count: int) -> dict:
    question_id = attempt.question_ids[position - 1]
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "position": position,
        "total": len(attempt.question_ids),
        "answered_count": answered_count,
        "next_url": _next_url(attempt, position),
        "answer_url": reverse(
            "attempt_answer", kwargs={"pk": attempt.pk, "question_id": question_id}
        ),
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
    if can_preview(request.user):
        # A teacher's sitting would count as a student's attempt.
        return redirect("quiz_preview", pk=quiz.pk)
    try:
        attempt = services.attempts.attempt_start(quiz=quiz, student=request.user)
    except QuizNotOffered:
        raise Http404("No such quiz among yours.") from None
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
    request: HtmxHttpRequest, pk: int, question_id: int, message: str, status: int
) -> HttpResponse:
    """The question again, the message inside it and the student's picks
    kept: over htmx in place of the question, as a whole page without."""
    attempt = _own_attempt(request, pk)
    position = attempt.question_ids.index(question_id) + 1
    context = _question_context(attempt, position, attempt_reads.answered_ids(attempt))
    if "question" in context:
        context["question"] = grading.refill(context["question"], request.POST)
    context["refusal"] = message
    template_name = TEMPLATE
    if request.htmx:
        template_name += "#question"
    return render(request, template_name, context, status=status)


def _answered(request: HtmxHttpRequest, outcome) -> HttpResponse:
    """Where a stored answer leads: its feedback, the next question, or the result."""
    attempt = outcome.attempt
    position = attempt.question_ids.index(outcome.response.question_id) + 1
    if not attempt.shows_answers_now:
        if attempt.is_finished:
            return _to_result(request, attempt)
        url = _next_url(attempt, position)
        if not request.htmx:
            return redirect(url)
        if position == len(attempt.question_ids):  # the summary is a page of its own
            return HttpResponseClientRedirect(url)
        return HttpResponseLocation(url, target="#question-area", swap="outerHTML")
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
    # 422, not 400: the answer was read and refused. (django-htmx's debug
    # script replaces the whole page with any 400 response's body.)
    except grading.InvalidAnswer as invalid:
        return _answer_refused(request, pk, question_id, invalid.message, status=422)
    except AttemptRefused as refused:
        return _answer_refused(request, pk, question_id, refused.message, status=409)
    if outcome.response is None:
        return _to_result(request, outcome.attempt)
    return _answered(request, outcome)


@require_GET
@login_required
@never_cache
def attempt_summary(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Every question, answered or not, before the student finishes (Moodle's
    "Summary of attempt")."""
    attempt = _own_attempt(request, pk)
    if attempt.is_finished or services.attempts.attempt_close_if_overdue(
        attempt=attempt
    ):
        return redirect("attempt_result", pk=attempt.pk)
    rows = attempt_reads.summary_rows(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "rows": rows,
        "unanswered": sum(not row["answered"] for row in rows),
    }
    return render(request, "quizzes/attempt_summary.html", context)


@require_POST
@login_required
def attempt_finish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    if "confirm" not in request.POST:
        # Only the summary's form finishes: it has said what is unanswered.
        return redirect("attempt_summary", pk=attempt.pk)
    services.attempts.attempt_finish(attempt=attempt)
    return _to_result(request, attempt)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def attempt_result(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The score and every question's feedback; ``?missed=1`` keeps only
    the questions that did not score full marks."""
    attempt = _own_attempt(request, pk)
    if not attempt.is_finished and not services.attempts.attempt_close_if_overdue(
        attempt=attempt
    ):
        return redirect(attempt)
    items = attempt_reads.result_items(attempt)
    # With answers never revealed nothing tells which were missed.
    only_missed = request.GET.get("missed") == "1" and attempt.shows_answers_at_end
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": [item for item in items if item["missed"]] if only_missed else items,
        "missed": sum(item["missed"] for item in items),
        "only_missed": only_missed,
    }
    template_name = "quizzes/result.html"
    # A history restore (the Back button) needs the whole page, not the list.
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#result_list"
    return render(request, template_name, context)


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
