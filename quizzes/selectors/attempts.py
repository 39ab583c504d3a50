"""Reads for the attempt pages: which questions are answered, and each
answer as the feedback and the result page show it."""

from quizzes import grading
from quizzes.models import Attempt, Question, Response


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
    """One answered question as a page shows it: the answer marked against
    the right one (see grading.mark), and the quiz's explanation and passage
    when the answers may be shown."""
    snapshot = response.snapshot
    return {
        "marked": grading.mark(snapshot, response.answer),
        "score": response.score,
        "percent": round(response.score * 100),
        "is_correct": response.is_correct,
        "show_answers": show_answers,
        "explanation": snapshot.get("explanation", ""),
        "passage": snapshot.get("passage"),
    }


def result_items(attempt: Attempt) -> list[dict]:
    """Every question of the attempt in the order shown: its feedback, or
    ``missing`` with its prompt when it was left unanswered."""
    show_answers = attempt.shows_answers_at_end
    responses = {r.question_id: r for r in attempt.responses.all()}
    missing = [pk for pk in attempt.question_ids if pk not in responses]
    prompts = dict(
        Question.objects.filter(pk__in=missing).values_list("pk", "prompt")
        if missing
        else ()
    )
    return [
        feedback(responses[pk], show_answers=show_answers)
        if pk in responses
        else {"missing": True, "prompt": prompts.get(pk, "")}
        for pk in attempt.question_ids
    ]
