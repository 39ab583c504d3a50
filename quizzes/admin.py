"""The authoring side: teachers import essays and review, edit and publish the
questions made from them. Everything a teacher typed is shown escaped: HTML
is only ever built with ``format_html``."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from quizzes import grading, scheduling, services
from quizzes.essays import EssayError
from quizzes.forms import EssayImportForm
from quizzes.generation import BLANK
from quizzes.models import (
    AcceptedAnswer,
    Card,
    Choice,
    Claim,
    DeckSettings,
    Essay,
    MatchPair,
    Question,
    Quiz,
    QuizQuestion,
    Review,
    Section,
)

PASSAGE_STYLE = "white-space: pre-wrap; max-width: 60em"


def passage(claim: Claim | None):
    """The claim's paragraph with the claim marked, escaped."""
    if claim is None:
        return "—"
    body, section = claim.essay.body, claim.section
    if not section.start <= claim.start <= claim.end <= section.end <= len(body):
        return format_html(
            '<div style="{}"><mark>{}</mark></div>', PASSAGE_STYLE, claim.text
        )
    return format_html(
        '<div style="{}">{}<mark>{}</mark>{}</div>',
        PASSAGE_STYLE,
        body[section.start : claim.start],
        body[claim.start : claim.end],
        body[claim.end : section.end],
    )


# --- Essays, sections, claims ---------------------------------------------------


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


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ["order", "heading", "passage"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("essay")

    @admin.display(description="passage")
    def passage(self, section: Section):
        return format_html('<div style="{}">{}</div>', PASSAGE_STYLE, section.text)


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ["order", "section", "text", "is_question_source"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")


@admin.register(Essay)
class EssayAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "section_count", "questions", "updated_at"]
    search_fields = ["title", "slug"]
    readonly_fields = ["body", "questions", "created_at", "updated_at"]
    fields = ["title", "slug", "attribution", "questions", "body"]
    inlines = [SectionInline, ClaimInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_total=Count("sections", distinct=True),
                question_total=Count("questions", distinct=True),
            )
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", view, name="quizzes_essay_import"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # An essay is made by importing its text: that is what makes its
        # sections, claims and questions.
        return redirect("admin:quizzes_essay_import")

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, essay: Essay) -> int:
        return essay.section_total

    @admin.display(description="questions", ordering="question_total")
    def questions(self, essay: Essay):
        total = getattr(essay, "question_total", None)
        if total is None:
            total = essay.questions.count()
        url = reverse("admin:quizzes_question_changelist")
        return format_html(
            '<a href="{}?essay__id__exact={}">{} question{}</a>',
            url,
            essay.pk,
            total,
            "" if total == 1 else "s",
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("quizzes.add_essay"):
            raise PermissionDenied
        if request.method == "POST":
            form = EssayImportForm(request.POST, request.FILES)
        else:
            form = EssayImportForm()
        if form.is_bound and form.is_valid():
            try:
                report = services.essay_import(
                    text=form.cleaned_data["essay_text"],
                    title=form.cleaned_data["title"],
                    slug=form.cleaned_data["slug"],
                    fallback_title=form.cleaned_data["fallback_title"],
                    publish=form.cleaned_data["publish"],
                )
            except EssayError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, report.summary(), messages.SUCCESS)
                return redirect("admin:quizzes_essay_change", report.essay_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import an essay",
            "form": form,
        }
        return TemplateResponse(request, "admin/quizzes/essay/import.html", context)


class ViewOnlyAdmin(admin.ModelAdmin):
    """Made by imports, or students' own records: teachers look, never edit."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Section)
class SectionAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "essay", "order"]
    list_filter = ["essay"]
    list_select_related = ["essay"]
    search_fields = ["heading", "essay__title"]


@admin.register(Claim)
class ClaimAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "essay", "section", "order", "is_question_source"]
    list_filter = ["essay", "is_question_source"]
    list_select_related = ["essay", "section"]
    search_fields = ["text"]
    readonly_fields = ["source_passage"]

    @admin.display(description="passage")
    def source_passage(self, claim: Claim):
        return passage(claim)


# --- Questions ------------------------------------------------------------------


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "essay",
            "claim",
            "kind",
            "status",
            "prompt",
            "is_true",
            "explanation",
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Question.Kind.CLOZE and BLANK not in cleaned.get("prompt", BLANK):
            self.add_error(
                "prompt", f"Mark the gap in a fill-in-the-blank prompt with {BLANK}."
            )
        if kind == Question.Kind.TRUE_FALSE and cleaned.get("is_true") is None:
            self.add_error("is_true", "Say whether the statement is true or false.")
        if kind and kind != Question.Kind.TRUE_FALSE:
            cleaned["is_true"] = None  # only true/false questions have one
        essay, claim = cleaned.get("essay"), cleaned.get("claim")
        if essay and claim and claim.essay_id != essay.pk:
            self.add_error("claim", "This passage is from another essay.")
        return cleaned


class PartsFormSet(BaseInlineFormSet):
    """One inline's rows checked against the question's kind; positions
    renumbered 0, 1, 2... in the order the teacher gave."""

    def kept_forms(self) -> list:
        return [
            form
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        kind = self.instance.kind
        if any(self.errors) or kind not in Question.Kind.values:
            return
        error = self.kind_error(Question.Kind(kind), self.kept_forms())
        if error:
            raise forms.ValidationError(error)

    def kind_error(self, kind: Question.Kind, rows: list) -> str:
        raise NotImplementedError

    def save(self, commit=True):
        if not commit or "position" not in self.form.base_fields:
            return super().save(commit)
        kept = sorted(
            enumerate(self.kept_forms()),
            key=lambda item: (
                item[1].cleaned_data.get("position") is None,
                item[1].cleaned_data.get("position") or 0,
                item[0],
            ),
        )
        existing = self.model.objects.filter(question=self.instance)
        top = existing.aggregate(top=Max("order"))["top"] or 0
        # Out of the way of (question, order), which is unique, while rows move.
        existing.update(order=F("order") + top + len(self.forms) + 1)
        for position, (_, form) in enumerate(kept):
            form.instance.order = position
        saved = super().save(commit)
        for position, (_, form) in enumerate(kept):
            if form.instance.pk:
                self.model.objects.filter(pk=form.instance.pk).update(order=position)
        return saved


class ChoiceFormSet(PartsFormSet):
    def kind_error(self, kind, rows):
        correct = sum(bool(row.cleaned_data.get("is_correct")) for row in rows)
        if kind == Question.Kind.SINGLE:
            if len(rows) < 2:
                return "A single choice question needs at least two choices."
            if correct != 1:
                return (
                    "A single choice question needs exactly one correct choice "
                    f"(it has {correct})."
                )
        elif kind == Question.Kind.MULTIPLE:
            if len(rows) < 2:
                return "A multiple answer question needs at least two choices."
            if correct < 1:
                return "A multiple answer question needs at least one correct choice."
        elif rows:
            return f"A {kind.label.lower()} question has no choices: delete them."
        return ""


class AcceptedAnswerFormSet(PartsFormSet):
    def kind_error(self, kind, rows):
        if kind == Question.Kind.CLOZE and not rows:
            return "A fill-in-the-blank question needs at least one accepted answer."
        if kind != Question.Kind.CLOZE and rows:
            return (
                "Only fill-in-the-blank questions have accepted answers: delete them."
            )
        return ""


class MatchPairFormSet(PartsFormSet):
    def kind_error(self, kind, rows):
        if kind == Question.Kind.MATCHING and len(rows) < 2:
            return "A matching question needs at least two pairs."
        if kind != Question.Kind.MATCHING and rows:
            return "Only matching questions have pairs: delete them."
        return ""


class PositionForm(forms.ModelForm):
    """``order`` as a free "position": rows are renumbered on save, so two
    rows with the same number (or a blank one, for "at the end") are fine."""

    position = forms.IntegerField(min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("position", self.instance.order)


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = PositionForm
    formset = ChoiceFormSet
    fields = ["position", "text", "is_correct", "feedback"]
    extra = 1


class AcceptedAnswerInline(admin.TabularInline):
    model = AcceptedAnswer
    formset = AcceptedAnswerFormSet
    fields = ["text"]
    extra = 1


class MatchPairInline(admin.TabularInline):
    model = MatchPair
    form = PositionForm
    formset = MatchPairFormSet
    fields = ["position", "left", "right"]
    extra = 1


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm

    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = [
        "short_prompt",
        "kind",
        "status",
        "origin",
        "essay",
        "section",
        "edited_by_teacher",
        "version",
    ]
    list_filter = [
        "kind",
        "status",
        "origin",
        "essay",
        ("claim__section", admin.RelatedOnlyFieldListFilter),
        "edited_by_teacher",
    ]
    list_select_related = ["essay", "claim__section"]
    search_fields = ["prompt", "choices__text"]
    list_per_page = 50
    autocomplete_fields = ["claim"]
    readonly_fields = [
        "source_passage",
        "origin",
        "generator_key",
        "edited_by_teacher",
        "version",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["essay", "claim", "source_passage"]}),
        (None, {"fields": ["kind", "status", "prompt", "is_true", "explanation"]}),
        (
            "History",
            {
                "classes": ["collapse"],
                "fields": [
                    "origin",
                    "generator_key",
                    "edited_by_teacher",
                    "version",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    inlines = [ChoiceInline, AcceptedAnswerInline, MatchPairInline]
    actions = ["publish", "retire", "back_to_draft"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        return [
            path("<path:object_id>/preview/", view, name="quizzes_question_preview"),
            *super().get_urls(),
        ]

    @admin.display(description="prompt", ordering="prompt")
    def short_prompt(self, question: Question) -> str:
        return str(question)

    @admin.display(description="section", ordering="claim__section__order")
    def section(self, question: Question):
        return question.claim.section if question.claim else "—"

    @admin.display(description="source passage")
    def source_passage(self, question: Question):
        return passage(question.claim)

    def save_model(self, request, obj, form, change):
        if change:
            # What students saw before this save, read before anything is written.
            before = Question.objects.prefetch_related(
                "choices", "accepted_answers", "pairs"
            ).get(pk=obj.pk)
            request._question_signature = before.content_signature()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.question_record_edit(
                question=form.instance,
                previous_signature=request._question_signature,
            )

    def _set_status(self, request, queryset, status: str, verb: str) -> None:
        count = services.questions_set_status(questions=queryset, status=status)
        self.message_user(
            request,
            f"{count} question{'' if count == 1 else 's'} {verb}.",
            messages.SUCCESS,
        )

    @admin.action(description="Publish the selected questions", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Question.Status.PUBLISHED, "published")

    @admin.action(description="Retire the selected questions", permissions=["change"])
    def retire(self, request, queryset):
        self._set_status(request, queryset, Question.Status.RETIRED, "retired")

    @admin.action(
        description="Move the selected questions back to draft", permissions=["change"]
    )
    def back_to_draft(self, request, queryset):
        self._set_status(request, queryset, Question.Status.DRAFT, "moved to draft")

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            question, parts = services.question_load(int(object_id))
        except (ValueError, Question.DoesNotExist):
            raise Http404("No such question.") from None
        # The student's own markup, from the snapshot an attempt would take.
        snapshot = services.question_snapshot(
            question, parts, seed=question.pk, shuffle_choices=True
        )
        context = {"original": question, "question": grading.public(snapshot)}
        return TemplateResponse(request, "quizzes/question_preview.html", context)


# --- Quizzes ---


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


def _published_of_one_essay(modeladmin, request, queryset, *, none_level):
    """The selection's published questions in essay order, or None (with a
    message) when none is published or they span several essays."""
    questions = list(
        queryset.published()
        .select_related("essay", "claim__section")
        .order_by(F("claim__order").asc(nulls_last=True), "id")
    )
    if not questions:
        modeladmin.message_user(
            request,
            "None of the selected questions is published: publish them first.",
            level=none_level,
        )
        return None
    if len({question.essay_id for question in questions}) > 1:
        modeladmin.message_user(
            request,
            "A quiz covers one essay: select questions of a single essay.",
            level=messages.ERROR,
        )
        return None
    return questions


@admin.action(description="Make a quiz from these questions")
def make_quiz(modeladmin, request, queryset):
    if not request.user.has_perm("quizzes.add_quiz"):
        modeladmin.message_user(
            request, "You may not create quizzes.", level=messages.ERROR
        )
        return None
    chosen = _published_of_one_essay(
        modeladmin, request, queryset, none_level=messages.WARNING
    )
    if chosen is None:
        return None
    skipped = queryset.count() - len(chosen)
    quiz = services.quiz_create_from_questions(
        questions=chosen,
        title=f"{chosen[0].essay.title}: {len(chosen)} selected questions",
    )
    note = f" ({skipped} unpublished left out)" if skipped else ""
    modeladmin.message_user(
        request,
        f"Made the quiz “{quiz.title}”{note}. Check its settings and publish it.",
        level=messages.SUCCESS,
    )
    return redirect("admin:quizzes_quiz_change", quiz.pk)


class AddToQuizForm(forms.Form):
    quiz = forms.ModelChoiceField(
        queryset=Quiz.objects.none(), empty_label="Choose a quiz"
    )

    def __init__(self, *args, essay: Essay, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["quiz"]
        field.queryset = (
            Quiz.objects.filter(essay=essay)
            .annotate(question_total=Count("items"))
            .order_by("title", "id")
        )
        field.label_from_instance = self.quiz_label

    @staticmethod
    def quiz_label(quiz: Quiz) -> str:
        total = quiz.question_total
        shown = "published" if quiz.is_published else "not published"
        return f"{quiz.title} ({total} question{'' if total == 1 else 's'}, {shown})"


def _added_message(quiz: Quiz, addition: services.QuizAddition) -> str:
    count = addition.added
    notes = [
        f"; {addition.already_in} already in it" if addition.already_in else "",
        f"; {addition.not_published} not published, left out"
        if addition.not_published
        else "",
    ]
    return format_html(
        '{} question{} added to <a href="{}">{}</a>{}.',
        count,
        "" if count == 1 else "s",
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        quiz.title,
        "".join(notes),
    )


@admin.action(description="Add to a quiz…", permissions=["change_quiz"])
def add_to_quiz(modeladmin, request, queryset):
    """Asks which quiz of the questions' essay, then appends the published
    ones to its end: "add by filter" is the changelist's filters plus this."""
    if not request.user.has_perm("quizzes.change_quiz"):
        raise PermissionDenied
    questions = _published_of_one_essay(
        modeladmin, request, queryset, none_level=messages.ERROR
    )
    if questions is None:
        return None
    essay = questions[0].essay
    form = AddToQuizForm(request.POST if "apply" in request.POST else None, essay=essay)
    if form.is_bound and form.is_valid():
        quiz = form.cleaned_data["quiz"]
        try:
            addition = services.quiz_add_questions(quiz=quiz, questions=queryset)
        except ValueError as error:
            modeladmin.message_user(request, str(error), level=messages.ERROR)
            return None
        modeladmin.message_user(
            request,
            _added_message(quiz, addition),
            level=messages.SUCCESS if addition.added else messages.WARNING,
        )
        return None
    if not form.fields["quiz"].queryset.exists():
        modeladmin.message_user(
            request,
            f"“{essay}” has no quiz yet: make one with "
            "“Make a quiz from these questions”.",
            level=messages.ERROR,
        )
        return None
    # Every selected id goes back with the form, drafts too, so the count of
    # those left out is the same on apply as on this page.
    selected = list(queryset.values_list("pk", flat=True))
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": "Add questions to a quiz",
        "essay": essay,
        "questions": questions,
        "selected": selected,
        "not_published": len(selected) - len(questions),
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/quizzes/question/add_to_quiz.html", context)


def _has_change_quiz_permission(modeladmin, request) -> bool:
    return request.user.has_perm("quizzes.change_quiz")


# The action asks for the quiz permission, not the question one: the
# changelist offers it only to those who may change quizzes.
QuestionAdmin.has_change_quiz_permission = _has_change_quiz_permission
QuestionAdmin.actions = [*(QuestionAdmin.actions or []), make_quiz, add_to_quiz]


# --- Flashcards ---


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
class DeckSettingsAdmin(admin.ModelAdmin):
    form = DeckSettingsForm
    list_display = [
        "essay",
        "desired_retention",
        "new_cards_per_day",
        "reviews_per_day",
    ]
    list_select_related = ["essay"]


@admin.register(Card)
class CardAdmin(ViewOnlyAdmin):
    list_display = ["student", "question", "state", "due", "reps", "lapses", "is_leech"]
    list_filter = ["state", "is_leech", "suspended"]
    list_select_related = ["student", "question"]
    search_fields = ["student__username", "question__prompt"]


@admin.register(Review)
class ReviewAdmin(ViewOnlyAdmin):
    list_display = ["card", "rating", "reviewed_at", "duration_ms"]
    list_select_related = ["card__student", "card__question"]
    date_hierarchy = "reviewed_at"
