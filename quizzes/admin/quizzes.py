"""Quizzes: a teacher orders published questions and sets the rules."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count, Q

from quizzes.admin.base import LabelledFormSet, ListAdmin, question_label
from quizzes.models import Question, Quiz, QuizQuestion


class QuestionSearch(AutocompleteSelect):
    """A search box over QuestionAdmin's question search, which names each
    question with question_label and keeps to the essay the quiz form names
    (js/admin-quiz-questions.js sends it along).

    ``known`` names the questions the rows already hold, read with the rows:
    the search box would otherwise read its one question once per row."""

    url_name = "%s:quizzes_question_autocomplete"
    known: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        if not chosen or not set(chosen) <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = [
            self.create_option(name, v, self.known[v], True, index)
            for index, v in enumerate(chosen)
        ]
        return [(None, options, 0)]


class QuizQuestionFormSet(LabelledFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        widget = form.fields["question"].widget
        widget = getattr(widget, "widget", widget)  # inside the related links
        if isinstance(widget, QuestionSearch) and form.instance.question_id:
            question = form.instance.question
            widget.known = {str(question.pk): question_label(question)}
        return form

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
    # A search (QuestionAdmin.get_search_results keeps it to the quiz's
    # essay), not a list of every published question.
    autocomplete_fields = ["question"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            if db_field.name in self.get_autocomplete_fields(request):
                # Wide enough for a label of prompt, kind and section.
                kwargs["widget"] = QuestionSearch(
                    db_field, self.admin_site, attrs={"data-width": "min(40rem, 62vw)"}
                )
            # What a row may be saved with: published questions, of the
            # quiz's essay once it has one; the quiz's own questions stay
            # valid after being retired, or the quiz could not be saved until
            # they were taken out.
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
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question__claim__section")


@admin.register(Quiz)
class QuizAdmin(ListAdmin):
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

    class Media:
        js = [
            "admin/js/jquery.init.js",
            "js/admin-quiz-questions.js",
            "js/admin-search-names.js",
        ]

    fieldsets = [
        (None, {"fields": ["title", "essay", "is_published", "open_practice"]}),
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
                    "grading",
                    "exam_only",
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
