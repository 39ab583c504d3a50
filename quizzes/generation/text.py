"""Text as the generator compares it, and what it blanks or swaps: terms
(names, numbers, quoted words) and enumerations ("A, B, or C")."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from quizzes.essays import normalise_for_key
from quizzes.generation.drafts import (
    MAX_ITEM_WORDS,
    SINGLE,
    ChoiceDraft,
    QuestionDraft,
)


def wordset(words: str) -> frozenset[str]:
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


# Keys, salts and choice texts come back in hash after hash.
_normalised = lru_cache(maxsize=2**17)(normalise_for_key)


@lru_cache(maxsize=2**17)
def digest(*parts: str, size: int = 8) -> str:
    joined = "\x1f".join(map(_normalised, parts))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:size]


def shuffled(choices: list[ChoiceDraft], salt: str) -> tuple[ChoiceDraft, ...]:
    """Choices ordered by a hash, so the correct answer is not always first
    and the order survives a re-import. Salted apart from the hash that
    picked the distractors: sorting by that one again put the answer last
    half the time."""
    return tuple(sorted(choices, key=lambda choice: digest("order", salt, choice.text)))


def single_choice(
    key: str,
    prompt: str,
    explanation: str,
    claim_index: int,
    answer: str,
    wrong: Iterable[tuple[str, str]],
    warnings: tuple[str, ...] = (),
) -> QuestionDraft:
    """A one-answer question: ``answer`` among the ``wrong`` (text, feedback)
    choices, shuffled by the key."""
    choices = [ChoiceDraft(answer, True)]
    choices += [ChoiceDraft(text, False, feedback) for text, feedback in wrong]
    return QuestionDraft(
        generator_key=key,
        kind=SINGLE,
        prompt=prompt,
        explanation=explanation,
        claim_index=claim_index,
        choices=shuffled(choices, key),
        warnings=warnings,
    )


# --- terms: what a cloze blanks and a false statement swaps ------------------------


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # proper, alias, quoted, decade, year, number, heading
    start: int  # offsets in the claim's text
    end: int


_PRIORITY = {"quoted": 0, "alias": 0, "decade": 1, "year": 1, "number": 1}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CONNECTORS = wordset("of the de du la von van")
_NOT_NAMES = wordset("i he she it we they you me him her us them my his its our their")
_FUNCTION_WORDS = wordset(
    "a an the this that these those in on at by for from with to of as after "
    "before during while when although though despite since because if but "
    "and or so yet his her its their our my many some most all each every no"
)
# Capitalised words that open a run of capitals without being part of the
# name ("In the Basic Multilingual Plane"); "The" may be ("The Hague").
_LEADING_WORDS = _FUNCTION_WORDS - {"the"}
_ARTICLES = wordset("The A An")
_DECADE = re.compile(r"\b(1\d|20)\d0['’]?s\b")
_YEAR = re.compile(r"\b(1\d|20)\d\d\b(?!['’]?s)")
_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.,])\d+(?:\.\d+)?%?(?!\w)"
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{1,60}?)[.,!?]?[\"”]")
_ALSO_KNOWN_AS = re.compile(r"\balso known as (?:the )?", re.IGNORECASE)
HEDGES = re.compile(
    r"\b(may|might|could|some|generally|believed|probably|perhaps|possibly|"
    r"likely|arguably|seems?|suggests?)\b",
    re.IGNORECASE,
)


def word_spans(text: str) -> Iterator[tuple[str, int, int, bool]]:
    """(word, start, end, possessive) for each word; "Stalin's" -> "Stalin"."""
    for match in _WORD.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        possessive = word.endswith(("'s", "’s"))
        if possessive:
            word, end = word[:-2], end - 2
        yield word.strip("'’-"), start, start + len(word.rstrip("'’-")), possessive


def is_sentence_start(text: str, position: int) -> bool:
    return not text[:position].strip().strip("\"'“‘([")


def proper_phrases(text: str, names: frozenset[str]) -> list[Term]:
    """Runs of capitalised words ("Great Terror", "Declaration of the Rights of
    Man"). A sentence's first word counts only when ``names`` (words seen
    capitalised mid-sentence in the essay) says it is a name, so "The" in
    "The Purge" or "Despite" are never terms."""
    words = list(word_spans(text))
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
        opener = is_sentence_start(text, words[run[0]][1]) and first not in names
        if opener and (len(run) == 1 or first.lower() in _FUNCTION_WORDS):
            run = run[1:]
        elif is_sentence_start(text, words[run[0]][1]) and first in _ARTICLES:
            run = run[1:]  # "The CD is ...": the name is "CD"
        # "In the Basic Multilingual Plane" names the plane, not "In".
        while len(run) > 1 and words[run[0]][0].lower() in _LEADING_WORDS:
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
        if len(m.group(1).split()) <= 5
        and re.search(r"[^\W\d_]", m.group(1))
        # Between two quotes, not inside one: ".[21] His goal was, "
        and m.group(1)[0].isalnum()
        and m.group(1)[-1].isalnum()
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


ITEM_BREAKS = wordset(
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
VERBS = wordset(
    "paid spread made took gave became began grew fell rose saw won lost left "
    "kept held brought fought sold bought thought felt met ran came went did "
    "said found told led had was were"
)
AUXILIARIES = wordset("could would should may might must can will did does do also")
_CLAUSE_WORDS = (ITEM_BREAKS - wordset("of for in on with from")) | VERBS
_DETERMINERS = wordset("the a an his her its their our my")


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
    if words[0] in ITEM_BREAKS or _CLAUSE_WORDS.intersection(words[1:]):
        return None
    if any(word.endswith("ed") for word in words[1:]):
        return None  # "Victims included party members" is a clause
    return item


def _first_item(text: str, offset: int, max_words: int) -> tuple[str, int, int] | None:
    """The list's first item: the end of the segment, after the last clause
    word, no longer than the other items ("leading to the imprisonment")."""
    kept: list[str] = []
    for word in reversed(text.split()):
        if word.lower() in ITEM_BREAKS or re.search(r"[;:()]", word):
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
        verb = bare.lower() in VERBS or bare.endswith("ed")
        if bare.lower() in ITEM_BREAKS or (kept and verb):
            break
        kept.append(bare)
        if bare != word or len(kept) == max_words:
            break
    return _item(" ".join(kept), offset) if kept else None


def _introduces(segment: str) -> bool:
    """Whether a segment before a comma is an opening phrase ("In France",
    "After the war"): its words but the last are all prepositions and
    articles, so its last word is no list item."""
    return all(word.lower() in ITEM_BREAKS for word in segment.split()[:-1])


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
        # Without the Oxford comma, "In France, bread and salt" is no list;
        # "The army took bread, salt and flour" is.
        if not middles or None in middles:
            continue
        # Three items, one comma: "took bread, salt and flour", but never
        # "Between the browser and the server, computers and machines".
        loose = inner and j >= 0 and len(middles) < 2
        if loose and (
            _introduces(segments[j][0]) or re.search(r"\b(and|or)\b", segments[j][0])
        ):
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
        if loose and any(" " in item[0] for item in items):
            continue
        found.append(
            Enumeration(tuple(it[0] for it in items), items[0][1], items[-1][2])
        )
    return found


def unit_of(text: str, term: Term) -> str:
    """The word after a number: "million" in "4,000 million livres"."""
    following = text[term.end :].split(maxsplit=1)
    return following[0].strip(".,;:").lower() if following else ""


def plural_share(items: tuple[str, ...]) -> float:
    return sum(item.endswith("s") for item in items) / len(items)


def embedded(text: str) -> str:
    """A sentence fit to sit inside double quotes: its own quotations in
    single ones ("perceived ‘opposition’"), so no quote is left open."""
    return re.sub(r'"([^"]*)"|“([^“”]*)”', lambda m: f"‘{m[1] or m[2] or ''}’", text)
