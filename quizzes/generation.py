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
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

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


def comparable(text: str) -> str:
    """Text as a student's eye compares it: no case, punctuation or extra spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` appears in ``haystack`` as whole words."""
    needle = comparable(needle)
    return bool(needle) and f" {needle} " in f" {comparable(haystack)} "


def digest(*parts: str, size: int = 8) -> str:
    joined = "\x1f".join(normalise_for_key(part) for part in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:size]


def _pick(items: list[str], salt: str, count: int) -> list[str]:
    """A deterministic, text-dependent selection (never position-dependent)."""
    return sorted(items, key=lambda item: digest(salt, item))[:count]


def _shuffled(choices: list[ChoiceDraft], salt: str) -> tuple[ChoiceDraft, ...]:
    # Ordered by a hash so the correct answer is not always first, and the
    # order survives a re-import.
    return tuple(sorted(choices, key=lambda choice: digest(salt, choice.text)))


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


@dataclass(frozen=True)
class _Source:
    index: int  # in essay.claims
    claim: ParsedClaim
    key: str
    heading: str
    terms: tuple[Term, ...]
    enumerations: tuple[Enumeration, ...]


class _Essay:
    """Everything computed once per essay: claims with their section, terms,
    enumerations, and which proper nouns name the same thing."""

    def __init__(self, essay: ParsedEssay) -> None:
        claims = essay.claims
        keys = [c.key for c in claims] if all(c.key for c in claims) else None
        keys = keys or claim_keys([c.text for c in claims])
        headings = [s.heading for s in essay.sections for _ in s.claims]
        names = _mid_sentence_capitals(claims)
        self.sources = [
            _Source(
                index,
                claim,
                keys[index],
                headings[index],
                tuple(find_terms(claim.text, names)),
                tuple(find_enumerations(claim.text)),
            )
            for index, claim in enumerate(claims)
            if claim.is_question_source
        ]
        self.headings = _distinct([s.heading for s in essay.sections if s.heading])
        self.sections = essay.sections
        self.group = _name_groups(self.sources)
        self.shape = _name_shapes(self.sources)

    def terms_of(self, kind: str) -> list[str]:
        return _distinct(
            t.text for s in self.sources for t in s.terms if t.kind == kind
        )


def _distinct(texts) -> list[str]:
    seen, result = set(), []
    for text in texts:
        if comparable(text) and comparable(text) not in seen:
            seen.add(comparable(text))
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
    for a in names:
        for b in names:
            if a != b and contains(b, a):
                union(a, b)
    for source in sources:
        aliases = [t for t in source.terms if t.kind == "alias"]
        named = [t for t in source.terms if t.kind == "proper"]
        for alias in aliases:
            before = [t for t in named if t.end <= alias.start]
            if before:  # "the Great Purge, also known as the Great Terror"
                nearest = max(before, key=lambda t: t.end)
                union(comparable(alias.text), comparable(nearest.text))
    return {name: find(name) for name in names}


_DETERMINED = re.compile(r"\b(the|his|her|its|their|our)\s$|['’]s\s$", re.IGNORECASE)


def _is_adjective(text: str, term: Term) -> bool:
    """Whether a name is used to qualify a noun: "the Soviet government"."""
    following = text[term.end :].split(" ", 2)
    return (
        text[term.end : term.end + 1] == " "
        and len(following) > 1
        and following[1][:1].islower()
        and following[1].strip(".,;:") not in _ITEM_BREAKS | {"and", "or", "as"}
        # "Rousseau questioned" is a name before a verb, not an adjective.
        and not following[1].endswith("ed")
        and following[1] not in _VERBS | _AUXILIARIES
    )


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
    false (never a name for the same thing, never a term already in it)."""
    text = source.claim.text
    if term.kind in {"decade", "year", "quoted"}:
        pool = essay.terms_of(term.kind)
    elif term.kind == "number":
        # Only a number of the same thing: "14 July" never becomes "4,000 July".
        unit = _unit(text, term)
        pool = [
            t.text
            for s in essay.sources
            for t in s.terms
            if t.kind == "number" and unit and _unit(s.claim.text, t) == unit
        ]
    elif term.kind == "heading":
        pool = essay.headings
    elif term.kind == "proper" and not _HEDGES.search(text):
        # A hedged sentence ("may have", "some") could stay true with
        # another name in it; numbers and decades are still safe to swap.
        name = comparable(term.text)
        pool = [
            other
            for other in essay.terms_of("proper") + essay.terms_of("alias")
            if essay.group.get(comparable(other)) != essay.group.get(name)
            and essay.shape.get(comparable(other)) == essay.shape.get(name)
        ]
    else:
        return []
    return [
        other
        for other in pool
        if comparable(other) != comparable(term.text) and not contains(text, other)
    ]


def _unit(text: str, term: Term) -> str:
    """The word after a number: "million" in "4,000 million livres"."""
    following = text[term.end :].split(maxsplit=1)
    return following[0].strip(".,;:").lower() if following else ""


def _heading_terms(essay: _Essay, source: _Source) -> list[Term]:
    text = source.claim.text
    terms = []
    for heading in essay.headings:
        match = re.search(rf"\b{re.escape(heading)}\b", text, re.IGNORECASE)
        if match and comparable(heading) != comparable(source.heading):
            # Swapping in the claim's own heading would not make it false.
            terms.append(Term(match.group(), "heading", match.start(), match.end()))
    return terms


def _false_statement(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    text = source.claim.text
    claims = [comparable(s.claim.text) for s in essay.sources]
    for term in list(source.terms) + _heading_terms(essay, source):
        # Names of a similar length first: "Communist Party" for "Soviet Union".
        swaps = sorted(
            _pick(_swaps(essay, source, term), source.key + term.text, 99),
            key=lambda other: abs(len(other.split()) - len(term.text.split())),
        )
        for other in swaps[:3]:
            if term.text.islower():
                other = other.lower()
            statement = text[: term.start] + other + text[term.end :]
            if any(comparable(statement) in claim for claim in claims):
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
        others = sorted(
            (
                other
                for s in essay.sources
                for other in s.enumerations
                if other is not enumeration
            ),
            key=lambda o: abs(
                _plural_share(o.items) - _plural_share(enumeration.items)
            ),
        )
        pool = _distinct(
            item
            for other in others
            for item in other.items
            if not contains(prompt_text, item)
            and all(comparable(item) != comparable(c) for c in correct)
        )
        distractors = pool[:MAX_DISTRACTORS]
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


def _which_section(essay: _Essay, source: _Source) -> list[QuestionDraft]:
    heading = source.heading
    others = [h for h in essay.headings if comparable(h) != comparable(heading)]
    if not heading or len(others) < 2 or contains(source.claim.text, heading):
        return []
    key = f"which_section:{source.key}"
    choices = [ChoiceDraft(heading, True)]
    choices += [
        ChoiceDraft(other, False) for other in _pick(others, key, MAX_DISTRACTORS)
    ]
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
    others = {
        s.claim.text: s.heading
        for s in essay.sources
        if s.heading
        and comparable(s.heading) != comparable(heading)
        and comparable(s.claim.text) != comparable(source.claim.text)
    }
    key = f"section_summary:{source.key}"
    distractors = _pick(list(others), key, MAX_DISTRACTORS)
    if len(distractors) < 2:
        return []
    choices = [ChoiceDraft(source.claim.text, True)]
    choices += [
        ChoiceDraft(text, False, f'The essay says this under "{others[text]}".')
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
    for heading in essay.headings:
        claims = [s.claim for s in essay.sources if s.heading == heading]
        # Prefer a summary that does not give its heading away.
        claims.sort(key=lambda claim: contains(claim.text, heading))
        summaries = {comparable(summarise(claim.text)) for _, claim in rows}
        if claims and comparable(summarise(claims[0].text)) not in summaries:
            rows.append((heading, claims[0]))
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
