"""The Teach area: the class dashboard (students x assignments, its
histograms and CSV export) and the review of one attempt, where a teacher
changes a response's score or gives a student more time or attempts."""

import csv

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from quizzes.models import Assignment, Attempt, Classroom, Extension, Response
from quizzes.selectors import gradebook as gradebook_reads
from quizzes.services import gradebook as gradebook_writes
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import cached, own_classroom, teacher_view
from quizzes.views.teach.cached import cached_page


class OverrideForm(forms.Form):
    score = forms.DecimalField(
        label="Score (%)", min_value=0, max_value=100, max_digits=4, decimal_places=1
    )
    comment = forms.CharField(
        label="Comment for the student",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtensionForm(forms.Form):
    extra_attempts = forms.IntegerField(
        label="Extra attempts", min_value=0, max_value=20, initial=0
    )
    extra_minutes = forms.IntegerField(
        label="Extra minutes on each attempt's time limit",
        min_value=0,
        max_value=600,
        initial=0,
    )
    due_at = forms.DateTimeField(
        label="A later due date (UTC)",
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def _class_attempts(classroom: Classroom):
    """Attempts of the class's students at the class's assignments: the only
    ones its teacher may open."""
    return Attempt.objects.filter(
        assignment__classroom=classroom, student__enrolments__classroom=classroom
    ).select_related("quiz", "student", "assignment")


def _sort(request: HtmxHttpRequest) -> dict:
    return {
        "sort": request.GET.get("sort", gradebook_reads.SORT_NAME),
        "direction": request.GET.get("dir", gradebook_reads.ASCENDING),
    }


GRADEBOOK = "quizzes/teach/gradebook.html"


@teacher_view
@require_GET
@vary_on_headers("HX-Request")
def gradebook(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Students x assignments, sorted by ?sort=name|a<id> and ?dir=asc|desc;
    made once per version of the class (``views.teach.cached``). It holds
    until the next due date passes (a cell turns "missing")."""
    classroom = cached.own_classroom(request, pk)
    now, sort = timezone.now(), _sort(request)

    def build():
        book = gradebook_reads.gradebook(classroom=classroom, now=now, **sort)
        context = {"classroom": classroom, "book": book}
        return context, gradebook_reads.next_change(book, now)

    return cached_page(
        request,
        classroom=classroom,
        name="gradebook",
        template=GRADEBOOK,
        now=now,
        build=build,
        params=tuple(sort.values()),
        part="grid",
    )


@teacher_view
@require_GET
def gradebook_csv(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The dashboard's table as a file, in the page's order."""
    classroom = own_classroom(request, pk)
    book = gradebook_reads.gradebook(
        classroom=classroom, now=timezone.now(), **_sort(request)
    )
    name = slugify(classroom.name) or "class"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-gradebook.csv"'},
    )
    response.write("\ufeff")  # so that Excel reads the names as UTF-8
    # Every cell quoted: a spreadsheet that splits at another separator still
    # sees one cell, never a formula after a comma inside a name.
    csv.writer(response, quoting=csv.QUOTE_ALL).writerows(book.csv_rows())
    return response


def _review_page(
    request: HtmxHttpRequest,
    classroom: Classroom,
    attempt: Attempt,
    *,
    refused: tuple[int, OverrideForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    review = gradebook_reads.attempt_review(attempt=attempt)
    for item in review.items:
        if "response" in item:
            response = item["response"]
            initial = {"score": item["percent"], "comment": response.comment}
            form = OverrideForm(prefix=f"r{response.pk}", initial=initial)
            item["form"] = refused[1] if refused and refused[0] == response.pk else form
    context = {
        "classroom": classroom,
        "review": review,
        "extension_form": ExtensionForm(
            initial=_extension_initial(review.extension) | {"next": request.path}
        ),
    }
    return render(request, "quizzes/teach/attempt.html", context, status=status)


@teacher_view
@require_GET
@never_cache
def attempt_review(request: HtmxHttpRequest, pk: int, attempt: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    found = get_object_or_404(_class_attempts(classroom), pk=attempt)
    return _review_page(request, classroom, found)


@teacher_view
@require_POST
def response_override(request: HtmxHttpRequest, pk: int, response: int) -> HttpResponse:
    """A new score (percent) and comment for one answer; the attempt's total
    is recomputed and the change logged."""
    classroom = own_classroom(request, pk)
    found = get_object_or_404(
        Response.objects.filter(attempt__in=_class_attempts(classroom)), pk=response
    )
    attempt = _class_attempts(classroom).get(pk=found.attempt_id)
    form = OverrideForm(request.POST, prefix=f"r{found.pk}")
    if not form.is_valid():
        # The page comes back whole: the refused field takes the focus.
        refused = next(name for name in form.fields if name in form.errors)
        form.fields[refused].widget.attrs["autofocus"] = True
        return _review_page(
            request, classroom, attempt, refused=(found.pk, form), status=422
        )
    attempt = gradebook_writes.response_override(
        response=found,
        teacher=request.user,
        score=float(form.cleaned_data["score"]) / 100,
        comment=form.cleaned_data["comment"].strip(),
        now=timezone.now(),
    )
    messages.success(request, _total_message(attempt))
    url = reverse("teach_attempt", kwargs={"pk": classroom.pk, "attempt": attempt.pk})
    return redirect(f"{url}#response-{found.pk}")


def _total_message(attempt: Attempt) -> str:
    points = f"{attempt.points:g} of {attempt.max_points:g} points"
    if attempt.score is None:
        return f"Score saved. The attempt has {points} so far."
    score = gradebook_reads.percent(attempt.score)
    return f"Score saved. The attempt now scores {score}% ({points})."


def _extension_initial(extension: Extension | None) -> dict:
    if extension is None:
        return {}
    return {
        "extra_attempts": extension.extra_attempts,
        "extra_minutes": extension.extra_minutes,
        "due_at": extension.due_at,
    }


def _back(request: HtmxHttpRequest, form: ExtensionForm, classroom: Classroom) -> str:
    """Where the form came from, if it is this site's; else the dashboard."""
    url = form.cleaned_data.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}
    ):
        return url
    return reverse("teach_gradebook", kwargs={"pk": classroom.pk})


def _extension_grant(request, form, assignment, student) -> bool:
    """Write the extension the valid form asks for; False (the reason put on
    the form) when the rules refuse it."""
    try:
        gradebook_writes.extension_grant(
            assignment=assignment,
            student=student,
            teacher=request.user,
            extra_attempts=form.cleaned_data["extra_attempts"],
            extra_minutes=form.cleaned_data["extra_minutes"],
            due_at=form.cleaned_data["due_at"],
        )
    except gradebook_writes.GradebookRefused as refused:
        form.add_error("due_at", refused.message)
        return False
    return True


@teacher_view
@require_http_methods(["GET", "POST"])
def extension(
    request: HtmxHttpRequest, pk: int, assignment: int, student: int
) -> HttpResponse:
    """One student's extra attempts, minutes and due date on one assignment."""
    classroom = own_classroom(request, pk)
    assignment: Assignment = get_object_or_404(classroom.assignments, pk=assignment)
    student = get_object_or_404(classroom.students, pk=student)
    current = (
        Extension.objects.filter(assignment=assignment, student=student)
        .select_related("granted_by")
        .first()
    )
    data = request.POST if request.method == "POST" else None
    form = ExtensionForm(data, initial=_extension_initial(current))
    if form.is_valid() and _extension_grant(request, form, assignment, student):
        name = student.get_full_name() or student.username
        messages.success(request, f"Extension saved for {name} on {assignment}.")
        return redirect(_back(request, form, classroom))
    context = {"classroom": classroom, "assignment": assignment, "student": student}
    context |= {"extension": current, "form": form}
    status = 422 if form.errors else 200
    return render(
        request, "quizzes/teach/gradebook_extension.html", context, status=status
    )


urlpatterns: list[URLPattern] = [
    path("classes/<int:pk>/gradebook/", gradebook, name="teach_gradebook"),
    path("classes/<int:pk>/gradebook.csv", gradebook_csv, name="teach_gradebook_csv"),
    path(
        "classes/<int:pk>/attempts/<int:attempt>/",
        attempt_review,
        name="teach_attempt",
    ),
    path(
        "classes/<int:pk>/responses/<int:response>/override/",
        response_override,
        name="teach_response_override",
    ),
    path(
        "classes/<int:pk>/assignments/<int:assignment>/students/<int:student>/extension/",
        extension,
        name="teach_extension",
    ),
]
