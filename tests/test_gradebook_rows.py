"""{% gradebook_rows %} (quizzes/templatetags/gradebook.py) writes the grid's
rows exactly as the template's loop did (tests/data/gradebook_rows.html),
for every kind of cell: a page made faster must not read differently."""

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template import engines

from quizzes.models import Assignment, Classroom, Extension
from quizzes.selectors.gradebook import Cell, Gradebook, Row
from quizzes.templatetags.gradebook import gradebook_rows

REFERENCE = Path(__file__).parent / "data" / "gradebook_rows.html"
DUE = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)

quiz = Assignment(pk=7, kind=Assignment.Kind.QUIZ, due_at=DUE)
goal = Assignment(pk=8, kind=Assignment.Kind.CARDS, due_at=DUE, target_recall=0.9)
extensions = [
    None,
    Extension(extra_attempts=1),
    Extension(extra_attempts=2, extra_minutes=15),
    Extension(extra_minutes=5, due_at=datetime(2026, 5, 9, 17, 5, tzinfo=UTC)),
]
quiz_cells = [
    Cell(assignment=quiz, assigned=False),
    Cell(assignment=quiz),  # not started
    Cell(assignment=quiz, missing=True),
    Cell(assignment=quiz, attempts=1, attempt_id=11, in_progress=True),
    Cell(assignment=quiz, attempts=1, attempt_id=12, in_progress=True, missing=True),
    Cell(assignment=quiz, value=83, attempts=1, attempt_id=13),
    Cell(assignment=quiz, value=0, attempts=3, attempt_id=14, late=True),
    Cell(assignment=quiz, value=100, attempts=2, attempt_id=15),
]
goal_cells = [
    Cell(assignment=goal, assigned=False),
    Cell(assignment=goal),  # no cards
    Cell(assignment=goal, value=0, studied=0, total=12),
    Cell(assignment=goal, value=95, studied=12, total=12, met=True),
    Cell(assignment=goal, value=1234, studied=1, total=1500),
]
User = get_user_model()
students = [
    User(pk=21, username="alice", first_name="Alice", last_name="Adams"),
    User(pk=22, username="bob"),  # no name: the username alone
    User(pk=23, username="<b>&'\"", first_name='Tom "<i>"', last_name="O'Neil & co"),
]


def with_extension(cell: Cell, extension) -> Cell:
    return Cell(**(cell.__dict__ | {"extension": extension}))


def book() -> Gradebook:
    cells = [
        [with_extension(q, e), with_extension(g, e)]
        for q, g, e in itertools.product(quiz_cells, goal_cells, extensions)
    ]
    rows = [
        Row(student=student, cells=line)
        for student, line in zip(itertools.cycle(students), cells, strict=False)
    ]
    return Gradebook(classroom=Classroom(pk=5), columns=[], rows=rows)


def reference(book: Gradebook, classroom: Classroom) -> str:
    loop = engines["django"].from_string(REFERENCE.read_text(encoding="utf-8"))
    return loop.render({"book": book, "classroom": classroom})


@pytest.mark.parametrize("thousands", [False, True])
def test_the_rows_are_the_templates_to_the_byte(settings, thousands):
    settings.USE_THOUSAND_SEPARATOR = thousands
    made = book()
    classroom = made.classroom
    expected = reference(made, classroom)
    assert str(gradebook_rows(made, classroom)) == expected
    assert "&lt;b&gt;&amp;&#x27;&quot;" in expected  # the names were escaped
    assert len(made.rows) == len(quiz_cells) * len(goal_cells) * len(extensions)
