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
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import dateformat, timezone, translation
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

from quizzes.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrolment,
    Essay,
    Extension,
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
    days, months = _names(translation.get_language())
    day = f"{days[local.weekday()]} {local.day} {months[local.month]}"
    return Shown(local.isoformat(), f"{day}, {local:%H:%M}")


@cache  # per language: the names of days and months, never data
def _names(language: str | None) -> tuple[dict, dict]:
    """What "D" and "M" write (the translated abbreviations, "M" in title
    case) in this language."""
    with translation.override(language):
        return (
            {n: str(name) for n, name in WEEKDAYS_ABBR.items()},
            {n: str(name).title() for n, name in MONTHS_3.items()},
        )


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


def set_student_dates(attempt: Attempt, due, closes, moved) -> None:
    """The annotations of with_student_dates, from the assignment's and the
    extension's columns read with the attempt."""
    if attempt.assignment_id is not None:
        field = Assignment._meta.get_field("due_at")
        attempt.student_due_at, attempt.student_closes_at = student_dates(
            due=sql.convert(field, due),
            closes=sql.convert(field, closes),
            moved=sql.convert(field, moved),
        )


# What the home page needs of each attempt: its figures, and whether it is
# over (services.attempts closes those first).
_LEAN = sql.only(
    Attempt,
    "quiz",
    "student",
    "is_practice",
    "assignment",
    "started_at",
    "deadline",
    "finished_at",
    "score",
)
_PUBLISHED = sql.only(Quiz, "is_published")


@cache  # the statement: per process, never data
def _attempts_of_sql() -> str:
    t = {m: sql.q(m._meta.db_table) for m in (Attempt, Quiz, Assignment, Extension)}
    return (
        f"SELECT {sql.columns(Attempt, 'a', without=_LEAN)},"
        f" {sql.columns(Quiz, 'z', without=_PUBLISHED)},"
        f" g.due_at, g.closes_at, x.due_at FROM {t[Attempt]} a"
        f" INNER JOIN {t[Quiz]} z ON z.id = a.quiz_id"
        f" LEFT OUTER JOIN {t[Assignment]} g ON g.id = a.assignment_id"
        f" LEFT OUTER JOIN {t[Extension]} x"
        " ON x.assignment_id = a.assignment_id AND x.student_id = a.student_id"
        " WHERE a.student_id = %s ORDER BY a.started_at DESC, a.id DESC"
    )


def attempts_of(student) -> list[Attempt]:
    """Every attempt of the student, newest first, with only what the home
    page shows of them (the rest deferred), whether their quiz is still
    published, and their dates for the student (``student_dates``): what
    services.attempts.attempts_close_overdue checks and what
    selectors.assignments.AttemptFacts counts. One query."""
    read = sql.reader((Attempt, _LEAN), (Quiz, _PUBLISHED))
    found = []
    for row in sql.fetch(_attempts_of_sql(), [student.pk]):
        attempt, quiz, *dates = read(row)
        attempt.quiz = quiz
        set_student_dates(attempt, *dates)
        found.append(attempt)
    return found


@cache  # the statement: per process, never data
def _assignments_of_sql() -> str:
    """The student's assignments (which, in a subquery planned apart: see
    sql.fence), then what each shows (their class, quiz, essay, section and
    the student's extension)."""
    t = {
        m: sql.q(m._meta.db_table)
        for m in (Assignment, Classroom, Quiz, Essay, Section, Extension, Enrolment)
    }
    through = Assignment.students.through._meta
    chosen = sql.q(through.db_table)
    student = sql.q(through.get_field("user").column)
    theirs = (
        f"SELECT {sql.columns(Assignment, 'w')} FROM {t[Assignment]} w"
        f" INNER JOIN {t[Classroom]} wk ON wk.id = w.classroom_id"
        " WHERE wk.archived = %(no)s AND EXISTS (SELECT 1"
        f"  FROM {t[Enrolment]} n WHERE n.classroom_id = w.classroom_id"
        "  AND n.student_id = %(student)s)"
        # Assignment.objects.for_student: the whole class's, or naming them.
        f" AND (NOT EXISTS (SELECT 1 FROM {chosen} c WHERE c.assignment_id = w.id)"
        f"  OR EXISTS (SELECT 1 FROM {chosen} c"
        f"   WHERE c.assignment_id = w.id AND c.{student} = %(student)s))"
        f"{sql.fence()}"
    )
    return (
        f"SELECT {sql.columns(Assignment, 'a')}, {sql.columns(Classroom, 'k')},"
        f" {sql.columns(Quiz, 'z')}, {sql.columns(Essay, 'e', without=('body',))},"
        f" {sql.columns(Section, 's')}, x.due_at, x.extra_attempts, x.extra_minutes"
        f" FROM ({theirs}) a INNER JOIN {t[Classroom]} k ON k.id = a.classroom_id"
        f" LEFT OUTER JOIN {t[Quiz]} z ON z.id = a.quiz_id"
        f" LEFT OUTER JOIN {t[Essay]} e ON e.id = a.essay_id"
        f" LEFT OUTER JOIN {t[Section]} s ON s.id = a.section_id"
        f" LEFT OUTER JOIN {t[Extension]} x"
        "  ON x.assignment_id = a.id AND x.student_id = %(student)s"
        " ORDER BY a.due_at, a.id"
    )


def assignments_of(student) -> list[Assignment]:
    """student_assignments, in one query written out (see selectors.sql):
    each with its classroom, quiz, essay (its body deferred) and section,
    the dates that hold for the student (``student_due_at``,
    ``student_closes_at``, ``late_after``) and the extension's
    ``extra_attempts`` and ``extra_minutes``; by due date."""
    read = sql.reader(Assignment, Classroom, Quiz, (Essay, ("body",)), Section)
    field = Assignment._meta.get_field("due_at")
    found = []
    for row in sql.fetch(_assignments_of_sql(), {"student": student.pk, "no": False}):
        a, a.classroom, a.quiz, a.essay, a.section, moved, *extras = read(row)
        a.student_due_at, a.student_closes_at = student_dates(
            due=a.due_at, closes=a.closes_at, moved=sql.convert(field, moved)
        )
        a.late_after = a.student_due_at + ANSWER_GRACE
        a.extra_attempts, a.extra_minutes = (n or 0 for n in extras)
        found.append(a)
    return found


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


def offered_extras(assignments: list[Assignment], now: datetime) -> dict[int, int]:
    """The quizzes the student's assignments (assignments_of) let them start
    now, each with the extra attempts starting it gives: the extension on
    the open assignment it would be started for (the earliest due, as
    quiz_terms chooses)."""
    extras: dict[int, int] = {}
    for a in sorted(assignments, key=lambda a: (a.student_due_at, a.pk)):
        closes = a.student_closes_at
        is_open = a.opens_at <= now and (closes is None or closes > now)
        if a.kind == QUIZ and is_open:
            extras.setdefault(a.quiz_id, a.extra_attempts)
    return extras


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


def next_change(listed: list[Assignment], now: datetime) -> datetime | None:
    """When class_assignments' list next reads otherwise with no write: the
    first opening still to come ("not open yet" goes) or due date still to
    pass ("past" comes). None if none is to come."""
    moments = [a.opens_at for a in listed if a.opens_at > now]
    moments += [a.due_at for a in listed if a.due_at >= now]
    return min(moments, default=None)


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
    read = sql.reader(*blocks)
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
