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
    """A question and its parts (choices, accepted answers or pairs): one
    query (``kind``, if the caller knows it, changes nothing)."""
    question, parts, _ = question_row(question_id)
    return question, parts


# What a student's every question page and answer read: written out (see
# selectors.sql), a few times cheaper than the querysets they stand for. The
# parts come in the same statement: each part table is joined only for the
# kinds that use it, so the rows are the question's parts (or one row).
_PART_ALIASES = {Choice: "pc", AcceptedAnswer: "pa", MatchPair: "pp"}
_PART_ORDER = {
    Choice: ("order", "id"),
    AcceptedAnswer: ("id",),
    MatchPair: ("order", "id"),
}


def _kinds_using(model) -> list[str]:
    return [k.value for k in kinds.KINDS if _PART_MODELS.get(k.part) is model]


@cache  # the statement: per process, never data
def _question_sql(more: str) -> str:
    t = {m: sql.q(m._meta.db_table) for m in (Question, Claim, Section)}
    parts = "".join(f", {sql.columns(m, a)}" for m, a in _PART_ALIASES.items())
    joins, order = "", []
    for model, alias in _PART_ALIASES.items():
        kinds_in = ", ".join(["%s"] * len(_kinds_using(model)))
        joins += (
            f" LEFT OUTER JOIN {sql.q(model._meta.db_table)} {alias}"
            f" ON {alias}.question_id = u.id AND u.kind IN ({kinds_in})"
        )
        order += [f"{alias}.{sql.q(name)}" for name in _PART_ORDER[model]]
    return (
        f"SELECT {sql.columns(Question, 'u')}, {sql.columns(Claim, 'c')},"
        f" {sql.columns(Section, 's')}{parts}{more} FROM {t[Question]} u"
        f" LEFT OUTER JOIN {t[Claim]} c ON c.id = u.claim_id"
        f" LEFT OUTER JOIN {t[Section]} s ON s.id = c.section_id{joins}"
        f" WHERE u.id = %s ORDER BY {', '.join(order)}"
    )


def question_row(question_id: int, *, more: str = "", params=()) -> tuple:
    """The question with its claim and the claim's section (select_related's
    ``claim__section``), its parts (question_parts), and the values of the
    ``more`` SQL expressions (each after a comma, their ``params`` first)
    read with it: one query."""
    # An id no row can hold (past the database's integers) is simply not found.
    if abs(question_id) >= 2**63:
        raise Question.DoesNotExist("No such question.")
    kind_params = [k for model in _PART_ALIASES for k in _kinds_using(model)]
    rows = sql.fetch(_question_sql(more), [*params, *kind_params, question_id])
    if not rows:
        raise Question.DoesNotExist("No such question.")
    question, claim, section, *_ = sql.reader(Question, Claim, Section)(rows[0])
    if claim is not None:
        claim.section = section
    question.claim = claim
    # Each row's parts (one of the three, the others the null side of their
    # join), then the ``more`` values.
    skip = sum(map(_width, (Question, Claim, Section)))
    read = sql.reader(*_PART_ALIASES)
    parts = []
    for row in rows:
        parts += [p for p in read(row[skip:])[: len(_PART_ALIASES)] if p is not None]
    for part in parts:
        part.question = question
    return question, parts, list(rows[0][skip + sum(map(_width, _PART_ALIASES)) :])


def _width(model) -> int:
    return len(sql.fields(model))


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
                # Only where weighed (grading._weighted): most never are.
                **({} if c.weight is None else {"weight": c.weight}),
            }
            for c in parts
        ]
        if shuffle_choices:
            choices = grading.shuffled(choices, seed=seed, question_id=question.pk)
        snapshot["choices"] = choices
    elif question.kind == Question.Kind.TRUE_FALSE:
        for answer in ("true", "false"):
            if note := getattr(question, f"{answer}_feedback"):
                snapshot[f"{answer}_feedback"] = note
    elif question.kind == Question.Kind.CLOZE:
        snapshot["accepted"] = [answer.text for answer in parts]
        if any(answer.weight != 100 or answer.feedback for answer in parts):
            snapshot["accepted_weights"] = [answer.weight for answer in parts]
            snapshot["accepted_feedback"] = [answer.feedback for answer in parts]
    elif question.kind == Question.Kind.MATCHING:
        # A pair with no item is an extra answer (a distractor): offered only.
        snapshot["pairs"] = [
            {"left": p.left, "right": p.right} for p in parts if p.left
        ]
        snapshot["options"] = grading.rearranged(
            [p.right for p in parts], seed=seed, question_id=question.pk
        )
    return snapshot
