"""Building quizzes: the essay's own quiz, a quiz of chosen questions,
questions added to a quiz."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from quizzes import generation
from quizzes.models import Choice, Claim, Essay, MatchPair, Question, Quiz, QuizQuestion


def _quiz_title(title: str) -> str:
    """The title cut to fit its column (an essay's title may fill its own, and
    PostgreSQL refuses a longer value); the same title always cuts the same way."""
    size = Quiz._meta.get_field("title").max_length
    return title if len(title) <= size else title[: size - 1].rstrip() + "…"


def _quiz_items_set(*, quiz: Quiz, question_ids: list[int]) -> None:
    quiz.items.all().delete()
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question_id=question_id, order=order)
        for order, question_id in enumerate(question_ids)
    )


@transaction.atomic
def quiz_create_for_essay(
    *,
    essay: Essay,
    title: str | None = None,
    publish: bool = True,
    new_questions: Iterable[Question] = (),
) -> Quiz:
    """The essay's quiz ("<title>: all sections"), in claim order: its
    essay-level questions and at most one question per claim, none showing
    what another asks (see ``generation.compose_quiz``); published if
    ``publish``.

    If the quiz is there already, a teacher may have changed it: its items
    and published flag are left alone, and only ``new_questions`` (published,
    about a claim the quiz does not show yet) are appended.
    """
    quiz, _, _ = essay_quiz_sync(
        essay=essay, title=title, publish=publish, new_questions=new_questions
    )
    return quiz


@transaction.atomic
def quiz_create_from_questions(*, questions: list[Question], title: str) -> Quiz:
    """An unpublished quiz of these questions, in this order, for a teacher to tune."""
    quiz = Quiz.objects.create(title=_quiz_title(title), essay=questions[0].essay)
    _quiz_items_set(quiz=quiz, question_ids=[question.pk for question in questions])
    return quiz


@dataclass(frozen=True)
class QuizAddition:
    added: int
    already_in: int
    not_published: int


@transaction.atomic
def quiz_add_questions(*, quiz: Quiz, questions: Iterable[Question]) -> QuizAddition:
    """The published ones among ``questions`` appended to the end of the quiz,
    in the essay's order, leaving out those it already has."""
    # Locked so two teachers adding at once both land at the end, in turn.
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    wanted = {question.pk for question in questions}
    published = list(
        Question.objects.filter(pk__in=wanted)
        .published()
        .in_essay_order()
        .values_list("pk", "essay_id")
    )
    if any(essay_id != quiz.essay_id for _, essay_id in published):
        raise ValueError("A quiz only takes questions of its own essay.")
    present = set(quiz.items.values_list("question_id", flat=True))
    new = [pk for pk, _ in published if pk not in present]
    last = quiz.items.order_by("-order").values_list("order", flat=True).first()
    start = 0 if last is None else last + 1
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question_id=pk, order=start + offset)
        for offset, pk in enumerate(new)
    )
    return QuizAddition(
        added=len(new),
        already_in=len(published) - len(new),
        not_published=len(wanted) - len(published),
    )


def essay_quiz_sync(
    *,
    essay: Essay,
    title: str | None = None,
    publish: bool = True,
    new_questions: Iterable[Question] = (),
) -> tuple[Quiz, bool, int]:
    """The essay's quiz: composed from its published questions if it is
    missing (see ``generation.compose_quiz``). If it is there it is the
    teacher's: its items and published flag stay as they are, and only
    ``new_questions`` that are published and about a claim the quiz does not
    show yet join it, at the end. Returns the quiz, whether it was made and
    how many questions joined it."""
    quiz, created = Quiz.objects.get_or_create(
        essay=essay,
        title=_quiz_title(title or f"{essay.title}: all sections"),
        # Shuffled: in claim order, neighbours would share a section's theme.
        defaults={"shuffle_questions": True, "is_published": publish},
    )
    questions = Question.objects.published().for_essay(essay).in_essay_order()
    if created:
        taken = []
    else:
        new_ids = [question.pk for question in new_questions]
        if not new_ids:
            return quiz, False, 0
        taken = _quiz_candidates(questions.filter(quizzes=quiz))
        questions = questions.filter(pk__in=new_ids).exclude(quizzes=quiz)
    claims = dict(Claim.objects.filter(essay=essay).values_list("key", "text"))
    ids = generation.compose_quiz(_quiz_candidates(questions), claims, taken)
    if created:
        _quiz_items_set(quiz=quiz, question_ids=ids)
    else:
        last = quiz.items.aggregate(last=Max("order"))["last"]
        start = 0 if last is None else last + 1
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question_id=question_id, order=order)
            for order, question_id in enumerate(ids, start=start)
        )
    return quiz, created, len(ids)


def _quiz_candidates(questions) -> list[generation.QuizCandidate]:
    """Questions as the quiz composer sees them: what each one shows."""
    rows = list(
        questions.values_list(
            "pk",
            "claim__key",
            "kind",
            "is_true",
            "generator_key",
            "prompt",
            "explanation",
        )
    )
    shown: dict[int, list[str]] = {row[0]: list(row[5:]) for row in rows}
    for model, fields in (
        (Choice, ("text", "feedback")),
        (MatchPair, ("left", "right")),
    ):
        parts = model.objects.filter(question__in=questions.values("pk"))
        for question_id, *texts in parts.values_list("question_id", *fields):
            shown[question_id] += texts
    return [
        generation.QuizCandidate(
            id=pk,
            claim=claim,
            kind=kind,
            key=key or f"question:{pk}",
            shown="\n".join(shown[pk]),
            is_true=is_true,
        )
        for pk, claim, kind, is_true, key, *_ in rows
    ]
