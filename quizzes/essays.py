"""Essay text -> sections and claims with character offsets (pure: no ORM).

The contract: ``parse(text)`` returns a ``ParsedEssay`` whose ``body`` is the
text to store as ``Essay.body``; every section and claim carries ``start`` and
``end`` offsets into that body, so ``body[claim.start:claim.end] == claim.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_ESSAY_BYTES = 1024 * 1024


class EssayError(ValueError):
    """The text cannot become an essay; the message is for a teacher."""


@dataclass(frozen=True)
class ParsedClaim:
    text: str
    start: int
    end: int
    is_question_source: bool = True


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


def decode(data: bytes) -> str:
    """Bytes from a file or an upload -> text, or EssayError with the reason."""
    if len(data) > MAX_ESSAY_BYTES:
        raise EssayError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; an essay may be at most 1 MB."
        )
    if b"\x00" in data:
        raise EssayError("This looks like a binary file, not plain text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EssayError(
            "The file is not UTF-8 text (save it as plain text, UTF-8)."
        ) from exc


_SENTENCE = re.compile(r"[^.!?]+[.!?]+|[^.!?]+$")


def parse(text: str) -> ParsedEssay:
    """Provisional implementation, replaced by the full parser."""
    if len(text.encode("utf-8")) > MAX_ESSAY_BYTES:
        raise EssayError("The essay is over 1 MB; an essay may be at most 1 MB.")
    body = "\n\n".join(
        line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()
    )
    if not body:
        raise EssayError("The essay is empty.")
    sections = []
    offset = 0
    for paragraph in body.split("\n\n"):
        start = offset
        claims = []
        for match in _SENTENCE.finditer(paragraph):
            sentence = match.group().strip()
            if sentence:
                s = start + match.start() + (len(match.group()) - len(match.group().lstrip()))
                claims.append(ParsedClaim(sentence, s, s + len(sentence)))
        sections.append(ParsedSection("", start, start + len(paragraph), tuple(claims)))
        offset += len(paragraph) + 2
    if not any(s.claims for s in sections):
        raise EssayError("The essay has no sentence to make questions from.")
    return ParsedEssay("", body, tuple(sections))
