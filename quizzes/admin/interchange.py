"""The admin's ways in and out for question files: the question list's
export actions (GIFT, Moodle XML, CSV, Anki) and its import page (a GIFT,
Moodle XML or CSV file into an essay: checked first, every problem shown,
then imported as drafts in one transaction)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify

from quizzes import kinds, services
from quizzes.interchange import anki, csv_rows
from quizzes.interchange import items as ix
from quizzes.interchange.formats import FORMATS, by_suffix
from quizzes.models import Essay, Question


def _download(queryset, key: str) -> HttpResponse:
    questions = queryset.exclude(status=Question.Status.RETIRED).in_essay_order()
    found = services.interchange.questions_items(questions)
    essays = {item.source for item in found}
    title = essays.pop() if len(essays) == 1 else "questions"
    data = FORMATS[key].write(found, title)
    response = HttpResponse(data, content_type=FORMATS[key].content_type)
    name = (slugify(title) or "questions") + FORMATS[key].suffix
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin.action(description="Export the selected questions as GIFT (Moodle)")
def export_gift(modeladmin, request, queryset):
    return _download(queryset, "gift")


@admin.action(description="Export the selected questions as Moodle XML")
def export_moodle_xml(modeladmin, request, queryset):
    return _download(queryset, "moodle_xml")


@admin.action(description="Export the selected questions as CSV")
def export_csv(modeladmin, request, queryset):
    return _download(queryset, "csv")


@admin.action(description="Export the selected published questions for Anki")
def export_apkg(modeladmin, request, queryset):
    questions = queryset.published().in_essay_order()
    essays = set(questions.values_list("essay", flat=True).distinct())
    if len(essays) != 1:
        modeladmin.message_user(
            request,
            "Pick published questions of one essay: an Anki deck is one essay's.",
            messages.WARNING,
        )
        return None
    essay = Essay.objects.only("pk", "title", "slug").get(pk=essays.pop())
    data = anki.build_package(
        deck_name=essay.title,
        items=services.interchange.questions_items(questions),
        deck_key=f"essay-{essay.pk}",
    )
    response = HttpResponse(data, content_type="application/octet-stream")
    name = slugify(essay.title) or "deck"
    response["Content-Disposition"] = f'attachment; filename="{name}.apkg"'
    return response


ACTIONS = [export_gift, export_moodle_xml, export_csv, export_apkg]


class QuestionFileForm(forms.Form):
    file = forms.FileField(
        help_text="GIFT (.gift or .txt), Moodle XML (.xml) or CSV (.csv), "
        "at most 1 MB, in UTF-8."
    )
    format = forms.ChoiceField(
        choices=[
            ("", "From the file's name"),
            *((k, f.name) for k, f in FORMATS.items()),
        ],
        required=False,
    )
    essay = forms.ModelChoiceField(
        queryset=Essay.objects.only("pk", "title").order_by("title"),
        required=False,
        empty_label="A new essay",
        help_text="The essay the questions join (as drafts), or a new one.",
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="The new essay's title (default: "
        f"{services.interchange.IMPORTED_TITLE}).",
    )
    check_only = forms.BooleanField(
        required=False,
        initial=True,
        label="Check the file only: show what it holds and import nothing",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if data.get("essay") and data.get("title"):
            self.add_error("title", "Pick an essay or give a new title, not both.")
        if upload is None:
            return data
        if upload.size > ix.MAX_BYTES:
            self.add_error(
                "file", "The file is over 1 MB: split it into smaller files."
            )
        if not data.get("format"):
            key = by_suffix(upload.name)
            if key is None:
                self.add_error(
                    "format", "Say which format the file is in: its name does not tell."
                )
            data["format"] = key
        return data


def import_view(modeladmin, request: HttpRequest) -> HttpResponse:
    """Check a question file and, when asked, import it (as drafts)."""
    if not request.user.has_perm("quizzes.add_question"):
        raise PermissionDenied
    form = QuestionFileForm(request.POST or None, request.FILES or None)
    preview = None
    if form.is_bound and form.is_valid():
        preview = _checked(form, request)
        if isinstance(preview, HttpResponse):
            return preview
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": "Import questions from a file",
        "form": form,
        "preview": preview,
    }
    return TemplateResponse(request, "admin/quizzes/question/import_file.html", context)


def _checked(form: QuestionFileForm, request: HttpRequest):
    """The file's preview (its questions, or every row's problem), or the
    redirect to the imported questions."""
    data = form.cleaned_data
    key, raw = data["format"], data["file"].read()
    preview = {"format": FORMATS[key].name}
    try:
        if key == "csv":
            rows = csv_rows.parse(raw)
            preview["rows"] = rows
            if rows.problems:
                return preview
            parsed = ix.Parsed(items=rows.items)
        else:
            parsed = FORMATS[key].read(raw)
        report = services.interchange.questions_import(
            parsed=parsed,
            essay=data["essay"],
            title=data["title"],
            dry_run=data["check_only"],
        )
    except ix.InterchangeError as error:
        form.add_error("file", str(error))
        return None
    if not data["check_only"]:
        messages.success(request, report.summary())
        for line in report.lines()[1:]:
            messages.warning(request, line)
        url = reverse("admin:quizzes_question_changelist")
        return redirect(f"{url}?essay__id__exact={report.essay.pk}")
    preview |= {
        "report": report,
        "items": [
            {
                "line": item.line,
                "kind": kinds.label(item.kind),
                "prompt": services.interchange.as_text(item.prompt, item.prompt_format),
                "parts": len(item.answers) or len(item.pairs),
            }
            for item in parsed.items
        ],
    }
    return preview
