"""Which lines and paragraph openings are headings (pure: no ORM).

``essays.parse`` finds the candidates; these functions judge one line each:
a "Heading: body" paragraph's title, and a short title line without a final
stop over a paragraph of prose ("Causes", "2.1 Early life").
"""

from __future__ import annotations

import re

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


def title_line(line: str, next_text: str) -> bool:
    """Whether ``line`` reads as the title of the paragraph ``next_text``."""
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
    # The paragraph below must be prose: a capital start and a full stop.
    starts = next_text[:1].isupper() or next_text[:1] in "\"“'‘("
    return bool(starts and re.search(r"[.!?]", next_text))


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
