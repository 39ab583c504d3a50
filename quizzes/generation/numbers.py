"""Numbers and years in a statement: which swap of one is plainly false
(pure: no ORM). A wrong year is the clearest false statement there is, but
not beside another year it must follow ("in 1257, resulting in the climate
changes of 1258"), in a range it would turn round, or after "as of" (a
statement true of 2017 stays true of 2011)."""

from __future__ import annotations

import re

from quizzes.generation.text import Term

_SO_FAR = re.compile(r"\b(?:as of|by|since|until|till|up to)\s+$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?<!\d[,.])\d{4}(?!\d|[,.]\d)")  # not of "1,257,000"
NEAR_YEARS = 10


def year_told(text: str, term: Term) -> bool:
    """A year a swap would not make plainly false: one that says "so far"
    ("As of 2017 the CDs have been discontinued" stays true of 2011), or one
    near another year of the sentence ("in 1257, resulting in the climate
    changes of 1258"), which a far one contradicts and a near one may not."""
    if not re.fullmatch(r"\d{4}", term.text):
        return False
    if _SO_FAR.search(text[max(0, term.start - 12) : term.start]):
        return True
    year = int(term.text)
    others = (int(y) for y in _YEAR.findall(text[: term.start] + text[term.end :]))
    return any(0 < abs(year - other) <= NEAR_YEARS for other in others)


def distance(term: str, other: str) -> tuple[bool, float]:
    """How far a swap is from the term, nearest first: names by length,
    numbers by value, but not so near that the statement could pass for true
    ("By 1789 the Crown was close to bankruptcy" for 1788): a year at least 5
    away, another number at least a fifth of the larger one away."""
    value, swapped = number_value(term), number_value(other)
    if value is None or swapped is None:
        return False, abs(len(other.split()) - len(term.split()))
    apart = abs(value - swapped)
    if len(term) == 4 and term.isdigit():  # a year
        return apart < 5, apart
    return apart < max(value, swapped) / 5, apart


def number_value(text: str) -> float | None:
    digits = re.sub(r"[^\d.]", "", text)
    try:
        return float(digits)
    except ValueError:
        return None


_RANGE = re.compile(r"\b(?:between|from)\s+(\d[\d,.]*)\s+(?:and|to)\s+(\d[\d,.]*)")


# "1937 and 1938", "1914-1918", "the late 1930s to the early 1940s".
_JOINED = r"\s*(?:and|or|to|until|–|-|—)\s*(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?"
_PAIRED = re.compile(rf"\d(?:['’]?s)?{_JOINED}$|^(?:['’]?s)?{_JOINED}\d")


def in_a_pair(text: str, term: Term) -> bool:
    """A number next to another ("1937 and 1938", "1914-1918"): a blank or
    swap of one is told by the other."""
    if not term.text[:1].isdigit():
        return False
    before = text[max(0, term.start - 24) : term.start]
    after = text[term.end : term.end + 24]
    return bool(_PAIRED.search(before) or _PAIRED.match(after))


def ranges(text: str) -> list[bool]:
    """Which way each range of a text runs ("between 1210 and 1300": up)."""
    return [
        (number_value(low) or 0) < (number_value(high) or 0)
        for low, high in _RANGE.findall(text)
    ]
