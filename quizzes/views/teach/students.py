"""The Teach area: one student of a class, as their teacher sees them."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from quizzes.selectors import mastery, stats
from quizzes.selectors.queue import deck_counts
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import cached, teacher_view
from quizzes.views.teach.cached import cached_page

# How long a page may be served as made: only time changes it meanwhile.
FRESH = timedelta(minutes=1)


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
    """Made once per version of the class, and at least every minute (recall
    now, cards falling due, the 30 days of retention move with time)."""
    classroom = cached.own_classroom(request, pk)
    now = timezone.now()

    def build():
        # Here, not before: a page is kept only for a student of the class,
        # and a student who leaves changes the class's version.
        found = get_object_or_404(classroom.students, pk=student)
        return _student_context(classroom, found, now), now + FRESH

    return cached_page(
        request,
        classroom=classroom,
        name="student",
        template="quizzes/teach/student.html",
        now=now,
        build=build,
        params=(student,),
    )


def _student_context(classroom, student, now) -> dict:
    pk = classroom.pk
    essays = list(mastery.class_essays(classroom).select_related("deck_settings"))
    counts = deck_counts(student=student, essays=essays, now=now)
    attempts = mastery.student_attempts(classroom=classroom, student=student)
    return {
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
