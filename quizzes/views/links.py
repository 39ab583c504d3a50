"""The links of a list's rows, reversed once per list rather than once a row.

``{% url %}`` (like ``reverse``) matches the URL's pattern afresh on every
call: a list of ten rows with three links each spent as long reversing them
as on the rest of the page. ``links(name, *args)`` reverses the URL once
with a stand-in for its last argument and returns a function that puts each
row's value in its place; an ``<int:>`` or ``<slug:>`` argument is written
as it is, so the URL is exactly ``reverse``'s.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# Values no row has (more digits than any id; a slug of that number).
_STAND_INS = {"int": 9_876_543_210_987, "slug": "x9876543210987x"}


def links(name: str, *args, kind: str = "int") -> Callable[[int | str], str]:
    """``lambda last: reverse(name, args=[*args, last])``, at the cost of one
    reverse for them all; ``kind`` is the last argument's converter."""
    stand_in = _STAND_INS[kind]
    head, found, tail = reverse(name, args=[*args, stand_in]).rpartition(str(stand_in))
    if not found:  # the URL does not write the argument as it is
        raise ValueError(f"{name}: its last argument is not an {kind}")
    return lambda last: f"{head}{last}{tail}"
