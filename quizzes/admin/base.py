"""What the admin classes share: views of rows that teachers look at but
never edit here, and the claim's passage shown the student pages' way."""

from django.contrib import admin
from django.utils.safestring import SafeString

from quizzes.models import Claim
from quizzes.templatetags.passages import passage_html


def passage(claim: Claim | None) -> SafeString | str:
    """The claim's section with the claim marked, escaped."""
    if claim is None:
        return "—"
    return passage_html(claim.passage())


class ReadOnlyInline(admin.TabularInline):
    """What the import made: shown, never edited here (import the essay again)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyAdmin(admin.ModelAdmin):
    """Made by imports, or students' own records: teachers look, never edit."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
