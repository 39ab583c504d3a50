from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
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
from quizzes.models import (
    Attempt,
    Essay,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    Section,
)

TEMPLATE = "quizzes/attempt.html"


def _essays_with_sections():
    return Essay.objects.annotate(
        published_count=Count(
            "questions", filter=Q(questions__status=Question.Status.PUBLISHED)
        )
    ).prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("order")))


def _count(queryset, field: str):
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _quizzes_for(user):
    # One query: every figure on a quiz card is a subquery or an aggregate.
    own = Attempt.objects.filter(quiz=OuterRef("pk"), student=user, is_practice=False)
    items = QuizQuestion.objects.filter(
        quiz=OuterRef("pk"), question__status=Question.Status.PUBLISHED
    )
    finished = own.filter(finished_at__isnull=False)
    return (
        Quiz.objects.published()
        .select_related("essay")
        .annotate(
            question_count=_count(items, "quiz"),
            attempts_used=_count(own, "quiz"),
            best_score=Subquery(finished.order_by("-score").values("score")[:1]),
            open_attempt=Subquery(
                own.filter(finished_at__isnull=True).values("pk")[:1]
            ),
            last_result=Subquery(finished.order_by("-finished_at").values("pk")[:1]),
        )
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {"essays": _essays_with_sections()}
    if request.user.is_authenticated:
        context["quizzes"] = _quizzes_for(request.user)
    return render(request, "quizzes/home.html", context)


@require_GET
def essay_detail(request: HttpRequest, slug: str) -> HttpResponse:
    essay = get_object_or_404(_essays_with_sections(), slug=slug)
    return render(request, "quizzes/essay_detail.html", {"essay": essay})


# --- Quizzes and attempts -----------------------------------------------------


def _own_attempt(request: HttpRequest, pk: int) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("quiz"), pk=pk, student=request.user
    )


def _shows_answers_now(attempt: Attempt) -> bool:
    """Feedback right after each answer: practice runs always, unless never."""
    reveal = attempt.quiz.reveal
    if attempt.is_practice:
        return reveal != Quiz.Reveal.NEVER
    return reveal == Quiz.Reveal.AFTER_EACH


def _reviewed(response: Response, *, show_answers: bool) -> dict:
    snapshot = response.snapshot
    passage = snapshot.get("passage")
    return {
        "review": grading.review(snapshot, response.answer),
        "score": response.score,
        "percent": round(response.score * 100),
        "is_correct": response.is_correct,
        "show_answers": show_answers,
        "explanation": snapshot.get("explanation", ""),
        "passage_heading": passage["heading"] if passage else "",
        # Teacher text: escaped by format_html, only the <mark> is ours.
        "passage": format_html(
            "{}<mark>{}</mark>{}", passage["before"], passage["claim"], passage["after"]
        )
        if passage
        else "",
    }


def _partial(request: HttpRequest, name: str) -> str:
    # A history restore (back button) needs the whole page, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        return f"{TEMPLATE}#{name}"
    return TEMPLATE


def _to_result(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("attempt_result", kwargs={"pk": attempt.pk})
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _question_url(attempt: Attempt, position: int) -> str:
    return reverse("attempt_question", kwargs={"pk": attempt.pk, "n": position})


def _question_page(
    request: HttpRequest, attempt: Attempt, position: int, answered: set
) -> HttpResponse:
    if attempt.is_finished or services.attempt_close_if_overdue(attempt=attempt):
        return _to_result(request, attempt)
    question_id = attempt.question_ids[position - 1]
    context = _progress(attempt, position, answered_count=len(answered))
    if question_id in answered:
        response = Response.objects.get(attempt=attempt, question_id=question_id)
        context["item"] = _reviewed(response, show_answers=_shows_answers_now(attempt))
    else:
        question, parts = services.question_load(question_id)
        snapshot = services.question_snapshot(
            question,
            parts,
            seed=attempt.seed,
            shuffle_choices=attempt.quiz.shuffle_choices,
        )
        context["question"] = grading.public(snapshot)
    return render(request, _partial(request, "question"), context)


def _progress(attempt: Attempt, position: int, *, answered_count: int) -> dict:
    total = len(attempt.question_ids)
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "position": position,
        "total": total,
        "answered_count": answered_count,
        "next_url": _next_url(attempt, position),
    }


def _next_url(attempt: Attempt, position: int) -> str:
    if position < len(attempt.question_ids):
        return _question_url(attempt, position + 1)
    # Past the last question: the first one still unanswered, or the result.
    return reverse("attempt", kwargs={"pk": attempt.pk})


@require_POST
@login_required
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), pk=pk)
    try:
        attempt = services.attempt_start(quiz=quiz, student=request.user)
    except services.AttemptRefused as refused:
        messages.error(request, refused.message)
        return redirect("home")
    return redirect(attempt)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    """The first unanswered question."""
    attempt = _own_attempt(request, pk)
    answered = set(attempt.responses.values_list("question_id", flat=True))
    position = next(
        (
            n
            for n, question_id in enumerate(attempt.question_ids, start=1)
            if question_id not in answered
        ),
        len(attempt.question_ids),
    )
    return _question_page(request, attempt, position, answered)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def attempt_question(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    if not 1 <= n <= len(attempt.question_ids):
        raise Http404("No such question in this attempt.")
    answered = set(attempt.responses.values_list("question_id", flat=True))
    return _question_page(request, attempt, n, answered)


def _answer_refused(
    request: HttpRequest, pk: int, message: str, status: int
) -> HttpResponse:
    context = {"error": message, "back_url": reverse("attempt", kwargs={"pk": pk})}
    if not request.htmx:
        return render(request, "quizzes/attempt_error.html", context, status=status)
    response = render(request, f"{TEMPLATE}#answer_error", context, status=status)
    # The button targets the question area; the message belongs in the form.
    retarget(response, "#answer-error")
    return reswap(response, "innerHTML")


@require_POST
@login_required
@never_cache
@vary_on_headers("HX-Request")
def attempt_answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    try:
        outcome = services.attempt_answer(
            attempt_id=pk,
            student=request.user,
            question_id=question_id,
            data=request.POST,
        )
    except (Attempt.DoesNotExist, Question.DoesNotExist):
        raise Http404("No such question in your attempts.") from None
    except grading.InvalidAnswer as invalid:
        return _answer_refused(request, pk, invalid.message, status=400)
    except services.AttemptRefused as refused:
        return _answer_refused(request, pk, refused.message, status=409)
    attempt = outcome.attempt
    if outcome.response is None:
        return _to_result(request, attempt)
    position = attempt.question_ids.index(question_id) + 1
    if not _shows_answers_now(attempt):
        if attempt.is_finished:
            return _to_result(request, attempt)
        url = _next_url(attempt, position)
        if request.htmx:
            return HttpResponseLocation(url, target="#question-area", swap="outerHTML")
        return redirect(url)
    if not request.htmx:
        return redirect(_question_url(attempt, position))
    context = _progress(attempt, position, answered_count=outcome.answered_count)
    context["item"] = _reviewed(outcome.response, show_answers=True)
    response = render(request, f"{TEMPLATE}#question", context)
    return push_url(response, _question_url(attempt, position))


@require_POST
@login_required
def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    services.attempt_finish(attempt=attempt)
    return _to_result(request, attempt)


@require_GET
@login_required
@never_cache
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    if not attempt.is_finished and not services.attempt_close_if_overdue(
        attempt=attempt
    ):
        return redirect(attempt)
    show_answers = attempt.quiz.reveal != Quiz.Reveal.NEVER
    responses = {r.question_id: r for r in attempt.responses.all()}
    missing = [pk for pk in attempt.question_ids if pk not in responses]
    prompts = dict(
        Question.objects.filter(pk__in=missing).values_list("pk", "prompt")
        if missing
        else ()
    )
    items = [
        _reviewed(responses[pk], show_answers=show_answers)
        if pk in responses
        else {"missing": True, "prompt": prompts.get(pk, "")}
        for pk in attempt.question_ids
    ]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "passed": (attempt.score or 0) >= attempt.quiz.pass_mark,
        "missed": sum(1 for item in items if item.get("missing") or item["score"] < 1),
        # Practice runs show answers: none where the answers stay hidden.
        "can_practise": show_answers,
    }
    return render(request, "quizzes/result.html", context)


@require_POST
@login_required
def attempt_practise(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    try:
        practice = services.practice_start(attempt=attempt)
    except services.AttemptRefused as refused:
        context = {
            "heading": "No practice run",
            "error": refused.message,
            "back_url": reverse("attempt_result", kwargs={"pk": attempt.pk}),
            "back_label": "Back to your result",
        }
        return render(request, "quizzes/attempt_error.html", context, status=409)
    return redirect(practice)
