"""Questions as spreadsheet rows: a teacher's file read into items, every
problem of every row named, items written back and read again unchanged,
and cells a spreadsheet would run kept as text."""

import csv
import dataclasses
import io

import pytest

from quizzes import kinds
from quizzes.interchange import csv_rows
from quizzes.interchange.csv_rows import (
    RowProblem,
    parse,
    safe_cell,
    unsafe_cell,
    write,
)
from quizzes.interchange.items import MAX_BYTES, Answer, Item, Pair

HEADER = "kind,prompt,answers,distractors,feedback,section"


def parsed(*rows: str, header: str = HEADER):
    return parse("\n".join([header, *rows]).encode())


def where(result) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in result.problems]


def test_a_row_of_each_kind_becomes_its_item():
    result = parsed(
        "single,Capital of France?,Paris,Lyon | Nice,"
        '"Lyon: No, it is in the south-east | Paris: Yes",Geography',
        "multiple,Which are prime?,2 | 3 | 5,4 | 6,,",
        'True / false,"Stalin died in 1953.",TRUE,,false: He did.,',
        "cloze,The purge began in _____.,1936 | nineteen thirty-six,,,Dates",
        "matching,Match each country to its capital,France -> Paris | Italy -> Rome,,,",
    )
    assert result.problems == []
    single, multiple, true_false, cloze, matching = result.items
    assert single == Item(
        kind=kinds.SINGLE,
        prompt="Capital of France?",
        line=2,
        section="Geography",
        answers=[
            Answer("Paris", 1.0, "Yes"),
            Answer("Lyon", 0.0, "No, it is in the south-east"),
            Answer("Nice", 0.0),
        ],
    )
    assert [(a.text, a.fraction) for a in multiple.answers] == [
        ("2", 1 / 3),
        ("3", 1 / 3),
        ("5", 1 / 3),
        ("4", 0.0),
        ("6", 0.0),
    ]
    assert (true_false.kind, true_false.is_true) == (kinds.TRUE_FALSE, True)
    assert (true_false.true_feedback, true_false.false_feedback) == ("", "He did.")
    assert cloze.answers == [Answer("1936", 1.0), Answer("nineteen thirty-six", 1.0)]
    assert cloze.section == "Dates"
    assert matching.pairs == [Pair("France", "Paris"), Pair("Italy", "Rome")]
    assert [item.line for item in result.items] == [2, 3, 4, 5, 6]
    assert [row.item for row in result.rows] == result.items


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("single", kinds.SINGLE),
        ("Single choice", kinds.SINGLE),
        ("MULTIPLE ANSWER", kinds.MULTIPLE),
        ("true_false", kinds.TRUE_FALSE),
        ("True / false", kinds.TRUE_FALSE),
        ("true/false", kinds.TRUE_FALSE),
        ("Fill in the blank", kinds.CLOZE),
        ("Cloze", kinds.CLOZE),
        ("matching", kinds.MATCHING),
        ("essay", None),
    ],
)
def test_a_kind_is_named_by_its_value_or_its_label(cell, kind):
    assert csv_rows.kind_of(cell) == kind


def test_excel_semicolons_and_byte_order_mark_are_read():
    data = (
        "\ufeffKind;Prompt;Answers;Distractors;Feedback;Section;Title\r\n"
        "single;Pick one, please;yes;no;;Part 1;First\r\n"
    ).encode()
    result = parse(data)
    assert result.problems == []
    (item,) = result.items
    assert item.prompt == "Pick one, please"
    assert [a.text for a in item.answers] == ["yes", "no"]
    assert (item.section, item.title) == ("Part 1", "First")


def test_the_optional_columns_fill_the_title_and_the_general_feedback():
    result = parsed(
        "single,Q?,a,b,,,Short name,Everyone reads this.",
        header=HEADER + ",title,explanation",
    )
    (item,) = result.items
    assert (item.title, item.explanation) == ("Short name", "Everyone reads this.")


def test_every_problem_of_every_row_is_named_and_nothing_is_imported():
    result = parsed(
        "single,Capital of France?,,Lyon | Nice,,",  # row 2: no right answer
        "single,Pick,a | b,c,,",  # row 3: two right answers
        "cloze,The purge began in 1936.,1936,,,",  # row 4: no gap
        "essay,Discuss.,,,,",  # row 5: not a kind
        "true_false,Is it?,maybe,,,",  # row 6
        "matching,Match,a -> b | c = d,x,,",  # row 7: not a pair, a distractor
        "multiple,,a,b,z: why,",  # row 8: no prompt, feedback for no answer
        "single,Good one?,yes,no,,",  # row 9 is fine
    )
    assert result.items == []
    assert where(result) == [
        (2, "answers"),
        (3, "answers"),
        (4, "prompt"),
        (5, "kind"),
        (6, "answers"),
        (7, "distractors"),
        (7, "answers"),
        (8, "feedback"),
        (8, "prompt"),
    ]
    messages = [p.message for p in result.problems]
    assert messages[0] == (
        "A single choice question needs exactly one correct choice (it has 0)."
    )
    assert messages[1] == (
        "A single choice question needs exactly one correct choice (it has 2)."
    )
    assert messages[2] == "Mark the gap in a fill-in-the-blank prompt with _____."
    assert messages[3] == (
        "“essay” is not a kind of question: write single, multiple, true_false, "
        "cloze or matching."
    )
    assert messages[4] == "Write true or false in answers (it says “maybe”)."
    assert "leave distractors empty" in messages[5]
    assert messages[6].startswith("“c = d” is not a pair: write each pair as left ->")
    assert messages[7].startswith("“z: why” does not begin with one of the question")
    assert messages[8] == "Write the question's prompt."
    assert str(result.problems[0]) == f"Row 2, answers: {messages[0]}"
    # The preview still shows every row, and the good one's question.
    assert [row.number for row in result.rows] == list(range(2, 10))
    assert result.rows[-1].item.prompt == "Good one?"
    assert [row.item for row in result.rows[:-1]] == [None] * 7


def test_a_missing_right_answer_or_wrong_choice_points_at_its_column():
    result = parsed("single,Q?,a,,,", "multiple,Q?,,a | b,,")
    assert where(result) == [(2, "distractors"), (3, "answers")]
    assert result.problems[0].message == (
        "A single choice question needs at least two choices."
    )


def test_a_fill_in_the_blank_without_its_gap_is_reported_not_mended():
    result = parsed("cloze,Paris is the capital.,Paris,,,")
    assert result.items == []
    assert result.problems == [
        RowProblem(
            2, "prompt", "Mark the gap in a fill-in-the-blank prompt with _____."
        )
    ]


def test_a_cloze_answer_written_twice_is_reported():
    result = parsed("cloze,It is _____.,Paris | paris,,,")
    assert result.problems == [
        RowProblem(2, "answers", "The answer “paris” is written twice.")
    ]


def test_row_numbers_are_the_spreadsheets_with_blank_rows_and_long_cells():
    result = parse(
        (
            "\n" + HEADER + "\n"  # the header on row 2
            'single,"A prompt\nover two lines",a,b,,\n'  # row 3
            "\n"  # row 4 is blank
            "single,,a,b,,\n"  # row 5
        ).encode()
    )
    assert where(result) == [(5, "prompt")]
    assert result.rows[0].cells["prompt"] == "A prompt\nover two lines"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b" \n\n", "The file is empty."),
        (b",,,\n,,\n", "The file is empty."),
        (b"kind,prompt\x00", "The file is not a text file."),
        (b"PK\x03\x04rest", "This is a spreadsheet workbook, not CSV. "),
        ("kind".encode("utf-16"), "This file is saved as UTF-16 text. "),
    ],
)
def test_a_file_that_is_no_questions_file_says_why(data, message):
    result = parse(data)
    assert result.items == []
    assert len(result.problems) == 1
    assert result.problems[0].message.startswith(message)


def test_a_file_not_in_utf8_names_the_row():
    data = (HEADER + "\nsingle,Caf\xe9?,a,b,,\n").encode("latin-1")
    assert parse(data).problems == [
        RowProblem(2, "", "The file is not UTF-8 text. Save it as UTF-8 and try again.")
    ]


def test_a_file_over_the_limit_is_refused():
    row = "single," + "x" * 1000 + ",a,b,,\n"
    data = (HEADER + "\n" + row * (MAX_BYTES // len(row) + 1)).encode()
    (problem,) = parse(data).problems
    assert problem.message == (
        "The file is 1.0 MB; the most is 1 MB. Split it into smaller files."
    )


def test_missing_columns_are_named_with_the_ones_expected():
    result = parsed("single,Q?,a", header="kind,prompt,answer")
    assert result.rows == []
    (problem,) = result.problems
    assert problem.row == 1
    assert problem.message == (
        "The header lacks the columns distractors, feedback, section. The first "
        "row names the columns: kind, prompt, answers, distractors, feedback, "
        "section (and, if you like, title and explanation)."
    )


def test_an_unknown_or_doubled_column_is_named_and_the_rows_still_checked():
    result = parsed(
        "single,Q?,a,b,,,x,y,",
        header=HEADER + ",explenation,Kind,",
    )
    assert where(result) == [(1, "explenation"), (1, "kind")]
    assert result.problems[0].message.startswith("“explenation” is not a column.")
    assert result.problems[1].message == "The column kind is named twice."
    assert result.rows[0].item is not None
    assert result.items == []


def test_a_row_with_more_cells_than_the_header_is_reported():
    result = parsed("single,Q?,a,b,,,Oops, a comma", "single,Fine?,a,b,,,,,")
    assert where(result) == [(2, "")]
    assert result.problems[0].message.startswith(
        "The row has 8 cells but the header names 6 columns"
    )


def test_a_header_without_questions_is_reported():
    assert parsed().problems == [
        RowProblem(0, "", "The file names its columns but has no questions.")
    ]


def test_a_quote_never_closed_is_reported_at_its_row():
    result = parsed("single,Q?,a,b,,", 'single,"Never closed,a,b,,', "single,Q,a,b,,")
    assert where(result) == [(3, "")]
    assert "never closed" in result.problems[0].message


def test_a_bar_or_an_arrow_of_the_text_is_escaped():
    result = parsed(
        r"single,Q?,x \| y,z | w,,",
        r"matching,Q,a \-> b -> c -> d | e -> f,,,",
    )
    single, matching = result.items
    assert [a.text for a in single.answers] == ["x | y", "z", "w"]
    assert matching.pairs == [Pair("a -> b", "c -> d"), Pair("e", "f")]


def test_feedback_finds_the_longest_answer_it_begins_with():
    result = parsed("single,Q?,A: b,A,A: b: right | a: wrong,")
    (item,) = result.items
    assert [(a.text, a.feedback) for a in item.answers] == [
        ("A: b", "right"),
        ("A", "wrong"),
    ]


def test_feedback_where_an_answer_has_none_to_give_is_reported():
    result = parsed(
        "matching,Q,a -> b | c -> d,,a: nice,",
        "single,Q?,a,b,a: one | A: two,",
    )
    assert where(result) == [(2, "feedback"), (3, "feedback")]
    assert "explanation column" in result.problems[0].message
    assert result.problems[1].message == "The answer “a” has feedback twice."


TRICKY = 'Comma, "quotes", a\nnew line, a | bar, an -> arrow, café, Ærø, 日本'


def every_kind() -> list[Item]:
    return [
        Item(
            kind=kinds.SINGLE,
            prompt=TRICKY + "?",
            title="=title",
            explanation="-5 degrees, " + TRICKY,
            section="@Section 1",
            answers=[
                Answer("=1+1", 1.0, "+ right, " + TRICKY),
                Answer(TRICKY, 0.0, "wrong | really"),
                Answer("'=quoted", 0.0),
            ],
        ),
        Item(
            kind=kinds.MULTIPLE,
            prompt="Which?",
            answers=[
                Answer("a | b", 0.5),
                Answer("c -> d", 0.5, "yes: both"),
                Answer(r"back\slash \| bar", 0.0),
            ],
        ),
        Item(
            kind=kinds.TRUE_FALSE,
            prompt="+It is true.",
            is_true=True,
            true_feedback="Right, " + TRICKY,
            false_feedback="-No.",
        ),
        Item(kind=kinds.TRUE_FALSE, prompt="It is false.", is_true=False),
        Item(
            kind=kinds.CLOZE,
            prompt=f"{TRICKY} {kinds.BLANK}.",
            answers=[Answer("-40", 1.0, "cold"), Answer("minus | forty", 1.0)],
        ),
        Item(
            kind=kinds.MATCHING,
            prompt="Match",
            pairs=[
                Pair("a -> b", "c | d"),
                Pair("=left", "-right, 日本"),
                Pair("-->", "\\"),
            ],
        ),
    ]


def test_written_items_read_back_equal_over_every_kind():
    items = every_kind()
    result = parse(write(items).encode())
    assert result.problems == []
    expected = [dataclasses.replace(item, line=i) for i, item in enumerate(items, 2)]
    assert result.items == expected


def test_a_written_file_opens_as_text_cells_in_a_spreadsheet():
    text = write(every_kind())
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == list(csv_rows.COLUMNS)
    single = dict(zip(rows[0], rows[1], strict=True))
    assert single["answers"] == "'=1+1"
    assert single["title"] == "'=title"
    assert single["section"] == "'@Section 1"
    assert single["explanation"].startswith("'-5 degrees")
    assert single["distractors"] == (
        'Comma, "quotes", a\nnew line, a \\| bar, an -> arrow, café, Ærø, 日本 | '
        "'=quoted"
    )
    assert dict(zip(rows[0], rows[3], strict=True))["prompt"] == "'+It is true."
    # Every cell quoted, so another separator cannot cut a formula out of one.
    assert text.startswith('\ufeff"kind","prompt","answers",')
    assert text.split("\r\n")[1].startswith('"single","Comma, ""quotes"", a\n')
    for row in rows:
        for cell in row:
            assert not cell.startswith(csv_rows.FORMULA_STARTS)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1+1", "''=1+1"),
        ("'quoted", "'quoted"),
        ("Anne-Marie", "Anne-Marie"),
        ("1+1=2", "1+1=2"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_reads_as_text_and_comes_back(value, safe):
    assert safe_cell(value) == safe
    assert unsafe_cell(safe) == value


@pytest.mark.parametrize("text", ["=1+1", "-5 degrees", "+44 20", "@home", "'=x"])
def test_a_formula_looking_prompt_survives_a_round_trip(text):
    item = Item(
        kind=kinds.SINGLE, prompt=text, answers=[Answer(text, 1.0), Answer("b")]
    )
    (back,) = parse(write([item]).encode()).items
    assert back.prompt == text
    assert back.answers[0].text == text


def test_a_teachers_protective_apostrophe_is_taken_off():
    (item,) = parsed("single,'=1+1?,'-5,'+5,,").items
    assert item.prompt == "=1+1?"
    assert [a.text for a in item.answers] == ["-5", "+5"]
    (item,) = parsed("single,'Twas the night,a,b,,").items
    assert item.prompt == "'Twas the night"
