"""The Teach area: classes. A teacher's classes; a class's page (its roster,
its join code and settings, its teachers); the code on a projector; students
added from a roster file; a student removed or given a new password.

Passwords exist in clear only in the response that shows them, and, for a
roster's new accounts, in the teacher's session until they press Done (so a
lost print-out before then is not a lost class).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from quizzes import rosters
from quizzes.models import Classroom
from quizzes.selectors import classes as class_reads
from quizzes.services import classes as class_services
from quizzes.services import rosters as roster_services
from quizzes.services.classes import ClassRefused
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import cached, is_teacher, own_classroom, teacher_view
from quizzes.views.teach.cached import cached_page

CLASSES = "quizzes/teach/classes.html"
CLASS_PAGE = "quizzes/teach/class.html"
ROSTER = "quizzes/teach/roster_import.html"
CREDENTIALS = "quizzes/teach/credentials.html"
# A preview is signed for the class and the teacher who made it, and stays
# good long enough to read it through.
PREVIEW_MAX_AGE = 60 * 60


class ClassForm(forms.Form):
    name = forms.CharField(label="Name of the class", max_length=120)


class CoTeacherForm(forms.Form):
    username = forms.CharField(label="Their username", max_length=150)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(f"No one has the username {username}.")
        if not is_teacher(user):
            raise forms.ValidationError(
                f"{username} is not a teacher, so cannot teach a class."
            )
        return user


class FlagForm(forms.Form):
    """One setting turned on or off (joining open, class archived)."""

    value = forms.TypedChoiceField(
        choices=[("on", "on"), ("off", "off")], coerce=lambda value: value == "on"
    )


class RosterForm(forms.Form):
    file = forms.FileField(
        label="CSV file of students",
        allow_empty_file=True,  # the roster's own "empty" message is clearer
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self) -> rosters.Roster:
        upload = self.cleaned_data["file"]
        if upload.size > rosters.MAX_BYTES:  # refused before it is read
            raise forms.ValidationError(rosters.too_big_message(upload.size))
        try:
            return rosters.read_roster(upload.read())
        except rosters.RosterError as error:
            raise forms.ValidationError(str(error)) from None


# --- helpers -------------------------------------------------------------------


def _flag(request: HtmxHttpRequest) -> bool:
    form = FlagForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Turn the setting on or off.")
    return form.cleaned_data["value"]


def _addresses(request: HtmxHttpRequest) -> dict:
    """Where students type the class code, and where they log in."""
    return {
        "join_address": request.build_absolute_uri(reverse("home")),
        "login_address": request.build_absolute_uri(reverse("login")),
    }


def _class_context(
    request: HtmxHttpRequest, classroom: Classroom, *, locked: set, teacher_form=None
) -> dict:
    return {
        "classroom": classroom,
        "tab": "students",
        "locked": locked,
        "teacher_form": teacher_form or CoTeacherForm(),
        "logins_waiting": bool(request.session.get(_logins_key(classroom))),
        **_addresses(request),
    }


def _class_page(
    request: HtmxHttpRequest, classroom: Classroom, *, teacher_form=None, status=200
) -> HttpResponse:
    usernames = [e.student.get_username() for e in getattr(classroom, "roster", [])]
    locked = roster_services.locked_usernames(usernames) if usernames else set()
    context = _class_context(
        request, classroom, locked=locked, teacher_form=teacher_form
    )
    return render(request, CLASS_PAGE, context, status=status)


def _setting_changed(
    request: HtmxHttpRequest, classroom: Classroom, message: str
) -> HttpResponse:
    """htmx: the code's card again, saying what changed; else the class page."""
    if request.htmx:
        context = {"classroom": classroom, "changed": message, **_addresses(request)}
        return render(request, CLASS_PAGE + "#join", context)
    messages.success(request, message)
    return redirect("teach_class", pk=classroom.pk)


def _salt(request: HtmxHttpRequest, classroom: Classroom) -> str:
    return f"teach.roster:{classroom.pk}:{request.user.pk}"


def _preview_rows(request: HtmxHttpRequest, classroom: Classroom):
    """The rows the teacher saw in the preview, or None if the preview is
    missing, too old, or not this teacher's for this class."""
    try:
        data = signing.loads(
            request.POST.get("rows", ""),
            salt=_salt(request, classroom),
            max_age=PREVIEW_MAX_AGE,
        )
        return [rosters.RosterRow.from_data(row) for row in data]
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _logins_key(classroom: Classroom) -> str:
    return f"teach_logins_{classroom.pk}"


def _as_login(student, password: str) -> dict:
    return {
        "username": student.get_username(),
        "first_name": student.first_name,
        "last_name": student.last_name,
        "password": password,
    }


# --- views ---------------------------------------------------------------------


@teacher_view
@require_http_methods(["GET", "POST"])
def teach_classes(request: HtmxHttpRequest) -> HttpResponse:
    """The teacher's classes, and a new one made."""
    form = ClassForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            classroom = class_services.classroom_create(
                name=form.cleaned_data["name"], teacher=request.user
            )
        except ClassRefused as refused:
            form.add_error("name", refused.message)
        else:
            messages.success(request, f"{classroom.name} is ready: add its students.")
            return redirect("teach_class", pk=classroom.pk)
    context = {"form": form, "classes": class_reads.teacher_classes(request.user)}
    return render(request, CLASSES, context, status=422 if form.errors else 200)


@teacher_view
@require_GET
def teach_class(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Made once per version of the class and of who is locked out."""
    classroom = cached.own_classroom(request, pk, locked=True)
    locked = classroom.locked
    waiting = bool(request.session.get(_logins_key(classroom)))

    def build():
        full = class_reads.with_roster(classroom)
        return _class_context(request, full, locked=locked), None

    return cached_page(
        request,
        classroom=classroom,
        name="class",
        template=CLASS_PAGE,
        now=timezone.now(),
        build=build,
        params=(tuple(sorted(locked)), waiting, request.build_absolute_uri("/")),
    )


@teacher_view
@require_GET
def teach_class_code(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The code, as large as the screen: for the projector."""
    context = {"classroom": own_classroom(request, pk), **_addresses(request)}
    return render(request, "quizzes/teach/class_code.html", context)


@teacher_view
@require_POST
@vary_on_headers("HX-Request")
def teach_code_regenerate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    class_services.join_code_regenerate(classroom=classroom)
    return _setting_changed(
        request,
        classroom,
        f"The new code is {classroom.join_code}; the old one no longer works.",
    )


@teacher_view
@require_POST
@vary_on_headers("HX-Request")
def teach_class_joining(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    join_open = _flag(request)
    class_services.classroom_set_flags(classroom=classroom, join_open=join_open)
    if join_open:
        message = "Joining is open: students can join with the code."
    else:
        message = "Joining is closed: the code lets no one in until you reopen it."
    return _setting_changed(request, classroom, message)


@teacher_view
@require_POST
def teach_class_archive(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    archived = _flag(request)
    class_services.classroom_set_flags(classroom=classroom, archived=archived)
    if archived:
        message = (
            f"{classroom.name} is archived: its students no longer see its work "
            "and no one can join it. Restore it at any time."
        )
    else:
        message = f"{classroom.name} is restored."
    messages.success(request, message)
    return redirect("teach_class", pk=classroom.pk)


@teacher_view
@require_POST
def teach_class_teachers(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Another teacher added to the class, by username."""
    classroom = own_classroom(request, pk, queryset=class_reads.classes_with_roster())
    form = CoTeacherForm(request.POST)
    if form.is_valid():
        colleague = form.cleaned_data["username"]
        try:
            class_services.classroom_teacher_add(classroom=classroom, teacher=colleague)
        except ClassRefused as refused:
            form.add_error("username", refused.message)
        else:
            name = colleague.get_full_name() or colleague.get_username()
            messages.success(request, f"{name} now teaches {classroom.name} too.")
            return redirect(reverse("teach_class", args=[pk]) + "#teachers")
    return _class_page(request, classroom, teacher_form=form, status=422)


@teacher_view
@require_http_methods(["GET", "POST"])
def teach_student_remove(
    request: HtmxHttpRequest, pk: int, student: int
) -> HttpResponse:
    """Asks first (GET), then takes the student out of the class (POST)."""
    classroom = own_classroom(request, pk)
    member = get_object_or_404(classroom.students, pk=student)
    if request.method == "GET":
        context = {"classroom": classroom, "student": member, "tab": "students"}
        return render(request, "quizzes/teach/class_student_remove.html", context)
    class_services.classroom_student_remove(classroom=classroom, student=member)
    name = member.get_full_name() or member.get_username()
    messages.success(
        request,
        f"{name} is no longer in {classroom.name}. Their account and their work "
        "stay; they can join again with the code.",
    )
    return redirect("teach_class", pk=classroom.pk)


@teacher_view
@require_POST
def teach_student_unlock(
    request: HtmxHttpRequest, pk: int, student: int
) -> HttpResponse:
    """Unlock a student locked out by wrong passwords (their password stays)."""
    classroom = own_classroom(request, pk)
    member = get_object_or_404(classroom.students, pk=student)
    try:
        roster_services.student_unlock(classroom=classroom, student=member)
    except ClassRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            f"{member.get_username()} can log in again with their password.",
        )
    return redirect("teach_class", pk=classroom.pk)


@teacher_view
@require_POST
@never_cache
def teach_student_password(
    request: HtmxHttpRequest, pk: int, student: int
) -> HttpResponse:
    """A new password for the student, shown this once."""
    classroom = own_classroom(request, pk)
    member = get_object_or_404(classroom.students, pk=student)
    try:
        password = roster_services.student_password_reset(
            classroom=classroom, student=member
        )
    except ClassRefused as refused:
        messages.error(request, refused.message)
        return redirect("teach_class", pk=classroom.pk)
    context = {
        "classroom": classroom,
        "logins": [_as_login(member, password)],
        "reset": True,
        **_addresses(request),
    }
    return render(request, CREDENTIALS, context)


@teacher_view
@require_http_methods(["GET", "POST"])
def teach_roster_import(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The form (GET); a file's preview, every row with its problems (POST)."""
    classroom = own_classroom(request, pk)
    posted = request.method == "POST"
    form = RosterForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    context = {"classroom": classroom, "tab": "students", "form": form}
    context["max_rows"] = rosters.MAX_ROWS
    if form.is_valid():
        roster = form.cleaned_data["file"]
        class_reads.roster_checked(roster.rows)
        context["roster"] = roster
        if not roster.problem_rows:
            context["rows_token"] = signing.dumps(
                [row.as_data() for row in roster.rows],
                salt=_salt(request, classroom),
                compress=True,
            )
    return render(request, ROSTER, context, status=422 if form.errors else 200)


@teacher_view
@require_POST
def teach_roster_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The previewed rows made into accounts in the class, all or none."""
    classroom = own_classroom(request, pk)
    rows = _preview_rows(request, classroom)
    if rows is None:
        messages.error(request, "That preview is out of date: upload the file again.")
        return redirect("teach_roster_import", pk=classroom.pk)
    try:
        logins = roster_services.roster_import(
            classroom=classroom, rows=rows, now=timezone.now()
        )
    except roster_services.RosterRefused as refused:
        context = {"classroom": classroom, "tab": "students", "form": RosterForm()}
        context |= {"roster": rosters.Roster(rows=refused.rows), "refused": refused}
        return render(request, ROSTER, context, status=409)
    # Kept until the teacher says Done; a second file before then adds to them.
    key = _logins_key(classroom)
    request.session[key] = request.session.get(key, []) + logins
    return redirect("teach_roster_logins", pk=classroom.pk)


def _logins_csv(
    request: HtmxHttpRequest, classroom: Classroom, logins: list[dict]
) -> HttpResponse:
    address = _addresses(request)["login_address"]
    text = rosters.logins_csv(logins, classroom=classroom.name, address=address)
    filename = f"logins-{slugify(classroom.name) or classroom.pk}.csv"
    # The byte-order mark makes Excel read the names as UTF-8.
    return HttpResponse(
        "\ufeff" + text,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@teacher_view
@require_GET
@never_cache
def teach_roster_logins(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The new students' logins to print (or, ?format=csv, to download),
    until the teacher presses Done."""
    classroom = own_classroom(request, pk)
    logins = request.session.get(_logins_key(classroom), [])
    if not logins:
        messages.info(
            request,
            "No logins are waiting: they are shown until you press Done, then "
            "they are gone. Reset a student's password to give them a new one.",
        )
        return redirect("teach_class", pk=classroom.pk)
    if request.GET.get("format") == "csv":
        return _logins_csv(request, classroom, logins)
    context = {"classroom": classroom, "logins": logins, **_addresses(request)}
    return render(request, CREDENTIALS, context)


@teacher_view
@require_POST
def teach_roster_done(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The logins forgotten by PurgeQuiz: the teacher has printed or saved them."""
    classroom = own_classroom(request, pk)
    request.session.pop(_logins_key(classroom), None)
    messages.success(
        request,
        "The new passwords are gone from PurgeQuiz. If a student loses theirs, "
        "reset it from the class's list.",
    )
    return redirect("teach_class", pk=classroom.pk)


urlpatterns: list[URLPattern] = [
    path("", teach_classes, name="teach_classes"),
    path("classes/<int:pk>/", teach_class, name="teach_class"),
    path("classes/<int:pk>/code/", teach_class_code, name="teach_class_code"),
    path(
        "classes/<int:pk>/code/new/",
        teach_code_regenerate,
        name="teach_code_regenerate",
    ),
    path("classes/<int:pk>/joining/", teach_class_joining, name="teach_class_joining"),
    path("classes/<int:pk>/archive/", teach_class_archive, name="teach_class_archive"),
    path(
        "classes/<int:pk>/teachers/", teach_class_teachers, name="teach_class_teachers"
    ),
    path(
        "classes/<int:pk>/students/<int:student>/remove/",
        teach_student_remove,
        name="teach_student_remove",
    ),
    path(
        "classes/<int:pk>/students/<int:student>/password/",
        teach_student_password,
        name="teach_student_password",
    ),
    path(
        "classes/<int:pk>/students/<int:student>/unlock/",
        teach_student_unlock,
        name="teach_student_unlock",
    ),
    path("classes/<int:pk>/import/", teach_roster_import, name="teach_roster_import"),
    path(
        "classes/<int:pk>/import/create/",
        teach_roster_create,
        name="teach_roster_create",
    ),
    path("classes/<int:pk>/logins/", teach_roster_logins, name="teach_roster_logins"),
    path("classes/<int:pk>/logins/done/", teach_roster_done, name="teach_roster_done"),
]
