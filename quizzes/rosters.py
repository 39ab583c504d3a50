"""Class rosters as spreadsheets write them: a CSV file of students read into
rows, what is wrong with a row that the file itself shows, generated
passwords, and the logins as CSV.

Pure: bytes in, dataclasses out. What needs the database or Django's
validators (a username taken, a bad email address) is checked in
``selectors.classes.roster_checked``, which runs ``check_rows`` first: the
preview and the import check with that one function.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field

from quizzes.interchange.csv_rows import safe_cell

# A roster is a class or a year group; a bigger file is a mistake (a school's
# whole export), and every account costs a password hash.
MAX_ROWS = 200
MAX_BYTES = 256 * 1024

# The longest the auth user's columns take.
MAX_USERNAME = 150
MAX_NAME = 150
MAX_EMAIL = 254

# Passwords are read off paper and typed on phones: lower case and digits,
# without the look-alikes 0/o, 1/l/i. 31**10 is about 2**49.5.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 10

COLUMNS = {
    "username": "username",
    "first_name": "first name",
    "last_name": "last name",
    "email": "email",
}
REQUIRED = ("username", "first_name", "last_name")
# Header cells are compared with everything but letters removed, so
# "First Name", "first_name" and "FIRST-NAME" are one column.
HEADER_ALIASES = {
    "username": {"username", "user", "login", "loginname", "userid", "account"},
    "first_name": {"firstname", "first", "givenname", "forename", "forenames"},
    "last_name": {"lastname", "last", "surname", "familyname", "family"},
    "email": {"email", "emailaddress", "mail"},
}
SEPARATORS = ",;\t"
SAVE_AS = "In your spreadsheet choose Save as (or Download) › CSV UTF-8."


class RosterError(Exception):
    """The file as a whole cannot be read; the message is for the teacher."""


@dataclass
class RosterRow:
    line: int  # the spreadsheet's row number, the header being row 1
    username: str
    first_name: str
    last_name: str
    email: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def as_data(self) -> list:
        """What the preview carries to the import (its problems are checked again)."""
        return [self.line, self.username, self.first_name, self.last_name, self.email]

    @classmethod
    def from_data(cls, data: list) -> RosterRow:
        line, username, first_name, last_name, email = data
        return cls(int(line), str(username), str(first_name), str(last_name), email)


@dataclass
class Roster:
    rows: list[RosterRow]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def problem_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.problems]


def read_roster(data: bytes) -> Roster:
    """The file's students, unchecked. Raises RosterError for a file that is
    not a roster at all (empty, binary, not UTF-8, no header, too long)."""
    text = _decode(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    separator = max(SEPARATORS, key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        header = next(row for row in reader if any(cell.strip() for cell in row))
        columns, ignored = _columns(header)
        rows = [
            _row(reader.line_num, cells, columns)
            for cells in reader
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error as error:
        raise RosterError(
            f"Line {reader.line_num} cannot be read as CSV ({error}). {SAVE_AS}"
        ) from None
    if not rows:
        raise RosterError("The file names its columns but lists no students.")
    if len(rows) > MAX_ROWS:
        raise RosterError(
            f"The file lists {len(rows):,} students; import at most {MAX_ROWS} "
            "at a time (split the file by class)."
        )
    return Roster(rows=rows, ignored_columns=ignored)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise RosterError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise RosterError(too_big_message(len(data)))
    if data.startswith(b"PK\x03\x04"):
        raise RosterError(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterError(f"This file is saved as UTF-16 (“Unicode text”). {SAVE_AS}")
    if b"\x00" in data:
        raise RosterError(f"This is not a text file. {SAVE_AS}")
    try:
        # utf-8-sig drops the byte-order mark Excel writes before the header.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RosterError(
            f"The file is not UTF-8 text (line {line} has a character in another "
            f"encoding). {SAVE_AS}"
        ) from None


def too_big_message(size: int) -> str:
    return (
        f"The file is {size / 1024:,.0f} KB; a roster may be at most "
        f"{MAX_BYTES // 1024} KB. Is it the right file?"
    )


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which cell of a row holds which field, and the header cells ignored."""
    columns: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(header):
        key = re.sub(r"[^a-z]", "", cell.lower())
        found = next((f for f, names in HEADER_ALIASES.items() if key in names), None)
        if found is None:
            if cell.strip():
                ignored.append(cell.strip())
        elif found in columns:
            raise RosterError(f"Two columns are the {COLUMNS[found]}: keep one.")
        else:
            columns[found] = index
    missing = [COLUMNS[name] for name in REQUIRED if name not in columns]
    if missing:
        raise RosterError(
            "The first row must name the columns: username, first name, last "
            "name and (if you have them) email. "
            f"It has no {' and no '.join(missing)} column; it reads "
            f"“{_shorten(', '.join(header))}”."
        )
    return columns, ignored


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(line: int, cells: list[str], columns: dict[str, int]) -> RosterRow:
    def cell(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return " ".join(cells[index].split())

    return RosterRow(
        line=line,
        username=cell("username"),
        first_name=cell("first_name"),
        last_name=cell("last_name"),
        email=cell("email"),
    )


def check_rows(rows: list[RosterRow]) -> list[RosterRow]:
    """Each row's problems that the file shows: a missing field, a field too
    long, a username twice (in any case: "Alice" and "alice" would be two
    logins a class mixes up)."""
    limits = {
        "username": MAX_USERNAME,
        "first_name": MAX_NAME,
        "last_name": MAX_NAME,
        "email": MAX_EMAIL,
    }
    lines: dict[str, list[int]] = {}
    for row in rows:
        if row.username:
            lines.setdefault(row.username.lower(), []).append(row.line)
    for row in rows:
        row.problems = [
            f"No {COLUMNS[name]}." for name in REQUIRED if not getattr(row, name)
        ]
        row.problems += [
            f"The {COLUMNS[name]} is too long (at most {limit} characters)."
            for name, limit in limits.items()
            if len(getattr(row, name)) > limit
        ]
        others = [n for n in lines.get(row.username.lower(), []) if n != row.line]
        if others:
            where = ", ".join(str(n) for n in others)
            row.problems.append(
                f"The username {row.username} is also on row {where} of the file."
            )
    return rows


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def logins_csv(logins: list[dict], *, classroom: str, address: str) -> str:
    """The logins the teacher hands out, as a spreadsheet opens them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["First name", "Last name", "Username", "Password", "Class", "Log in at"]
    )
    for login in logins:
        cells = [login["first_name"], login["last_name"], login["username"]]
        writer.writerow(
            [safe_cell(c) for c in [*cells, login["password"], classroom]] + [address]
        )
    return out.getvalue()
