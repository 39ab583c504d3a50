"""Claims -> question and card drafts (pure: no ORM).

The contract: ``generate(essay)`` takes a ``ParsedEssay`` and returns a list of
``QuestionDraft`` in a deterministic order. ``claim_index`` is the position of
the source claim in ``essay.claims`` (None for essay-level questions such as
matching); ``generator_key`` is stable across re-imports of the same text.

Every question is built from what the text itself marks: headings, proper-noun
phrases, numbers and decades, quoted terms, "also known as" names and
enumerations ("A, B, or C"). Nothing depends on one essay's wording. Keys are
``<template>:<claim key>[:<term hash>]`` so they follow a claim's text, never
its position, and an edit elsewhere leaves them alone.

``compose_quiz`` then picks, from the questions as saved, the ones that make
one quiz together without giving each other away.

Everything an essay needs is computed once (``_Essay``), so a claim's
questions cost the same in a long essay as in a short one.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, pairwise

from quizzes.essays import ParsedClaim, ParsedEssay, claim_keys, normalise_for_key

BLANK = "_____"

SINGLE, MULTIPLE, TRUE_FALSE, CLOZE, MATCHING = (
    "single",
    "multiple",
    "true_false",
    "cloze",
    "matching",
)
MAX_DISTRACTORS = 3
SWAP_CANDIDATES = 12  # looked at for a false statement, closest length first
MAX_CLOZES_PER_CLAIM = 2
MAX_MATCHING_PAIRS = 6
SUMMARY_WORDS = 14
MAX_ITEM_WORDS = 4


@dataclass(frozen=True)
class ChoiceDraft:
    text: str
    is_correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class PairDraft:
    left: str
    right: str


@dataclass(frozen=True)
class QuestionDraft:
    generator_key: str
    kind: str  # a value of Question.Kind: single, multiple, true_false, cloze, matching
    prompt: str
    explanation: str
    claim_index: int | None
    choices: tuple[ChoiceDraft, ...] = field(default_factory=tuple)
    accepted_answers: tuple[str, ...] = field(default_factory=tuple)
    pairs: tuple[PairDraft, ...] = field(default_factory=tuple)
    is_true: bool | None = None  # true_false only
    # Which generator made it: which_section, section_summary, tf_true,
    # tf_false, cloze, enumeration, matching (also the key's first part).
    template: str = ""


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- text helpers ----------------------------------------------------------------


_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=2**16)  # names and headings are compared over and over
def comparable(text: str) -> str:
    """Text as a student's eye compares it: no case, punctuation or extra spaces."""
    return " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` appears in ``haystack`` as whole words."""
    needle = comparable(needle)
    return bool(needle) and f" {needle} " in f" {comparable(haystack)} "


def digest(*parts: str, size: int = 8) -> str:
    joined = "\x1f".join(normalise_for_key(part) for part in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:size]


def _shuffled(choices: list[ChoiceDraft], salt: str) -> tuple[ChoiceDraft, ...]:
    # Ordered by a hash so the correct answer is not always first, and the
    # order survives a re-import. Salted apart from the hash that picked the
    # distractors: sorting by that one again put the answer last half the time.
    return tuple(sorted(choices, key=lambda choice: digest("order", salt, choice.text)))


def _quote(claim: ParsedClaim) -> str:
    return f'The essay says: "{claim.text}"'


# --- terms: what a cloze blanks and a false statement swaps ------------------------


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # proper, alias, quoted, decade, year, number, heading
    start: int  # offsets in the claim's text
    end: int


_PRIORITY = {"quoted": 0, "alias": 0, "decade": 1, "year": 1, "number": 1}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CONNECTORS = _wordset("of the de du la von van")
_NOT_NAMES = _wordset("i he she it we they you me him her us them my his its our their")
_FUNCTION_WORDS = _wordset(
    "a an the this that these those in on at by for from with to of as after "
    "before during while when although though despite since because if but "
    "and or so yet his her its their our my many some most all each every no"
)
_DECADE = re.compile(r"\b(1\d|20)\d0['’]?s\b")
_YEAR = re.compile(r"\b(1\d|20)\d\d\b(?!['’]?s)")
_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.,])\d+(?:\.\d+)?%?(?!\w)"
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{1,60}?)[.,!?]?[\"”]")
_ALSO_KNOWN_AS = re.compile(r"\balso known as (?:the )?", re.IGNORECASE)
_HEDGES = re.compile(
    r"\b(may|might|could|some|generally|believed|probably|perhaps|possibly|"
    r"likely|arguably|seems?|suggests?)\b",
    re.IGNORECASE,
)


def _words(text: str) -> Iterator[tuple[str, int, int, bool]]:
    """(word, start, end, possessive) for each word; "Stalin's" -> "Stalin"."""
    for match in _WORD.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        possessive = word.endswith(("'s", "’s"))
        if possessive:
            word, end = word[:-2], end - 2
        yield word.strip("'’-"), start, start + len(word.rstrip("'’-")), possessive


def _is_sentence_start(text: str, position: int) -> bool:
    return not text[:position].strip().strip("\"'“‘([")


def proper_phrases(text: str, names: frozenset[str]) -> list[Term]:
    """Runs of capitalised words ("Great Terror", "Declaration of the Rights of
    Man"). A sentence's first word counts only when ``names`` (words seen
    capitalised mid-sentence in the essay) says it is a name, so "The" in
    "The Purge" or "Despite" are never terms."""
    words = list(_words(text))
    terms = []
    i = 0
    while i < len(words):
        if not words[i][0][0].isupper():
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(words) and not words[run[-1]][3]:
            gap_ok = text[words[j - 1][2] : words[j][1]] == " "
            if (
                gap_ok
                and words[j][0][0].isupper()
                or gap_ok
                and words[j][0] in _CONNECTORS
                and _continues(words, j, text)
            ):
                run.append(j)
            else:
                break
            j += 1
        i = j
        first = words[run[0]][0]
        # Capitalised only because it opens the sentence, unless it starts a
        # longer name ("Louis XVI could not", but "The Purge grew").
        opener = _is_sentence_start(text, words[run[0]][1]) and first not in names
        if opener and (len(run) == 1 or first.lower() in _FUNCTION_WORDS):
            run = run[1:]
        while run and not words[run[0]][0][0].isupper():
            run = run[1:]
        if not run or (len(run) == 1 and words[run[0]][0].lower() in _NOT_NAMES):
            continue
        start, end = words[run[0]][1], words[run[-1]][2]
        terms.append(Term(text[start:end], "proper", start, end))
    return terms


def _continues(words: list[tuple[str, int, int, bool]], j: int, text: str) -> bool:
    """A connector ("of", "the") joins a name only if capitals follow it."""
    for k in range(j + 1, min(j + 3, len(words))):
        if text[words[k - 1][2] : words[k][1]] != " ":
            return False
        if words[k][0][0].isupper():
            return True
        if words[k][0] not in _CONNECTORS:
            return False
    return False


def _number_terms(text: str) -> list[Term]:
    terms = [
        Term(m.group(), "decade", m.start(), m.end()) for m in _DECADE.finditer(text)
    ]
    terms += [Term(m.group(), "year", m.start(), m.end()) for m in _YEAR.finditer(text)]
    taken = [(t.start, t.end) for t in terms]
    for match in _NUMBER.finditer(text):
        if not any(s <= match.start() < e for s, e in taken):
            terms.append(Term(match.group(), "number", match.start(), match.end()))
    return terms


def _quoted_terms(text: str) -> list[Term]:
    return [
        Term(m.group(1), "quoted", m.start(1), m.end(1))
        for m in _QUOTED.finditer(text)
        if len(m.group(1).split()) <= 5 and re.search(r"[^\W\d_]", m.group(1))
    ]


def _alias_terms(text: str, proper: list[Term]) -> list[Term]:
    """The name after "also known as": a proper phrase if one starts there,
    else the words up to the next punctuation."""
    terms = []
    for match in _ALSO_KNOWN_AS.finditer(text):
        at = match.end()
        named = next((t for t in proper if t.start == at), None)
        if named:
            terms.append(Term(named.text, "alias", named.start, named.end))
            continue
        phrase = re.match(r"[^,.;:()]+", text[at:])
        if phrase and 0 < len(phrase.group().split()) <= 5:
            words = phrase.group().rstrip()
            terms.append(Term(words, "alias", at, at + len(words)))
    return terms


def find_terms(text: str, names: frozenset[str] = frozenset()) -> list[Term]:
    """Non-overlapping key terms of one claim, best cloze candidates first."""
    proper = proper_phrases(text, names)
    found = _quoted_terms(text) + _alias_terms(text, proper)
    found += _number_terms(text) + proper
    terms: list[Term] = []
    for term in found:  # earlier kinds win an overlap: "opposition" over a name
        if all(term.end <= t.start or term.start >= t.end for t in terms):
            terms.append(term)
    return sorted(terms, key=_rank)


def _rank(term: Term) -> tuple[int, int]:
    if term.kind in _PRIORITY:
        return _PRIORITY[term.kind], term.start
    return (2 if " " in term.text else 3), term.start


# --- enumerations: "imprisonment, execution, or exile" -------------------------------


@dataclass(frozen=True)
class Enumeration:
    items: tuple[str, ...]
    start: int  # span of the whole list in the claim's text
    end: int


_ITEM_BREAKS = _wordset(
    "including include includes such as like that which who whose to the a "
    "an of in on at by from with for into than is are was were be been "
    "being has have had leading led it there through across over under about "
    "between among against during after before without within and or but "
    "he she they we i you all both each"
)
# Words inside a segment that make it a clause rather than a list item
# ("ideas about liberty"); the glue words may sit inside an item
# ("desire for absolute power").
# Common irregular past tenses: "the commoners paid ..." ends a list item.
_VERBS = _wordset(
    "paid spread made took gave became began grew fell rose saw won lost left "
    "kept held brought fought sold bought thought felt met ran came went did "
    "said found told led had was were"
)
_AUXILIARIES = _wordset("could would should may might must can will did does do also")
_CLAUSE_WORDS = (_ITEM_BREAKS - _wordset("of for in on with from")) | _VERBS
_DETERMINERS = _wordset("the a an his her its their our my")


def _segments(text: str) -> list[tuple[str, int]]:
    """Comma-separated pieces of a claim with their offsets."""
    pieces, start = [], 0
    for match in re.finditer(r", ", text):
        pieces.append((text[start : match.start()], start))
        start = match.end()
    pieces.append((text[start:], start))
    return pieces


def _item(text: str, offset: int) -> tuple[str, int, int] | None:
    """A list item without a leading determiner, or None if it is not one."""
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        offset += len(words[0]) + 1
        words = words[1:]
    item = " ".join(words)
    if not words or len(words) > MAX_ITEM_WORDS or not re.search(r"[^\W\d_]", item):
        return None
    return item, offset, offset + len(item)


def _middle_item(text: str, offset: int) -> tuple[str, int, int] | None:
    """A whole segment that reads as an item: short, no clause words."""
    item = _item(text, offset)
    if not item or re.search(r"[;:()]", text):
        return None
    words = item[0].lower().split()
    if words[0] in _ITEM_BREAKS or _CLAUSE_WORDS.intersection(words[1:]):
        return None
    if any(word.endswith("ed") for word in words[1:]):
        return None  # "Victims included party members" is a clause
    return item


def _first_item(text: str, offset: int, max_words: int) -> tuple[str, int, int] | None:
    """The list's first item: the end of the segment, after the last clause
    word, no longer than the other items ("leading to the imprisonment")."""
    kept: list[str] = []
    for word in reversed(text.split()):
        if word.lower() in _ITEM_BREAKS or re.search(r"[;:()]", word):
            break
        kept.insert(0, word)
    item = " ".join(kept[-max_words:])
    return _item(item, offset + len(text) - len(item)) if item else None


def _last_item(text: str, offset: int, max_words: int) -> tuple[str, int, int] | None:
    """The list's last item: the start of the segment, up to a clause word,
    a verb or punctuation ("exile of millions" -> "exile")."""
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        offset += len(words[0]) + 1
        words = words[1:]
    kept: list[str] = []
    for word in words:
        bare = word.rstrip('.,;:!?)"”')
        verb = bare.lower() in _VERBS or bare.endswith("ed")
        if bare.lower() in _ITEM_BREAKS or (kept and verb):
            break
        kept.append(bare)
        if bare != word or len(kept) == max_words:
            break
    return _item(" ".join(kept), offset) if kept else None


def find_enumerations(text: str) -> list[Enumeration]:
    """Lists of three or more items in a sentence: "A, B, and C", "A, B, C or D"."""
    segments = _segments(text)
    found = []
    for i in range(1, len(segments)):
        segment, offset = segments[i]
        oxford = re.match(r"(and|or) ", segment)
        inner = None if oxford else re.search(r" (and|or) ", segment)
        if not oxford and not inner:
            continue
        middles = []
        if inner:  # "A, B and C": the conjunction sits inside the last segment
            middles = [_middle_item(segment[: inner.start()], offset)]
        j = i - 1
        while j >= 0 and (middle := _middle_item(*segments[j])):
            middles.insert(0, middle)
            j -= 1
        # Without the Oxford comma, "In France, bread and salt" is no list.
        if not middles or None in middles or (inner and j >= 0 and len(middles) < 2):
            continue
        longest = max(len(item[0].split()) for item in middles)
        head = [_first_item(*segments[j], longest)] if j >= 0 else []
        items = [item for item in head + middles if item]
        rest = (inner or oxford).end()
        # The last item may be a word longer: "liberty, equality, and popular
        # sovereignty".
        last = _last_item(segment[rest:], offset + rest, longest + 1)
        if last is None or len(items) < 2:
            continue
        items.append(last)
        found.append(
            Enumeration(tuple(it[0] for it in items), items[0][1], items[-1][2])
        )
    return found


# --- the essay as the generators see it ----------------------------------------------

# Picking distractors or a swap looks at no more than this many candidates. In
# an ordinary essay a handful will do; in one where nearly every candidate is
# ruled out (a section that names almost every term) a claim gets fewer
# questions instead of a scan of the whole essay per claim.
MAX_LOOKS = 100


@dataclass(frozen=True)
class _Source:
    index: int  # in essay.claims
    claim: ParsedClaim
    key: str
    heading: str
    section: int  # in essay.sections
    terms: tuple[Term, ...]
    enumerations: tuple[Enumeration, ...]


class _Ring:
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


class _Essay:
    """Everything computed once per essay, so that a claim's questions cost the
    same in a long essay as in a short one: claims with their section, terms
    and enumerations, which proper nouns name the same or related things, and
    the pools distractors and swaps are picked from."""

    def __init__(self, essay: ParsedEssay) -> None:
        claims = essay.claims
        keys = [c.key for c in claims] if all(c.key for c in claims) else None
        keys = keys or claim_keys([c.text for c in claims])
        where = [
            (number, section.heading)
            for number, section in enumerate(essay.sections)
            for _ in section.claims
        ]
        names = _mid_sentence_capitals(claims)
        self.sources = [
            _Source(
                index,
                claim,
                keys[index],
                where[index][1],
                where[index][0],
                tuple(find_terms(claim.text, names)),
                tuple(find_enumerations(claim.text)),
            )
            for index, claim in enumerate(claims)
            if claim.is_question_source
        ]
        self.headings = _distinct([s.heading for s in essay.sections if s.heading])
        self.group = _name_groups(self.sources)
        self.shape = _name_shapes(self.sources)
        self.related = _conjoined(self.sources, self.group)
        self.in_section = self._section_terms()
        self.by_heading: dict[str, list[_Source]] = {}
        for source in self.sources:
            self.by_heading.setdefault(source.heading, []).append(source)
        self._index_claims()
        self._index_headings()
        self._pools()

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
        self._claims = [comparable(s.claim.text) for s in self.sources]
        self._with_word: dict[str, list[int]] = {}
        for number, text in enumerate(self._claims):
            for word in set(text.split()):
                self._with_word.setdefault(word, []).append(number)

    def says(self, statement: str) -> bool:
        """Whether a claim of the essay contains the statement, as whole words."""
        words = comparable(statement).split()
        if not words:
            return False
        needle = f" {' '.join(words)} "
        rarest = min(words, key=lambda word: len(self._with_word.get(word, ())))
        return any(
            needle in f" {self._claims[number]} "
            for number in self._with_word.get(rarest, ())
        )

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
        self.heading_ring = _Ring((h, comparable(h)) for h in self.headings)
        self.claim_ring = _Ring(
            (s.claim.text, comparable(s.heading)) for s in self.sources if s.heading
        )
        self.heading_said: dict[str, str] = {}
        for source in self.sources:
            if source.heading:
                self.heading_said[comparable(source.claim.text)] = source.heading
        swaps: dict[tuple[str, ...], list[tuple[str, str]]] = {
            ("heading",): [(h, comparable(h)) for h in self.headings]
        }
        for source in self.sources:
            for term in source.terms:
                if key := self.swap_pool(source.claim.text, term):
                    swaps.setdefault(key, []).append(
                        (term.text, self.group_of(term.text))
                    )
        self.swap_rings = {key: _Ring(items) for key, items in swaps.items()}
        self.enumeration_pool = sorted(
            (_plural_share(e.items), number, e)
            for number, e in enumerate(e for s in self.sources for e in s.enumerations)
        )

    def swap_pool(self, text: str, term: Term) -> tuple[str, ...] | None:
        """Which pool a term is swapped with: terms of the same type."""
        if term.kind in {"decade", "year", "quoted"}:
            return (term.kind,)
        if term.kind == "number":
            # Only a number of the same thing: "14 July" never becomes "4,000 July".
            unit = _unit(text, term)
            return ("number", unit) if unit else None
        if term.kind == "heading":
            return ("heading",)
        if term.kind in {"proper", "alias"}:
            return ("name", *map(str, self.shape[comparable(term.text)]))
        return None


def _distinct(texts: Iterable[str]) -> list[str]:
    seen, result = set(), []
    for text in texts:
        same = comparable(text)
        if same and same not in seen:
            seen.add(same)
            result.append(text)
    return result


def _mid_sentence_capitals(claims: tuple[ParsedClaim, ...]) -> frozenset[str]:
    return frozenset(
        word
        for claim in claims
        for word, start, _, _ in _words(claim.text)
        if word[0].isupper() and not _is_sentence_start(claim.text, start)
    )


def _name_groups(sources: list[_Source]) -> dict[str, str]:
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


def _conjoined(sources: list[_Source], group: dict[str, str]) -> dict[str, set[str]]:
    """Name groups the essay lists together ("the Communist Party and the
    Soviet government", "Voltaire and Rousseau"): names of one family, so
    swapping one for the other may leave a statement true."""
    related: dict[str, set[str]] = {}
    for source in sources:
        text = source.claim.text
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


def _is_adjective(text: str, term: Term) -> bool:
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


_NOT_NOUNS = _ITEM_BREAKS | {"and", "or", "as"}
_NOT_NAMED = _VERBS | _AUXILIARIES


def _name_shapes(sources: list[_Source]) -> dict[str, tuple[bool, bool]]:
    """How a name is used: (takes "the", used as an adjective). Swapping only
    names of the same shape keeps a false statement grammatical: "Stalin" for
    "Lenin", "the Communist Party" for "the Soviet Union"."""
    seen: dict[str, list[tuple[bool, bool]]] = {}
    for source in sources:
        text = source.claim.text
        for term in source.terms:
            if term.kind not in {"proper", "alias"}:
                continue
            article = bool(_DETERMINED.search(text[: term.start]))
            adjective = _is_adjective(text, term)
            seen.setdefault(comparable(term.text), []).append((article, adjective))
    return {
        name: (
            sum(a for a, _ in uses) * 2 > len(uses),
            sum(b for _, b in uses) * 2 > len(uses),
        )
        for name, uses in seen.items()
    }


# --- one claim -> questions ----------------------------------------------------------


def _true_statement(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    return [
        QuestionDraft(
            generator_key=f"tf_true:{source.key}",
            kind=TRUE_FALSE,
            prompt=source.claim.text,
            explanation=_quote(source.claim),
            claim_index=source.index,
            is_true=True,
            template="tf_true",
        )
    ]


def _swaps(essay: _Essay, source: _Source, term: Term) -> list[str]:
    """Terms of the same type from elsewhere in the essay that make the claim
    false, closest in length first. Never a name for the same thing, nor one
    the claim's section already uses or the essay lists with the term (the
    Communist Party for the Soviet Union): the statement could stay true."""
    text = source.claim.text
    pool = essay.swap_pool(text, term)
    if pool is None or term.kind == "alias":
        return []  # an alias is swapped in for a name, never swapped out
    if pool[0] == "name" and _HEDGES.search(text):
        # A hedged sentence ("may have", "some") could stay true with another
        # name in it; numbers and decades are still safe to swap.
        return []
    avoid = essay.group_of(term.text)
    taken = essay.in_section[source.section]
    found: list[str] = []
    walk = essay.swap_rings[pool].walk(source.key + term.text, avoid=avoid)
    for other in islice(walk, MAX_LOOKS):
        group = essay.group_of(other)
        if comparable(other) in taken or group in taken or contains(text, other):
            continue
        found.append(other)
        if len(found) == SWAP_CANDIDATES:
            break
    size = len(term.text.split())
    return sorted(found, key=lambda other: abs(len(other.split()) - size))


def _unit(text: str, term: Term) -> str:
    """The word after a number: "million" in "4,000 million livres"."""
    following = text[term.end :].split(maxsplit=1)
    return following[0].strip(".,;:").lower() if following else ""


def _heading_terms(essay: _Essay, source: _Source) -> list[Term]:
    text = source.claim.text
    terms = []
    for heading, match in essay.headings_in(text):
        if comparable(heading) != comparable(source.heading):
            # Swapping in the claim's own heading would not make it false.
            terms.append(Term(match.group(), "heading", match.start(), match.end()))
    return terms


def _false_statement(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    text = source.claim.text
    for term in list(source.terms) + _heading_terms(essay, source):
        for other in _swaps(essay, source, term)[:3]:
            if term.text.islower():
                other = other.lower()
            statement = text[: term.start] + other + text[term.end :]
            if essay.says(statement):
                continue  # the essay says this too, so it is not false
            return [
                QuestionDraft(
                    generator_key=f"tf_false:{source.key}:{digest(term.text)}",
                    kind=TRUE_FALSE,
                    prompt=statement,
                    explanation=(
                        f'False: the essay says "{source.claim.text}" '
                        f'("{term.text}", not "{other}").'
                    ),
                    claim_index=source.index,
                    is_true=False,
                    template="tf_false",
                )
            ]
    return []


def _accepted_answers(text: str, term: Term) -> tuple[str, ...]:
    answers = [term.text]
    if text[: term.start].lower().endswith("the ") and not _is_adjective(text, term):
        answers.append(f"the {term.text}")
    if term.kind == "decade":
        bare = term.text.replace("'", "").replace("’", "")
        answers += [bare, bare[:-1] + "'s", f"the {bare}"]
    if term.kind == "number" and "," in term.text:
        answers.append(term.text.replace(",", ""))
    return tuple(_distinct(answers))


def _clozes(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    text = source.claim.text
    drafts: list[QuestionDraft] = []
    for term in source.terms:
        prompt = text[: term.start] + BLANK + text[term.end :]
        answers = _accepted_answers(text, term)
        if any(contains(prompt, answer) for answer in answers):
            continue  # the term also appears elsewhere in the sentence
        drafts.append(
            QuestionDraft(
                generator_key=f"cloze:{source.key}:{digest(term.text)}",
                kind=CLOZE,
                prompt=prompt,
                explanation=_quote(source.claim),
                claim_index=source.index,
                accepted_answers=answers,
                template="cloze",
            )
        )
        if len(drafts) == MAX_CLOZES_PER_CLAIM:
            break
    return drafts


def _plural_share(items: tuple[str, ...]) -> float:
    return sum(item.endswith("s") for item in items) / len(items)


def _enumeration_questions(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    text = source.claim.text
    drafts = []
    for enumeration in source.enumerations:
        prompt_text = text[: enumeration.start] + BLANK + text[enumeration.end :]
        correct = list(enumeration.items)
        if any(contains(prompt_text, item) for item in correct):
            continue
        # Items of other lists, those most like this list first (plural nouns
        # with plural nouns), so distractors are of the answer's kind.
        items = (item for other in _alike(essay, enumeration) for item in other.items)
        seen = {comparable(item) for item in correct}
        distractors: list[str] = []
        for item in islice(items, MAX_LOOKS):
            if comparable(item) in seen or contains(prompt_text, item):
                continue
            seen.add(comparable(item))
            distractors.append(item)
            if len(distractors) == MAX_DISTRACTORS:
                break
        if not distractors:
            continue
        key = f"enumeration:{source.key}:{digest(*correct)}"
        choices = [ChoiceDraft(item, True) for item in correct]
        choices += [
            ChoiceDraft(item, False, "The essay does not list this here.")
            for item in distractors
        ]
        drafts.append(
            QuestionDraft(
                generator_key=key,
                kind=MULTIPLE,
                prompt=(
                    "According to the essay, which of these fill the gap? "
                    f'"{prompt_text}" Select all that apply.'
                ),
                explanation=_quote(source.claim),
                claim_index=source.index,
                choices=_shuffled(choices, key),
                template="enumeration",
            )
        )
    return drafts


def _alike(essay: _Essay, enumeration: Enumeration) -> Iterator[Enumeration]:
    """The essay's other lists, those with the closest share of plurals first."""
    pool = essay.enumeration_pool
    share = _plural_share(enumeration.items)
    above = bisect_left(pool, share, key=lambda entry: entry[0])
    below = above - 1
    while below >= 0 or above < len(pool):
        closer_below = above == len(pool) or (
            below >= 0 and share - pool[below][0] <= pool[above][0] - share
        )
        if closer_below:
            other, below = pool[below][2], below - 1
        else:
            other, above = pool[above][2], above + 1
        if other is not enumeration:
            yield other


def _which_section(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    heading = source.heading
    if not heading or contains(source.claim.text, heading):
        return []
    key = f"which_section:{source.key}"
    others = essay.heading_ring.walk(key, avoid=comparable(heading))
    distractors = list(islice(others, MAX_DISTRACTORS))
    if len(distractors) < 2:
        return []
    choices = [ChoiceDraft(heading, True)]
    choices += [ChoiceDraft(other, False) for other in distractors]
    return [
        QuestionDraft(
            generator_key=key,
            kind=SINGLE,
            prompt=(
                "In which part of the essay's argument does this statement belong? "
                f'"{source.claim.text}"'
            ),
            explanation=f'The essay makes this point under "{heading}": '
            f'"{source.claim.text}"',
            claim_index=source.index,
            choices=_shuffled(choices, key),
            template="which_section",
        )
    ]


def _section_summary(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    heading = source.heading
    if not heading:
        return []
    key = f"section_summary:{source.key}"
    said = comparable(source.claim.text)
    others = essay.claim_ring.walk(key, avoid=comparable(heading))
    distractors = list(
        islice((text for text in others if comparable(text) != said), MAX_DISTRACTORS)
    )
    if len(distractors) < 2:
        return []
    choices = [ChoiceDraft(source.claim.text, True)]
    choices += [
        ChoiceDraft(
            text,
            False,
            f'The essay says this under "{essay.heading_said[comparable(text)]}".',
        )
        for text in distractors
    ]
    return [
        QuestionDraft(
            generator_key=key,
            kind=SINGLE,
            prompt=f'Which statement belongs to "{heading}" in the essay?',
            explanation=f'Under "{heading}" the essay says: "{source.claim.text}"',
            claim_index=source.index,
            choices=_shuffled(choices, key),
            template="section_summary",
        )
    ]


# --- the essay -> questions ---------------------------------------------------


def summarise(text: str, max_words: int = SUMMARY_WORDS) -> str:
    """A one-line version of a sentence: cut at a clause boundary if it is long."""
    text = text.rstrip(".!?:")
    words = text.split()
    if len(words) <= max_words:
        return text
    cut = " ".join(words[:max_words])
    clause = max(cut.rfind(","), cut.rfind(";"))
    if clause > 0 and len(cut[:clause].split()) >= max_words // 2:
        cut = cut[:clause]
    return cut.rstrip(",;: ") + "..."


def _matching(essay: _Essay) -> list[QuestionDraft]:
    rows: list[tuple[str, ParsedClaim]] = []
    summaries: set[str] = set()
    for heading in essay.headings:
        claims = [s.claim for s in essay.by_heading.get(heading, ())]
        # Prefer a summary that does not give its heading away.
        claims.sort(key=lambda claim: contains(claim.text, heading))
        if claims and comparable(summarise(claims[0].text)) not in summaries:
            rows.append((heading, claims[0]))
            summaries.add(comparable(summarise(claims[0].text)))
    drafts = []
    for chunk in _chunks(rows):
        headings = [heading for heading, _ in chunk]
        passages = "; ".join(f'"{h}": "{claim.text}"' for h, claim in chunk)
        drafts.append(
            QuestionDraft(
                generator_key=f"matching:{digest(*sorted(map(comparable, headings)))}",
                kind=MATCHING,
                prompt="Match each part of the essay's argument to what it says.",
                explanation=f"The essay's sections say: {passages}",
                claim_index=None,
                pairs=tuple(PairDraft(h, summarise(claim.text)) for h, claim in chunk),
                template="matching",
            )
        )
    return drafts


def _chunks(rows: list) -> list[list]:
    """Rows split into even groups of at most MAX_MATCHING_PAIRS, each >= 3."""
    if len(rows) < 3:
        return []
    count = -(-len(rows) // MAX_MATCHING_PAIRS)
    bounds = [round(i * len(rows) / count) for i in range(count + 1)]
    return [rows[a:b] for a, b in pairwise(bounds)]


_PER_CLAIM: tuple[Callable[[_Essay, _Source], list[QuestionDraft]], ...] = (
    _true_statement,
    _false_statement,
    _clozes,
    _enumeration_questions,
    _which_section,
    _section_summary,
)


def generate(essay: ParsedEssay) -> list[QuestionDraft]:
    """Question drafts for every claim that carries content, then the
    essay-level matching questions; the same essay gives the same list."""
    context = _Essay(essay)
    drafts = [
        draft
        for source in context.sources
        for build in _PER_CLAIM
        for draft in build(context, source)
    ]
    return drafts + _matching(context)


# --- which questions make a quiz together ---------------------------------------------


@dataclass(frozen=True)
class QuizCandidate:
    """A saved question as a quiz's composer sees it."""

    id: int
    claim: str | None  # the key of its claim; None for an essay-level question
    kind: str
    key: str  # stable: its generator key, else anything unique to it
    shown: str  # all a student may see of it: prompt, choices, pairs, explanation
    is_true: bool | None = None  # true/false only

    @property
    def variety(self) -> tuple[str, bool | None]:
        """What a quiz mixes: kinds, and true with false statements."""
        return self.kind, self.is_true


class _Shown:
    """Finds the claims a question shows, whole or summarised. Claims are
    looked up by their first words, then by their whole text: a question
    costs its own length, not the essay's."""

    LEAD = 5  # words a claim is first looked up by

    def __init__(self, claims: dict[str, str]) -> None:
        self.keys: dict[str, set[str]] = {}  # a text shown -> its claims
        self.sizes: dict[tuple[str, ...], set[int]] = {}  # lead -> text sizes
        for key, text in claims.items():
            for shown in {comparable(text), comparable(summarise(text))}:
                words = shown.split()
                if words:
                    self.keys.setdefault(shown, set()).add(key)
                    lead = tuple(words[: self.LEAD])
                    self.sizes.setdefault(lead, set()).add(len(words))
        self.leads = sorted({len(lead) for lead in self.sizes})

    def claims_in(self, shown: str) -> set[str]:
        words = comparable(shown).split()
        found: set[str] = set()
        for at in range(len(words)):
            for lead in self.leads:
                for size in self.sizes.get(tuple(words[at : at + lead]), ()):
                    found |= self.keys.get(" ".join(words[at : at + size]), set())
        return found


def compose_quiz(
    candidates: list[QuizCandidate],
    claims: dict[str, str],
    taken: Iterable[QuizCandidate] = (),
) -> list[int]:
    """The ids of the candidates that make a quiz together, in their order.

    At most one question per claim, and none that shows a claim another one
    is about: a cloze whose sentence is a true/false statement, a choice of a
    "which statement" question or a line of a matching question elsewhere in
    the quiz is no question at all. Essay-level questions (matching) come in
    first, then one question per claim not yet shown. Questions that show
    only their own claim are preferred, and among them the kind the quiz has
    least of so far, so the quiz mixes kinds (and true with false
    statements); ties are broken by a hash of the claim, never by position.
    ``taken`` are questions already in the quiz: what they show counts as
    shown.
    """
    finder = _Shown(claims)
    seen: dict[int, set[str]] = {}

    def shows(candidate: QuizCandidate) -> set[str]:
        if candidate.id not in seen:
            own = {candidate.claim} if candidate.claim else set()
            seen[candidate.id] = own | finder.claims_in(candidate.shown)
        return seen[candidate.id]

    shown: set[str] = set()
    kinds: Counter[tuple[str, bool | None]] = Counter()
    for candidate in taken:
        shown |= shows(candidate)
        kinds[candidate.variety] += 1
    chosen: set[int] = set()
    by_claim: dict[str, list[QuizCandidate]] = {}
    for candidate in candidates:
        if candidate.claim is None:
            if not shows(candidate) & shown:
                chosen.add(candidate.id)
                shown |= shows(candidate)
                kinds[candidate.variety] += 1
        else:
            by_claim.setdefault(candidate.claim, []).append(candidate)
    for claim, options in by_claim.items():
        if claim in shown:
            continue
        fitting = [(c, shows(c)) for c in options if not shows(c) & shown]
        alone = [(c, s) for c, s in fitting if s == {claim}]
        if not (alone or fitting):
            continue
        best, its = min(
            alone or fitting,
            key=lambda pair: (
                kinds[pair[0].variety],
                digest(claim, pair[0].kind, str(pair[0].is_true)),
                digest(pair[0].key),
            ),
        )
        chosen.add(best.id)
        shown |= its
        kinds[best.variety] += 1
    return [candidate.id for candidate in candidates if candidate.id in chosen]
