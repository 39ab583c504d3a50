"""The characters of Moodle's GIFT format: escapes, format markers, weights,
the blank-line blocks a file is made of, and the tags of its comments
(pure: ``gift`` reads and writes questions with these).

GIFT gives ``~ = # { } :`` a meaning and lets a backslash take it away
(``\\~``), ``\\n`` stands for a line break and ``\\\\`` for a backslash, as in
Moodle's qformat_gift. Finding the structure (the answer block, each answer,
its feedback) must skip the escaped characters, so the parser looks for them
in a *mask* of the text: the same text with every escaped pair blotted out,
of the same length, so that a position found in the mask is a position in the
text. A piece is unescaped only once it is cut out.

One escape is ours: GIFT has no way to write ``->`` inside an answer block
(a short answer or a feedback holding it turns into a matching question), so
the writer writes ``-\\>`` and the parser reads ``\\>`` as ``>``. Moodle would
show that backslash.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from quizzes.interchange.items import HTML, InterchangeError, sanitise_html

_ESCAPED = re.compile(r"\\([\\:#={}~n>])")
_SPECIAL = re.compile(r"[\\:#={}~\n]")
_MARKER = re.compile(r"\[(moodle|html|plain|markdown)\]")
# A weight is %number% right after the = or ~: anything between two % signs
# with no space is taken for one, so that %abc% is refused rather than kept
# as the answer's text (which is what Moodle does).
_WEIGHT = re.compile(r"%([^%\s]*)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_COMMENT_TAG = re.compile(r"\[(id|tag):((?:\\\]|[^\]\n])*)\]")

# What PHP's trim() takes away, as Moodle trims every text: a no-break space
# at the start of an answer is the teacher's, not layout.
WHITESPACE = " \t\n\r\x00\x0b"


def trim(text: str) -> str:
    return text.strip(WHITESPACE)


def mask(raw: str) -> str:
    """``raw`` with each escaped pair turned into two characters GIFT gives
    no meaning to, so that searching it finds only the characters that
    mean something."""
    return _ESCAPED.sub("\x01\x01", raw)


def unescape(raw: str) -> str:
    return _ESCAPED.sub(lambda found: "\n" if found[1] == "n" else found[1], raw)


def escape(text: str, *, arrows: bool = False) -> str:
    """``text`` as GIFT writes it: every special character behind a
    backslash, line breaks as ``\\n`` (a real one could end the question),
    and, inside an answer block (``arrows``), ``->`` as ``-\\>``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    written = _SPECIAL.sub(
        lambda found: "\\" + ("n" if found[0] == "\n" else found[0]), text
    )
    return written.replace("->", "-\\>") if arrows else written


def take_format(raw: str, default: str) -> tuple[str, str]:
    """The format a text's ``[html]``-style marker names (or ``default``)
    and the text without its marker. An unknown name is no marker: the
    text keeps it, as in Moodle."""
    raw = trim(raw)
    found = _MARKER.match(raw)
    return (found[1], raw[found.end() :]) if found else (default, raw)


def finish(raw: str, text_format: str) -> str:
    """The text a piece of GIFT stands for: unescaped, trimmed, and
    sanitised if it is HTML."""
    text = trim(unescape(raw))
    return sanitise_html(text) if text_format == HTML else text


def take_weight(raw: str, default: float, line: int) -> tuple[float, str]:
    """The fraction a leading ``%50%`` gives an answer (0.5), or
    ``default``, and the rest of the answer. A weight is read as a decimal,
    so that the writer's ``%33.3%`` comes back as the same fraction."""
    raw = raw.lstrip(WHITESPACE)
    found = _WEIGHT.match(raw)
    if not found:
        return default, raw
    weight = found[1]
    if not _NUMBER.fullmatch(weight):
        raise InterchangeError(
            f"The weight %{weight}% is not a number: write a percentage "
            "from -100 to 100 between the % signs, like ~%50%.",
            line,
        )
    if not -100 <= Decimal(weight) <= 100:
        raise InterchangeError(
            f"The weight %{weight}% is outside -100 to 100: an answer can earn "
            "at most the whole mark (100) and take away at most the whole "
            "mark (-100).",
            line,
        )
    return float(Decimal(weight) / 100), raw[found.end() :]


def write_weight(fraction: float) -> str:
    """``%50%`` for 0.5: the fraction's shortest decimal times 100, which
    take_weight reads back into the same float."""
    weight = Decimal(repr(float(fraction))) * 100
    return f"%{format(weight.normalize(), 'f')}%"


@dataclass
class Block:
    """A run of lines with no blank line in it: a question, a category, or
    only comments. Comment lines are kept as empty lines, so that a position
    in ``text`` still tells its line."""

    line: int  # the line of its first line in the file (1-based)
    text: str
    comments: str


def blocks(text: str) -> Iterator[Block]:
    lines = text.split("\n")
    start = None
    for number, line in enumerate([*lines, ""]):
        if trim(line) and start is None:
            start = number
        elif not trim(line) and start is not None:
            own = lines[start:number]
            comments = [line for line in own if _is_comment(line)]
            kept = ["" if _is_comment(line) else line for line in own]
            yield Block(start + 1, "\n".join(kept), "\n".join(comments))
            start = None


def _is_comment(line: str) -> bool:
    return trim(line).startswith("//")


def comment_tags(comments: str) -> tuple[str, list[str]]:
    """The id number and tags of Moodle's ``// [id:x] [tag:y]`` comments:
    the first id, every tag, trimmed, ``\\]`` read as ``]``; neither runs
    over a line's end."""
    key, tags = "", []
    for name, value in _COMMENT_TAG.findall(comments):
        value = trim(value.replace("\\]", "]"))
        if name == "id" and not key:
            key = value
        elif name == "tag" and value:
            tags.append(value)
    return key, tags


def write_comment_tags(key: str, tags: list[str]) -> str:
    def value(text: str) -> str:
        return " ".join(text.split()).replace("]", "\\]")

    marks = [f"[id:{value(key)}]"] if key else []
    marks += [f"[tag:{value(tag)}]" for tag in tags]
    return "// " + " ".join(marks) if marks else ""
