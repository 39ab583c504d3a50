"""Flashcards: deck settings (editable), students' cards and their rating
log (read only)."""

from datetime import timedelta

from django import forms
from django.contrib import admin

from quizzes import scheduling
from quizzes.admin.base import ListAdmin, ViewOnlyAdmin
from quizzes.models import Card, DeckSettings, Review
from quizzes.models.cards import MAX_INTERVAL_DAYS


class DeckSettingsForm(forms.ModelForm):
    class Meta:
        model = DeckSettings
        fields = [
            "essay",
            "desired_retention",
            "learning_steps",
            "relearning_steps",
            "maximum_interval",
            "new_cards_per_day",
            "reviews_per_day",
            "bury_siblings",
        ]

    def _steps(self, name: str) -> str:
        value = self.cleaned_data[name]
        try:
            scheduling.parse_steps(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return value

    def clean_learning_steps(self) -> str:
        return self._steps("learning_steps")

    def clean_relearning_steps(self) -> str:
        return self._steps("relearning_steps")

    def clean(self):
        cleaned = super().clean()
        days = cleaned.get("maximum_interval")
        if days is not None and not 1 <= days <= MAX_INTERVAL_DAYS:
            days = None  # refused by the field's own bounds, with its message
        for name in ["learning_steps", "relearning_steps"]:
            if name not in cleaned or days is None:
                continue
            # A card's next due date is now + step: an absurd step would
            # break every review of the deck, not just this form.
            if any(
                step > timedelta(days=days)
                for step in scheduling.parse_steps(cleaned[name])
            ):
                self.add_error(
                    name,
                    f"A step cannot be longer than the maximum interval ({days} days).",
                )
        return cleaned


@admin.register(DeckSettings)
class DeckSettingsAdmin(ListAdmin):
    form = DeckSettingsForm
    list_display = [
        "essay",
        "desired_retention",
        "new_cards_per_day",
        "reviews_per_day",
        "bury_siblings",
    ]
    list_select_related = ["essay"]


class CardStateFilter(admin.SimpleListFilter):
    """By state as Card.state_label names it: a card never rated is New,
    whatever FSRS's state column says."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("new", "New"), *((str(v), label) for v, label in Card.State.choices)]

    def queryset(self, request, queryset):
        if self.value() == "new":
            return queryset.filter(last_review__isnull=True)
        if self.value() in {str(value) for value in Card.State.values}:
            return queryset.filter(last_review__isnull=False, state=self.value())
        return queryset


@admin.register(Card)
class CardAdmin(ViewOnlyAdmin):
    list_display = [
        "student",
        "question",
        "shown_state",
        "due",
        "reps",
        "lapses",
        "is_leech",
    ]
    list_filter = [
        CardStateFilter,
        ("student", admin.RelatedOnlyFieldListFilter),
        ("question__essay", admin.RelatedOnlyFieldListFilter),
        "is_leech",
        "suspended",
    ]
    list_select_related = ["student", "question"]
    search_fields = ["student__username", "question__prompt"]

    @admin.display(description="state")
    def shown_state(self, card: Card) -> str:
        return card.state_label


@admin.register(Review)
class ReviewAdmin(ViewOnlyAdmin):
    list_display = ["card", "rating", "reviewed_at", "duration_ms"]
    list_select_related = ["card__student", "card__question"]
    date_hierarchy = "reviewed_at"
