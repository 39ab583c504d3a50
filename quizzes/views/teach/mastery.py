"""The Teach area: the claim mastery heat map, the evidence behind one of
its cells, and the flashcard goal a teacher sets on the weak cells (closing
the loop from seeing to acting); the student page's URL is listed here too."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from quizzes.models import Claim, Classroom, Essay
from quizzes.selectors import mastery
from quizzes.services import goals
from quizzes.services.classes import ClassRefused
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import cached, own_classroom, teacher_view
from quizzes.views.teach.cached import cached_page, uncached_page
from quizzes.views.teach.students import optional_url, teach_student

MAP = "quizzes/teach/mastery.html"
# How long a map may be served as made: only time changes it meanwhile.
FRESH = timedelta(minutes=1)


class _Ids(forms.Field):
    """Ticked checkboxes of one name, as a set of ids."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> set[int]:
        try:
            return {int(item) for item in value or ()}
        except (TypeError, ValueError):
            raise forms.ValidationError("Pick rows and columns from the map.") from None


class GoalForm(forms.Form):
    """The weak cells picked on the map, and the goal to set on them."""

    essay = forms.IntegerField(widget=forms.HiddenInput)
    claim = _Ids(required=False)
    student = _Ids(required=False)
    below = forms.IntegerField(
        label="Every cell under", min_value=1, max_value=100, required=False
    )
    empty = forms.BooleanField(label="and the cells with no evidence", required=False)
    due_at = forms.DateTimeField(
        label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    target = forms.IntegerField(
        label="Recall to reach on the due date (%)", min_value=50, max_value=99
    )
    title = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, essays: list[Essay], now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.essays, self.now = {essay.pk: essay for essay in essays}, now

    def clean_essay(self) -> Essay:
        essay = self.essays.get(self.cleaned_data["essay"])
        if essay is None:
            raise forms.ValidationError("This class has no work on that essay.")
        return essay

    def clean_due_at(self) -> datetime:
        if self.cleaned_data["due_at"] <= self.now:
            raise forms.ValidationError("The due date has passed: pick a later one.")
        return self.cleaned_data["due_at"]

    def picked(self, name: str) -> set[int]:
        """The ids ticked in the map, to tick them again when it comes back."""
        if not self.is_bound:
            return set()
        return {int(v) for v in self.data.getlist(name) if str(v).isdigit()}

    def selection(self) -> dict:
        data = self.cleaned_data
        below = None if data["below"] is None else data["below"] / 100
        return {
            "claims": data["claim"],
            "students": data["student"],
            "below": below,
            "empty": data["empty"],
        }


def _initial(now: datetime) -> dict:
    """A week from now at nine, UTC (the site's time), and 90 % recall."""
    week = timezone.make_aware(datetime.combine(now.date() + timedelta(7), time(9)))
    return {"due_at": week.strftime("%Y-%m-%dT%H:%M"), "target": 90}


def _chosen(essays: list[Essay], wanted) -> Essay | None:
    """The essay asked for, else the class's first assigned one."""
    by_pk = {str(essay.pk): essay for essay in essays}
    return by_pk.get(wanted) or (essays[0] if essays else None)


def _map_context(
    classroom: Classroom, essays, essay, form=None, now=None, *, cell_base=""
) -> dict:
    """The map's context. Its cells link to their evidence relative to the
    map's own address (``<student>/<claim>/``): with 300 students the map
    has 18,000 links, and the absolute prefix was a third of the page. A map
    shown at another address (the goal form's, refused) gives the prefix as
    `cell_base`."""
    now = now or timezone.now()
    form = form or GoalForm(initial=_initial(now), essays=essays, now=now)
    return {
        "classroom": classroom,
        "class_url": optional_url("teach_class", pk=classroom.pk),
        "essays": essays,
        "map": mastery.class_mastery(classroom=classroom, essay=essay, now=now),
        "form": form,
        "picked_claims": form.picked("claim"),
        "picked_students": form.picked("student"),
        "bands": list(enumerate(mastery.BAND_LABELS)),
        "cell_base": cell_base,
    }


@teacher_view
@require_GET
@vary_on_headers("HX-Request")
def teach_mastery(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The heat map of one of the class's essays (?essay=), the first
    assigned by default; over htmx, the map alone (a change of essay).
    Made once per version of the class, and at least every minute (recall
    now falls as days pass since each card's review)."""
    classroom = cached.own_classroom(request, pk)
    now = timezone.now()

    def build():
        essays = list(mastery.class_essays(classroom))
        essay = _chosen(essays, request.GET.get("essay"))
        return _map_context(classroom, essays, essay, now=now), now + FRESH

    return cached_page(
        request,
        classroom=classroom,
        name="mastery",
        template=MAP,
        now=now,
        build=build,
        params=(request.GET.get("essay"), now.date()),
        part="map",
    )


@teacher_view
@require_POST
def teach_mastery_assign(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A flashcard goal on the picked cells; back to the map, which shows it
    working as the students study."""
    classroom = own_classroom(request, pk)
    essays, now = list(mastery.class_essays(classroom)), timezone.now()
    form = GoalForm(request.POST, essays=essays, now=now)
    if form.is_valid():
        try:
            cells, set_goals = _assign(request, classroom, form, now=now)
        except ClassRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _goal_message(cells, set_goals[0].due_at))
            url = reverse("teach_mastery", args=[pk])
            return redirect(f"{url}?essay={form.cleaned_data['essay'].pk}")
    essay = form.cleaned_data.get("essay") or _chosen(essays, None)
    base = reverse("teach_mastery", args=[pk])
    context = _map_context(classroom, essays, essay, form, cell_base=base)
    return uncached_page(request, MAP, context, part="map", status=422)


def _assign(request, classroom: Classroom, form: GoalForm, *, now: datetime):
    data = form.cleaned_data
    # The cells picked by a mark are those under it now, as the map shows.
    shown = mastery.class_mastery(classroom=classroom, essay=data["essay"], now=now)
    cells = shown.select(**form.selection())
    set_goals = goals.goal_assign(
        classroom=classroom,
        teacher=request.user,
        essay=data["essay"],
        cells=cells,
        due_at=data["due_at"],
        target_recall=data["target"] / 100,
        now=now,
        title=data["title"],
    )
    return cells, set_goals


def _goal_message(cells: set[tuple[int, int]], due_at: datetime) -> str:
    students = len({student for student, _claim in cells})
    claims = len({claim for _student, claim in cells})
    due = date_format(timezone.localtime(due_at), "D j M, H:i")
    return (
        f"Flashcard goal set for {students} student{'s' * (students != 1)} on "
        f"{claims} sentence{'s' * (claims != 1)}, due {due}. "
        "They see it first on their home page."
    )


@teacher_view
@require_GET
@vary_on_headers("HX-Request")
def teach_mastery_cell(
    request: HtmxHttpRequest, pk: int, student: int, claim: int
) -> HttpResponse:
    """What one cell is made of: the student's answers to the claim's
    questions and their cards' rating history; over htmx, that part alone."""
    classroom = own_classroom(request, pk)
    student = get_object_or_404(classroom.students, pk=student)
    claims = Claim.objects.filter(essay__in=mastery.class_essays(classroom))
    claim = get_object_or_404(claims.select_related("section"), pk=claim)
    evidence = mastery.cell_evidence(student=student, claim=claim, now=timezone.now())
    for response in evidence.responses:
        response.review_url = optional_url(
            "teach_attempt", pk=pk, attempt=response.attempt_id
        )
    context = {
        "classroom": classroom,
        "student": student,
        "claim": claim,
        "evidence": evidence,
        "map_url": reverse("teach_mastery", args=[pk]) + f"?essay={claim.essay_id}",
    }
    template_name = "quizzes/teach/mastery_cell.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#evidence"
    return render(request, template_name, context)


urlpatterns: list[URLPattern] = [
    path("classes/<int:pk>/mastery/", teach_mastery, name="teach_mastery"),
    path(
        "classes/<int:pk>/mastery/goal/",
        teach_mastery_assign,
        name="teach_mastery_assign",
    ),
    path(
        "classes/<int:pk>/mastery/<int:student>/<int:claim>/",
        teach_mastery_cell,
        name="teach_mastery_cell",
    ),
    path(
        "classes/<int:pk>/students/<int:student>/",
        teach_student,
        name="teach_student",
    ),
]
