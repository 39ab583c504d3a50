"""What a class knows, claim by claim: the mastery heat map, the evidence
behind one of its cells, and a student's page (mastery by section, their
attempts, their leeches).

A cell (one student, one claim) joins two kinds of evidence:

- **quiz**: the mean score of the student's answers to the claim's questions
  in finished attempts that count (practice runs aside): the share correct;
- **memory**: the mean predicted recall now (FSRS retrievability) of the
  student's studied cards of the claim's published questions.

Its **mastery** is the mean of the two where both exist, else the one that
does, else nothing: one figure a teacher can read, that an unstudied card or
an unanswered question neither raises nor lowers. Section, student and class
figures are means of the mastery of the cells that have one.

Each read runs a fixed number of queries whatever the class: the answers,
and the cards' recall now (fsrs's forgetting curve, a power of the days
since the card's last review: ``recall_now``), are averaged in the database,
one row per cell, so that 300 students by 60 claims stay quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Power

from quizzes import scheduling
from quizzes.models import (
    Assignment,
    Attempt,
    Card,
    Claim,
    Classroom,
    Essay,
    Question,
    Response,
    Review,
)

# Mastery bands for the colours: under 20 %, 20-40 %, ..., 80 % and more.
BANDS = 5
BAND_LABELS = ("under 20 %", "20–39 %", "40–59 %", "60–79 %", "80 % or more")
CLAIM_LABEL_WORDS = 9


def mean(values) -> float | None:
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


def band(value: float | None) -> int | None:
    """The colour band (0-4) of a mastery, None when there is none."""
    return None if value is None else min(BANDS - 1, int(value * BANDS))


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


_CSS = tuple(f"m{n}" for n in range(BANDS))


def _css(value: float | None) -> str:
    return "mx" if value is None else _CSS[band(value)]


class _Shown:
    """A share shown as a percent on a colour: m0 (weakest) to m4, or mx
    when there is no evidence."""

    __slots__ = ()

    @property
    def shown(self) -> float | None:
        raise NotImplementedError

    @property
    def percent(self) -> int | None:
        return percent(self.shown)

    @property
    def css(self) -> str:
        return _css(self.shown)


@dataclass(slots=True)
class Cell(_Shown):
    student: int
    claim: int
    quiz: float | None = None
    answers: int = 0
    memory: float | None = None
    cards: int = 0
    mastery: float | None = None

    @property
    def shown(self) -> float | None:
        return self.mastery


@dataclass(slots=True)
class Figure(_Shown):
    """A mean shown in the map's margins (a section's, a student's, a claim's)."""

    value: float | None

    @property
    def shown(self) -> float | None:
        return self.value


@dataclass
class ClaimRow:
    claim: Claim
    number: str  # "2.3": the third claim of the second section
    label: str  # the claim's first words
    cells: list[Cell]

    @cached_property
    def mean(self) -> Figure:
        """The class column: the mean mastery of the students with evidence."""
        return Figure(mean(cell.mastery for cell in self.cells))

    @cached_property
    def quiz(self) -> Figure:
        return Figure(mean(cell.quiz for cell in self.cells))

    @cached_property
    def memory(self) -> Figure:
        return Figure(mean(cell.memory for cell in self.cells))

    @cached_property
    def known(self) -> int:
        return sum(cell.mastery is not None for cell in self.cells)


@dataclass
class SectionBlock:
    label: str
    rows: list[ClaimRow]
    means: list[Figure]  # per student, in the students' order
    mean: Figure


@dataclass
class MasteryMap:
    essay: Essay | None
    students: list
    sections: list[SectionBlock]
    student_means: list[Figure]  # the class row
    mean: Figure  # every cell with a mastery

    @property
    def rows(self) -> list[ClaimRow]:
        return [row for section in self.sections for row in section.rows]

    def weakest_claims(self, n: int = 3) -> list[ClaimRow]:
        rated = [row for row in self.rows if row.mean.value is not None]
        return sorted(rated, key=lambda row: row.mean.value)[:n]

    def weakest_students(self, n: int = 3) -> list[tuple]:
        rated = [
            (student, figure)
            for student, figure in zip(self.students, self.student_means, strict=True)
            if figure.value is not None
        ]
        return sorted(rated, key=lambda pair: pair[1].value)[:n]

    @property
    def known(self) -> int:
        """Cells with some evidence."""
        return sum(row.known for row in self.rows)

    @property
    def size(self) -> int:
        return len(self.rows) * len(self.students)

    def select(
        self, *, claims=(), students=(), below: float | None = None, empty=False
    ) -> set[tuple[int, int]]:
        """The (student, claim) cells a teacher picked: every cell of the
        chosen claims' rows and of the chosen students' columns, and every
        cell under `below` (with those without evidence when `empty`)."""
        claims, students = set(claims), set(students)
        picked = set()
        for row in self.rows:
            for cell in row.cells:
                weak = below is not None and (
                    cell.mastery < below if cell.mastery is not None else empty
                )
                if weak or cell.claim in claims or cell.student in students:
                    picked.add((cell.student, cell.claim))
        return picked


def class_essays(classroom: Classroom) -> QuerySet:
    """The essays the class has work on (its quizzes' and its flashcard
    goals'), the first assigned first: the heat map's choice of essays, and
    the claims a teacher of the class may open."""
    work = Assignment.objects.filter(classroom=classroom).filter(
        Q(essay=OuterRef("pk")) | Q(quiz__essay=OuterRef("pk"))
    )
    return (
        Essay.objects.alias(first=Subquery(work.order_by("pk").values("pk")[:1]))
        .filter(first__isnull=False)
        .defer("body")
        .order_by("first")
    )


def class_students(classroom: Classroom) -> list:
    return list(
        get_user_model()
        .objects.filter(enrolments__classroom=classroom)
        .order_by("last_name", "first_name", "username")
        .only("pk", "username", "first_name", "last_name")
    )


def _mapped_claims(essays) -> list[Claim]:
    """The claims with published questions, in the essays' order."""
    published = Question.objects.published().filter(claim=OuterRef("pk"))
    return list(
        Claim.objects.filter(Exists(published), essay__in=essays)
        .select_related("section", "essay")
        .defer("essay__body")
        .order_by("essay", "order")
    )


def _who(prefix: str, students: dict) -> dict:
    """The students' lookups (on the user) from another model's path to them.

    A class is reached as ``enrolments__classroom``, a join rather than an
    ``IN (subquery)``: SQLite then starts from the class's enrolments and
    reads each student's cards through their index, several times faster.
    """
    return {f"{prefix}{lookup}": value for lookup, value in students.items()}


def _grouped(queryset: QuerySet) -> list[tuple]:
    """A grouped values_list's rows as the database gives them: Django's
    per-row conversion (float() and int() of each value) of a large class's
    18,000 cells takes longer than the query itself."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # no claim to ask about: Django skips the query too
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _quiz_evidence(*, students: dict, claims) -> dict:
    """(student, claim) -> (mean score, answers), in one grouped query."""
    rows = _grouped(
        Response.objects.filter(
            **_who("attempt__student__", students),
            attempt__finished_at__isnull=False,
            attempt__is_practice=False,
            question__claim__in=claims,
        )
        .values_list("attempt__student", "question__claim")
        .annotate(Avg("score"), Count("pk"))
        .order_by()
    )
    return {(student, claim): (score, n) for student, claim, score, n in rows}


class _DaysSince(Func):
    """Whole days from the column to `now` (never under 0), as fsrs counts
    the days of its forgetting curve: ``max(0, (now - column).days)``."""

    arity = 2  # now, the column
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday keeps milliseconds: rounded to them, whole days are whole.
        return self.as_sql(
            compiler,
            connection,
            template="MAX(0, CAST(ROUND((julianday(%(expressions)s)) * 86400000)"
            " AS INTEGER) / 86400000)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="GREATEST(0, CAST(FLOOR(EXTRACT(EPOCH FROM (%(expressions)s))"
            " / 86400) AS INTEGER))",
            arg_joiner=" - ",
            **extra_context,
        )


def recall_now(now: datetime):
    """A card's predicted recall now, in SQL: ``scheduling.recall`` (fsrs's
    forgetting curve) worked out by the database, so that the cards of a
    whole class are averaged there rather than read one by one."""
    factor, decay = scheduling.curve()
    days = _DaysSince(Value(now, output_field=DateTimeField()), "last_review")
    return Power(
        Value(1.0) + Value(factor) * days / F("stability"),
        Value(decay),
        output_field=FloatField(),
    )


def _memory_evidence(*, students: dict, claims, now: datetime) -> dict:
    """(student, claim) -> (mean recall now, cards studied), one grouped query."""
    rows = _grouped(
        Card.objects.filter(
            **_who("student__", students),
            question__claim__in=claims,
            question__status=Question.Status.PUBLISHED,
            last_review__isnull=False,
            stability__isnull=False,
        )
        .values_list("student", "question__claim")
        .annotate(recall=Avg(recall_now(now)), n=Count("pk"))
        .order_by()
    )
    return {(student, claim): (recall, n) for student, claim, recall, n in rows}


def _cells(*, student_ids, claims, quiz: dict, memory: dict) -> dict[int, list]:
    """Each claim's cells, one per student in order (tight: 18,000 of them
    for a large class)."""
    by_claim = {}
    none = (None, 0)
    for claim in claims:
        pk = claim.pk
        row = []
        for student in student_ids:
            key = (student, pk)
            score, answers = quiz.get(key, none)
            recall, cards = memory.get(key, none)
            if score is None or recall is None:
                mastery = score if recall is None else recall
            else:
                mastery = (score + recall) / 2
            row.append(Cell(student, pk, score, answers, recall, cards, mastery))
        by_claim[pk] = row
    return by_claim


def _columns(rows: list[ClaimRow], n: int) -> list[Figure]:
    """Per student, the mean of their cells in these rows."""
    return [Figure(mean(row.cells[i].mastery for row in rows)) for i in range(n)]


def _blocks(claims: list[Claim], cells: dict, n_students: int) -> list[SectionBlock]:
    blocks: list[SectionBlock] = []
    current = None
    for claim in claims:
        if current is None or claim.section_id != current:
            current, rows = claim.section_id, []
            label = claim.section.label
            blocks.append(SectionBlock(label=label, rows=rows, means=[], mean=None))
        row_cells = cells[claim.pk]
        rows.append(
            ClaimRow(
                claim=claim,
                number=f"{claim.section.order + 1}.{len(rows) + 1}",
                label=short(claim.text),
                cells=row_cells,
            )
        )
    for block in blocks:
        block.means = _columns(block.rows, n_students)
        block.mean = Figure(
            mean(cell.mastery for row in block.rows for cell in row.cells)
        )
    return blocks


def short(text: str, words: int = CLAIM_LABEL_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def class_mastery(
    *, classroom: Classroom, essay: Essay | None, now: datetime
) -> MasteryMap:
    """The heat map of one essay for the class: four queries (students,
    claims, answers, cards), whatever the number of students and claims."""
    students = class_students(classroom)
    if essay is None:
        return MasteryMap(None, students, [], [], Figure(None))
    claims = _mapped_claims([essay.pk])
    ids = [student.pk for student in students]
    enrolled = {"enrolments__classroom": classroom}
    scope = [claim.pk for claim in claims]
    cells = _cells(
        student_ids=ids,
        claims=claims,
        quiz=_quiz_evidence(students=enrolled, claims=scope),
        memory=_memory_evidence(students=enrolled, claims=scope, now=now),
    )
    sections = _blocks(claims, cells, len(ids))
    rows = [row for block in sections for row in block.rows]
    return MasteryMap(
        essay=essay,
        students=students,
        sections=sections,
        student_means=_columns(rows, len(ids)),
        mean=Figure(mean(cell.mastery for row in rows for cell in row.cells)),
    )


@dataclass(frozen=True)
class SectionMastery:
    essay: str
    label: str
    quiz: Figure
    memory: Figure
    mastery: Figure
    known: int  # claims with evidence
    claims: int


def student_mastery(
    *, classroom: Classroom, student, now: datetime
) -> list[SectionMastery]:
    """One student's mastery by section, over the essays the class has work
    on: the section rows of their column of the heat map. Three queries."""
    claims = _mapped_claims(class_essays(classroom))
    scope = [claim.pk for claim in claims]
    cells = _cells(
        student_ids=[student.pk],
        claims=claims,
        quiz=_quiz_evidence(students={"pk": student.pk}, claims=scope),
        memory=_memory_evidence(students={"pk": student.pk}, claims=scope, now=now),
    )
    result = []
    for block in _blocks(claims, cells, 1):
        own = [row.cells[0] for row in block.rows]
        result.append(
            SectionMastery(
                essay=block.rows[0].claim.essay.title,
                label=block.label,
                quiz=Figure(mean(cell.quiz for cell in own)),
                memory=Figure(mean(cell.memory for cell in own)),
                mastery=block.mean,
                known=sum(cell.mastery is not None for cell in own),
                claims=len(own),
            )
        )
    return result


@dataclass(frozen=True)
class Evidence:
    cell: Cell
    responses: list[Response]
    cards: list[Card]  # each with .recall and .history (its reviews, oldest first)


def cell_evidence(*, student, claim: Claim, now: datetime) -> Evidence:
    """What one cell is made of: the answers and the cards with their
    rating history (three queries)."""
    responses = list(
        Response.objects.filter(
            attempt__student=student,
            attempt__finished_at__isnull=False,
            attempt__is_practice=False,
            question__claim=claim,
        )
        .select_related("attempt__quiz", "question")
        .order_by("answered_at", "pk")
    )
    cards = list(
        Card.objects.filter(
            student=student,
            question__claim=claim,
            question__status=Question.Status.PUBLISHED,
        )
        .select_related("question")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.order_by("reviewed_at", "pk"),
                to_attr="history",
            )
        )
        .order_by("question__pk")
    )
    for card in cards:
        card.recall = (
            None
            if card.last_review is None
            else scheduling.recall(card.stability, card.last_review, at=now)
        )
    quiz = {}
    if responses:
        quiz[student.pk, claim.pk] = (
            mean(response.score for response in responses),
            len(responses),
        )
    studied = [card.recall for card in cards if card.recall is not None]
    memory = {}
    if studied:
        memory[student.pk, claim.pk] = (mean(studied), len(studied))
    cell = _cells(student_ids=[student.pk], claims=[claim], quiz=quiz, memory=memory)
    return Evidence(cell=cell[claim.pk][0], responses=responses, cards=cards)


# --- The rest of a student's page ----------------------------------------------


def student_attempts(*, classroom: Classroom, student) -> QuerySet:
    """The student's attempts that count, at the quizzes given to the class."""
    given = Assignment.objects.filter(classroom=classroom, quiz=OuterRef("quiz"))
    return (
        Attempt.objects.filter(Exists(given), student=student, is_practice=False)
        .select_related("quiz")
        .order_by("-started_at")
    )


def student_leeches(*, classroom: Classroom, student) -> QuerySet:
    """The student's leeches in the class's essays, with their questions: a
    card forgotten again and again is often a question to fix."""
    return (
        Card.objects.filter(
            student=student,
            is_leech=True,
            question__essay__in=class_essays(classroom),
        )
        .select_related("question__essay")
        .defer("question__essay__body")
        .order_by("question__essay__title", "question__claim__order", "pk")
    )
