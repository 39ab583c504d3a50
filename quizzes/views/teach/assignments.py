"""The Teach area: a class's assignments, listed, given (a quiz, or a
flashcard goal on an essay or a section), their dates changed, deleted."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from quizzes import services
from quizzes.models import Assignment, Classroom, Essay, Quiz, Section
from quizzes.selectors import assignments as assignment_reads
from quizzes.services.classes import ClassRefused
from quizzes.views import HtmxHttpRequest
from quizzes.views.links import links
from quizzes.views.teach import cached, own_classroom, teacher_view
from quizzes.views.teach.cached import cached_page

TEMPLATES = "quizzes/teach/"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DatesForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Leave empty to show the quiz's or the essay's name.",
    )
    opens_at = forms.DateTimeField(label="Opens (UTC)", widget=DateTimeInput())
    due_at = forms.DateTimeField(label="Due (UTC)", widget=DateTimeInput())
    closes_at = forms.DateTimeField(
        label="Hard close (UTC)",
        required=False,
        widget=DateTimeInput(),
        help_text="After it no attempt starts and open ones are closed. Leave "
        "it empty to take late work (marked late).",
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("due_at"):
            refused = services.classes.assignment_dates_refusal(
                data["opens_at"], data["due_at"], data.get("closes_at")
            )
            if refused:
                self.add_error(*refused)
        return data


class AssignmentForm(DatesForm):
    """A quiz, or a flashcard goal: an essay or one of its sections, and the
    recall every card is to reach by the due date."""

    kind = forms.ChoiceField(
        label="What to assign",
        choices=Assignment.Kind.choices,
        initial=Assignment.Kind.QUIZ,
        widget=forms.RadioSelect,
    )
    quiz = forms.ModelChoiceField(
        label="Which quiz",
        queryset=Quiz.objects.published().select_related("essay"),
        required=False,
        empty_label="Choose a quiz…",
    )
    scope = forms.ChoiceField(label="Flashcards of", required=False)
    target_recall = forms.IntegerField(
        label="Recall to reach on the due date (%)",
        min_value=50,
        max_value=99,
        initial=90,
        required=False,
        help_text="Every card studied at least once, and their mean predicted "
        "recall on the due date at least this.",
    )
    students = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only these students",
        help_text="Tick none to give it to the whole class.",
    )
    field_order = ["kind", "quiz", "scope", "target_recall", "title"]

    def __init__(self, *args, classroom: Classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = classroom.students.order_by(
            "last_name", "first_name", "username"
        )
        self.fields["students"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        self.fields["scope"].choices = [("", "Choose an essay or a section…")] + [
            (
                essay.title,
                [(f"essay:{essay.pk}", f"{essay.title}: the whole essay")]
                + [(f"section:{s.pk}", s.label) for s in essay.sections.all()],
            )
            for essay in Essay.objects.prefetch_related("sections")
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Assignment.Kind.QUIZ and not data.get("quiz"):
            self.add_error("quiz", "Choose the quiz to assign.")
        if data.get("kind") == Assignment.Kind.CARDS:
            if not data.get("scope"):
                self.add_error("scope", "Choose the essay or the section to study.")
            if data.get("target_recall") is None:
                self.add_error("target_recall", "Set the recall to reach, 50 to 99 %.")
        return data

    def assignment_fields(self) -> dict:
        """The cleaned form as services.classes.assignment_create takes it."""
        data = self.cleaned_data
        fields = {
            name: data[name] for name in ("title", "opens_at", "due_at", "closes_at")
        }
        fields["students"] = list(data["students"])
        if data["kind"] == Assignment.Kind.QUIZ:
            return fields | {"quiz": data["quiz"]}
        what, pk = data["scope"].split(":")
        if what == "section":
            # The choices were checked against the essays and sections.
            section = Section.objects.select_related("essay").get(pk=pk)
            fields |= {"essay": section.essay, "section": section}
        else:
            fields["essay"] = Essay.objects.get(pk=pk)
        return fields | {"target_recall": data["target_recall"] / 100}


def _refused(form: forms.Form, refused: ClassRefused) -> None:
    form.add_error(None, refused.message)


def _form_page(request: HtmxHttpRequest, context: dict, form) -> HttpResponse:
    # 422: the form was read and refused; it comes back with its errors.
    status = 422 if form.is_bound else 200
    context = context | {"form": form}
    return render(request, TEMPLATES + "assignment_form.html", context, status=status)


def _next_week() -> dict:
    now = timezone.now().replace(second=0, microsecond=0)
    return {"opens_at": now, "due_at": now + timedelta(days=7)}


def _list_context(classroom: Classroom, now) -> tuple[dict, object]:
    """The list's context, and the moment it next reads otherwise (an
    assignment opening, or its due date passing)."""
    assignments = assignment_reads.class_assignments(classroom, now)
    rows = {
        name: links(f"teach_{name}", classroom.pk)
        for name in ("analysis", "assignment_edit", "assignment_delete")
    }
    for a in assignments:
        a.links = {name: link(a.pk) for name, link in rows.items()}
        a.links["analysis"] = rows["analysis"](a.quiz_id) if a.quiz_id else ""
    context = {"classroom": classroom, "assignments": assignments}
    return context, assignment_reads.next_change(assignments, now)


@teacher_view
@require_GET
def assignment_list(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Made once per version of the class (``views.teach.cached``): it holds
    until an assignment opens or a due date passes."""
    classroom = cached.own_classroom(request, pk)
    now = timezone.now()
    return cached_page(
        request,
        classroom=classroom,
        name="assignments",
        template=TEMPLATES + "assignments.html",
        now=now,
        build=lambda: _list_context(classroom, now),
    )


@teacher_view
@require_http_methods(["GET", "POST"])
def assignment_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    data = request.POST if request.method == "POST" else None
    form = AssignmentForm(data, classroom=classroom, initial=_next_week())
    if form.is_valid():
        try:
            assignment = services.classes.assignment_create(
                classroom=classroom, teacher=request.user, **form.assignment_fields()
            )
        except ClassRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"Assigned “{assignment}” to {classroom.name}.")
            return redirect("teach_assignments", pk=classroom.pk)
    return _form_page(request, {"classroom": classroom, "creating": True}, form)


def _own_assignment(request: HtmxHttpRequest, pk: int, assignment: int):
    classroom = own_classroom(request, pk)
    assignments = classroom.assignments.select_related("quiz", "essay", "section")
    return classroom, get_object_or_404(assignments, pk=assignment)


@teacher_view
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HtmxHttpRequest, pk: int, assignment: int) -> HttpResponse:
    """Change an assignment's dates (and title)."""
    classroom, assignment = _own_assignment(request, pk, assignment)
    data = request.POST if request.method == "POST" else None
    form = DatesForm(data, initial=forms.model_to_dict(assignment))
    if form.is_valid():
        try:
            services.classes.assignment_update(
                assignment=assignment, **form.cleaned_data
            )
        except ClassRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"The dates of “{assignment}” are changed.")
            return redirect("teach_assignments", pk=classroom.pk)
    context = {"classroom": classroom, "assignment": assignment}
    return _form_page(request, context, form)


@teacher_view
@require_http_methods(["GET", "POST"])
def assignment_delete(
    request: HtmxHttpRequest, pk: int, assignment: int
) -> HttpResponse:
    """Ask first (saying how many attempts were made for it); delete on the
    confirming POST. The attempts stay the students'."""
    classroom, assignment = _own_assignment(request, pk, assignment)
    if request.method == "POST" and "confirm" in request.POST:
        attempts = services.classes.assignment_delete(assignment=assignment)
        message = f"“{assignment}” is deleted."
        if attempts:
            message += f" The {attempts} attempts made for it stay the students'."
        messages.success(request, message)
        return redirect("teach_assignments", pk=classroom.pk)
    context = {
        "classroom": classroom,
        "assignment": assignment,
        "attempts": assignment_reads.attempts_made(assignment),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, TEMPLATES + "assignment_delete.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("classes/<int:pk>/assignments/", assignment_list, name="teach_assignments"),
    path(
        "classes/<int:pk>/assignments/new/",
        assignment_create,
        name="teach_assignment_create",
    ),
    path(
        "classes/<int:pk>/assignments/<int:assignment>/",
        assignment_edit,
        name="teach_assignment_edit",
    ),
    path(
        "classes/<int:pk>/assignments/<int:assignment>/delete/",
        assignment_delete,
        name="teach_assignment_delete",
    ),
]
