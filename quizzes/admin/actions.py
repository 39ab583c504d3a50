"""The question list's actions: publish, retire, back to draft, make a quiz
of the selection, add the selection to a quiz. QuestionAdmin lists them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from quizzes import services
from quizzes.models import Essay, Question, Quiz
from quizzes.services.quizzes import QuizAddition


def _set_status(modeladmin, request, queryset, status: str, verb: str) -> None:
    count = services.questions.questions_set_status(questions=queryset, status=status)
    modeladmin.message_user(
        request,
        f"{count} question{'' if count == 1 else 's'} {verb}.",
        messages.SUCCESS,
    )


@admin.action(description="Publish the selected questions", permissions=["change"])
def publish(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Question.Status.PUBLISHED, "published")


@admin.action(description="Retire the selected questions", permissions=["change"])
def retire(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Question.Status.RETIRED, "retired")


@admin.action(
    description="Move the selected questions back to draft", permissions=["change"]
)
def back_to_draft(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Question.Status.DRAFT, "moved to draft")


def _published_of_one_essay(modeladmin, request, queryset, *, none_level):
    """The selection's published questions in essay order, or None (with a
    message) when none is published or they span several essays."""
    questions = list(
        queryset.published().select_related("essay", "claim__section").in_essay_order()
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
    quiz = services.quizzes.quiz_create_from_questions(
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


def _added_message(quiz: Quiz, addition: QuizAddition) -> str:
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
            addition = services.quizzes.quiz_add_questions(
                quiz=quiz, questions=queryset
            )
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
