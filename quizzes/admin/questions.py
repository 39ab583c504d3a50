"""Questions and their parts (choices, accepted answers, matching pairs):
what teachers review, fix and publish. Each kind's rules are quizzes.kinds'."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, Max, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import smart_split, unescape_string_literal

from quizzes import grading, kinds, services
from quizzes.admin import actions, interchange
from quizzes.admin.base import (
    LabelledFormSet,
    ListAdmin,
    on_changelist,
    passage,
    question_label,
)
from quizzes.models import (
    AcceptedAnswer,
    Choice,
    Essay,
    MatchPair,
    Question,
    QuizQuestion,
    Section,
)
from quizzes.selectors.questions import question_load, question_snapshot
from quizzes.views import preview


def kind_uses(kind: str) -> list[str]:
    """The parts of the question form a kind uses, named as the form names
    them: its inline's prefix (kinds.part) and, for true/false, the truth
    and the feedback to each answer."""
    uses = [kinds.part(kind)] if kinds.part(kind) else []
    if kind == kinds.TRUE_FALSE:
        uses += ["is_true", "true_feedback", "false_feedback"]
    return uses


class KindSelect(forms.Select):
    """Each kind's option lists what it uses (``data-uses``), so that
    js/admin-question-kind.js shows only those parts: kinds.py stays the one
    table of which kind has which part."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["data-uses"] = " ".join(kind_uses(str(value)))
        return option


# The question's own fields, in the order the editor shows them.
CONTENT_FIELDS = [
    "kind",
    "status",
    "prompt",
    "is_true",
    "true_feedback",
    "false_feedback",
    "explanation",
    "title",
]


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["essay", "claim", *CONTENT_FIELDS]
        widgets = {
            "kind": KindSelect(attrs={"data-question-kind": ""}),
            # A sentence or two each, not a page.
            "true_feedback": forms.Textarea(attrs={"rows": 3}),
            "false_feedback": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": "The parts it uses (choices, accepted answers or pairs) "
            "are edited below the question."
        }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and kind != Question.Kind.TRUE_FALSE:
            cleaned["is_true"] = None  # only true/false questions have one
        if kind:
            # The question's own fields; each inline checks its parts.
            draft = kinds.Draft(
                kind=kind,
                prompt=cleaned.get("prompt", ""),
                is_true=cleaned.get("is_true"),
            )
            for problem in kinds.problems(draft):
                if problem.field in ("prompt", "is_true") and problem.field in cleaned:
                    self.add_error(problem.field, problem.message)
        essay, claim = cleaned.get("essay"), cleaned.get("claim")
        if essay and claim and claim.essay_id != essay.pk:
            self.add_error("claim", "This passage is from another essay.")
        return cleaned


class PartsFormSet(LabelledFormSet):
    """One inline's rows checked against the question's kind; positions
    renumbered 0, 1, 2... in the order the teacher gave."""

    def kept_forms(self) -> list:
        return [
            form
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]

    part: str  # which of kinds.CHOICES, ACCEPTED, PAIRS this inline edits

    def clean(self):
        super().clean()
        kind = self.instance.kind
        if any(self.errors) or kind not in Question.Kind.values:
            return
        draft = kinds.Draft(
            kind=kind, prompt=self.instance.prompt, **{self.part: self.rows()}
        )
        messages = [p.message for p in kinds.problems(draft) if p.field == self.part]
        if messages:
            raise forms.ValidationError(messages)

    def rows(self) -> list:
        """The kept rows as kinds.Draft takes them."""
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
    part = kinds.CHOICES

    def rows(self):
        return [
            (f.cleaned_data.get("text", ""), bool(f.cleaned_data.get("is_correct")))
            for f in self.kept_forms()
        ]


class AcceptedAnswerFormSet(PartsFormSet):
    part = kinds.ACCEPTED

    def rows(self):
        return [f.cleaned_data.get("text", "") for f in self.kept_forms()]


class MatchPairFormSet(PartsFormSet):
    part = kinds.PAIRS

    def rows(self):
        return [
            (f.cleaned_data.get("left", ""), f.cleaned_data.get("right", ""))
            for f in self.kept_forms()
        ]


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
    fields = ["position", "text", "is_correct", "feedback", "weight"]
    extra = 1


class AcceptedAnswerForm(forms.ModelForm):
    """An accepted answer left without a weight earns the whole mark."""

    weight = forms.FloatField(
        required=False,
        min_value=0,
        max_value=100,
        initial=100,
        help_text=AcceptedAnswer._meta.get_field("weight").help_text,
    )

    class Meta:
        model = AcceptedAnswer
        fields = ["text", "weight", "feedback"]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        return 100 if weight is None else weight


class AcceptedAnswerInline(admin.TabularInline):
    model = AcceptedAnswer
    form = AcceptedAnswerForm
    formset = AcceptedAnswerFormSet
    fields = ["text", "weight", "feedback"]
    extra = 1


class MatchPairInline(admin.TabularInline):
    model = MatchPair
    form = PositionForm
    formset = MatchPairFormSet
    fields = ["position", "left", "right"]
    extra = 1


class WarningsFilter(admin.SimpleListFilter):
    """Drafts the generator doubts about (Question.warnings), or the others."""

    title = "generator's warnings"
    parameter_name = "warnings"

    def lookups(self, request, model_admin):
        return [("yes", "With warnings"), ("no", "Without warnings")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(warnings=[])
        if self.value() == "no":
            return queryset.filter(warnings=[])
        return queryset


class EssayFilter(admin.RelatedFieldListFilter):
    """The essays by title, read without their bodies (up to 1 MB each)."""

    def field_choices(self, field, request, model_admin):
        return list(Essay.objects.order_by("title").values_list("pk", "title"))


class SectionFilter(admin.SimpleListFilter):
    """The sections of the essay chosen in the essay filter (a long essay
    has thousands: beyond MAX_SECTIONS the list would be no help, and
    searching is)."""

    title = "section"
    parameter_name = "section"
    MAX_SECTIONS = 200

    def lookups(self, request, model_admin):
        essay = request.GET.get("essay__id__exact", "")
        if not essay.isdigit():
            return []
        sections = Section.objects.filter(essay_id=int(essay)).order_by("order")
        if sections[self.MAX_SECTIONS : self.MAX_SECTIONS + 1].exists():
            return []  # too many to list: asked without loading them
        return [(str(section.pk), section.label) for section in sections]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(claim__section_id=int(value))
        return queryset


class QuestionSearchView(AutocompleteJsonView):
    """The quiz editor's question search: each found question named by its
    prompt, kind and section, as the rows already in the quiz are."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": question_label(obj)}


def searched_for_a_quiz(request: HttpRequest) -> bool:
    """Whether this is the quiz editor's search for a question to add."""
    source = QuizQuestion._meta
    return (
        request.GET.get("app_label"),
        request.GET.get("model_name"),
        request.GET.get("field_name"),
    ) == (source.app_label, source.model_name, "question")


@admin.register(Question)
class QuestionAdmin(ListAdmin):
    form = QuestionAdminForm

    class Media:
        js = ["js/admin-question-kind.js", "js/admin-search-names.js"]

    list_display = [
        "short_prompt",
        "kind",
        "status",
        "origin",
        "essay",
        "section",
        "warning_summary",
        "edited_by_teacher",
        "version",
    ]
    list_filter = [
        "kind",
        "status",
        "origin",
        ("essay", EssayFilter),
        SectionFilter,
        WarningsFilter,
        "edited_by_teacher",
    ]
    list_select_related = ["essay", "claim__section"]
    search_fields = ["prompt", "choices__text"]
    list_per_page = 50

    def get_queryset(self, request):
        questions = super().get_queryset(request)
        if on_changelist(request):
            # Fifty rows name their essay: not fifty copies of its body.
            questions = questions.defer("essay__body")
        return questions

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
        (None, {"fields": CONTENT_FIELDS}),
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
    actions = [
        actions.publish,
        actions.retire,
        actions.back_to_draft,
        actions.make_quiz,
        actions.add_to_quiz,
        *interchange.ACTIONS,
    ]

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        search = QuestionSearchView.as_view(admin_site=self.admin_site)
        return [
            path(
                "autocomplete/",
                self.admin_site.admin_view(search),
                name="quizzes_question_autocomplete",
            ),
            path(
                "import-file/",
                self.admin_site.admin_view(partial(interchange.import_view, self)),
                name="quizzes_question_import_file",
            ),
            path("<path:object_id>/preview/", view, name="quizzes_question_preview"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        # The review queue of the essay filtered on, else the list of essays.
        essay = request.GET.get("essay__id__exact", "")
        review_url = (
            reverse("teach_review", kwargs={"essay": int(essay)})
            if essay.isdigit()
            else reverse("teach_review_essays")
        )
        extra_context = {"review_url": review_url, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # Each word in the prompt or in a choice, as the admin's search of
        # search_fields would, but a choice matched through EXISTS: the
        # admin's join needs DISTINCT over every column of the list, which
        # cost 65 ms on an essay of 12,000 questions.
        may_have_duplicates = False
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            in_choice = Choice.objects.filter(
                question=OuterRef("pk"), text__icontains=word
            )
            queryset = queryset.filter(Q(prompt__icontains=word) | Exists(in_choice))
        if searched_for_a_quiz(request):
            # A quiz takes published questions of its own essay, which the
            # quiz form sends (js/admin-quiz-questions.js); saving checks again.
            essay = request.GET.get("essay", "")
            if not essay.isdigit():
                return queryset.none(), False
            queryset = (
                queryset.published()
                .filter(essay=int(essay))
                .select_related("claim__section")
                .in_essay_order()
            )
        return queryset, may_have_duplicates

    @admin.display(description="prompt", ordering="prompt")
    def short_prompt(self, question: Question) -> str:
        return str(question)

    @admin.display(description="section", ordering="claim__section__order")
    def section(self, question: Question):
        return question.claim.section if question.claim else "—"

    @admin.display(description="warnings")
    def warning_summary(self, question: Question) -> str:
        """How many, and the first in full: enough to triage from the list."""
        warnings = question.warnings or []
        if not warnings:
            return "—"
        more = f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else ""
        return f"{len(warnings)}: {warnings[0]}{more}"

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
            services.questions.question_record_edit(
                question=form.instance,
                previous_signature=request._question_signature,
            )

    def has_change_quiz_permission(self, request) -> bool:
        # "Add to a quiz…" asks for this: the changelist offers it only to
        # those who may change quizzes.
        return request.user.has_perm("quizzes.change_quiz")

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            question, parts = question_load(int(object_id))
        except (ValueError, Question.DoesNotExist):
            raise Http404("No such question.") from None
        # The student's own markup, from the snapshot an attempt would take.
        snapshot = question_snapshot(
            question, parts, seed=question.pk, shuffle_choices=True
        )
        # Its Submit grades through the teachers' preview, which stores nothing.
        shown = preview.entry(grading.public(snapshot), seed=question.pk, shuffle=True)
        context = {"original": question, **shown}
        return TemplateResponse(request, "quizzes/question_preview.html", context)
