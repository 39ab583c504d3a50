"""What the admin classes share: views of rows that teachers look at but
never edit here, inline rows named for screen readers, and the claim's
passage shown the student pages' way."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.forms.utils import pretty_name
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quizzes.models import Claim, Question
from quizzes.templatetags.passages import passage_html


def passage(claim: Claim | None) -> SafeString | str:
    """The claim's section with the claim marked, escaped."""
    if claim is None:
        return "—"
    return passage_html(claim.passage())


def question_label(question: Question) -> str:
    """Prompt, kind and section: many questions of one essay share a prompt's
    opening words, and a teacher picks by where it comes from and how it asks."""
    section = question.claim.section if question.claim else "no section"
    return f"{question} · {question.get_kind_display()} · {section}"


class LabelledFormSet(BaseInlineFormSet):
    """Rows whose every field has a name a screen reader can announce: a
    tabular inline's column heading is no ``<label>``, so its inputs would be
    read as nameless ("edit text, blank")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = self.model._meta.verbose_name
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            if name == DELETION_FIELD_NAME:
                label = f"Delete this {row}"
            else:
                label = field.label or pretty_name(name)
                label = f"{capfirst(row)}: {str(label).lower()}"
            field.widget.attrs.setdefault("aria-label", label)


class ListAdmin(admin.ModelAdmin):
    """A list's row checkbox written out, as Django's own would render it:
    Django renders a CheckboxInput through its template per row, about half
    of a 50-row question list's time."""

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), obj)
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class ViewOnlyAdmin(ListAdmin):
    """Made by imports, or students' own records: teachers look, never edit."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def on_changelist(request) -> bool:
    """Whether the request is for a list page, which names an essay but
    never shows its body (a 1 MB body per row)."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith("changelist"))
