"""Words as a teacher weighs them: which are everyday English, which carry
the content (a "content lemma"), which name what the whole essay is about,
and whether two texts share content so that one gives the other away."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import simplemma
import wordfreq

from quizzes.generation.text import comparable

# A word at least this frequent in English (zipf: ~7 "the", ~5.9 "great",
# ~3.7 "stalin") is everyday and carries no content of its own.
EVERYDAY_ZIPF = 5.5
# A single lower-case answer this frequent is a word many sentences could
# take: the blank tests English more than the text.
COMMON_ANSWER_ZIPF = 4.5
# A name in this share of the claims is what the essay is about.
TOPIC_SHARE = 0.10
TOPIC_MIN_CLAIMS = 10
# ... and in at least this many: in a short essay two claims are no topic.
TOPIC_LEAST_CLAIMS = 3
# Lemmas that start alike from this many letters on are one word family
# ("nation", "nationalism").
STEM_LETTERS = 5
_LONGEST_NAME = 8  # words; longer candidates are never counted as topics

_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=2**16)
def zipf(word: str) -> float:
    return wordfreq.zipf_frequency(word.casefold(), "en")


@lru_cache(maxsize=2**16)
def lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").casefold()


@lru_cache(maxsize=2**16)  # headings and claims are compared over and over
def content_lemmas(text: str) -> frozenset[str]:
    """The lemmas of the words that carry content: four letters or more and
    not everyday English."""
    return frozenset(
        lemma(word)
        for word in _LETTERS.findall(text)
        if len(word) >= 4 and zipf(word) < EVERYDAY_ZIPF
    )


def shared_content(a: str, b: str) -> list[str]:
    """Content lemmas of ``b`` that ``a`` has too, or of the same family
    ("nation" in a claim gives away "Nationalism", "ideology" gives away
    "Ideological", "equally" "Inequality"): one is the start of the other,
    STEM_LETTERS letters or more, once a derivational ending and a negating
    prefix are taken off."""
    lemmas = content_lemmas(b)
    if not lemmas:
        return []  # a year, a number, an everyday word: nothing to give away
    mine, families = content_lemmas(a), _families(a)
    return sorted(
        theirs
        for theirs in lemmas
        if theirs in mine or _of_a_family(family(theirs), families)
    )


def _of_a_family(key: str, families: frozenset[str]) -> bool:
    if len(key) < STEM_LETTERS:
        return False
    return any(
        other[:STEM_LETTERS] == key[:STEM_LETTERS]
        and (other.startswith(key) or key.startswith(other))
        for other in families
    )


# Endings that make one word of a family from another, longest first.
_ENDINGS = (
    *("ically", "ical", "ation", "ness", "ment", "ity"),
    *("ism", "ist", "ive", "ic", "al", "ly", "y", "e"),
)
_NEGATING = ("non", "dis", "in", "un", "im", "il", "ir")


@lru_cache(maxsize=2**16)
def family(word: str) -> str:
    """What the words of one family begin with: "ideolog" of "ideology" and
    "ideological", "equal" of "equally" and "inequality"."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
            break
    for prefix in _NEGATING:
        if word.startswith(prefix) and len(word) - len(prefix) >= STEM_LETTERS:
            return word[len(prefix) :]
    return word


@lru_cache(maxsize=2**16)
def _families(text: str) -> frozenset[str]:
    return frozenset(
        key for key in map(family, content_lemmas(text)) if len(key) >= STEM_LETTERS
    )


def rarity(text: str) -> float:
    """How rare the text's rarest word is in English: lower is rarer. A
    text of no letters counts as everyday."""
    words = [word for word in _LETTERS.findall(text) if len(word) >= 3]
    return min((zipf(word) for word in words), default=8.0)


def is_common_answer(answer: str) -> bool:
    """A one-word, lower-case answer that everyday sentences use."""
    words = answer.split()
    return len(words) == 1 and answer.islower() and zipf(answer) >= COMMON_ANSWER_ZIPF


def topic_names(
    title: str, claims: list[str], candidates: Iterable[str]
) -> frozenset[str]:
    """The candidates (comparable) that name the essay's topic: in its title,
    or found as whole words in at least TOPIC_SHARE of its claims (when it
    has TOPIC_MIN_CLAIMS of them). Each claim is read once, looking at its
    runs of words, so the cost is the essay's length, not claims times names."""
    wanted = {comparable(c) for c in candidates} - {""}
    heading = f" {comparable(title)} "
    topics = {name for name in wanted if f" {name} " in heading and title}
    if len(claims) < TOPIC_MIN_CLAIMS:
        return frozenset(topics)
    counts: Counter[str] = Counter()
    # Only runs that start with a name's first word can be a name.
    firsts = {name.split()[0] for name in wanted}
    for claim in claims:
        words = comparable(claim).split()
        found = {
            " ".join(words[first:last])
            for first in range(len(words))
            if words[first] in firsts
            for last in range(first + 1, min(first + _LONGEST_NAME, len(words)) + 1)
        }
        counts.update(found & wanted)
    least = max(TOPIC_LEAST_CLAIMS, TOPIC_SHARE * len(claims))
    topics |= {name for name, count in counts.items() if count >= least}
    return frozenset(topics)
