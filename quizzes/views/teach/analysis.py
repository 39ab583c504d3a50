"""The Teach area: item analysis of a quiz assigned to a class, Moodle's
statistics per question (quizzes.analysis) with the questions to look at."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from quizzes.selectors import analysis as analysis_reads
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import cached, teacher_view
from quizzes.views.teach.cached import cached_page

ANALYSIS = "quizzes/teach/analysis.html"


def _class_url(pk: int) -> str | None:
    """The class's own page, once views/teach/classes.py names one."""
    try:
        return reverse("teach_class", kwargs={"pk": pk})
    except NoReverseMatch:
        return None


def _report_context(classroom, quiz: int, which: str) -> dict:
    # Read here, when the page is made, not on every request: a page is
    # kept only for a quiz of the class, and a quiz no longer assigned to
    # it changes the class's version.
    found = get_object_or_404(analysis_reads.class_quizzes(classroom), pk=quiz)
    return {
        "classroom": classroom,
        "class_url": _class_url(classroom.pk),
        "quiz": found,
        "which_labels": analysis_reads.which_labels(found),
        "report": analysis_reads.quiz_report(
            classroom=classroom, quiz=found, which=which
        ),
    }


@teacher_view
@require_GET
@vary_on_headers("HX-Request")
def quiz_analysis(request: HtmxHttpRequest, pk: int, quiz: int) -> HttpResponse:
    """``?attempts=graded|first|all`` chooses the attempts analysed; made
    once per version of the class (``views.teach.cached``)."""
    classroom = cached.own_classroom(request, pk)
    which = request.GET.get("attempts")
    which = which if which in analysis_reads.WHICH else analysis_reads.GRADED

    def build():
        return _report_context(classroom, quiz, which), None

    return cached_page(
        request,
        classroom=classroom,
        name="analysis",
        template=ANALYSIS,
        now=timezone.now(),
        build=build,
        params=(quiz, which),
        part="report",
    )


urlpatterns: list[URLPattern] = [
    path(
        "classes/<int:pk>/quizzes/<int:quiz>/analysis/",
        quiz_analysis,
        name="teach_analysis",
    ),
]
