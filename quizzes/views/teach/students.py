"""The Teach area: one student of a class, as their teacher sees them."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from quizzes.selectors import mastery, stats
from quizzes.selectors.queue import deck_counts
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import own_classroom, teacher_view


def optional_url(name: str, **kwargs) -> str | None:
    """The URL, or None while the page it names is not built: the Teach
    area's pages come one by one, and a link appears with its page."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@teacher_view
@require_GET
def teach_student(request: HtmxHttpRequest, pk: int, student: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    student = get_object_or_404(classroom.students, pk=student)
    now = timezone.now()
    essays = list(mastery.class_essays(classroom).select_related("deck_settings"))
    counts = deck_counts(student=student, essays=essays, now=now)
    attempts = mastery.student_attempts(classroom=classroom, student=student)
    context = {
        "classroom": classroom,
        "student": student,
        "class_url": optional_url("teach_class", pk=pk),
        "attempts": [
            (attempt, optional_url("teach_attempt", pk=pk, attempt=attempt.pk))
            for attempt in attempts
        ],
        "sections": mastery.student_mastery(
            classroom=classroom, student=student, now=now
        ),
        "decks": [(essay, counts[essay.pk]) for essay in essays],
        "retention": stats.true_retention(student=student, now=now),
        "leeches": mastery.student_leeches(classroom=classroom, student=student),
    }
    return render(request, "quizzes/teach/student.html", context)
