"""Essay text -> sections and claims with character offsets (pure: no ORM).

The contract: ``parse(text)`` returns a ``ParsedEssay`` whose ``body`` is the
text to store as ``Essay.body``; every section and claim carries ``start`` and
``end`` offsets into that body, so ``body[claim.start:claim.end] == claim.text``.

The body is the essay rebuilt in a canonical form: paragraphs separated by one
blank line, hard-wrapped lines joined (a word hyphenated at a line end put back
together), list items one per line, code lines kept as lines, markdown and
setext headings kept as written and a leading ``# Title`` (or ``Title`` over
``=====``) moved to ``title``. Control and invisible characters are dropped.

Headings come in four shapes: ``## Markdown``, setext (a line over ``===`` or
``---``), ``Heading: body`` paragraphs, and a short title line without a final
stop over a paragraph of prose ("Causes", "2.1 Early life") or, in a manual,
over a paragraph indented further ("   Implementation levels"). Each section
has a ``level`` in the text's outline and the ``parents`` it sits under.

Every claim is a sentence (or list item) as written; ``sentences`` decides
whether it is a question source and what a question shows of it
(``ParsedClaim.shown``), ``references`` what it needs from the sentence before
(``ParsedClaim.context``). ``parse`` refuses, with a reason for a teacher, a
text that is not prose: mostly one-word lines, only run-on "sentences" longer
than ``sentences.MAX_SENTENCE_CHARS``, or no sentence to ask about.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field, replace

from quizzes import headings, references, sentences

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
    # Its place in the text's outline (``headings.Outline``): level 1 for a
    # top heading, 2 under it...; 0 when untitled. ``parents``: the headings
    # it sits under, outermost first, with those that have no sentence.
    level: int = 0
    parents: tuple[str, ...] = ()


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


MAX_INVISIBLE_SHARE = 0.01


def _visible(text: str) -> str:
    """The text without control and invisible characters, or EssayError when
    there are so many that it is not a text a person wrote."""
    text = text.removeprefix("\ufeff")
    ascii_only = text.isascii()  # the common case, checked ten times faster
    pattern = sentences.ASCII_CONTROL if ascii_only else sentences.INVISIBLE
    cleaned, removed = pattern.subn("", text)
    if removed > max(MAX_INVISIBLE_SHARE * len(text), 20):
        raise EssayError(
            f"This text contains control or invisible characters ({removed:,} of "
            f"{len(text):,} characters): it looks like a binary or damaged file, "
            "not an essay. Paste or save it as plain text."
        )
    return cleaned


# --- lines -> blocks ---------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?$")
_BULLET = re.compile(r"^([-*+•]|\d{1,3}[.)]|[a-z][.)]|[A-Z]\)|\(\w{1,3}\))\s+(?=\S)")
_UNDERLINE = re.compile(r"^ ?(={2,}|-{2,})$")
_RULE_LINE = re.compile(r"^ ?(?:[-=*_~#] ?){3,}$")
_FENCE = re.compile(r"^ ?(```|~~~)")
_QUOTE_MARK = re.compile(r"^(?:> ?)+(?!>)")
_PROMPT = re.compile(r"^ ?(?:\$|>>>|\.\.\.|#!|%) ")
# Marks on lines, internal to parsing (control characters are stripped from
# the text first): code that is kept in the body but is no claim, and a
# heading line: "Title" over "=====" kept with its underline, or a manual's
# subsection title; a manual's heading over subsections only ("OPTIONS").
_CODE = "\x00"
_SETEXT = "\x01"
_OUTLINE = "\x02"


@dataclass
class _Block:
    """A heading (level > 0, ``written`` as it goes into the body), code, or
    a paragraph with optional list items (``written`` when it is a heading
    over subsections only: in the outline, but no section)."""

    level: int = 0
    prose: list[str] = field(default_factory=list)
    items: list[tuple[str, list[str]]] = field(default_factory=list)  # marker, lines
    written: str = ""
    code: bool = False


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Collapsing inner runs of spaces keeps sentence splitting and offsets
    # simple; the leading spaces are kept to tell indented lines (list item
    # continuations, code, a manual's definition lists) from the others.
    lines = []
    fenced = False
    prompt = -1  # the indent of a shell prompt line: deeper lines go with it
    for line in text.split("\n"):
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            lines.append(_CODE + line.strip())
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        line = " ".join(line.split())
        if not fenced and _QUOTE_MARK.match(line) and not _PROMPT.match(line):
            line = _QUOTE_MARK.sub("", line)  # a quotation is read as prose
        if line and _PROMPT.match(line):
            prompt = indent
        elif not line or indent <= prompt:
            prompt = -1
        # An indented "#" line is a comment in code, not a heading.
        if fenced or prompt >= 0 or (indent >= 4 and line.startswith("#")):
            lines.append(_CODE + line)
        elif line:
            lines.append(" " * min(indent, 16) + line)
        else:
            lines.append("")
    return _setext(lines)


def _setext(lines: list[str]) -> list[str]:
    """A "Title" line over "=====" or "-----" becomes one heading line; a rule
    line of dashes or stars elsewhere is no text and goes."""
    kept: list[str] = []
    for line in lines:
        title = kept[-1] if kept else ""
        before = kept[-2] if len(kept) > 1 else ""
        if _UNDERLINE.match(line) and _setext_title(title, line, before):
            level = "1" if line.strip()[0] == "=" else "2"
            kept[-1] = f"{_SETEXT}{level}{title.strip()}\n{line.strip()}"
        elif not _RULE_LINE.match(line):
            kept.append(line)
    return kept


def _setext_title(line: str, underline: str = "", before: str = "") -> bool:
    """Whether ``line`` is the title ``underline`` marks; with a full stop only
    alone and underlined to its length ("Timing guarantees, races, etc.")."""
    title = line.strip()
    fitted = abs(len(underline.strip()) - len(title)) <= 1 and not before.strip()
    return bool(
        line
        and not line.startswith((_CODE, _SETEXT, "    "))
        and len(line.split()) <= 15
        and not title.endswith((",", ";", ":") if fitted else (".", ",", ";", ":"))
        and not _BULLET.match(line.lstrip())
    )


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
                groups[-1].append(line)
            elif groups[-1]:
                groups.append([])
        groups = [part for group in groups for part in _terms(group)]
        titles = headings.subsections(groups)  # kept as a heading line
        marks = {0: _OUTLINE, 2: f"{_SETEXT}2", 3: f"{_SETEXT}3"}
        return [
            [marks[titles[i]] + group[0].strip()]
            if i in titles
            else _indented_code(group, groups[i - 1] if i else [])
            for i, group in enumerate(groups)
        ]
    groups = []
    for line in lines:
        group = groups[-1] if groups else [""]
        in_list = any(_BULLET.match(earlier) for earlier in group)
        starts_list = _BULLET.match(line) and (in_list or group[-1].endswith(":"))
        continues_item = line.startswith(" ") and in_list
        # A hard-wrapped line: the one before stops mid-sentence.
        wrapped = line[:1].islower() and re.search(r"[\w,\u2010-]$", group[-1])
        if starts_list or continues_item or (wrapped and groups):
            groups[-1].append(line.lstrip())
        else:
            groups.append([line.lstrip()])
    return groups


def _terms(group: list[str]) -> list[list[str]]:
    """A short line over lines indented further (a manual's "NAME", a
    definition list's term) is a paragraph of its own."""
    parts: list[list[str]] = [[]]
    for index, line in enumerate(group):
        parts[-1].append(line)
        after = group[index + 1] if index + 1 < len(group) else ""
        # A list item's hard-wrapped lines hang under its text, not its marker.
        bullet = _BULLET.match(line.lstrip())
        column = headings.indent(line) + (bullet.end() if bullet else 0)
        # (A manual puts two spaces after "•"; lines are collapsed to one.)
        hanging = bullet and headings.indent(after) <= column + 1
        deeper = headings.indent(after) > headings.indent(line) + 1
        if after and deeper and len(line.split()) <= 12 and not hanging:
            parts.append([])
    return [part for part in parts if part]


def _indented_code(group: list[str], before: list[str]) -> list[str]:
    """A paragraph indented four spaces without a sentence in it is code,
    unless it continues a list (a manual indents its prose too)."""
    after_list = any(_BULLET.match(line.lstrip()) for line in before)
    lines = [line.lstrip() for line in group]
    if not after_list and all(line.startswith("    ") for line in group):
        text = " ".join(lines)
        prose = any(
            sentences.is_sentence(sentences.clean(text[a:b]))
            for a, b in sentences.spans(text)
        )
        if not prose or sentences.code_like(text):
            return [_CODE + line for line in lines]
    return lines


def _blocks(groups: list[list[str]]) -> list[_Block]:
    blocks: list[_Block] = []
    for group in groups:
        paragraph = _Block()
        for line in group:
            heading = _MD_HEADING.match(line)
            bullet = _BULLET.match(line)
            if line.startswith((_CODE, _SETEXT)) or (heading and heading.group(2)):
                if paragraph.prose or paragraph.items:
                    blocks.append(paragraph)
                    paragraph = _Block()
                if line.startswith(_CODE):
                    if not (blocks and blocks[-1].code):
                        blocks.append(_Block(code=True))
                    blocks[-1].prose.append(line[1:])
                elif line.startswith(_SETEXT):
                    title = line[2:].split("\n")[0]
                    blocks.append(_Block(int(line[1]), [title], written=line[2:]))
                else:
                    blocks.append(_Block(len(heading[1]), [heading[2]], written=line))
            elif line.startswith(_OUTLINE):
                paragraph.prose.append(line[1:])
                paragraph.written = line[1:]
            elif bullet:
                paragraph.items.append((bullet.group(1), [line[bullet.end() :]]))
            elif paragraph.items:
                # A line after a list item continues it (a hard-wrapped item).
                paragraph.items[-1][1].append(line)
            else:
                paragraph.prose.append(line)
        if paragraph.prose or paragraph.items:
            blocks.append(paragraph)
    return _title_lines(blocks)


def _title_lines(blocks: list[_Block]) -> list[_Block]:
    """A paragraph of one short line without a final stop ("Causes",
    "2.1 Early life") followed by a paragraph of prose is that paragraph's
    heading."""
    for index, block in enumerate(blocks[:-1]):
        following = blocks[index + 1]
        if (
            not block.level
            and not block.code
            and (following.prose or following.items)
            and not (following.level or following.code)
        ):
            # A title over a list ("Literature" over its books) heads it too.
            first = following.prose or following.items[0][1]
            line = headings.block_title(block.prose, block.items, " ".join(first))
            if line:
                title = headings.unnumbered(line)
                blocks[index] = _Block(2, [title], written=line)
    # A first line like a title over a heading is the essay's title.
    if (
        len(blocks) > 1
        and blocks[1].level
        and headings.block_title(blocks[0].prose, blocks[0].items, "A.")
    ):
        blocks[0] = _Block(1, blocks[0].prose, written=blocks[0].prose[0])
    return blocks


# --- blocks -> body, sections and claims ---------------------------------------


@dataclass
class _Section:
    heading: str
    start: int
    end: int
    claims: list[ParsedClaim] = field(default_factory=list)
    level: int = 0
    parents: tuple[str, ...] = ()


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
    claims = []
    for first, last in sentences.spans(text):
        sentence = text[first:last]
        if len(sentence) <= sentences.MAX_SENTENCE_CHARS:
            claims.append(_claim(sentence, offset + first))
            continue
        # No full stop for hundreds of characters: cut at ";", ":" or a dash.
        pieces = sentences.long_pieces(sentence)
        for start, end in pieces:
            piece = sentence[start:end]
            shown = sentences.as_sentence(piece) if len(pieces) > 1 else piece
            claims.append(_claim(piece, offset + first + start, shown))
    return claims


_QUESTION = re.compile(r"\?[)\]\"'”’»]*$")


def _claim(text: str, start: int, shown: str = "") -> ParsedClaim:
    shown, asked = sentences.shown_of(shown or text)
    asked = asked and len(shown) <= sentences.MAX_SENTENCE_CHARS
    return ParsedClaim(
        text=text,
        start=start,
        end=start + len(text),
        # A question is no statement to ask about (nor is a list's intro, which
        # ends with a colon: no sentence by ``sentences.is_sentence``).
        is_question_source=asked and not _QUESTION.search(shown),
        shown="" if shown == text else shown,
    )


def _write_paragraph(
    writer: _BodyWriter, block: _Block
) -> tuple[str, int, int, list[ParsedClaim]]:
    """Writes one paragraph; returns its inline heading, span and claims."""
    if block.code:
        start = writer.append("\n".join(block.prose))
        return "", start, writer.length, []
    prose = sentences.join_lines(block.prose)
    heading = headings.inline_heading(prose)
    lines = [prose] if prose else []
    items = [(marker, sentences.join_lines(item)) for marker, item in block.items]
    lines += [f"{marker} {item}" for marker, item in items]
    text = "\n".join(lines)
    start = writer.append(text)
    claims: list[ParsedClaim] = []
    if prose:
        skip = headings.INLINE_HEADING.match(prose).end() if heading else 0
        claims += _claims(prose[skip:], start + skip)
        if len(claims) <= 2 and _QUESTION.search(prose):
            # A FAQ's question ("I've made a change ... branch. How should I
            # undo it?") heads its answer: no statement.
            claims = [replace(c, is_question_source=False) for c in claims]
        first = claims[0] if heading and claims else None
        if first and first.question_text[:1].islower():
            # "Causes: the harvest failed." asks "The harvest failed."
            # It is judged as shown: the lower-case opener was the title's.
            shown = first.question_text[0].upper() + first.question_text[1:]
            asked = sentences.shown_of(shown)[1] and not first.text.endswith(":")
            claims[0] = replace(first, shown=shown, is_question_source=asked)
    offset = start + (len(prose) + 1 if prose else 0)
    intro = len(claims) - 1
    for marker, item_text in items:
        claims += _claims(item_text, offset + len(marker) + 1)
        offset += len(marker) + 1 + len(item_text) + 1
    if intro >= 0 and claims[intro].text.endswith(":"):
        claims[intro] = _listed(claims[intro], claims[intro + 1 :])
    return heading, start, start + len(text), claims


def _listed(intro: ParsedClaim, items: list[ParsedClaim]) -> ParsedClaim:
    """A list's intro asked about with its items when they are short phrases:
    "The causes were:" + items -> "The causes were: debt, hunger, and ideas." """
    if any(item.is_question_source for item in items):
        return intro
    shown = sentences.listed(intro.question_text, [i.question_text for i in items])
    return replace(intro, shown=shown, is_question_source=True) if shown else intro


def _with_keys(sections: list[_Section]) -> tuple[ParsedSection, ...]:
    keys = iter(claim_keys([c.text for s in sections for c in s.claims]))
    return tuple(
        ParsedSection(
            section.heading,
            section.start,
            section.end,
            tuple(replace(claim, key=next(keys)) for claim in section.claims),
            section.level,
            section.parents,
        )
        for section in sections
    )


def _sections(blocks: list[_Block], writer: _BodyWriter) -> list[_Section]:
    sections: list[_Section] = []
    current: _Section | None = None  # a heading's section still taking paragraphs
    outline = headings.Outline([(b.written, b.level or 2) for b in blocks if b.written])
    for block in blocks:
        if block.written and not block.level:  # "OPTIONS" over subsections
            outline.heading(block.written, 2, sentences.clean(block.written))
        if block.level:
            start = writer.append(block.written)
            heading = sentences.clean(headings.unnumbered(block.prose[0]))
            place = outline.heading(block.written, block.level, heading)
            current = _Section(heading, start, writer.length, [], *place)
            sections.append(current)
            continue
        heading, start, end, claims = _write_paragraph(writer, block)
        if current and not heading:
            current.end = end
            current.claims += claims
        elif not block.code:
            current = None
            place = outline.paragraph(heading)
            sections.append(_Section(heading, start, end, claims, *place))
    before = None  # an untitled paragraph goes on from the one before it
    for section in sections:
        carried = before if not section.heading else None
        section.claims = references.resolve(section.claims, section.heading, carried)
        if headings.back_matter(section.heading):
            section.claims = [
                replace(claim, is_question_source=False) for claim in section.claims
            ]
        before = section.claims[-1] if section.claims else before
    return [section for section in sections if section.claims]


def parse(text: str) -> ParsedEssay:
    """Essay text -> title, body, sections and claims; EssayError if it cannot be
    an essay (empty, too long, not prose, or without a sentence to ask about)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_ESSAY_BYTES:
        raise _too_long(size)
    lines = _lines(_visible(text))
    if not any(lines):
        raise EssayError("The essay is empty: there is no text to import.")
    _refuse_word_lists(lines)
    blocks = _blocks(_groups(lines))
    title = ""
    if blocks[0].level == 1:
        title = sentences.clean(blocks.pop(0).prose[0])

    writer = _BodyWriter()
    sections = _sections(blocks, writer)
    _refuse_without_questions(sections)
    return ParsedEssay(title=title, body=writer.body(), sections=_with_keys(sections))


MAX_SHORT_LINE_SHARE = 0.5
MAX_SECTIONS = 300


def _refuse_word_lists(lines: list[str]) -> None:
    filled = [line for line in lines if line and not line.startswith(_CODE)]
    short = sum(len(line.split()) <= 2 for line in filled)
    if len(filled) > 200 and short > MAX_SHORT_LINE_SHARE * len(filled):
        raise EssayError(
            f"This text does not read as an essay: {short:,} of its "
            f"{len(filled):,} lines have only one or two words (a word list or a "
            "table?). Import prose: paragraphs of sentences."
        )


def _refuse_without_questions(sections: list[_Section]) -> None:
    claims = [c for s in sections for c in s.claims]
    if not any(c.is_question_source for c in claims):
        if any(len(c.text) > sentences.MAX_SENTENCE_CHARS for c in claims):
            raise EssayError(
                "The essay has no sentences short enough to make questions from: "
                f"a sentence may be at most {sentences.MAX_SENTENCE_CHARS} "
                "characters, and this text has long runs without a full stop."
            )
        raise EssayError(
            "The essay has no sentences to make questions from: it only has "
            "headings, numbers, code or fragments without a full stop."
        )
    asked = sum(any(c.is_question_source for c in s.claims) for s in sections)
    if len(sections) > MAX_SECTIONS and asked < len(sections) / 2:
        raise EssayError(
            "This text does not read as an essay: most of its paragraphs have no "
            f"sentence to ask about ({asked:,} of {len(sections):,} have one). "
            "Import prose: paragraphs of sentences."
        )
