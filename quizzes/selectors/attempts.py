"""Reads for the attempt pages: which questions are answered, and each
answer as the feedback, the summary and the result page show it; and a
quiz's questions as a teacher's preview shows them."""

from django.db.models import Prefetch

from quizzes import grading, kinds
from quizzes.models import (
    AcceptedAnswer,
    Attempt,
    Choice,
    MatchPair,
    Question,
    Quiz,
    Response,
)
from quizzes.selectors.questions import question_snapshot


def answered_ids(attempt: Attempt) -> set[int]:
    return set(attempt.responses.values_list("question_id", flat=True))


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
