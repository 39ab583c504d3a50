"""Reads for the attempt pages: which questions are answered, and each
answer as the feedback, the summary and the result page show it; and a
quiz's questions as a teacher's preview shows them."""

from dataclasses import dataclass
from functools import cache

from django.db.models import Prefetch

from quizzes import grading, kinds
from quizzes.models import (
    AcceptedAnswer,
    Assignment,
    Attempt,
    Choice,
    Essay,
    Extension,
    MatchPair,
    Question,
    Quiz,
    Response,
)
from quizzes.selectors import sql
from quizzes.selectors.assignments import set_student_dates
from quizzes.selectors.questions import question_row, question_snapshot


@cache  # the statement: per process, never data
def _attempt_sql(*, essay: bool, lock: bool) -> str:
    t = {m: sql.q(m._meta.db_table) for m in (Attempt, Quiz, Essay, Assignment)}
    ext = sql.q(Extension._meta.db_table)
    return (
        f"SELECT {sql.columns(Attempt, 'a')}, {sql.columns(Quiz, 'z')}"
        + (f", {sql.columns(Essay, 'e')}" if essay else "")
        + f", g.due_at, g.closes_at, x.due_at FROM {t[Attempt]} a"
        f" INNER JOIN {t[Quiz]} z ON z.id = a.quiz_id"
        + (f" INNER JOIN {t[Essay]} e ON e.id = z.essay_id" if essay else "")
        + f" LEFT OUTER JOIN {t[Assignment]} g ON g.id = a.assignment_id"
        f" LEFT OUTER JOIN {ext} x"
        " ON x.assignment_id = a.assignment_id AND x.student_id = a.student_id"
        " WHERE a.id = %s AND a.student_id = %s" + (sql.for_update("a") if lock else "")
    )


def own_attempt(pk: int, student, *, essay: bool = False, lock: bool = False):
    """The student's attempt (None if it is not theirs) with its quiz, the
    quiz's essay if asked for, and its assignment's dates for the student
    (``student_dates``): one query, written out (see selectors.sql). ``lock``
    takes the attempt's row (not its quiz's) until the transaction ends."""
    if abs(pk) >= 2**63:  # past the database's integers: no attempt has it
        return None
    rows = sql.fetch(_attempt_sql(essay=essay, lock=lock), [pk, student.pk])
    if not rows:
        return None
    models = (Attempt, Quiz, Essay) if essay else (Attempt, Quiz)
    attempt, quiz, *rest = sql.reader(*models)(rows[0])
    if essay:
        quiz.essay = rest.pop(0)
    attempt.quiz = quiz
    attempt.student = student
    set_student_dates(attempt, *rest)
    return attempt


def answered_ids(attempt: Attempt) -> set[int]:
    rows = sql.fetch(
        f"SELECT question_id FROM {sql.q(Response._meta.db_table)}"
        " WHERE attempt_id = %s",
        [attempt.pk],
    )
    return {question_id for (question_id,) in rows}


@dataclass(frozen=True)
class SoFar:
    answered: int  # answers stored
    points: float  # their scores' sum
    stored: int | None  # the stored response to the question asked about


def question_for_answer(attempt: Attempt, *, question_id: int):
    """The question and its parts (question_row) with how far the attempt
    got and any answer already stored to it (SoFar): one query, written out
    (see selectors.sql)."""
    responses = f"FROM {sql.q(Response._meta.db_table)} r WHERE r.attempt_id = %s"
    question, parts, (answered, points, stored) = question_row(
        question_id,
        more=(
            f", (SELECT COUNT(*) {responses}), (SELECT SUM(r.score) {responses}),"
            f" (SELECT r.id {responses} AND r.question_id = u.id)"
        ),
        params=[attempt.pk] * 3,
    )
    return question, parts, SoFar(answered=answered, points=points or 0, stored=stored)


def first_open_position(attempt: Attempt, answered: set[int]) -> int:
    """The position (from 1) of the first unanswered question, else the last."""
    return next(
        (
            n
            for n, question_id in enumerate(attempt.question_ids, start=1)
            if question_id not in answered
        ),
        len(attempt.question_ids),
    )


def feedback(response: Response, *, show_answers: bool) -> dict:
    """A stored answer as a page shows it (see grading.feedback)."""
    grade = grading.Grade(response.score, response.is_correct)
    item = grading.feedback(
        response.snapshot, response.answer, grade, show_answers=show_answers
    )
    # The teacher's word on this answer (a changed score's reason), shown
    # whether or not the answers are.
    return item | {"comment": response.comment}


def _prompts(question_ids) -> dict[int, str]:
    if not question_ids:
        return {}
    return dict(
        Question.objects.filter(pk__in=question_ids).values_list("pk", "prompt")
    )


def summary_rows(attempt: Attempt) -> list[dict]:
    """Every question of the attempt in the order shown: its number, its
    prompt and whether it is answered (two queries, whatever the length)."""
    answered = answered_ids(attempt)
    prompts = _prompts(attempt.question_ids)
    return [
        {"number": n, "prompt": prompts.get(pk, ""), "answered": pk in answered}
        for n, pk in enumerate(attempt.question_ids, start=1)
    ]


def result_items(attempt: Attempt) -> list[dict]:
    """Every question of the attempt in the order shown: its number and
    feedback, or ``missing`` with its prompt when it was left unanswered;
    ``missed`` when it scored less than full marks."""
    show_answers = attempt.shows_answers_at_end
    responses = {r.question_id: r for r in attempt.responses.all()}
    if not show_answers:
        # Answers never revealed: no question's mark either (0 % on a
        # true/false question tells its answer), only what was answered and
        # the teacher's word on it.
        prompts = _prompts(attempt.question_ids)
        return [
            {
                "number": number,
                "prompt": prompts.get(pk, ""),
                "answered": pk in responses,
                "comment": responses[pk].comment if pk in responses else "",
                "hidden": True,
                "missed": False,
            }
            for number, pk in enumerate(attempt.question_ids, start=1)
        ]
    prompts = _prompts([pk for pk in attempt.question_ids if pk not in responses])
    items = []
    for number, pk in enumerate(attempt.question_ids, start=1):
        if pk in responses:
            item = feedback(responses[pk], show_answers=show_answers)
        else:
            item = {"missing": True, "prompt": prompts.get(pk, ""), "score": 0}
        items.append(item | {"number": number, "missed": item["score"] < 1})
    return items


def quiz_questions_shown(quiz: Quiz, *, seed: int) -> list[dict]:
    """The quiz's published questions as a student with this seed is shown
    them (grading.public), in the quiz's order: five queries, whatever the
    number of questions."""
    items = (
        quiz.items.filter(question__status=Question.Status.PUBLISHED)
        .order_by("order", "id")
        .select_related("question__claim__section")
        .prefetch_related(
            # In the order question_parts gives, the order a teacher typed.
            Prefetch("question__choices", Choice.objects.order_by("order", "id")),
            Prefetch(
                "question__accepted_answers", AcceptedAnswer.objects.order_by("id")
            ),
            Prefetch("question__pairs", MatchPair.objects.order_by("order", "id")),
        )
    )
    shown = []
    for item in items:
        question = item.question
        part = kinds.part(question.kind)
        parts = list(getattr(question, part).all()) if part else []
        snapshot = question_snapshot(
            question, parts, seed=seed, shuffle_choices=quiz.shuffle_choices
        )
        shown.append(grading.public(snapshot))
    return shown
