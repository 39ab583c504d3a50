from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from quizzes.models import Essay, Question, Section


def _essays_with_sections():
    return Essay.objects.annotate(
        published_count=Count(
            "questions", filter=Q(questions__status=Question.Status.PUBLISHED)
        )
    ).prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("order"))
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/home.html", {"essays": _essays_with_sections()})


@require_GET
def essay_detail(request: HttpRequest, slug: str) -> HttpResponse:
    essay = get_object_or_404(_essays_with_sections(), slug=slug)
    return render(request, "quizzes/essay_detail.html", {"essay": essay})
