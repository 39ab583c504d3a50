"""Proper names as the essay uses them (pure: no ORM): which capitalised
words are names, which names name the same thing ("Purge", "Great Purge",
"also known as"), which the essay lists together, and how each is used
(with "the", as an adjective), so that a swap keeps a statement grammatical
and false."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from quizzes.essays import ParsedClaim
from quizzes.generation.text import (
    AUXILIARIES,
    ITEM_BREAKS,
    VERBS,
    Term,
    comparable,
    is_sentence_start,
    word_spans,
)

if TYPE_CHECKING:
    from quizzes.generation.context import Source


def mid_sentence_capitals(claims: tuple[ParsedClaim, ...]) -> frozenset[str]:
    return frozenset(
        word
        for text in {claim.question_text for claim in claims}
        for word, start, _, _ in word_spans(text)
        if word[0].isupper() and not is_sentence_start(text, start)
    )


def name_groups(sources: list[Source]) -> dict[str, str]:
    """Proper phrases that may name the same thing share a group: one inside
    the other ("Purge", "Great Purge") or given as "also known as"."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    names = {
        comparable(t.text)
        for s in sources
        for t in s.terms
        if t.kind in {"proper", "alias"}
    }
    for name in names:
        # Every run of its words that is a name too: as many look-ups as the
        # name has runs, not one comparison per pair of names.
        words = name.split()
        for first in range(len(words)):
            for last in range(first + 1, len(words) + 1):
                part = " ".join(words[first:last])
                if part != name and part in names:
                    union(part, name)
    for source in sources:
        aliases = [t for t in source.terms if t.kind == "alias"]
        named = [t for t in source.terms if t.kind == "proper"]
        for alias in aliases:
            before = [t for t in named if t.end <= alias.start]
            if before:  # "the Great Purge, also known as the Great Terror"
                nearest = max(before, key=lambda t: t.end)
                union(comparable(alias.text), comparable(nearest.text))
    return {name: find(name) for name in names}


_CONJUNCTION = re.compile(
    r"\s*(?:,\s*(?:(?:and|or|nor)\s+)?|(?:and|or|nor)\s+)"
    r"(?:(?:the|a|an|his|her|its|their)\s+)?",
    re.IGNORECASE,
)


def conjoined(sources: list[Source], group: dict[str, str]) -> dict[str, set[str]]:
    """Name groups the essay lists together ("the Communist Party and the
    Soviet government", "Voltaire and Rousseau"): names of one family, so
    swapping one for the other may leave a statement true."""
    related: dict[str, set[str]] = {}
    for source in sources:
        text = source.text
        names = sorted(
            (t for t in source.terms if t.kind in {"proper", "alias"}),
            key=lambda t: t.start,
        )
        run: list[Term] = names[:1]
        for before, name in pairwise(names):
            if not _CONJUNCTION.fullmatch(text[before.end : name.start]):
                run = []
            for other in run:
                a, b = group[comparable(other.text)], group[comparable(name.text)]
                related.setdefault(a, set()).add(b)
                related.setdefault(b, set()).add(a)
            run.append(name)
    return related


_DETERMINED = re.compile(r"\b(the|his|her|its|their|our)\s$|['’]s\s$", re.IGNORECASE)


def is_adjective(text: str, term: Term) -> bool:
    """Whether a name is used to qualify a noun: "the Soviet government"."""
    following = text[term.end :].split(" ", 2)
    return (
        text[term.end : term.end + 1] == " "
        and len(following) > 1
        and following[1][:1].islower()
        and following[1].strip(".,;:") not in _NOT_NOUNS
        # "Rousseau questioned" is a name before a verb, not an adjective.
        and not following[1].endswith("ed")
        and following[1] not in _NOT_NAMED
    )


_NOT_NOUNS = ITEM_BREAKS | {"and", "or", "as"}
_NOT_NAMED = VERBS | AUXILIARIES


def name_shapes(sources: list[Source]) -> dict[str, tuple[bool, bool]]:
    """How a name is used: (takes "the", used as an adjective). Swapping only
    names of the same shape keeps a false statement grammatical: "Stalin" for
    "Lenin", "the Communist Party" for "the Soviet Union"."""
    seen: dict[str, list[tuple[bool, bool]]] = {}
    for source in sources:
        text = source.text
        for term in source.terms:
            if term.kind not in {"proper", "alias"}:
                continue
            article = bool(_DETERMINED.search(text, max(0, term.start - 8), term.start))
            adjective = is_adjective(text, term)
            seen.setdefault(comparable(term.text), []).append((article, adjective))
    return {
        name: (
            sum(a for a, _ in uses) * 2 > len(uses),
            sum(b for _, b in uses) * 2 > len(uses),
        )
        for name, uses in seen.items()
    }
