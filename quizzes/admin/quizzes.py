"""Quizzes: a teacher orders published questions and sets the rules."""

from django.contrib import admin
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet

from quizzes.models import Question, Quiz, QuizQuestion


def question_label(question: Question) -> str:
    """Prompt, kind and section: many questions of one essay share a prompt's
    opening words, and a teacher picks by where it comes from and how it asks."""
    section = question.claim.section if question.claim else "no section"
    return f"{question} · {question.get_kind_display()} · {section}"


class QuizQuestionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The choices follow the essay the quiz had when the form was opened;
        # a new quiz, or one moved to another essay, is checked here.
        essay_id = self.instance.essay_id
        for form in self.forms:
            question = (form.cleaned_data or {}).get("question")
            if (
                question is not None
                and essay_id is not None
                and question.essay_id != essay_id
                and not self._should_delete_form(form)
            ):
                form.add_error("question", "This question is from another essay.")


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    formset = QuizQuestionFormSet
    extra = 1
    fields = ["order", "question"]
    ordering = ["order", "id"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            # Only published questions, of the quiz's essay once it has one;
            # the quiz's own questions stay valid after being retired, or the
            # quiz could not be saved until they were taken out.
            published = Q(status=Question.Status.PUBLISHED)
            quiz = getattr(request, "_quiz_being_edited", None)
            if quiz is not None:
                published = Q(published, essay=quiz.essay_id) | Q(
                    pk__in=quiz.items.values("question")
                )
            kwargs["queryset"] = Question.objects.filter(published).select_related(
                "claim__section"
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = question_label
            # Every row's <select> offers the same questions: read them once,
            # not once per row (forms copy the field, and a list with it).
            field.choices = list(field.choices)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "essay",
        "question_count",
        "time_limit_minutes",
        "attempts_allowed",
        "reveal",
        "is_published",
    ]
    list_filter = ["is_published", "essay", "reveal"]
    search_fields = ["title"]
    inlines = [QuizQuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "essay", "is_published"]}),
        (
            "Settings",
            {
                "fields": [
                    "shuffle_questions",
                    "shuffle_choices",
                    "time_limit_minutes",
                    "attempts_allowed",
                    "reveal",
                    "pass_mark",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("essay")
            .annotate(question_total=Count("items"))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._quiz_being_edited = obj
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, quiz):
        return quiz.question_total
