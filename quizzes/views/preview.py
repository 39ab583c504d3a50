"""Teachers trying a quiz, or one question, as a student would: each answer
is graded on the server by the students' own grading code and shown with
its feedback, and nothing is stored (no attempt, no response)."""

import secrets

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from quizzes import grading
from quizzes.models import Question, Quiz
from quizzes.selectors import attempts as attempt_reads
from quizzes.selectors.questions import question_load, question_snapshot
from quizzes.views import HtmxHttpRequest

TEMPLATE = "quizzes/preview.html"
MAX_SEED = 2**31 - 1  # the range of Attempt.seed


def can_preview(user) -> bool:
    """Teachers preview quizzes; a sitting of theirs would count as a student's."""
    return user.is_active and user.is_staff and user.has_perm("quizzes.view_quiz")


def _teachers_only(request: HtmxHttpRequest) -> None:
    # A 404, as for any page a student has no business finding.
    if not can_preview(request.user):
        raise Http404("No such page.")


class PreviewForm(forms.Form):
    """How the previewed question was shown: the seed that ordered it."""

    seed = forms.IntegerField(min_value=0, max_value=MAX_SEED)
    shuffle = forms.BooleanField(required=False)


def entry(shown: dict, *, seed: int, shuffle: bool) -> dict:
    """One question of a preview page, as the ``preview_item`` partial takes it."""
    pk = shown["question_id"]
    return {
        "question": shown,
        "area_id": f"preview-{pk}",
        "answer_url": reverse("preview_answer", kwargs={"question_id": pk}),
        "preview": {"seed": seed, "shuffle": shuffle},
    }


@require_GET
@login_required
@never_cache
def quiz_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Every question of the quiz on one page, each answerable on its own."""
    _teachers_only(request)
    quiz = get_object_or_404(Quiz, pk=pk)
    seed = secrets.randbelow(MAX_SEED)
    questions = attempt_reads.quiz_questions_shown(quiz, seed=seed)
    entries = [
        entry(shown, seed=seed, shuffle=quiz.shuffle_choices) for shown in questions
    ]
    return render(request, TEMPLATE, {"quiz": quiz, "entries": entries})


def _graded(snapshot: dict, data) -> tuple[dict, int]:
    """The answer's feedback, or the form again with why it was refused."""
    try:
        answer = grading.parse_answer(snapshot, data)
    except grading.InvalidAnswer as invalid:
        question = grading.refill(grading.public(snapshot), data)
        return {"question": question, "refusal": invalid.message}, 422
    grade = grading.grade(snapshot, answer)
    item = grading.feedback(snapshot, answer, grade, show_answers=True)
    return {"item": item}, 200


@require_POST
@login_required
@never_cache
@vary_on_headers("HX-Request")
def preview_answer(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    _teachers_only(request)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        raise SuspiciousOperation("A preview answer without its seed.")
    seed, shuffle = form.cleaned_data["seed"], form.cleaned_data["shuffle"]
    try:
        question, parts = question_load(question_id)
    except Question.DoesNotExist:
        raise Http404("No such question.") from None
    snapshot = question_snapshot(
        question, parts, seed=seed, shuffle_choices=shuffle, essay=question.essay
    )
    context, status = _graded(snapshot, request.POST)
    context = entry(grading.public(snapshot), seed=seed, shuffle=shuffle) | context
    template_name = TEMPLATE
    if request.htmx:
        template_name += "#preview_item"
    else:
        context = {"entries": [context]}
    return render(request, template_name, context, status=status)
