"""The Teach area: item analysis of a quiz assigned to a class, Moodle's
statistics per question (quizzes.analysis) with the questions to look at."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from quizzes.selectors import analysis as analysis_reads
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import own_classroom, teacher_view


def _class_url(pk: int) -> str | None:
    """The class's own page, once views/teach/classes.py names one."""
    try:
        return reverse("teach_class", kwargs={"pk": pk})
    except NoReverseMatch:
        return None


@teacher_view
@require_GET
@vary_on_headers("HX-Request")
def quiz_analysis(request: HtmxHttpRequest, pk: int, quiz: int) -> HttpResponse:
    """``?attempts=graded|first|all`` chooses the attempts analysed."""
    classroom = own_classroom(request, pk)
    quiz_obj = get_object_or_404(analysis_reads.class_quizzes(classroom), pk=quiz)
    which = request.GET.get("attempts")
    which = which if which in analysis_reads.WHICH else analysis_reads.GRADED
    context = {
        "classroom": classroom,
        "class_url": _class_url(classroom.pk),
        "quiz": quiz_obj,
        "which_labels": analysis_reads.which_labels(quiz_obj),
        "report": analysis_reads.quiz_report(
            classroom=classroom, quiz=quiz_obj, which=which
        ),
    }
    template_name = "quizzes/teach/analysis.html"
    # A history restore (the Back button) needs the whole page, not the report.
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#report"
    return render(request, template_name, context)


urlpatterns: list[URLPattern] = [
    path(
        "classes/<int:pk>/quizzes/<int:quiz>/analysis/",
        quiz_analysis,
        name="teach_analysis",
    ),
]
