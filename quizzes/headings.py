"""Which lines and paragraph openings are headings (pure: no ORM).

``essays.parse`` finds the candidates; these functions judge one line each:
a "Heading: body" paragraph's title, and a short title line without a final
stop over a paragraph of prose ("Causes", "2.1 Early life") or, in a manual
page whose body is indented, over a paragraph indented further than the line
(``subsections``: "   Implementation levels" over "       As not all ...").
``depth`` and ``Outline`` place each heading in the text's outline: a
section's level and the headings it sits under ("2.1 Overview" under "2
Running sed", "### Proxies" under "## Components", a manual's indented
subsection under its "DESCRIPTION").
"""

from __future__ import annotations

import re
from collections import Counter

from quizzes import sentences


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


INLINE_HEADING = re.compile(r"^([^:]{1,80}?):\s+(?=\S)")
SMALL_WORDS = _wordset("a an and as at by for from in into of on or the to vs with")
# Words that make a short phrase before a colon a sentence, not a title.
SENTENCE_WORDS = _wordset(
    "i we you he she it they there this these those is are was were be been "
    "has have had do does did will would can could may might must should"
)
MAX_HEADING_WORDS = 8
# "Note: ..." is an aside to the reader, not a section.
NOTICES = _wordset("note notes tip hint warning caution important nb")


def inline_heading(paragraph: str) -> str:
    """The title of a "Consolidation of Power: Stalin wanted ..." paragraph,
    or "" when the text before the colon reads as a sentence (a list intro)."""
    match = INLINE_HEADING.match(paragraph)
    if not match:
        return ""
    title = match.group(1).strip()
    words = title.split()
    if (
        len(words) > MAX_HEADING_WORDS
        or not title[0].isupper()
        or re.search(r"[.!?;\"“”()]", title)
        or any(word.lower() in SENTENCE_WORDS for word in words)
        or title.lower() in NOTICES
    ):
        return ""
    # Title case ("Fear of Spies and Sabotage"), or a short sentence-case label.
    title_case = all(w[0].isupper() or w.lower() in SMALL_WORDS for w in words)
    return title if title_case or len(words) <= 3 else ""


NUMBERED = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+(?=\S)")
MAX_TITLE_LINE_WORDS = 10


def unnumbered(line: str) -> str:
    """ "2.1 Early life" -> "Early life"."""
    return NUMBERED.sub("", line)


def depth(written: str, level: int) -> int:
    """How deep a heading (a block of ``level``, 0 for a paragraph, as
    ``written`` in the body) sits in the text's outline: a Markdown heading
    by its "#"s, a numbered one by its number ("2.1 Overview" under "2
    Running sed", whatever line is under it), any other by its level (a
    setext title over "===" 1, over "---" 2, a title line 2, a manual's
    section 2 and its indented subsection 3)."""
    marks = re.match(r"#+(?=\s)", written)
    if marks:
        return len(marks.group())
    number = _number(written, level)
    return number.count(".") + 1 if number else level


def _number(written: str, level: int) -> str:
    """A numbered heading's number: "2.1" of "2.1 Overview", "2" of "2. Causes"."""
    number = NUMBERED.match(written) if level and written[:1] != "#" else None
    return number.group().strip(" .") if number else ""


class Outline:
    """The sections' places in the text's outline, the heading blocks
    (``written``, ``level``) walked in order: each one's level (the shallowest
    ``depth`` in the text is 1) and the headings it sits under. "3.1" is not
    under "2" even when the text's "3" is no heading. A "Heading: body"
    paragraph sits one level under the heading before it, if any; an untitled
    paragraph has level 0."""

    def __init__(self, blocks: list[tuple[str, int]]) -> None:
        depths = [depth(written, level) for written, level in blocks if level]
        self.top = min(depths, default=1) - 1
        self.path: list[tuple[int, str, str]] = []  # (level, number, heading)

    def heading(
        self, written: str, level: int, heading: str
    ) -> tuple[int, tuple[str, ...]]:
        """A heading block's level and parents; ``heading`` as it is shown."""
        place = depth(written, level) - self.top
        number = _number(written, level)
        while self.path and (
            self.path[-1][0] >= place
            or (
                number
                and self.path[-1][1]
                and not number.startswith(self.path[-1][1] + ".")
            )
        ):
            self.path.pop()
        parents = tuple(title for _, _, title in self.path)
        self.path.append((place, number, heading))
        return place, parents

    def paragraph(self, heading: str) -> tuple[int, tuple[str, ...]]:
        """A paragraph's level and parents, ``heading`` its inline one or ""."""
        parents = tuple(title for _, _, title in self.path)
        if not heading:
            return 0, parents
        return (self.path[-1][0] + 1 if self.path else 1), parents


def title_line(line: str, next_text: str, indented: bool = False) -> bool:
    """Whether ``line`` reads as the title of the paragraph ``next_text``;
    ``indented`` when the paragraph sits further right than the line, as in a
    manual (see ``subsections``): the layout then says it is a title, and the
    paragraph need not show a full stop ("...the following levels:")."""
    title = unnumbered(line)
    words = title.split()
    last = words[-1].lower().strip("\"'”’)") if words else ""
    if (
        not words
        or len(words) > MAX_TITLE_LINE_WORDS
        or not (title[0].isupper() or title[0].isdigit())
        or line.endswith((".", "!", "?", ":", ";", ","))
        or last in SMALL_WORDS
        or last in SENTENCE_WORDS
        or sentences.code_like(title)
        or re.search(r"[^\W_]_[^\W_]|\.[a-z]{2,4}$", title)  # a file name
    ):
        return False
    # The paragraph below must be prose: a capital start and (unless the
    # layout shows the title) a full stop.
    starts = next_text[:1].isupper() or next_text[:1] in "\"“'‘("
    return bool(starts and (indented or re.search(r"[.!?]", next_text)))


def block_title(
    prose: list[str], items: list[tuple[str, list[str]]], next_text: str
) -> str:
    """A paragraph's one line (``prose``, or ``items`` as marker and lines)
    when it reads as a title over ``next_text``, else ""."""
    if prose and items:
        return ""
    if items:
        # "2. Causes" was read as a list item of its own.
        if len(items) != 1 or len(items[0][1]) != 1:
            return ""
        marker, lines = items[0]
        if not re.fullmatch(r"\d{1,3}\.", marker):
            return ""
        line = f"{marker} {lines[0]}"
    elif len(prose) == 1:
        line = prose[0]
    else:
        return ""
    return line if title_line(line, next_text) else ""


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# A manual page as rendered text indents its body (7 spaces) further than its
# headings (column 0) and subsection titles (3 spaces); most of its lines of
# text are at the body's indent.
MIN_BODY_INDENT = 2
MIN_BODY_SHARE = 0.5


def body_indent(parts: list[list[str]]) -> int:
    """The indent of most lines of text (three words or more), or 0 when
    no indent holds more than half of them."""
    indents = [
        indent(line)
        for part in parts
        for line in part
        if line[:1].isprintable() and len(line.split()) > 2  # not a marked line
    ]
    if not indents:
        return 0
    common, count = Counter(indents).most_common(1)[0]
    return common if count > MIN_BODY_SHARE * len(indents) else 0


def subsections(parts: list[list[str]]) -> dict[int, int]:
    """Which paragraph-sized parts (lines with their leading spaces) are the
    title of the part below them in a text whose body is indented: one
    title-like line indented less than the body, over a paragraph at the
    body's indent ("   Implementation levels" over "       As not all ...").
    A text indented all alike, or a quotation indented in a plain text, has
    none. Each title's index maps to its heading level: 2 for a section at
    column 0 ("DESCRIPTION"), as deep as a title line, and 3 for an indented
    subsection under it; 0 for a section title at column 0 over subsections
    only ("OPTIONS" over "   Common options"), no section of its own but
    the one the subsections sit under."""
    body = body_indent(parts)
    if body < MIN_BODY_INDENT:
        return {}
    found = {}
    for index, part in enumerate(parts[:-1]):
        after = parts[index + 1]
        if len(part) != 1 or not indent(part[0]) < body == indent(after[0]):
            continue
        paragraph = " ".join(line.strip() for line in after)
        if title_line(part[0].strip(), paragraph, indented=True):
            found[index] = 3 if indent(part[0]) else 2
    for index, part in enumerate(parts[:-1]):
        over = found.get(index + 1) == 3 and index not in found and len(part) == 1
        if over and not indent(part[0]) and title_line(part[0], "A.", indented=True):
            found[index] = 0
    return found


# Back matter: what a section under such a heading lists (books, authors, a
# licence, where to ask for help) is no part of what the text teaches.
BACK_MATTER = frozenset(
    {
        "literature",
        "references",
        "see also",
        "bibliography",
        "further reading",
        "external links",
        "sources",
        "authors",
        "author",
        "copyright",
        "license",
        "licence",
        "colophon",
        "reporting bugs",
        "help",
        "acknowledgements",
        "acknowledgments",
    }
)


def back_matter(heading: str) -> bool:
    """Whether a heading opens back matter ("SEE ALSO", "References",
    "Copyright © 2005 ...")."""
    title = unnumbered(heading).strip(" :").lower()
    return title in BACK_MATTER or title.startswith(("copyright", "©"))
