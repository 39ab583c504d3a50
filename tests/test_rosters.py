"""Roster files as spreadsheets export them, read without a database."""

import csv
import io
import re

import pytest

from quizzes import rosters
from quizzes.interchange.csv_rows import safe_cell
from quizzes.rosters import RosterError, RosterRow, check_rows, read_roster

GOOD = b"username,first name,last name,email\nasmith,Alice,Smith,alice@example.org\n"


def read(text: str | bytes) -> list[RosterRow]:
    data = text.encode() if isinstance(text, str) else text
    return check_rows(read_roster(data).rows)


def test_a_plain_roster_is_read_row_by_row():
    rows = read(
        "username,first name,last name,email\n"
        "asmith,Alice,Smith,alice@example.org\n"
        "bjones,Ben,Jones,\n"
    )
    assert [(r.line, r.username, r.name, r.email) for r in rows] == [
        (2, "asmith", "Alice Smith", "alice@example.org"),
        (3, "bjones", "Ben Jones", ""),
    ]
    assert not any(row.problems for row in rows)


def test_excel_exports_are_read_bom_semicolons_crlf_and_any_header_spelling():
    data = (
        "\ufeffUser Name;FIRST_NAME;Surname;E-mail;Form\r\n"
        "asmith;Alice;Smith;;10B\r\n"
        "\r\n"
        ";;;;\r\n"
        "bjones;  Ben  ;Jones;ben@example.org;10B\r\n"
    ).encode("utf-8")
    roster = read_roster(data)
    assert [(r.line, r.username, r.first_name) for r in roster.rows] == [
        (2, "asmith", "Alice"),
        (5, "bjones", "Ben"),
    ]
    assert roster.ignored_columns == ["Form"]


def test_tabs_and_columns_in_any_order_with_quoted_commas():
    rows = read('Last Name\tUsername\tGiven name\n"Smith, Jr"\tasmith\tAlice\n')
    assert (rows[0].username, rows[0].first_name, rows[0].last_name) == (
        "asmith",
        "Alice",
        "Smith, Jr",
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (",Alice,Smith,", "No username."),
        ("asmith,,Smith,", "No first name."),
        ("asmith,Alice,,", "No last name."),
        ("asmith,Alice", "No last name."),  # a short row
        ("a" * 151 + ",Alice,Smith,", "The username is too long (at most 150"),
        ("asmith," + "A" * 151 + ",Smith,", "The first name is too long"),
        ("asmith,Alice," + "S" * 151 + ",", "The last name is too long"),
        ("asmith,Alice,Smith," + "a" * 250 + "@x.org", "The email is too long"),
    ],
)
def test_each_row_says_what_is_missing_or_too_long(line, problem):
    (row,) = read("username,first name,last name,email\n" + line + "\n")
    assert any(p.startswith(problem) for p in row.problems), row.problems


def test_a_username_twice_in_the_file_in_any_case_marks_every_row_with_it():
    rows = read(
        "username,first name,last name\n"
        "asmith,Alice,Smith\n"
        "bjones,Ben,Jones\n"
        "ASmith,Alan,Smith\n"
    )
    assert rows[0].problems == ["The username asmith is also on row 4 of the file."]
    assert rows[1].problems == []
    assert rows[2].problems == ["The username ASmith is also on row 2 of the file."]


def test_checking_again_does_not_pile_problems_up():
    rows = read("username,first name,last name\nasmith,,Smith\n")
    assert check_rows(rows)[0].problems == ["No first name."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\n", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet workbook, not a CSV"),
        ("username,first name".encode("utf-16"), "saved as UTF-16"),
        (b"username\x00,first\x00", "This is not a text file."),
        (
            "username,first name,last name\nzoe,Zoë,Brown\n".encode("cp1252"),
            "not UTF-8 text (line 2",
        ),
        (b"asmith,Alice,Smith\n", "The first row must name the columns"),
        (b"username,first name\nasmith,Alice\n", "It has no last name column"),
        (b"username,first name,last name\n\n", "lists no students"),
        (b"username,login,first name,last name\n", "Two columns are the username"),
        (b"x" * (rosters.MAX_BYTES + 1), "a roster may be at most 256 KB"),
    ],
)
def test_a_file_that_is_no_roster_says_why(data, message):
    with pytest.raises(RosterError, match=re.escape(message)):
        read_roster(data)


def test_thousands_of_rows_are_refused_with_the_limit():
    body = "".join(f"s{n},First,Last\n" for n in range(3000))
    with pytest.raises(RosterError, match="lists 3,000 students; import at most 200"):
        read_roster(("username,first name,last name\n" + body).encode())


def test_the_header_problem_quotes_what_the_first_row_says():
    with pytest.raises(RosterError, match="it reads “asmith, Alice, Smith”"):
        read_roster(b"asmith,Alice,Smith\n")


def test_rows_travel_through_the_preview_as_plain_data():
    (row,) = read(GOOD)
    again = RosterRow.from_data(row.as_data())
    assert again == RosterRow(2, "asmith", "Alice", "Smith", "alice@example.org")


def test_passwords_are_ten_characters_without_look_alikes():
    passwords = {rosters.new_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 10
        assert not set(password) & set("0o1liI")
        assert set(password) <= set(rosters.PASSWORD_ALPHABET)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Alice", "Alice"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_made_text(value, safe):
    assert safe_cell(value) == safe


def test_the_logins_csv_has_a_header_and_escapes_formulas():
    logins = [
        {
            "username": "asmith",
            "first_name": "=cmd|' /C calc'!A0",
            "last_name": "Smith",
            "password": "abcdefghjk",
        }
    ]
    text = rosters.logins_csv(logins, classroom="+10B", address="https://x.org/login/")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "First name",
        "Last name",
        "Username",
        "Password",
        "Class",
        "Log in at",
    ]
    assert rows[1] == [
        "'=cmd|' /C calc'!A0",
        "Smith",
        "asmith",
        "abcdefghjk",
        "'+10B",
        "https://x.org/login/",
    ]
