"""The essay as the builders see it, computed once per essay."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar

from quizzes.essays import ParsedClaim, ParsedEssay, ParsedSection, claim_keys
from quizzes.generation.names import (
    conjoined,
    mid_sentence_capitals,
    name_groups,
    name_shapes,
)
from quizzes.generation.text import (
    Enumeration,
    Term,
    comparable,
    digest,
    find_enumerations,
    find_terms,
    plural_share,
)
from quizzes.generation.topics import TOPIC_MIN_CLAIMS, content_lemmas, topic_names
from quizzes.generation.types import (
    OTHER,
    PERSON,
    classify_names,
    decide,
    fine_kind,
    intrinsic_kind,
)

# --- the essay as the generators see it ----------------------------------------------

T = TypeVar("T")

# Picking distractors or a swap looks at no more than this many candidates. In
# an ordinary essay a handful will do; in one where nearly every candidate is
# ruled out (a section that names almost every term) a claim gets fewer
# questions instead of a scan of the whole essay per claim.
MAX_LOOKS = 100


@dataclass(frozen=True)
class Source:
    index: int  # in essay.claims
    claim: ParsedClaim
    key: str
    heading: str
    section: int  # in essay.sections
    terms: tuple[Term, ...]
    enumerations: tuple[Enumeration, ...]

    @property
    def text(self) -> str:
        """The sentence the questions are built on (terms point into it)."""
        return self.claim.question_text

    @property
    def context(self) -> str:
        """The sentence a reader needs before this one, or ""."""
        return self.claim.context


class Ring:
    """Candidate texts (distractors, swaps) in an order fixed by their hashes.

    A pick starts where its salt's hash falls and walks on round the ring: it
    is deterministic, follows the texts rather than their positions (a text
    added elsewhere in the essay seldom changes it) and costs what it looks
    at, not the size of the pool. Each text has a group (its heading, the
    things a name may name); a walk steps over a whole run of one group at
    once."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        unique: dict[str, tuple[str, str, str]] = {}
        for text, group in items:
            same = comparable(text)
            if same and same not in unique:
                unique[same] = (digest(text), text, group)
        ordered = sorted(unique.values())
        self.hashes = [hashed for hashed, _, _ in ordered]
        self.texts = [text for _, text, _ in ordered]
        self.groups = [group for _, _, group in ordered]
        size = len(ordered)
        # The next position round the ring with another group than this one's.
        self.skip: list[int | None] = [None] * size
        for i in reversed(range(2 * size)):
            here, after = i % size, (i + 1) % size
            differs = self.groups[after] != self.groups[here]
            self.skip[here] = after if differs else self.skip[after]

    def walk(self, salt: str, *, avoid: str | None = None) -> Iterator[str]:
        """Every text once, from the salt's place on, except group ``avoid``."""
        size = len(self.texts)
        at = bisect_left(self.hashes, digest(salt)) % size if size else 0
        walked = 0
        while walked < size:
            if self.groups[at] == avoid:
                after = self.skip[at]
                if after is None:
                    return
                walked += (after - at) % size
                at = after
                continue
            yield self.texts[at]
            at = (at + 1) % size
            walked += 1


class EssayContext:
    """Everything computed once per essay, so that a claim's questions cost the
    same in a long essay as in a short one: claims with their section, terms
    and enumerations, which proper nouns name the same or related things, and
    the pools distractors and swaps are picked from."""

    def __init__(self, essay: ParsedEssay) -> None:
        claims = essay.claims
        self.claims = claims  # every claim, question source or not
        self.body = essay.body
        keys = [c.key for c in claims] if all(c.key for c in claims) else None
        keys = keys or claim_keys([c.text for c in claims])
        where = [
            (number, section.heading)
            for number, section in enumerate(essay.sections)
            for _ in section.claims
        ]
        names = mid_sentence_capitals(claims)
        terms: dict[str, tuple[Term, ...]] = {}  # a repeated sentence: found once
        for claim in claims:
            if claim.is_question_source and claim.question_text not in terms:
                text = claim.question_text
                terms[text] = tuple(find_terms(text, names))
        self.sources = [
            Source(
                index,
                claim,
                keys[index],
                where[index][1],
                where[index][0],
                terms[claim.question_text],
                tuple(find_enumerations(claim.question_text)),
            )
            for index, claim in enumerate(claims)
            if claim.is_question_source
        ]
        # Only sections asked about are offered as parts of the essay: a
        # back-matter "Copyright" or "HELP" heading is no answer to anything.
        self.headings = distinct(
            [
                s.heading
                for s in essay.sections
                if s.heading and any(c.is_question_source for c in s.claims)
            ]
        )
        # Each heading's ancestors and descendants in the text's outline.
        self.related_headings = related_headings(essay.sections)
        self.group = name_groups(self.sources)
        self.shape = name_shapes(self.sources)
        self.related = conjoined(self.sources, self.group)
        self.in_section = self._section_terms()
        self.by_heading: dict[str, list[Source]] = {}
        for source in self.sources:
            self.by_heading.setdefault(source.heading, []).append(source)
        self._nesting(essay)
        self._index_claims()
        self._index_headings()
        self._pools()
        self._term_kinds()
        self._builder_facts(essay, names)
        self.by_index = {source.index: source for source in self.sources}
        # What the builders work out once per essay or per claim (once()).
        self._made: dict[tuple, Any] = {}

    def once(self, key: tuple, make: Callable[[], T]) -> T:
        """``make()``, made the first time ``key`` is asked for and kept for
        the essay: a claim's drafts (the statements' plan asks whether other
        builders cover it, then generate() takes the drafts), the picks of a
        section, the entries of a definition list."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def nested(self, heading: str, other: str) -> bool:
        """Whether one of two headings sits under the other in the outline
        ("Overview" under "Running sed"): a sentence of the inner section is
        said under the outer heading too, so neither is a wrong answer for
        the other."""
        return comparable(other) in self._nested.get(comparable(heading), ())

    def inner(self, heading: str) -> frozenset[str]:
        """The headings (comparable) that sit under ``heading``."""
        return frozenset(self._inner.get(comparable(heading), ()))

    def _nesting(self, essay: ParsedEssay) -> None:
        """For each heading (comparable): the headings on its path and those
        under it, and how many of the headings asked about, and of the
        claims, are in sections on its path."""
        self._nested: dict[str, set[str]] = {}
        for heading, related in self.related_headings.items():
            nested = self._nested.setdefault(comparable(heading), set())
            nested |= {comparable(other) for other in related}
        self._inner: dict[str, set[str]] = {}
        for section in essay.sections:
            inner = comparable(section.heading)
            for parent in section.parents if inner else ():
                if comparable(parent) != inner:
                    self._inner.setdefault(comparable(parent), set()).add(inner)
        asked = {comparable(heading) for heading in self.headings}
        claims = Counter(comparable(s.heading) for s in self.sources if s.heading)
        self.nested_headings = {h: len(r & asked) for h, r in self._nested.items()}
        self.nested_claims = {
            h: sum(claims[other] for other in r) for h, r in self._nested.items()
        }

    def group_of(self, name: str) -> str:
        return self.group.get(comparable(name), comparable(name))

    def _section_terms(self) -> dict[int, set[str]]:
        """What each section already names: its heading, its terms, the groups
        of its names and the groups the essay lists with those. Swapping one
        of them in could leave a claim true."""
        found: dict[int, set[str]] = {}
        for source in self.sources:
            taken = found.setdefault(source.section, {comparable(source.heading)})
            for term in source.terms:
                taken.add(comparable(term.text))
                if term.kind in {"proper", "alias"}:
                    group = self.group_of(term.text)
                    taken |= {group} | self.related.get(group, set())
        return found

    def _index_claims(self) -> None:
        self._claims = [comparable(s.text) for s in self.sources]
        self._padded = [f" {text} " for text in self._claims]
        # The claims with each word, and with each two words in a row: a
        # statement is looked for only in the claims with its rarest pair.
        self._with_word: dict[str, list[int]] = {}
        self._with_pair: dict[tuple[str, str], list[int]] = {}
        for number, text in enumerate(self._claims):
            words = text.split()
            for word in set(words):
                self._with_word.setdefault(word, []).append(number)
            for pair in set(pairwise(words)):
                self._with_pair.setdefault(pair, []).append(number)

    def says(self, statement: str) -> bool:
        """Whether a claim of the essay contains the statement, as whole words."""
        return next(self.claims_saying(statement), None) is not None

    def _index_headings(self) -> None:
        # Each heading under its rarest word, so a claim looks only at the few
        # headings that could be in it ("The Army" and "The Navy" both start
        # with "the", which every claim has).
        words = [re.findall(r"\w+", heading.casefold()) for heading in self.headings]
        counts = Counter(word for heading in words for word in set(heading))
        self._headings_from: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        for order, heading in enumerate(self.headings):
            rarest = min(words[order], key=lambda w: (counts[w], w), default="")
            pattern = re.compile(rf"\b{re.escape(heading)}\b", re.IGNORECASE)
            self._headings_from.setdefault(rarest, []).append((order, pattern))

    def headings_in(self, text: str) -> list[tuple[str, re.Match[str]]]:
        """The essay's headings that a claim mentions, in heading order."""
        words = {""} | set(re.findall(r"\w+", text.casefold()))
        candidates = sorted(
            candidate
            for word in words
            for candidate in self._headings_from.get(word, ())
        )
        return [
            (self.headings[order], match)
            for order, pattern in candidates
            if (match := pattern.search(text))
        ]

    def _pools(self) -> None:
        self.heading_ring = Ring((h, comparable(h)) for h in self.headings)
        self.claim_ring = Ring(
            (s.text, comparable(s.heading)) for s in self.sources if s.heading
        )
        self.heading_said: dict[str, str] = {}
        for source in self.sources:
            if source.heading:
                self.heading_said[comparable(source.text)] = source.heading
        self.enumeration_pool = sorted(
            (plural_share(e.items), number, e)
            for number, e in enumerate(e for s in self.sources for e in s.enumerations)
        )

    # --- for clozes and section questions (builders.py) ---------------------------

    def _builder_facts(self, essay: ParsedEssay, names: frozenset[str]) -> None:
        """What the essay is about (a cloze never blanks it), the words seen
        capitalised mid-sentence (a blank beside one is part of a longer name),
        and how many section questions each section may have."""
        # An untitled text names its subject first ("The French Revolution
        # transformed France ..."): that name stands for the title.
        self.title = essay.title or _opening_name(self.sources)
        self.names = names
        self.needs_context = frozenset(
            comparable(source.text) for source in self.sources if source.context
        )
        # Sentences no choice is made of, nor a question on where they stand:
        # a list with no frame ("Invalid command, invalid syntax, ...").
        self.scraps = frozenset(
            comparable(source.text)
            for source in self.sources
            if any(e.start == 0 and len(e.items) >= 3 for e in source.enumerations)
        )
        self.lower_words = frozenset(
            word for source in self.sources for word in _LOWER_WORD.findall(source.text)
        )
        # In how many claims each lower-case word is: one in many of them is
        # what the essay is about, and a blank on it is guessed, not known.
        self.claims_with_word = Counter(
            word
            for source in self.sources
            for word in set(_LOWER_WORD.findall(source.text))
        )
        self.topics = topic_names(
            self.title,
            [source.text for source in self.sources],
            (term.text for source in self.sources for term in source.terms),
        )
        sizes = Counter(source.heading for source in self.sources if source.heading)
        self.headed_claims = sum(sizes.values())
        self.section_order = self._section_order()

    def _section_order(self) -> dict[int, int]:
        """Each claim's rank in its section, the claim that tells its section
        best first: the most of its content words that other claims of the
        same section use and no claim of another section does. A question
        about such a claim's section is answered by knowing what the section
        is about, not by recalling where one sentence stood."""
        sections: dict[str, Counter[str]] = {}
        for source in self.sources:
            if source.heading:
                sections.setdefault(source.heading, Counter()).update(
                    content_lemmas(source.text)
                )
        everywhere: Counter[str] = Counter()
        for words in sections.values():
            everywhere.update(set(words))
        ranked: dict[int, int] = {}
        for heading, words in sections.items():
            members = self.by_heading[heading]

            def telling(source: Source, words: Counter[str] = words) -> tuple:
                own = content_lemmas(source.text)
                told = sum(1 for w in own if words[w] > 1 and everywhere[w] == 1)
                return (-told, digest("section", source.key))

            for rank, source in enumerate(sorted(members, key=telling)):
                ranked[source.index] = rank
        return ranked

    def is_topic(self, answer: str) -> bool:
        """Whether an answer names what the essay is about: it is in the
        title, or it or one of its words ("Great Purge": "Purge", "Lombok
        Island": "Lombok") is a name found in many of the claims."""
        same = comparable(answer)
        if not same:
            return False
        if self.title and f" {same} " in f" {comparable(self.title)} ":
            return True
        return same in self.topics or any(word in self.topics for word in same.split())

    # --- what each term names, for false statements (see generation/types.py) --

    def _term_kinds(self) -> None:
        """Each name's kind from all its uses, and the swap pools by kind: a
        person is swapped only for a person, a year for a year."""
        uses = [
            (source.text, term, following.text if following else "")
            for source, following in zip(
                self.sources, [*self.sources[1:], None], strict=True
            )
            for term in source.terms
            if term.kind in {"proper", "alias"}
        ]
        lowercase = frozenset(
            word for source in self.sources for word in _LOWER.findall(source.text)
        )
        self.name_kinds = classify_names(uses, lowercase)
        self._kinds_by_group()
        for heading in self.headings:
            name = comparable(heading)
            self.name_kinds.setdefault(name, decide(name, intrinsic_kind(heading)))
        # Each term's pool, once the kinds are known (kind_pool).
        self._pool_of: dict[tuple[str, Term], tuple[str, ...] | None] = {}
        pools: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for heading in self.headings:
            kind = self.name_kinds[comparable(heading)]
            if kind != OTHER:
                pools.setdefault(("heading", kind), []).append(
                    (heading, comparable(heading))
                )
        for source in self.sources:
            for term in source.terms:
                if key := self.kind_pool(source.text, term):
                    pools.setdefault(key, []).append(
                        (term.text, self.group_of(term.text))
                    )
        self.kind_rings = {key: Ring(items) for key, items in pools.items()}
        self.kind_sizes = {
            key: Counter(ring.groups) for key, ring in self.kind_rings.items()
        }

    def _kinds_by_group(self) -> None:
        """A name of no clear kind that ends in a person's name, or is the
        last word of one, is that person: "Alexander Fleming" if "Fleming"
        is known, "Hart" if "Michael Hart" is."""
        kinds = self.name_kinds
        surnames = {name.split()[-1] for name, kind in kinds.items() if kind == PERSON}
        for name, kind in kinds.items():
            if kind == OTHER and name.split()[-1] in surnames:
                last = name.split()[-1]
                if kinds.get(last, PERSON) == PERSON or last != name:
                    kinds[name] = PERSON

    def kind_pool(self, text: str, term: Term) -> tuple[str, ...] | None:
        """The pool a term is swapped within: its kind, and for a name its
        shape; None for a term of no clear kind, which is never swapped."""
        key = (text, term)
        if key not in self._pool_of:
            self._pool_of[key] = self._kind_pool(text, term)
        return self._pool_of[key]

    def _kind_pool(self, text: str, term: Term) -> tuple[str, ...] | None:
        kind = fine_kind(text, term, self.name_kinds)
        if kind == OTHER:
            return None
        if term.kind == "heading":
            return ("heading", kind)
        if term.kind in {"proper", "alias"}:
            return (kind, *map(str, self.shape[comparable(term.text)]))
        return (kind,)

    def claims_saying(self, text: str) -> Iterator[str]:
        """The claims (comparable) that contain ``text`` as whole words."""
        words = comparable(text).split()
        if not words:
            return iter(())
        needle = f" {' '.join(words)} "
        if len(words) == 1:
            numbers = self._with_word.get(words[0], ())
        else:
            pairs = pairwise(words)
            numbers = min((self._with_pair.get(p, ()) for p in pairs), key=len)
        padded = self._padded
        return (self._claims[n] for n in numbers if needle in padded[n])


_LOWER = re.compile(r"(?<![\w'’-])[a-z][a-z0-9]*(?![\w'’-])")


# A word in lower case in running text, not in a path, URL or command option
# ("http://", "/home/alice", "--git-dir").
_LOWER_WORD = re.compile(r"(?<![\w'’/.@-])[a-z][a-z'’-]*(?![\w/:@]|\.\w)")


def related_headings(
    sections: Iterable[ParsedSection],
) -> dict[str, frozenset[str]]:
    """Each heading -> the headings on its path in the outline: those it sits
    under (``ParsedSection.parents``) and those that sit under it. A heading
    used in several places is related to what each place is related to."""
    related: dict[str, set[str]] = {}
    for section in sections:
        if not section.heading:
            continue
        related.setdefault(section.heading, set())
        for parent in section.parents:
            if parent and comparable(parent) != comparable(section.heading):
                related[section.heading].add(parent)
                related.setdefault(parent, set()).add(section.heading)
    return {heading: frozenset(found) for heading, found in related.items()}


def distinct(texts: Iterable[str]) -> list[str]:
    seen, result = set(), []
    for text in texts:
        same = comparable(text)
        if same and same not in seen:
            seen.add(same)
            result.append(text)
    return result


def _opening_name(sources: list[Source]) -> str:
    """The name a text's first sentence opens with ("The French
    Revolution"), or ""."""
    if len(sources) < TOPIC_MIN_CLAIMS or sources[0].index != 0:
        return ""  # a few lines, or a text that opens with no sentence
    terms = [term for term in sources[0].terms if term.kind == "proper"]
    if terms and terms[0].start <= len("The "):
        return terms[0].text
    return ""
