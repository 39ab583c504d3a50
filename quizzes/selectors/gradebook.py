"""The class dashboard (students x assignments) and the review of one
attempt, as the teacher's pages and the CSV export show them.

Every number on the dashboard is made here, once, as the page shows it
(whole percents), and the CSV export writes the same `Gradebook`: the page
and the file cannot disagree. The grid costs the same few queries whatever
the number of students and assignments; the per-cell work is done in Python
on rows the database has already reduced to one attempt per cell.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Case, Count, F, QuerySet, When, Window
from django.db.models.functions import RowNumber

from quizzes import charts, scheduling
from quizzes.interchange.csv_rows import safe_cell
from quizzes.models import (
    Assignment,
    Attempt,
    Card,
    Classroom,
    Extension,
    Question,
    Quiz,
    ScoreOverride,
)
from quizzes.selectors.attempts import feedback

SORT_NAME = "name"
ASCENDING, DESCENDING = "asc", "desc"


def percent(value: float | None) -> int | None:
    """A score or a recall as the page shows it: a whole percent, half up
    (82.5 -> 83, as Django's floatformat rounds)."""
    if value is None:
        return None
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def due_for(assignment: Assignment, extension: Extension | None) -> datetime:
    """The student's due date: their own if they were given a later one."""
    return extension.due_at if extension and extension.due_at else assignment.due_at


def is_late(
    finished_at: datetime | None, assignment: Assignment, extension: Extension | None
) -> bool:
    return finished_at is not None and finished_at > due_for(assignment, extension)


def counted_attempts(attempts: QuerySet) -> QuerySet:
    """Of these attempts, the one per (assignment, student) that the
    gradebook counts, annotated with ``tries`` (how many the student
    started): the highest-scoring finished one, or the last finished one,
    as the quiz's grading says. An attempt still open counts only while
    there is no finished one (it has no score yet)."""
    cell = [F("assignment_id"), F("student_id")]
    best = Window(
        RowNumber(),
        partition_by=cell,
        order_by=[
            F("score").desc(nulls_last=True),
            F("finished_at").desc(nulls_last=True),
            F("pk").desc(),
        ],
    )
    last = Window(
        RowNumber(),
        partition_by=cell,
        order_by=[F("finished_at").desc(nulls_last=True), F("pk").desc()],
    )
    return (
        attempts.filter(is_practice=False, assignment__isnull=False)
        .annotate(
            tries=Window(Count("pk"), partition_by=cell),
            rank=Case(
                When(assignment__quiz__grading=Quiz.Grading.LAST, then=last),
                default=best,
            ),
        )
        .filter(rank=1)
    )


# --- The dashboard ----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One student's standing on one assignment. ``value`` is the number the
    column sorts by, the histogram counts and the export writes: the
    score of a quiz, the predicted recall of a flashcard goal."""

    assignment: Assignment | None = None
    assigned: bool = True
    value: int | None = None
    # Quizzes
    attempts: int = 0
    attempt_id: int | None = None
    in_progress: bool = False
    late: bool = False
    missing: bool = False  # past the due date with nothing finished
    # Flashcard goals
    studied: int = 0
    total: int = 0
    met: bool = False
    extension: Extension | None = None

    @property
    def is_quiz(self) -> bool:
        return self.assignment.kind == Assignment.Kind.QUIZ


@dataclass(frozen=True)
class Column:
    assignment: Assignment
    key: str  # what ?sort= says for this column
    histogram: dict = field(default_factory=dict)  # charts.histogram of the values

    @property
    def is_quiz(self) -> bool:
        return self.assignment.kind == Assignment.Kind.QUIZ

    @property
    def title(self) -> str:
        return str(self.assignment)

    @property
    def target(self) -> int | None:
        recall = self.assignment.target_recall
        return None if recall is None else percent(100 * recall)


@dataclass
class Row:
    student: object
    cells: list[Cell]

    @property
    def name(self) -> str:
        return self.student.get_full_name() or self.student.username


@dataclass
class Gradebook:
    classroom: Classroom
    columns: list[Column]
    rows: list[Row]
    sort: str = SORT_NAME
    direction: str = ASCENDING

    def _heading(self, key: str, up: str, down: str) -> dict:
        current = self.direction if key == self.sort else None
        return {
            "key": key,
            "aria_sort": {ASCENDING: "ascending", DESCENDING: "descending"}.get(
                current, "none"
            ),
            "sorted": {ASCENDING: up, DESCENDING: down}.get(current, ""),
            "next": DESCENDING if current == ASCENDING else ASCENDING,
        }

    @property
    def name_heading(self) -> dict:
        """What the heading says of the sort (aria-sort, and words for a
        screen reader) and the order a click on it asks for."""
        return self._heading(SORT_NAME, "A to Z", "Z to A")

    @property
    def column_headings(self) -> list[tuple[Column, dict]]:
        return [
            (c, self._heading(c.key, "lowest first", "highest first"))
            for c in self.columns
        ]

    @property
    def sorted_by(self) -> str:
        """The sort in words: "name, A to Z", "Quiz 1, highest first"."""
        if self.sort == SORT_NAME:
            return f"name, {self.name_heading['sorted']}"
        for column, heading in self.column_headings:
            if column.key == self.sort:
                return f"{column.title}, {heading['sorted']}"
        return ""

    def csv_rows(self) -> list[list[str]]:
        """The page's table as text cells, heading first, each made safe to
        open in a spreadsheet: a student named "=HYPERLINK(...)" stays text
        (``csv_rows.safe_cell``, the rule the questions files follow)."""
        heading = ["Student", "Username"]
        for column in self.columns:
            if column.is_quiz:
                parts = ["score (%)", "late", "attempts"]
            else:
                parts = ["cards studied", "cards", "recall at due date (%)"]
                parts.append(f"target {column.target}% met")
            heading += [f"{column.title}: {part}" for part in parts]
        rows = [heading]
        for row in self.rows:
            line = [row.name, row.student.username]
            for column, cell in zip(self.columns, row.cells, strict=True):
                line += _csv_cell(column, cell)
            rows.append(line)
        return [[safe_cell(text) for text in line] for line in rows]


def _csv_cell(column: Column, cell: Cell) -> list[str]:
    if not cell.assigned:
        return ["not assigned", "", ""] + ([] if column.is_quiz else [""])
    value = "" if cell.value is None else str(cell.value)
    if column.is_quiz:
        # As the cell reads: a score, "in progress" or "missing"; no count
        # of attempts where there are none.
        if cell.in_progress:
            value = "in progress"
        elif cell.missing:
            value = "missing"
        attempts = str(cell.attempts) if cell.attempts else ""
        return [value, "late" if cell.late else "", attempts]
    return [str(cell.studied), str(cell.total), value, "yes" if cell.met else "no"]


def _name_key(student) -> tuple:
    return (
        student.last_name.casefold(),
        student.first_name.casefold(),
        student.username.casefold(),
    )


def _sorted(rows: list[Row], columns: list[Column], sort: str, direction: str):
    """By name, or by a column's value with the empty cells last either way
    (and the name breaking ties)."""
    keys = [column.key for column in columns]
    if sort not in keys:
        return sorted(
            rows,
            key=lambda row: _name_key(row.student),
            reverse=direction == DESCENDING,
        )
    i = keys.index(sort)
    sign = -1 if direction == DESCENDING else 1

    def key(row: Row):
        value = row.cells[i].value
        return (value is None, sign * (value or 0), _name_key(row.student))

    return sorted(rows, key=key)


class Counted(NamedTuple):
    """The attempt a cell counts: as much of it as the cell shows (a grid
    of 3,000 cells reads these, not 3,000 whole attempts)."""

    pk: int
    score: float | None
    finished_at: datetime | None
    tries: int


def _quiz_cell(assignment, counted: Counted | None, extension, now: datetime) -> Cell:
    if counted is None:
        return Cell(
            assignment=assignment,
            missing=now > due_for(assignment, extension),
            extension=extension,
        )
    finished = counted.finished_at is not None
    return Cell(
        assignment=assignment,
        value=percent(counted.score) if finished else None,
        attempts=counted.tries,
        attempt_id=counted.pk,
        in_progress=not finished,
        late=is_late(counted.finished_at, assignment, extension),
        missing=not finished and now > due_for(assignment, extension),
        extension=extension,
    )


def _goal_questions(goals: list[Assignment]) -> dict[int, set[int]]:
    """Each flashcard goal's published questions (one query for all)."""
    if not goals:
        return {}
    rows = (
        Question.objects.published()
        .filter(essay_id__in={goal.essay_id for goal in goals})
        .values_list("pk", "essay_id", "claim_id", "claim__section_id")
    )
    scopes = {}
    for goal in goals:
        claims = {claim.pk for claim in goal.claims.all()}
        scopes[goal.pk] = {
            pk
            for pk, essay_id, claim_id, section_id in rows
            if essay_id == goal.essay_id
            and (not claims or claim_id in claims)
            and (claims or not goal.section_id or section_id == goal.section_id)
        }
    return scopes


def _student_cards(classroom, goals) -> dict[int, dict[int, scheduling.CardState]]:
    """The studied cards of the class's students on the goals' essays:
    {student: {question: state}} (one query)."""
    if not goals:
        return {}
    rows = Card.objects.filter(
        student__enrolments__classroom=classroom,
        question__essay_id__in={goal.essay_id for goal in goals},
        last_review__isnull=False,
    ).values_list("student_id", "question_id", "state", "stability", "last_review")
    cards: dict[int, dict] = defaultdict(dict)
    for student_id, question_id, state, stability, last_review in rows:
        cards[student_id][question_id] = scheduling.CardState(
            state=state, stability=stability, last_review=last_review
        )
    return cards


def _goal_cell(goal: Assignment, questions: set[int], cards: dict, extension) -> Cell:
    """Cards studied of the goal's cards, and their mean predicted recall
    on the due date, a card never studied counting 0 (as FSRS predicts)."""
    studied = [cards[pk] for pk in questions if pk in cards]
    if not questions:
        return Cell(assignment=goal, extension=extension)
    due = due_for(goal, extension)
    recall = sum(scheduling.retrievability(c, now=due) for c in studied)
    mean = percent(100 * recall / len(questions))
    target = percent(100 * (goal.target_recall or 0))
    return Cell(
        assignment=goal,
        value=mean,
        studied=len(studied),
        total=len(questions),
        met=len(studied) == len(questions) and mean >= target,
        extension=extension,
    )


def _assignees(assignments) -> dict[int, set[int]]:
    """The students each assignment names (none: the whole class)."""
    through = Assignment.students.through.objects.filter(
        assignment__in=[a.pk for a in assignments]
    ).values_list("assignment_id", "user_id")
    named: dict[int, set[int]] = defaultdict(set)
    for assignment_id, user_id in through:
        named[assignment_id].add(user_id)
    return named


def gradebook(
    *,
    classroom: Classroom,
    now: datetime,
    sort: str = SORT_NAME,
    direction: str = ASCENDING,
) -> Gradebook:
    """The whole grid in nine queries, whatever the class's size (six
    without a flashcard goal)."""
    assignments = list(
        classroom.assignments.select_related("quiz", "essay").prefetch_related("claims")
    )
    students = list(classroom.students.all())
    counted = {
        (assignment_id, student_id): Counted(pk, score, finished_at, tries)
        for pk, assignment_id, student_id, score, finished_at, tries in (
            counted_attempts(Attempt.objects.filter(assignment__in=assignments))
            .order_by()
            .values_list(
                "pk", "assignment_id", "student_id", "score", "finished_at", "tries"
            )
        )
    }
    extensions = {
        (e.assignment_id, e.student_id): e
        for e in Extension.objects.filter(assignment__in=assignments)
    }
    named = _assignees(assignments) if assignments else {}
    goals = [a for a in assignments if a.kind == Assignment.Kind.CARDS]
    scopes = _goal_questions(goals)
    cards = _student_cards(classroom, goals)
    rows = []
    for student in students:
        cells = []
        for a in assignments:
            extension = extensions.get((a.pk, student.pk))
            if named.get(a.pk) and student.pk not in named[a.pk]:
                cells.append(Cell(assignment=a, assigned=False))
            elif a.kind == Assignment.Kind.QUIZ:
                found = counted.get((a.pk, student.pk))
                cells.append(_quiz_cell(a, found, extension, now))
            else:
                cells.append(
                    _goal_cell(a, scopes[a.pk], cards.get(student.pk, {}), extension)
                )
        rows.append(Row(student=student, cells=cells))
    columns = [
        Column(
            assignment=a,
            key=f"a{a.pk}",
            histogram=charts.histogram(
                row.cells[i].value for row in rows if row.cells[i].value is not None
            ),
        )
        for i, a in enumerate(assignments)
    ]
    direction = DESCENDING if direction == DESCENDING else ASCENDING
    if sort not in {c.key for c in columns}:
        sort = SORT_NAME
    return Gradebook(
        classroom=classroom,
        columns=columns,
        rows=_sorted(rows, columns, sort, direction),
        sort=sort,
        direction=direction,
    )


def next_change(book: Gradebook, now: datetime) -> datetime | None:
    """When the grid next shows otherwise with no write: the first due date
    (an assignment's, or a student's own) still to pass, at which a cell
    with nothing finished turns "missing". None if none is to come."""
    dues = [column.assignment.due_at for column in book.columns]
    dues += [
        cell.extension.due_at
        for row in book.rows
        for cell in row.cells
        if cell.extension and cell.extension.due_at
    ]
    return min((due for due in dues if due >= now), default=None)


# --- One attempt, reviewed ----------------------------------------------------------


@dataclass
class AttemptReview:
    attempt: Attempt
    items: list[dict]
    overrides: list[ScoreOverride]
    attempts: list[Attempt]  # the student's attempts at the assignment, first first
    counted_id: int | None
    extension: Extension | None

    @property
    def unanswered(self) -> list[dict]:
        return [item for item in self.items if item["missing"]]

    @property
    def late(self) -> bool:
        return is_late(
            self.attempt.finished_at, self.attempt.assignment, self.extension
        )


def _review_item(response, overrides: list) -> dict:
    if "kind" in (response.snapshot or {}):
        item = feedback(response, show_answers=True)
    else:
        # Answers stored before snapshots carried the question whole.
        item = {"unreadable": True, "prompt": response.question.prompt}
        item |= {"score": response.score, "percent": percent(100 * response.score)}
    return item | {"missing": False, "response": response, "overrides": overrides}


def attempt_review(*, attempt: Attempt) -> AttemptReview:
    """Every question of the attempt in the order shown, each answer as the
    student saw it (from its snapshot, the right answers shown), the
    unanswered ones with their prompts; the log of score changes; the
    student's other attempts at the assignment. Six queries."""
    responses = {r.question_id: r for r in attempt.responses.select_related("question")}
    overrides = list(
        ScoreOverride.objects.filter(response__attempt=attempt)
        .select_related("teacher", "response")
        .order_by("created_at", "id")
    )
    by_response = defaultdict(list)
    for override in overrides:
        by_response[override.response_id].append(override)
    unanswered = [pk for pk in attempt.question_ids if pk not in responses]
    prompts = (
        dict(Question.objects.filter(pk__in=unanswered).values_list("pk", "prompt"))
        if unanswered
        else {}
    )
    items = []
    for number, pk in enumerate(attempt.question_ids, start=1):
        if pk in responses:
            item = _review_item(responses[pk], by_response[responses[pk].pk])
        else:
            item = {"missing": True, "prompt": prompts.get(pk, ""), "score": 0}
        items.append(item | {"number": number})
    numbers = {
        item["response"].pk: item["number"] for item in items if not item["missing"]
    }
    for override in overrides:
        override.number = numbers.get(override.response_id)
    siblings = Attempt.objects.filter(
        assignment_id=attempt.assignment_id, student_id=attempt.student_id
    )
    counted = counted_attempts(siblings).values_list("pk", flat=True).first()
    return AttemptReview(
        attempt=attempt,
        items=items,
        overrides=overrides,
        attempts=list(siblings.filter(is_practice=False).order_by("started_at", "pk")),
        counted_id=counted,
        extension=Extension.objects.filter(
            assignment_id=attempt.assignment_id, student_id=attempt.student_id
        )
        .select_related("granted_by")
        .first(),
    )
