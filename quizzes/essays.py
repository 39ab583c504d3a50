"""Essay text -> sections and claims with character offsets (pure: no ORM).

The contract: ``parse(text)`` returns a ``ParsedEssay`` whose ``body`` is the
text to store as ``Essay.body``; every section and claim carries ``start`` and
``end`` offsets into that body, so ``body[claim.start:claim.end] == claim.text``.

The body is the essay rebuilt in a canonical form: paragraphs separated by one
blank line, hard-wrapped lines joined, list items one per line, markdown
section headings kept as written and a leading ``# Title`` moved to ``title``.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field, replace

MAX_ESSAY_BYTES = 1024 * 1024


class EssayError(ValueError):
    """The text cannot become an essay; the message is for a teacher."""


@dataclass(frozen=True)
class ParsedClaim:
    text: str
    start: int
    end: int
    is_question_source: bool = True
    # Stable identity across re-imports: a hash of the normalised text, with a
    # suffix for repeated sentences (Claim.key is unique per essay).
    key: str = ""
    # The sentence as a question shows it, when that differs from ``text``
    # (markup removed, a pronoun replaced by what it stands for); ``text``
    # stays the exact slice of the body that the passage highlights.
    shown: str = ""
    # The sentence before, when the claim cannot be read on its own ("He
    # ...", "This belief ...") and no single antecedent could replace it.
    context: str = ""

    @property
    def question_text(self) -> str:
        return self.shown or self.text


@dataclass(frozen=True)
class ParsedSection:
    heading: str  # "" for an untitled paragraph
    start: int
    end: int
    claims: tuple[ParsedClaim, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ParsedEssay:
    title: str  # from a leading "# Title" line, else ""
    body: str
    sections: tuple[ParsedSection, ...]

    @property
    def claims(self) -> tuple[ParsedClaim, ...]:
        return tuple(claim for section in self.sections for claim in section.claims)


def _too_long(size: int) -> EssayError:
    return EssayError(
        f"The essay is too long ({math.ceil(size / 1024):,} KB); an essay may be "
        f"at most {MAX_ESSAY_BYTES // 1024:,} KB. Split it into several essays."
    )


def decode(data: bytes) -> str:
    """Bytes from a file or an upload -> text, or EssayError with the reason."""
    if len(data) > MAX_ESSAY_BYTES:
        raise _too_long(len(data))
    if b"\x00" in data:
        raise EssayError("This looks like a binary file, not plain text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EssayError(
            "The file is not UTF-8 text (save it as plain text, UTF-8)."
        ) from exc


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def normalise_for_key(text: str) -> str:
    """The parts of a sentence that matter for identity: case, spacing and
    quote styles are left out so light edits do not change a key."""
    text = text.translate(_QUOTES).casefold()
    return " ".join(text.split())


def text_key(text: str) -> str:
    return hashlib.sha1(normalise_for_key(text).encode("utf-8")).hexdigest()[:16]


def claim_keys(texts: list[str]) -> list[str]:
    """One key per claim text; a repeated sentence gets a numbered suffix
    because Claim.key is unique per essay."""
    seen: dict[str, int] = {}
    keys = []
    for text in texts:
        key = text_key(text)
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return keys


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- lines -> blocks ---------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^([-*+•]|\d{1,3}[.)])\s+(?=\S)")


@dataclass
class _Block:
    """A markdown heading (level > 0) or a paragraph with optional list items."""

    level: int = 0
    prose: list[str] = field(default_factory=list)
    items: list[tuple[str, list[str]]] = field(default_factory=list)  # marker, lines


def _lines(text: str) -> list[str]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Collapsing inner runs of spaces keeps sentence splitting and offsets
    # simple; one leading space is kept to mark an indented (continuation) line.
    return [
        (" " if line[:1].isspace() and line.strip() else "") + " ".join(line.split())
        for line in text.split("\n")
    ]


def _groups(lines: list[str]) -> list[list[str]]:
    """Paragraph-sized groups of lines: blank-line separated when the text has
    blank lines between paragraphs, otherwise one line each (the seed's form),
    keeping a list together with the line that introduces it."""
    first = next(i for i, line in enumerate(lines) if line)
    last = max(i for i, line in enumerate(lines) if line)
    lines = lines[first : last + 1]
    if "" in lines:
        groups: list[list[str]] = [[]]
        for line in lines:
            if line:
                groups[-1].append(line.lstrip())
            elif groups[-1]:
                groups.append([])
        return groups
    groups = []
    for line in lines:
        group = groups[-1] if groups else [""]
        in_list = any(_BULLET.match(earlier) for earlier in group)
        starts_list = _BULLET.match(line) and (in_list or group[-1].endswith(":"))
        continues_item = line.startswith(" ") and in_list
        if starts_list or continues_item:
            groups[-1].append(line.lstrip())
        else:
            groups.append([line.lstrip()])
    return groups


def _blocks(groups: list[list[str]]) -> list[_Block]:
    blocks: list[_Block] = []
    for group in groups:
        paragraph = _Block()
        for line in group:
            heading = _MD_HEADING.match(line)
            bullet = _BULLET.match(line)
            if heading and heading.group(2):
                if paragraph.prose or paragraph.items:
                    blocks.append(paragraph)
                    paragraph = _Block()
                blocks.append(_Block(level=len(heading.group(1)), prose=[heading[2]]))
            elif bullet:
                paragraph.items.append((bullet.group(1), [line[bullet.end() :]]))
            elif paragraph.items:
                # A line after a list item continues it (a hard-wrapped item).
                paragraph.items[-1][1].append(line)
            else:
                paragraph.prose.append(line)
        if paragraph.prose or paragraph.items:
            blocks.append(paragraph)
    return blocks


# --- "Heading: body" paragraphs ----------------------------------------------

_INLINE_HEADING = re.compile(r"^([^:]{1,80}?):\s+(?=\S)")
_SMALL_WORDS = _wordset("a an and as at by for from in into of on or the to vs with")
# Words that make a short phrase before a colon a sentence, not a title.
_SENTENCE_WORDS = _wordset(
    "i we you he she it they there this these those is are was were be been "
    "has have had do does did will would can could may might must should"
)
MAX_HEADING_WORDS = 8


def _inline_heading(paragraph: str) -> str:
    """The title of a "Consolidation of Power: Stalin wanted ..." paragraph,
    or "" when the text before the colon reads as a sentence (a list intro)."""
    match = _INLINE_HEADING.match(paragraph)
    if not match:
        return ""
    title = match.group(1).strip()
    words = title.split()
    if (
        len(words) > MAX_HEADING_WORDS
        or not title[0].isupper()
        or re.search(r"[.!?;\"“”()]", title)
        or any(word.lower() in _SENTENCE_WORDS for word in words)
    ):
        return ""
    # Title case ("Fear of Spies and Sabotage"), or a short sentence-case label.
    title_case = all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)
    return title if title_case or len(words) <= 3 else ""


# --- sentences -----------------------------------------------------------------

_END = re.compile(r"[.!?]+[)\]\"'”’»]*(?=\s|$)")
_OPENERS = "\"'“‘«(["
# Abbreviations that never end a sentence (a name or a number follows).
_ABBREVIATIONS = _wordset(
    "e.g i.e cf dr mr mrs ms messrs prof st vs gen col lt capt sgt rev fig "
    "vol pp approx ca c p jr sr mt"
)
# Abbreviations that end a sentence only when a typical sentence opener follows.
_AMBIGUOUS = _wordset("etc no inc ltd co")
_SENTENCE_OPENERS = _wordset(
    "a an after although and as at before but by despite during for from he "
    "her his however i in it its many most on one our she since some such "
    "that the their there these they this those thus to we when where while "
    "with yet"
)
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


def _ends_sentence(text: str, end: re.Match[str]) -> bool:
    rest = text[end.end() :].lstrip().lstrip(_OPENERS)
    if not rest:
        return True
    if rest[0].islower():
        # 'called "opposition." to ...', "e.g. the army": the sentence goes on.
        return False
    if end.group() != ".":
        return True
    word = text[: end.start()].rsplit(" ", 1)[-1].lstrip(_OPENERS)
    lower = word.lower()
    opener = rest.split(" ", 1)[0].strip(",;:").lower() in _SENTENCE_OPENERS
    if lower in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
        return False  # "Dr. Smith", "J. V. Stalin"
    if lower == "no" and rest[0].isdigit():
        return False  # "No. 5"
    if lower in _AMBIGUOUS or _ACRONYM.match(word):
        return opener  # "the U.S. Congress" vs "in the U.S. The war ..."
    return True


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a one-line paragraph, trimmed."""
    spans = []
    start = 0
    for end in _END.finditer(text):
        if _ends_sentence(text, end):
            spans.append((start, end.end()))
            start = end.end()
    spans.append((start, len(text)))
    trimmed = []
    for first, last in spans:
        chunk = text[first:last]
        first += len(chunk) - len(chunk.lstrip())
        last -= len(chunk) - len(chunk.rstrip())
        # Only spans with a letter are sentences: "3." or "--" are not claims.
        if first < last and re.search(r"[^\W\d_]", text[first:last]):
            trimmed.append((first, last))
    return trimmed


# --- blocks -> body, sections and claims ---------------------------------------


@dataclass
class _Section:
    heading: str
    start: int
    end: int
    claims: list[ParsedClaim] = field(default_factory=list)
    from_markdown: bool = False


class _BodyWriter:
    """Appends blocks to the body, separated by a blank line, and makes claims
    with offsets into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def append(self, text: str) -> int:
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def body(self) -> str:
        return "".join(self.parts)


def _claims(text: str, offset: int) -> list[ParsedClaim]:
    return [
        ParsedClaim(
            text=text[first:last],
            start=offset + first,
            end=offset + last,
            # A sentence ending with a colon only introduces the list below it.
            is_question_source=not text[first:last].endswith(":"),
        )
        for first, last in _sentence_spans(text)
    ]


def _write_paragraph(
    writer: _BodyWriter, block: _Block
) -> tuple[str, int, int, list[ParsedClaim]]:
    """Writes one paragraph; returns its inline heading, span and claims."""
    prose = " ".join(block.prose)
    heading = _inline_heading(prose)
    lines = [prose] if prose else []
    lines += [f"{marker} {' '.join(item)}" for marker, item in block.items]
    text = "\n".join(lines)
    start = writer.append(text)
    claims: list[ParsedClaim] = []
    if prose:
        skip = _INLINE_HEADING.match(prose).end() if heading else 0
        claims += _claims(prose[skip:], start + skip)
    offset = start + (len(prose) + 1 if prose else 0)
    for marker, item in block.items:
        item_text = " ".join(item)
        claims += _claims(item_text, offset + len(marker) + 1)
        offset += len(marker) + 1 + len(item_text) + 1
    return heading, start, start + len(text), claims


def _with_keys(sections: list[_Section]) -> tuple[ParsedSection, ...]:
    keys = iter(claim_keys([c.text for s in sections for c in s.claims]))
    return tuple(
        ParsedSection(
            section.heading,
            section.start,
            section.end,
            tuple(replace(claim, key=next(keys)) for claim in section.claims),
        )
        for section in sections
    )


def parse(text: str) -> ParsedEssay:
    """Essay text -> title, body, sections and claims; EssayError if it cannot be
    an essay (empty, too long, or without a sentence to ask about)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_ESSAY_BYTES:
        raise _too_long(size)
    lines = _lines(text)
    if not any(lines):
        raise EssayError("The essay is empty: there is no text to import.")
    blocks = _blocks(_groups(lines))
    title = ""
    if blocks[0].level == 1:
        title = blocks.pop(0).prose[0]

    writer = _BodyWriter()
    sections: list[_Section] = []
    current: _Section | None = None  # a markdown section still taking paragraphs
    for block in blocks:
        if block.level:
            line = f"{'#' * block.level} {block.prose[0]}"
            start = writer.append(line)
            current = _Section(
                block.prose[0], start, start + len(line), from_markdown=True
            )
            sections.append(current)
            continue
        heading, start, end, claims = _write_paragraph(writer, block)
        if current and not heading:
            current.end = end
            current.claims += claims
        else:
            current = None
            sections.append(_Section(heading, start, end, claims))

    sections = [section for section in sections if section.claims]
    if not any(c.is_question_source for s in sections for c in s.claims):
        raise EssayError(
            "The essay has no sentences to make questions from: it only has "
            "headings, numbers or punctuation."
        )
    return ParsedEssay(title=title, body=writer.body(), sections=_with_keys(sections))
