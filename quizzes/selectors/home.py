"""Reads for the student's home page: "Your assignments", each with its
status (what needs doing first) and, for a flashcard goal, its progress.

The assignments and the attempts come from selectors.assignments
(assignments_of, attempts_of: one query each, written out); the facts and
statuses are worked out here in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property

from quizzes import scheduling
from quizzes.models import Assignment, Attempt, Card, Essay, Question, Quiz
from quizzes.selectors import sql
from quizzes.selectors.assignments import CARDS, assignments_of, attempts_of, shown


class Status:
    UPCOMING = "upcoming"
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    LATE = "late"  # done, after the due date
    OVERDUE = "overdue"  # past the due date, not done


STATUS_LABELS = {
    Status.UPCOMING: "Not open yet",
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done",
    Status.LATE: "Done late",
    Status.OVERDUE: "Overdue",
}
# The list's order: what needs doing first, then what is coming, then what
# is done.
_STATUS_ORDER = [
    Status.OVERDUE,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.UPCOMING,
    Status.LATE,
    Status.DONE,
]


@dataclass
class GoalProgress:
    cards: int = 0  # the goal's cards (suspended ones aside)
    studied: int = 0  # studied at least once
    recall: float = 0.0  # mean predicted recall on the due date, 0 to 1
    claims: int = 0  # sentences the goal is kept to (0: all in its scope)


@dataclass
class AssignmentRow:
    """One line of the home page's "Your assignments"."""

    assignment: Assignment
    status: str
    opened: bool
    closed: bool  # past the student's hard close
    goal: GoalProgress | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    # What the card shows, worked out here once rather than by template
    # tags and filters on every card (see tests/bench/hotspots.py).
    @property
    def title(self) -> str:
        a = self.assignment
        if a.title or a.kind != CARDS:
            return str(a)
        return "Study " + (a.section.label if a.section else a.essay.title)

    @property
    def what(self) -> str:
        """Its class, and what it is: a quiz, or the scope of a goal."""
        a = self.assignment
        if a.kind == CARDS:
            what = f"Flashcards: {a.essay.title}"
            if a.section:
                what += f", {a.section.label}"
            if self.goal and self.goal.claims:
                n = self.goal.claims
                what += f" ({n} sentence{'' if n == 1 else 's'})"
        else:
            what = f"Quiz: {a.quiz.title}" if a.title else "Quiz"
        return f"{a.classroom.name} · {what}"

    @cached_property
    def shown(self) -> dict:
        """Its dates as the card shows them (selectors.assignments.shown)."""
        return {
            "opens": shown(self.assignment.opens_at),
            "due": shown(self.due_at),
            "closes": shown(self.closes_at),
        }

    @property
    def attempts_allowed(self) -> int:
        """0 for unlimited; an extension adds to a limit."""
        allowed = self.assignment.quiz.attempts_allowed
        return allowed and allowed + self.assignment.extra_attempts

    @property
    def score(self) -> float | None:
        """The score the gradebook counts: per the quiz's "grade by"."""
        a = self.assignment
        return a.last_score if a.quiz.grading == Quiz.Grading.LAST else a.best_score

    @property
    def can_start(self) -> bool:
        a = self.assignment
        allowed = self.attempts_allowed
        return (
            self.opened
            and not self.closed
            and not a.open_attempt
            and (not allowed or a.attempts_used < allowed)
        )

    @property
    def due_at(self) -> datetime:
        return self.assignment.student_due_at

    @property
    def closes_at(self) -> datetime | None:
        return self.assignment.student_closes_at


class AttemptFacts:
    """A student's attempts (attempts_of), practice runs aside, counted for
    each assignment and each quiz the home page lists."""

    def __init__(self, attempts: list[Attempt]) -> None:
        self.by_assignment: dict[int, list[Attempt]] = {}
        self.by_quiz: dict[int, list[Attempt]] = {}
        for attempt in attempts:
            if not attempt.is_practice:
                self.by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
                if attempt.assignment_id is not None:
                    mine = self.by_assignment.setdefault(attempt.assignment_id, [])
                    mine.append(attempt)

    def of_quiz(self, quiz_id: int | None) -> dict:
        """The attempts used, best score, open attempt and last result,
        whatever the assignment: attempts count per quiz, and a quiz has one
        open attempt per student."""
        made = self.by_quiz.get(quiz_id, [])
        finished = [t for t in made if t.finished_at is not None]
        last = max(finished, key=lambda t: t.finished_at, default=None)
        return {
            "attempts_used": len(made),
            "best_score": _best(finished),
            "open_attempt": next((t.pk for t in made if t.finished_at is None), None),
            "last_result": last and last.pk,
        }

    def of_assignment(self, a: Assignment) -> dict:
        """The quiz's figures (of_quiz), and those of the attempts made for
        this assignment: done on time (by ``late_after``), done at all,
        started, best and last score, last result."""
        made = self.by_assignment.get(a.pk, [])
        finished = [t for t in made if t.finished_at is not None]
        last = max(finished, key=lambda t: t.finished_at, default=None)
        return self.of_quiz(a.quiz_id) | {
            "done_on_time": any(t.finished_at <= a.late_after for t in finished),
            "done_at_all": bool(finished),
            "started_here": any(t.finished_at is None for t in made),
            "best_score": _best(finished),
            "last_score": last and last.score,
            "last_result": last and last.pk,
        }


def _best(finished: list[Attempt]) -> float | None:
    return max((t.score for t in finished if t.score is not None), default=None)


def _quiz_status(a: Assignment, now: datetime) -> str:
    if a.done_on_time:
        return Status.DONE
    if a.done_at_all:
        return Status.LATE
    if a.started_here:
        return Status.IN_PROGRESS
    if a.opens_at > now:
        return Status.UPCOMING
    return Status.OVERDUE if now > a.late_after else Status.NOT_STARTED


def _goal_status(a: Assignment, goal: GoalProgress, now: datetime) -> str:
    if goal.cards and goal.studied == goal.cards and goal.recall >= a.target_recall:
        return Status.DONE
    if a.opens_at > now:
        return Status.UPCOMING
    if now > a.late_after:
        return Status.OVERDUE
    return Status.IN_PROGRESS if goal.studied else Status.NOT_STARTED


def _in_goal(goal: Assignment, claims: set[int] | None, question: tuple) -> bool:
    _pk, essay_id, section_id, claim_id = question
    return (
        essay_id == goal.essay_id
        and (goal.section_id is None or section_id == goal.section_id)
        and (not claims or claim_id in claims)
    )


def _goal_progress(student, goals: list[Assignment]) -> dict[int, GoalProgress]:
    """Each goal's cards (its published questions, less the student's
    suspended cards), how many are studied, and their mean predicted recall
    on the student's due date, an unstudied card counting 0: three queries
    for all the goals; the maths is fsrs's, in Python."""
    if not goals:
        return {}
    claims: dict[int, set[int]] = {}
    through = Assignment.claims.through.objects.filter(assignment__in=goals)
    for assignment_id, claim_id in through.values_list("assignment_id", "claim_id"):
        claims.setdefault(assignment_id, set()).add(claim_id)
    essays = {goal.essay_id for goal in goals}
    questions = list(
        Question.objects.published()
        .filter(essay__in=essays)
        .values_list("pk", "essay_id", "claim__section_id", "claim_id")
    )
    cards = {
        question_id: rest
        for question_id, *rest in Card.objects.filter(
            student=student, question__essay__in=essays
        ).values_list("question_id", "suspended", "state", "stability", "last_review")
    }
    progress = {}
    for goal in goals:
        row = progress[goal.pk] = GoalProgress(claims=len(claims.get(goal.pk, ())))
        total = 0.0
        for question in questions:
            if not _in_goal(goal, claims.get(goal.pk), question):
                continue
            suspended, state, stability, last_review = cards.get(
                question[0], (False, None, None, None)
            )
            if suspended:
                continue
            row.cards += 1
            if last_review is not None:
                row.studied += 1
                card = scheduling.CardState(
                    state=state, stability=stability, last_review=last_review
                )
                total += scheduling.retrievability(card, now=goal.student_due_at)
        row.recall = total / row.cards if row.cards else 0.0
    return progress


def home_assignments(
    student, now: datetime, *, assignments=None, attempts=None
) -> list[AssignmentRow]:
    """The student's assignments with their status, what needs doing first:
    a fixed number of queries (two, and three more when there are flashcard
    goals), whatever the number of assignments and classes; none of the two
    when the caller has read ``assignments`` (assignments_of) and
    ``attempts`` (attempts_of) already."""
    if assignments is None:
        assignments = assignments_of(student)
    facts = AttemptFacts(attempts_of(student) if attempts is None else attempts)
    for a in assignments:
        for name, value in facts.of_assignment(a).items():
            setattr(a, name, value)
    goals = _goal_progress(student, [a for a in assignments if a.kind == CARDS])
    rows = []
    for a in assignments:
        dates = {
            "opened": a.opens_at <= now,
            "closed": a.student_closes_at is not None and now >= a.student_closes_at,
        }
        if a.kind == CARDS:
            goal = goals[a.pk]
            rows.append(
                AssignmentRow(a, _goal_status(a, goal, now), goal=goal, **dates)
            )
        else:
            rows.append(AssignmentRow(a, _quiz_status(a, now), **dates))
    rows.sort(key=lambda row: (_STATUS_ORDER.index(row.status), row.due_at))
    return rows


# --- The essays listed --------------------------------------------------------


@cache  # the statement: per process, never data
def essays_sql(columns: str) -> str:
    """Every essay as the home lists them, these ``columns`` of each (alias
    ``e``) and, last, its published questions counted (a parameter: the
    published status). The list itself and its version read the same rows."""
    essay, question = (sql.q(m._meta.db_table) for m in (Essay, Question))
    return (
        f"SELECT {columns}, (SELECT COUNT(*) FROM {question} u"
        "  WHERE u.essay_id = e.id AND u.status = %s)"
        f" FROM {essay} e ORDER BY e.title, e.id"
    )


def essays_version(user) -> str:
    """What the home page's list of essays (selectors.quizzes.essays_listed)
    is made of, in one query from the essays' rows and the (essay, status)
    index: the essays listed to this user, in order, each with its
    ``updated_at`` (an essay's title, text and sections change only with its
    row: the admin's save, an import) and its published questions counted
    (a bulk status change dates no row)."""
    staff = user is not None and user.is_staff
    rows = sql.fetch(essays_sql("e.id, e.updated_at"), [Question.Status.PUBLISHED])
    return repr([tuple(map(str, row)) for row in rows if row[2] or staff])
