"""Reads for the item analysis page: a class's answers to one quiz as the
table of marks that quizzes.analysis takes, and what each choice drew.

Four queries whatever the class size: the quiz's questions, their choices,
the class's finished attempts, and those attempts' responses (the stored
score, the picks, and the choices as shown).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from quizzes import analysis, kinds
from quizzes.models import Attempt, Choice, Classroom, Question, Quiz, Response

# Which attempts are analysed. Moodle's default is the attempts that count
# toward the grade (here: each student's highest or last, per the quiz's
# grading); its documentation recommends first attempts as the statistically
# cleaner choice (a second attempt builds on the first), so both are offered,
# and every attempt for small classes.
GRADED, FIRST, ALL = "graded", "first", "all"
WHICH = (GRADED, FIRST, ALL)


def which_labels(quiz: Quiz) -> dict[str, str]:
    counted = "highest" if quiz.grading == Quiz.Grading.HIGHEST else "last"
    return {
        GRADED: f"The attempt that counts: each student's {counted}",
        FIRST: "Each student's first attempt",
        ALL: "Every finished attempt",
    }


@dataclass(frozen=True)
class QuestionReport:
    number: int
    question: Question
    stats: analysis.ItemStats
    responses: int  # answers that picked something (choice questions)
    choices: list[analysis.ChoiceCount]  # empty unless it has choices

    @property
    def flag_codes(self) -> set[str]:
        return {flag.code for flag in self.stats.flags}


@dataclass(frozen=True)
class QuizReport:
    which: str
    label: str  # which attempts, in words
    attempts: int
    students: int
    questions: list[QuestionReport]
    test: analysis.TestStats

    @property
    def flagged(self) -> list[QuestionReport]:
        return [q for q in self.questions if q.stats.flags]

    @property
    def test_percent(self) -> dict[str, float | None]:
        """The totals' figures as % of the full mark (one per question), as
        Moodle's report shows them beside the marks."""
        full = self.test.questions
        return {
            name: None if value is None or not full else 100 * value / full
            for name in ("mean", "median", "sd", "standard_error")
            for value in [getattr(self.test, name)]
        }


def class_quizzes(classroom: Classroom):
    """The quizzes assigned to the class: the only ones its page analyses."""
    return Quiz.objects.filter(assignments__classroom=classroom).distinct()


def quiz_report(*, classroom: Classroom, quiz: Quiz, which: str = GRADED) -> QuizReport:
    """The quiz's item analysis over the class's students' finished,
    non-practice attempts (``which`` of them)."""
    items = list(
        quiz.items.select_related("question")
        .annotate(pairs=Count("question__pairs"))
        .order_by("order", "id")
    )
    questions = [item.question for item in items]
    choices = _choices(questions)
    attempts = _chosen(_attempts(classroom, quiz), which, quiz.grading)
    shown: dict[int, dict] = {}
    answers: dict[tuple[int, int], dict] = {}
    for row in Response.objects.filter(
        attempt__in=_finished(classroom, quiz), question__in=questions
    ).values("attempt_id", "question_id", "score", "answer", "snapshot__choices"):
        answers[row["attempt_id"], row["question_id"]] = row
        for choice in row["snapshot__choices"] or []:
            shown.setdefault(row["question_id"], {})[choice["id"]] = choice
    marks = [
        [_mark(attempt, question.pk, answers) for question in questions]
        for attempt in attempts
    ]
    result = analysis.analyse(
        marks,
        random_guess=[
            _random_guess(question, choices[question.pk], item.pairs)
            for item, question in zip(items, questions, strict=True)
        ],
    )
    reports = []
    for number, (question, stats) in enumerate(
        zip(questions, result.items, strict=True), start=1
    ):
        options = _options(question, choices[question.pk], shown.get(question.pk, {}))
        responses, counts = analysis.choice_counts(
            options,
            (
                _picks(answers[attempt["id"], question.pk]["answer"])
                for attempt in attempts
                if (attempt["id"], question.pk) in answers
            ),
        )
        reports.append(
            QuestionReport(number, question, stats, responses if options else 0, counts)
        )
    return QuizReport(
        which=which,
        label=which_labels(quiz)[which],
        attempts=len(attempts),
        students=len({attempt["student_id"] for attempt in attempts}),
        questions=reports,
        test=result.test,
    )


def _finished(classroom: Classroom, quiz: Quiz):
    return Attempt.objects.filter(
        quiz=quiz,
        student__enrolments__classroom=classroom,
        finished_at__isnull=False,
        is_practice=False,
    )


def _attempts(classroom: Classroom, quiz: Quiz) -> list[dict]:
    return list(
        _finished(classroom, quiz)
        .order_by("student_id", "started_at", "id")
        .values("id", "student_id", "score", "question_ids")
    )


def _chosen(attempts: list[dict], which: str, grading: str) -> list[dict]:
    """The attempts to analyse, in (student, start) order."""
    if which == ALL:
        return attempts
    by_student: dict[int, list[dict]] = defaultdict(list)
    for attempt in attempts:
        by_student[attempt["student_id"]].append(attempt)
    if which == FIRST:
        return [sat[0] for sat in by_student.values()]
    if grading == Quiz.Grading.LAST:
        return [sat[-1] for sat in by_student.values()]
    # The highest; of equal scores the earliest (max keeps the first).
    return [max(sat, key=lambda a: a["score"] or 0) for sat in by_student.values()]


def _mark(attempt: dict, question_id: int, answers: dict) -> float | None:
    """The attempt's mark on the question: its stored score; 0 if the
    question was shown and left unanswered; None if the attempt never had it
    (added to the quiz since)."""
    if question_id not in attempt["question_ids"]:
        return None
    answer = answers.get((attempt["id"], question_id))
    return answer["score"] if answer else 0.0


def _choices(questions: list[Question]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {question.pk: [] for question in questions}
    for choice in (
        Choice.objects.filter(question__in=questions)
        .order_by("order", "id")
        .values("id", "question_id", "text", "is_correct")
    ):
        found[choice["question_id"]].append(choice)
    return found


def _options(question: Question, current: list[dict], shown: dict[int, dict]):
    """(key, text, is_correct) of each choice a student could pick: the
    question's choices as they are now, then any shown once and deleted
    since; True and False for a true/false question."""
    if question.kind == Question.Kind.TRUE_FALSE:
        return [
            (True, "True", question.is_true is True),
            (False, "False", question.is_true is False),
        ]
    if question.kind not in kinds.CHOICE_KINDS:
        return []
    now = {choice["id"] for choice in current}
    return [(c["id"], c["text"], c["is_correct"]) for c in current] + [
        (key, f"{c['text']} (since deleted)", c["is_correct"])
        for key, c in shown.items()
        if key not in now
    ]


def _picks(answer: dict) -> list:
    if "value" in answer:
        return [answer["value"]]
    return answer.get("choice_ids", [])


def _random_guess(question: Question, choices: list[dict], pairs: int):
    return analysis.random_guess_score(
        question.kind,
        choices=len(choices),
        correct=sum(choice["is_correct"] for choice in choices),
        pairs=pairs,
    )
