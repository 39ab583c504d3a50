"""Questions as a spreadsheet: one row per question, read into items and
written back (pure: bytes in, plain data out).

How to write the file
=====================

The first row names the columns; the order does not matter, nor does the
case ("Prompt" or "prompt"). Every row under it is one question.

==============  ===========================================================
Column          What goes in it
==============  ===========================================================
kind            single, multiple, true_false, cloze or matching (the names
                the question editor shows work too: "Single choice",
                "Multiple answer", "True / false", "Fill in the blank",
                "Matching").
prompt          The question as the student reads it. A fill-in-the-blank
                prompt marks its gap with ``_____`` (five underscores):
                ``The Great Purge began in _____.``
answers         The right answer, or right answers, separated by `` | ``:

                - single choice: the one right answer (``Paris``);
                - multiple answer: every right answer (``2 | 3 | 5``);
                - true / false: ``true`` or ``false``;
                - fill in the blank: every answer accepted in the gap
                  (``1936 | nineteen thirty-six``);
                - matching: the pairs, each ``left -> right``
                  (``France -> Paris | Italy -> Rome``).
distractors     The wrong choices of a single-choice or multiple-answer
                question, separated by `` | `` (``Lyon | Marseille``).
                Leave it empty for the other kinds.
feedback        What a student reads after picking an answer, for the
                answers that need it: the answer, a colon, the feedback,
                separated by `` | ``
                (``Lyon: No, Lyon is in the south-east | Paris: Yes``).
                True / false: ``true: ... | false: ...``. May be empty.
section         The label or heading of the essay's section the question
                belongs to. May be empty.
title           (optional column) A short name for the question.
explanation     (optional column) What every student reads once the
                question is answered, whichever answer they gave.
==============  ===========================================================

A ``|`` that belongs to an answer's text is written ``\\|``
(``x \\| y | z`` is the two answers "x | y" and "z"); so is ``\\->`` in a
matching item that contains an arrow. Only the answers, distractors and
feedback columns are split at ``|``; the other columns are read as they
are.

A cell may begin with an apostrophe to keep a spreadsheet from reading it
as a formula (``'=1+1``, ``'-5 degrees``): the apostrophe is taken off
again when it comes before one of ``= + - @``, so the text stays "=1+1".
The files PurgeQuiz writes do this themselves (``safe_cell``).

The file is saved as CSV UTF-8, separated by commas or by semicolons (as
Excel does in many countries). Nothing is imported until every row is right:
``parse`` names every problem of every row, by the row number the
spreadsheet shows, and a fill-in-the-blank prompt without its gap is one of
them (the gap is not added at the end: only the teacher knows where it goes).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from quizzes import kinds
from quizzes.interchange.items import Answer, InterchangeError, Item, Pair, decode

REQUIRED = ("kind", "prompt", "answers", "distractors", "feedback", "section")
OPTIONAL = ("title", "explanation")
COLUMNS = REQUIRED + OPTIONAL
# Header cells are compared in lower case with spaces, dashes and underscores
# taken out; a few other words a teacher might write mean the same column.
HEADER_ALIASES = {
    "type": "kind",
    "question": "prompt",
    "answer": "answers",
    "distractor": "distractors",
    "heading": "section",
    "generalfeedback": "explanation",
}
SEPARATORS = ",;\t"
SAVE_AS = "In your spreadsheet choose Save as (or Download) › CSV UTF-8."
LIST_SEPARATOR = "|"
PAIR_ARROW = "->"

# A spreadsheet runs a cell that begins with one of these as a formula
# (OWASP's "CSV injection"): a student named "=HYPERLINK(...)" must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A kind named by its value or its label: "true_false", "True / false".
_KIND_NAMES = {
    re.sub(r"[\W_]+", "", name).casefold(): kind.value
    for kind in kinds.KINDS
    for name in (kind.value, kind.label)
}
KIND_LIST = ", ".join(kind.value for kind in kinds.KINDS[:-1])
KIND_LIST += f" or {kinds.KINDS[-1].value}"


def safe_cell(value: str) -> str:
    """The cell as a spreadsheet shows it: text, never a formula.

    An apostrophe goes before a cell that begins with ``= + - @``, a tab or
    a carriage return; and before one that begins with apostrophes and then
    one of those, so that ``unsafe_cell`` gives every text back as it was.
    """
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def unsafe_cell(value: str) -> str:
    """The text ``safe_cell`` protected: the apostrophe taken off again."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass(frozen=True)
class RowProblem:
    """Something to fix before the file can be imported. ``row`` is the
    spreadsheet's row number (the header is row 1 when it comes first), 0
    for the file as a whole; ``column`` is "" when no one column is at
    fault."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"Row {self.row}"] if self.row else []
        where += [self.column] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Row:
    """One question row as the file has it, for the import page's preview:
    its cells by column, and its item when the row has no problem."""

    number: int
    cells: dict[str, str]
    item: Item | None = None
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class RowsParsed:
    """The file read. ``items`` is empty unless there is no problem at all:
    an import takes every row or none."""

    rows: list[Row] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse(data: bytes) -> RowsParsed:
    """Every row of a questions spreadsheet read and checked."""
    try:
        text = _decode(data)
    except InterchangeError as error:
        return RowsParsed(problems=[RowProblem(error.line or 0, "", error.message)])
    records, trouble = _records(text)
    if trouble:
        return RowsParsed(problems=[trouble])
    numbered = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not numbered:
        return RowsParsed(problems=[RowProblem(0, "", "The file is empty.")])
    (header_row, header), *body = numbered
    columns, problems = _header(header_row, header)
    if not set(REQUIRED) <= set(columns):
        # Without its columns no row can be read: the header's problems only.
        return RowsParsed(problems=problems)
    if not body:
        problems.append(
            RowProblem(0, "", "The file names its columns but has no questions.")
        )
    parsed = RowsParsed(problems=problems)
    for number, cells in body:
        row = _row(number, cells, columns)
        parsed.rows.append(row)
        parsed.problems += row.problems
    if not parsed.problems:
        parsed.items = [row.item for row in parsed.rows if row.item is not None]
    return parsed


def _decode(data: bytes) -> str:
    # Two files a teacher often picks by mistake, named before decode's
    # plainer "not a text file".
    if data.startswith(b"PK\x03\x04"):
        raise InterchangeError(f"This is a spreadsheet workbook, not CSV. {SAVE_AS}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InterchangeError(f"This file is saved as UTF-16 text. {SAVE_AS}")
    return decode(data)


def _records(text: str) -> tuple[list[tuple[int, list[str]]], RowProblem | None]:
    """The file's rows, numbered as the spreadsheet numbers them (a cell
    over several lines is one row), or the problem that stops the reading."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    separator = max(SEPARATORS, key=first.count)
    # strict: a quote opened and never closed swallows the rest of the file
    # into one cell; strict reading says so instead.
    reader = csv.reader(io.StringIO(text), delimiter=separator, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            records.append((len(records) + 1, cells))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return [], RowProblem(
                len(records) + 1,
                "",
                'A cell opens a quote (") that is never closed: close it, or '
                "take it out.",
            )
        # Anything else strict refuses (a letter after a closing quote) a
        # spreadsheet would read as text: so do we.
        records = [
            (number, cells)
            for number, cells in enumerate(
                csv.reader(io.StringIO(text), delimiter=separator), start=1
            )
        ]
    return records, None


def _header_name(cell: str) -> str:
    name = re.sub(r"[\s_-]+", "", unsafe_cell(cell)).casefold()
    return HEADER_ALIASES.get(name, name)


def _header(number: int, header: list[str]) -> tuple[list[str | None], list]:
    """The column each header cell names (None for an empty or unknown one),
    and what is wrong with the header."""
    expected = (
        f"The first row names the columns: {', '.join(REQUIRED)} (and, if you "
        f"like, {' and '.join(OPTIONAL)})."
    )
    columns: list[str | None] = []
    problems = []
    for cell in header:
        name = _header_name(cell)
        if not name:
            columns.append(None)
        elif name not in COLUMNS:
            columns.append(None)
            problems.append(
                RowProblem(
                    number,
                    cell.strip(),
                    f"“{cell.strip()}” is not a column. {expected}",
                )
            )
        elif name in columns:
            columns.append(None)
            problems.append(
                RowProblem(number, name, f"The column {name} is named twice.")
            )
        else:
            columns.append(name)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        problems.append(
            RowProblem(
                number,
                "",
                f"The header lacks the column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}. {expected}",
            )
        )
    return columns, problems


def split_list(cell: str) -> list[str]:
    """A list cell's pieces: split at ``|`` (not at ``\\|``, which is a
    ``|`` of the text), each stripped, empty ones left out."""
    pieces, current, i = [], [], 0
    while i < len(cell):
        if cell.startswith("\\" + LIST_SEPARATOR, i):
            current.append(LIST_SEPARATOR)
            i += 2
        elif cell[i] == LIST_SEPARATOR:
            pieces.append("".join(current))
            current, i = [], i + 1
        else:
            current.append(cell[i])
            i += 1
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def join_list(texts: list[str]) -> str:
    return f" {LIST_SEPARATOR} ".join(
        text.replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR) for text in texts
    )


def split_pair(piece: str) -> tuple[str, str] | None:
    """``left -> right`` split at its first arrow (``\\->`` is an arrow of
    the text), or None without one."""
    left, i = [], 0
    while i < len(piece):
        if piece.startswith("\\" + PAIR_ARROW, i):
            left.append(PAIR_ARROW)
            i += 3
        elif piece.startswith(PAIR_ARROW, i):
            right = _unescape_arrows(piece[i + 2 :])
            return "".join(left).strip(), right.strip()
        else:
            left.append(piece[i])
            i += 1
    return None


def _unescape_arrows(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text.startswith("\\" + PAIR_ARROW, i):
            out.append(PAIR_ARROW)
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def join_pair(pair: Pair) -> str:
    def escaped(text: str) -> str:
        return text.replace(PAIR_ARROW, "\\" + PAIR_ARROW)

    return f"{escaped(pair.left)} {PAIR_ARROW} {escaped(pair.right)}"


def kind_of(cell: str) -> str | None:
    """The kind a cell names ("single", "True / false"), or None."""
    return _KIND_NAMES.get(re.sub(r"[\W_]+", "", cell).casefold())


def _row(number: int, raw: list[str], columns: list[str | None]) -> Row:
    cells = dict.fromkeys(COLUMNS, "")
    extra = []
    for i, cell in enumerate(raw):
        name = columns[i] if i < len(columns) else None
        if name is not None:
            cells[name] = unsafe_cell(cell).strip()
        elif i >= len(columns) and cell.strip():
            extra.append(cell)
    row = Row(number=number, cells=cells)
    if extra:
        row.problems.append(
            RowProblem(
                number,
                "",
                f"The row has {len(raw)} cells but the header names "
                f"{len(columns)} columns: a cell holds a separator. Put that "
                "cell in quotes, or check the separator is the header's.",
            )
        )
    _Checked(row).check()
    return row


class _Checked:
    """One row's cells checked and made into an item, every problem kept."""

    def __init__(self, row: Row):
        self.row, self.cells = row, row.cells

    def problem(self, column: str, message: str) -> None:
        self.row.problems.append(RowProblem(self.row.number, column, message))

    def check(self) -> None:
        cells = self.cells
        if not cells["kind"]:
            self.problem("kind", f"Write the kind of question: {KIND_LIST}.")
            return
        kind = kind_of(cells["kind"])
        if kind is None:
            self.problem(
                "kind",
                f"“{cells['kind']}” is not a kind of question: write {KIND_LIST}.",
            )
            return
        item = Item(
            kind=kind,
            prompt=cells["prompt"],
            line=self.row.number,
            title=cells["title"],
            explanation=cells["explanation"],
            section=cells["section"],
        )
        answers = split_list(cells["answers"])
        distractors = split_list(cells["distractors"])
        draft = self.parts(item, answers, distractors)
        self.feedback(item, split_list(cells["feedback"]))
        # Said once: a cell already found wrong is not found wrong again
        # in kinds' words ("true or false" and "is it true or false?").
        faulted = {p.column for p in self.row.problems}
        for found in kinds.problems(draft):
            column = self.column_of(found, item)
            if (
                found.field in (kinds.CHOICES, "prompt", "kind")
                or column not in faulted
            ):
                self.problem(column, found.message)
        if not self.row.problems:
            self.row.item = item

    def parts(self, item: Item, answers: list[str], distractors: list[str]):
        """The item's answers or pairs, and the draft ``kinds.problems``
        checks."""
        if item.kind in kinds.CHOICE_KINDS:
            right = 1 / len(answers) if answers else 0.0
            if item.kind == kinds.SINGLE:
                right = 1.0
            item.answers = [Answer(text, right) for text in answers]
            item.answers += [Answer(text, 0.0) for text in distractors]
            return kinds.Draft(
                kind=item.kind,
                prompt=item.prompt,
                choices=[(a.text, a.is_correct) for a in item.answers],
            )
        if distractors:
            self.problem(
                "distractors",
                f"A {kinds.label(item.kind).lower()} question has no wrong "
                "choices: leave distractors empty.",
            )
        if item.kind == kinds.TRUE_FALSE:
            item.is_true = self.truth(answers)
            return kinds.Draft(item.kind, item.prompt, is_true=item.is_true)
        if item.kind == kinds.CLOZE:
            item.answers = [Answer(text, 1.0) for text in answers]
            seen = set()
            for text in answers:
                if text.casefold() in seen:
                    self.problem("answers", f"The answer “{text}” is written twice.")
                seen.add(text.casefold())
            return kinds.Draft(item.kind, item.prompt, accepted_answers=answers)
        for piece in answers:
            pair = split_pair(piece)
            if pair is None:
                self.problem(
                    "answers",
                    f"“{piece}” is not a pair: write each pair as left -> right, "
                    "separated by |.",
                )
            else:
                item.pairs.append(Pair(*pair))
        return kinds.Draft(
            item.kind, item.prompt, pairs=[(p.left, p.right) for p in item.pairs]
        )

    def truth(self, answers: list[str]) -> bool | None:
        if not answers:
            return None  # kinds.problems asks for it
        if len(answers) == 1 and answers[0].casefold() in ("true", "false"):
            return answers[0].casefold() == "true"
        self.problem(
            "answers",
            f"Write true or false in answers (it says “{self.cells['answers']}”).",
        )
        return None

    def feedback(self, item: Item, pieces: list[str]) -> None:
        """Each ``answer: feedback`` given to its answer."""
        if not pieces:
            return
        if item.kind == kinds.MATCHING:
            self.problem(
                "feedback",
                "A matching question has no feedback for each answer: put what "
                "students should read in the explanation column.",
            )
            return
        if item.kind == kinds.TRUE_FALSE:
            targets = {"true": "true_feedback", "false": "false_feedback"}
        else:
            targets = {answer.text: answer for answer in item.answers}
        given = set()
        for piece in pieces:
            # The longest answer the piece begins with, so that "A: b: c"
            # finds the answer "A: b" before the answer "A".
            for text in sorted(targets, key=len, reverse=True):
                head, rest = piece[: len(text)], piece[len(text) :].lstrip()
                if head.casefold() == text.casefold() and rest.startswith(":"):
                    break
            else:
                self.problem(
                    "feedback",
                    f"“{piece}” does not begin with one of the question's answers "
                    "and a colon (answer: feedback). Feedback for everyone goes "
                    "in the explanation column.",
                )
                continue
            if text in given:
                self.problem("feedback", f"The answer “{text}” has feedback twice.")
                continue
            given.add(text)
            target, words = targets[text], rest[1:].strip()
            if isinstance(target, Answer):
                target.feedback = words
            else:
                setattr(item, target, words)

    def column_of(self, found: kinds.Problem, item: Item) -> str:
        """The column to fix for a problem of ``kinds.problems``."""
        if found.field in ("kind", "prompt"):
            return found.field
        if found.field == kinds.CHOICES:
            right = sum(answer.is_correct for answer in item.answers)
            enough = right == 1 if item.kind == kinds.SINGLE else right >= 1
            # With the right answers right, what is missing is wrong choices.
            return "distractors" if enough and len(item.answers) < 2 else "answers"
        return "answers"


def _cells(item: Item) -> dict[str, str]:
    """The item's row, before safe_cell."""
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(
        kind=item.kind,
        prompt=item.prompt,
        section=item.section,
        title=item.title,
        explanation=item.explanation,
    )
    feedback = []
    if item.kind == kinds.TRUE_FALSE:
        cells["answers"] = "" if item.is_true is None else str(item.is_true).lower()
        for word, words in (
            ("true", item.true_feedback),
            ("false", item.false_feedback),
        ):
            if words:
                feedback.append(f"{word}: {words}")
    elif item.kind == kinds.MATCHING:
        cells["answers"] = join_list([join_pair(pair) for pair in item.pairs])
    else:
        cloze = item.kind == kinds.CLOZE
        right = [a for a in item.answers if cloze or a.is_correct]
        wrong = [a for a in item.answers if not (cloze or a.is_correct)]
        cells["answers"] = join_list([a.text for a in right])
        cells["distractors"] = join_list([a.text for a in wrong])
        feedback = [f"{a.text}: {a.feedback}" for a in right + wrong if a.feedback]
    cells["feedback"] = join_list(feedback)
    return cells


def write(items: list[Item]) -> str:
    """The items as a spreadsheet opens them: the header, then a row per
    item, every cell text (``safe_cell``) and quoted, and a UTF-8 byte-order
    mark first so that Excel reads accents right.

    What the columns cannot hold is left out: an answer's weight other than
    right or wrong, a matching pair's order among the rest, the category,
    tags, passage and source; right answers come before wrong ones.
    """
    out = io.StringIO()
    out.write("\ufeff")
    # Every cell quoted: a spreadsheet set to another separator still sees
    # one cell, not a formula after the comma.
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for item in items:
        cells = _cells(item)
        writer.writerow([safe_cell(cells[name]) for name in COLUMNS])
    return out.getvalue()
