"""The question files PurgeQuiz reads and writes, one entry per format, so
that the commands and the admin name a format and never its module: how
its files are called, how they are read into ``Parsed`` and written from
items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quizzes.interchange import csv_rows, gift, moodle_xml
from quizzes.interchange.items import InterchangeError, Item, Parsed


@dataclass(frozen=True)
class Format:
    name: str  # as a teacher knows it
    suffixes: tuple[str, ...]  # the first is the one exports are given
    content_type: str
    read: Callable[[bytes], Parsed]
    write: Callable[[list[Item], str], bytes]  # the items, their category

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


def _csv_read(data: bytes) -> Parsed:
    """A spreadsheet read whole, or refused with every row's problems."""
    rows = csv_rows.parse(data)
    if rows.problems:
        raise InterchangeError("\n".join(str(p) for p in rows.problems))
    return Parsed(items=rows.items)


FORMATS = {
    "gift": Format(
        "GIFT",
        (".gift", ".txt"),
        "text/plain; charset=utf-8",
        gift.parse_bytes,
        lambda items, _category: gift.write(items).encode(),
    ),
    "moodle_xml": Format(
        "Moodle XML",
        (".xml",),
        "application/xml",
        moodle_xml.parse,
        lambda items, category: moodle_xml.write(items, category=category),
    ),
    "csv": Format(
        "CSV",
        (".csv",),
        "text/csv; charset=utf-8",
        _csv_read,
        lambda items, _category: csv_rows.write(items).encode(),
    ),
}


def by_suffix(name: str) -> str | None:
    """The format a file's name says (its key in FORMATS), or None."""
    lowered = name.lower()
    for key, fmt in FORMATS.items():
        if lowered.endswith(fmt.suffixes):
            return key
    return None
