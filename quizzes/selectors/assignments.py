"""Reads of assignments: the dates that hold for one student, which quizzes a
student may start and for which assignment, the home page's list of work
with each item's status, and a class's assignments for its teacher.

The dates for one student: an Extension's due date is their due date, and a
hard close never falls before it (a teacher who gives a student until Monday
means them to be able to sit it on Monday). Lateness allows the answers'
grace (``ANSWER_GRACE``): an attempt is late when it finished more than that
after the student's due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

from quizzes import scheduling
from quizzes.models import (
    Assignment,
    Attempt,
    Card,
    Essay,
    Extension,
    Question,
    Quiz,
    Section,
)
from quizzes.models.quizzes import ANSWER_GRACE
from quizzes.selectors import sql

QUIZ = Assignment.Kind.QUIZ
CARDS = Assignment.Kind.CARDS


def when(moment: datetime) -> str:
    """A date and time as every message and page gives it (the site is UTC)."""
    return dateformat.format(moment, "D j M, H:i") + " UTC"


@dataclass(frozen=True)
class Shown:
    """A moment as a list shows it, ``<time datetime="{{ iso }}">{{ label
    }}</time>``: what ``|date:'c'`` and ``|date:"D j M, H:i"`` give, worked
    out once in Python (the filters cost a tenth of a millisecond a row)."""

    iso: str
    label: str


def shown(moment: datetime | None) -> Shown | None:
    if moment is None:
        return None
    local = timezone.localtime(moment)
    day = f"{WEEKDAYS_ABBR[local.weekday()]} {local.day} {MONTHS_3[local.month]}"
    return Shown(local.isoformat(), f"{day.title()}, {local:%H:%M}")


def _student_dates(*, due: str, close: str, moved) -> dict:
    """The annotations ``student_due_at`` and ``student_closes_at`` from the
    assignment's columns (``due``, ``close``) and the extension's due date."""
    return {
        "student_due_at": Coalesce(moved, F(due)),
        "student_closes_at": Case(
            When(**{f"{close}__isnull": True}, then=Value(None)),
            default=Greatest(F(close), Coalesce(moved, F(close))),
            output_field=DateTimeField(),
        ),
    }


def student_dates(*, due: datetime, closes: datetime | None, moved: datetime | None):
    """(due, hard close) for the student, from the assignment's due date and
    hard close and the extension's due date (``moved``): the rule of
    ``_student_dates``, for rows read without it."""
    if closes is not None and moved is not None:
        closes = max(closes, moved)
    return moved or due, closes


def with_student_dates(attempts: QuerySet) -> QuerySet:
    """Attempts with their assignment's due date and hard close for their
    student (``Attempt.student_dates`` reads them): no query per attempt."""
    extension = Extension.objects.filter(
        assignment=OuterRef("assignment"), student=OuterRef("student")
    )
    moved = Subquery(extension.values("due_at")[:1])
    return attempts.annotate(
        **_student_dates(
            due="assignment__due_at", close="assignment__closes_at", moved=moved
        )
    )


def student_assignments(student) -> QuerySet:
    """The student's assignments, each with the dates that hold for them
    (``student_due_at``, ``student_closes_at``, ``late_after``) and their
    extension's ``extra_attempts`` and ``extra_minutes``."""
    extension = Extension.objects.filter(assignment=OuterRef("pk"), student=student)
    moved = Subquery(extension.values("due_at")[:1])
    extra = {
        name: Coalesce(Subquery(extension.values(name)[:1]), 0)
        for name in ("extra_attempts", "extra_minutes")
    }
    return (
        Assignment.objects.for_student(student)
        .annotate(**_student_dates(due="due_at", close="closes_at", moved=moved))
        .annotate(
            late_after=ExpressionWrapper(
                F("student_due_at") + Value(ANSWER_GRACE),
                output_field=DateTimeField(),
            ),
            **extra,
        )
    )


def _open_at(now: datetime) -> Q:
    """Open for starting: opened, and not past the student's hard close."""
    return Q(opens_at__lte=now) & (
        Q(student_closes_at__isnull=True) | Q(student_closes_at__gt=now)
    )


# --- Starting a quiz ---------------------------------------------------------


@dataclass(frozen=True)
class QuizTerms:
    """Whether the student may start the quiz now, and for which assignment
    (None for open practice); with the extension's extras."""

    offered: bool  # False: no class of theirs has it and it is not open practice
    assignment: Assignment | None = None
    refusal: str = ""  # why not now, for the student
    extra_attempts: int = 0
    extra_minutes: int = 0


def quiz_terms(*, student, quiz: Quiz, now: datetime) -> QuizTerms:
    """The student's assignment for the quiz that is open now (the earliest
    due), else open practice, else why not: one query."""
    assignments = list(
        student_assignments(student)
        .filter(kind=QUIZ, quiz=quiz)
        .order_by("student_due_at", "pk")
    )
    for assignment in assignments:
        closes = assignment.student_closes_at
        if assignment.opens_at <= now and (closes is None or now < closes):
            return QuizTerms(
                offered=True,
                assignment=assignment,
                extra_attempts=assignment.extra_attempts,
                extra_minutes=assignment.extra_minutes,
            )
    if quiz.open_practice:
        return QuizTerms(offered=True)
    upcoming = [a.opens_at for a in assignments if a.opens_at > now]
    if upcoming:
        return QuizTerms(
            offered=True, refusal=f"This quiz opens {when(min(upcoming))}."
        )
    if assignments:
        closed = max(a.student_closes_at for a in assignments)
        return QuizTerms(
            offered=True,
            refusal=f"This quiz closed {when(closed)}: no new attempt can start.",
        )
    return QuizTerms(offered=False)


def offered_quizzes(student, now: datetime) -> Q:
    """The quizzes the student may start now (a filter on Quiz): assigned to
    them and open, or open practice."""
    assigned = student_assignments(student).filter(_open_at(now), kind=QUIZ)
    return Q(open_practice=True) | Q(pk__in=assigned.values("quiz"))


def current_extra_attempts(student, now: datetime):
    """For a Quiz queryset: the extra attempts that starting it now gives
    (the extension on the assignment it would be started for)."""
    current = (
        student_assignments(student)
        .filter(_open_at(now), kind=QUIZ, quiz=OuterRef("pk"))
        .order_by("student_due_at", "pk")
    )
    return Coalesce(Subquery(current.values("extra_attempts")[:1]), 0)


# --- The student's home ------------------------------------------------------


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


def _quiz_facts(student) -> dict:
    """Annotations for quiz assignments: the student's attempts for each."""
    own = Attempt.objects.filter(
        student=student, assignment=OuterRef("pk"), is_practice=False
    )
    finished = own.filter(finished_at__isnull=False)
    at_quiz = Attempt.objects.filter(
        student=student, quiz=OuterRef("quiz"), is_practice=False
    )
    counted = at_quiz.order_by().values("quiz").annotate(n=Count("pk")).values("n")
    return {
        "done_on_time": Exists(
            finished.filter(finished_at__lte=OuterRef("late_after"))
        ),
        "done_at_all": Exists(finished),
        "started_here": Exists(own.filter(finished_at__isnull=True)),
        "best_score": Subquery(finished.order_by("-score").values("score")[:1]),
        "last_score": Subquery(finished.order_by("-finished_at").values("score")[:1]),
        "last_result": Subquery(finished.order_by("-finished_at").values("pk")[:1]),
        # The quiz's open attempt and attempts used, whatever the assignment:
        # the quiz has one open attempt per student, and attempts count per quiz.
        "open_attempt": Subquery(
            at_quiz.filter(finished_at__isnull=True).values("pk")[:1]
        ),
        "attempts_used": Coalesce(Subquery(counted), 0, output_field=IntegerField()),
    }


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


def home_assignments(student, now: datetime) -> list[AssignmentRow]:
    """The student's assignments with their status, what needs doing first:
    a fixed number of queries (one, and three more when there are flashcard
    goals), whatever the number of assignments and classes."""
    assignments = list(
        student_assignments(student)
        .select_related("classroom", "quiz", "essay", "section")
        .annotate(**_quiz_facts(student))
    )
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


# --- The teacher's list ------------------------------------------------------


def class_assignments(classroom, now: datetime) -> list[Assignment]:
    """The class's assignments for its teacher, each with how many students
    it is for (0: the whole class) and how many attempts were made for it,
    and its dates as the list shows them (``shown``: opens, due, closes;
    ``upcoming`` and ``past``): one query."""
    listed = _class_assignments(classroom)
    for a in listed:
        a.shown = {
            "opens": shown(a.opens_at),
            "due": shown(a.due_at),
            "closes": shown(a.closes_at),
        }
        a.upcoming = a.opens_at > now
        a.past = a.due_at < now
    return listed


@cache  # the statement: per process, never data
def _class_assignments_sql() -> str:
    t = {m: sql.q(m._meta.db_table) for m in (Assignment, Attempt, Quiz, Essay)}
    chosen = sql.q(Assignment.students.through._meta.db_table)
    section = sql.q(Section._meta.db_table)
    return (
        f"SELECT {sql.columns(Assignment, 'a')}, {sql.columns(Quiz, 'z')},"
        f" {sql.columns(Essay, 'e', without=('body',))}, {sql.columns(Section, 's')},"
        f" (SELECT COUNT(*) FROM {chosen} c WHERE c.assignment_id = a.id),"
        f" (SELECT COUNT(*) FROM {t[Attempt]} t"
        "   WHERE t.assignment_id = a.id AND t.is_practice = %s)"
        f" FROM {t[Assignment]} a"
        f" LEFT OUTER JOIN {t[Quiz]} z ON z.id = a.quiz_id"
        f" LEFT OUTER JOIN {t[Essay]} e ON e.id = a.essay_id"
        f" LEFT OUTER JOIN {section} s ON s.id = a.section_id"
        " WHERE a.classroom_id = %s ORDER BY a.due_at, a.id"
    )


def _class_assignments(classroom) -> list[Assignment]:
    # Written out (see selectors.sql): the querysets' two counting subqueries
    # and three joins took longer to build than to run.
    rows = sql.fetch(_class_assignments_sql(), [False, classroom.pk])
    blocks = (Assignment, Quiz, (Essay, ("body",)), Section)
    read = sql.Reader(*blocks)
    listed = []
    for row in rows:
        a, quiz, essay, section_, chosen_students, attempt_count = read(row)
        a.classroom, a.quiz, a.essay, a.section = classroom, quiz, essay, section_
        a.chosen_students, a.attempt_count = chosen_students, attempt_count
        listed.append(a)
    return listed


def attempts_made(assignment: Assignment) -> int:
    """Attempts made for the assignment (practice runs aside)."""
    return assignment.attempts.filter(is_practice=False).count()
