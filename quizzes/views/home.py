"""The home page and an essay's page."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from quizzes.selectors.quizzes import essays_with_sections, quizzes_for
from quizzes.views import HtmxHttpRequest
from quizzes.views.preview import can_preview


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    context = {"essays": essays_with_sections()}
    if request.user.is_authenticated:
        context["quizzes"] = quizzes_for(request.user)
        context["teacher"] = can_preview(request.user)  # Preview, never Start
    return render(request, "quizzes/home.html", context)


@require_GET
def essay_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    essay = get_object_or_404(essays_with_sections(), slug=slug)
    return render(request, "quizzes/essay_detail.html", {"essay": essay})
