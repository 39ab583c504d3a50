"""A question as a student is shown it: loaded with its parts, then turned
into the snapshot an attempt stores and grades against (see quizzes.grading)."""

from __future__ import annotations

from functools import cache

from quizzes import grading, kinds
from quizzes.models import (
    AcceptedAnswer,
    Choice,
    Claim,
    Essay,
    MatchPair,
    Question,
    Section,
)
from quizzes.selectors import sql

_PART_MODELS = {
    kinds.CHOICES: Choice,
    kinds.ACCEPTED: AcceptedAnswer,
    kinds.PAIRS: MatchPair,
}


def question_load(question_id: int, *, kind: str | None = None):
    """A question and its parts (choices, accepted answers or pairs).

    Two queries, or one when the caller already knows the kind: the parts
    bring their question along.
    """
    parts_model = _PART_MODELS.get(kinds.part(kind))
    if parts_model is not None:
        parts = list(
            _parts(parts_model)
            .filter(question_id=question_id)
            .select_related("question__claim__section")
        )
        if parts:
            return parts[0].question, parts
    question, _ = question_row(question_id)
    return question, parts_rows(question)


# What a student's every question page and answer read: written out (see
# selectors.sql), a few times cheaper than the querysets they stand for.
@cache  # the statement: per process, never data
def _question_sql(more: str) -> str:
    t = {m: sql.q(m._meta.db_table) for m in (Question, Claim, Section)}
    return (
        f"SELECT {sql.columns(Question, 'u')}, {sql.columns(Claim, 'c')},"
        f" {sql.columns(Section, 's')}{more} FROM {t[Question]} u"
        f" LEFT OUTER JOIN {t[Claim]} c ON c.id = u.claim_id"
        f" LEFT OUTER JOIN {t[Section]} s ON s.id = c.section_id"
        " WHERE u.id = %s"
    )


def question_row(question_id: int, *, more: str = "", params=()) -> tuple:
    """The question with its claim and the claim's section (select_related's
    ``claim__section``), and the values of the ``more`` SQL expressions (each
    after a comma, their ``params`` first) read with it."""
    # An id no row can hold (past the database's integers) is simply not found.
    if abs(question_id) >= 2**63:
        raise Question.DoesNotExist("No such question.")
    rows = sql.fetch(_question_sql(more), [*params, question_id])
    if not rows:
        raise Question.DoesNotExist("No such question.")
    question, claim, section, *values = sql.reader(Question, Claim, Section)(rows[0])
    if claim is not None:
        claim.section = section
    question.claim = claim
    return question, values


@cache  # the statement: per process, never data
def _parts_sql(model) -> str:
    order = "id" if model is AcceptedAnswer else f"{sql.q('order')}, id"
    return (
        f"SELECT {sql.columns(model, 'p')} FROM {sql.q(model._meta.db_table)} p"
        f" WHERE p.question_id = %s ORDER BY {order}"
    )


def parts_rows(question: Question) -> list:
    """question_parts, written out."""
    model = _PART_MODELS.get(kinds.part(question.kind))
    if model is None:
        return []
    rows = sql.fetch(_parts_sql(model), [question.pk])
    read = sql.reader(model)
    parts = [read(row)[0] for row in rows]
    for part in parts:
        part.question = question
    return parts


def question_parts(question: Question) -> list:
    """The parts its kind uses, in the order a teacher gave them."""
    parts_model = _PART_MODELS.get(kinds.part(question.kind))
    if parts_model is None:
        return []
    return list(_parts(parts_model).filter(question=question))


def _parts(model):
    if model is AcceptedAnswer:
        return model.objects.order_by("id")
    return model.objects.order_by("order", "id")


def question_snapshot(
    question: Question,
    parts: list,
    *,
    seed: int,
    shuffle_choices: bool,
    essay: Essay | None = None,
) -> dict:
    """The question as this attempt shows it (see quizzes.grading).

    ``essay`` (the question's, with its body loaded) adds the source passage
    the feedback quotes; a page that only asks the question needs none.
    """
    passage = None
    if (
        question.claim is not None
        and essay is not None
        and essay.pk == question.essay_id
    ):
        passage = question.claim.passage(body=essay.body)
    snapshot = {
        "question_id": question.pk,
        "version": question.version,
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "is_true": question.is_true,
        "choices": [],
        "accepted": [],
        "pairs": [],
        "options": [],
        "passage": passage,
    }
    if question.kind in kinds.CHOICE_KINDS:
        choices = [
            {
                "id": c.pk,
                "text": c.text,
                "is_correct": c.is_correct,
                "feedback": c.feedback,
            }
            for c in parts
        ]
        if shuffle_choices:
            choices = grading.shuffled(choices, seed=seed, question_id=question.pk)
        snapshot["choices"] = choices
    elif question.kind == Question.Kind.CLOZE:
        snapshot["accepted"] = [answer.text for answer in parts]
    elif question.kind == Question.Kind.MATCHING:
        snapshot["pairs"] = [{"left": p.left, "right": p.right} for p in parts]
        snapshot["options"] = grading.rearranged(
            [p.right for p in parts], seed=seed, question_id=question.pk
        )
    return snapshot
