"""The essay's key nouns: the words a manual or a science text teaches ("a
trigger", "the tephra"), rarer than everyday English and not its topic; a
"which word completes the sentence?" on one tests what the text teaches. (A
key noun is never swapped into a false statement: "splits water into
stomata" made nonsense more often than a plausible slip.)"""

from __future__ import annotations

import re
from bisect import bisect_left

from quizzes.generation.context import MAX_LOOKS, EssayContext, Source
from quizzes.generation.text import Term, contains, digest
from quizzes.generation.topics import lemma, zipf

# A noun is told by its neighbours: a determiner before it and after it
# punctuation, a preposition, a verb of being or a relative pronoun; or a
# preposition before it and punctuation or "and"/"or" after ("with
# chlorophyll.", "into hydrogen and oxygen").
_KEY_NOUN = re.compile(
    r"\b(?i:the|a|an|its|their|this|these|those|each|every|our|your)\s+"
    r"([a-z][a-z]{4,})(?=[.,;:!?)]|\s+(?:of|in|on|at|is|are|was|were|to|that|"
    r"which|who|for|with|by|from|has|have|had|can|will|must|may|should|"
    r"and|or)\b)"
    r"|\b(?i:with|into|through|from|of|by|for|and|or)\s+"
    r"([a-z][a-z]{4,})(?=[.,;:!?)]|\s+(?:and|or)\b)"
)
# Key terms are rarer than this in English (zipf: "repository" 3.4,
# "tephra" 1.9, "leaves" 4.8, "message" 5.0, "people" 6.0).
KEY_NOUN_ZIPF = 4.5
KEY_NOUN_SHARE = 0.1  # in more claims than this, the word is the topic
WORD_CHOICES = 3  # wrong words offered beside the right one


def key_nouns(essay: EssayContext, text: str) -> list[Term]:
    """The sentence's rarest nouns: the words a manual or a science text
    teaches ("a trigger", "the tephra"), rarest first. A word is a noun
    when the essay uses it so somewhere (after a determiner, before a
    preposition, a verb or punctuation)."""
    known = essay_nouns(essay)
    found = [
        Term(match.group(), "key", match.start(), match.end())
        for match in _LOWER.finditer(text)
        if match.group() in known
    ]
    return sorted(found, key=lambda term: (zipf(term.text), term.start))


_LOWER = re.compile(r"(?<![\w'’/.@-])[a-z]{5,}(?![\w'’/@-]|\.\w)")


def essay_nouns(essay: EssayContext) -> frozenset[str]:
    return essay.once(("key nouns",), lambda: _essay_nouns(essay))


def _essay_nouns(essay: EssayContext) -> frozenset[str]:
    claims = len(essay.sources)
    return frozenset(
        word
        for source in essay.sources
        for pair in _KEY_NOUN.findall(source.text)
        for word in pair
        if word
        if word not in _NOT_KEY
        and not word.endswith(("ly", "ing", "ed"))
        and zipf(word) < KEY_NOUN_ZIPF
        and not (
            claims >= 10 and essay.claims_with_word[word] > KEY_NOUN_SHARE * claims
        )
        and not essay.is_topic(word)
    )


# Words that stand after "the" as nouns do but point elsewhere in the text.
_NOT_KEY = frozenset({"latter", "former", "other", "others", "whole", "rest"})
_ARTICLE = re.compile(r"(?:^|(?<=\s))([Aa]n?) $")
_VOWEL_SOUND = re.compile(r"[aeio]|u(?!ni|s[eu]|ti)|h(?:our|onest|eir)", re.IGNORECASE)


def article_for(word: str, article: str) -> str:
    """ "a" or "an" as the word's first sound needs, in the article's case."""
    right = "an" if _VOWEL_SOUND.match(word) else "a"
    return right.capitalize() if article[0].isupper() else right


def put(text: str, term: Term, word: str) -> str:
    """The text with ``word`` in the term's place, its article agreeing:
    "a trigger" -> "an entry", never "a entry"."""
    before = text[: term.start]
    if match := _ARTICLE.search(before):
        before = before[: match.start(1)] + article_for(word, match.group(1)) + " "
    return before + word + text[term.end :]


def blank_out(text: str, term: Term, blank: str) -> str:
    """The text with a blank in the term's place; "a"/"an" before it becomes
    "a(n)" so the article does not tell the answer."""
    before = text[: term.start]
    if match := _ARTICLE.search(before):
        before = before[: match.start(1)] + match.group(1)[0] + "(n) "
    return before + blank + text[term.end :]


def plural(word: str) -> bool:
    return word.endswith("s") and lemma(word) != word


def noun_pool(essay: EssayContext, many: bool) -> list[tuple[str, str]]:
    """The essay's key nouns, singular or plural, in an order fixed by their
    hashes: (hash, word), each word once."""

    def pools() -> dict[bool, list[tuple[str, str]]]:
        found: dict[bool, list[tuple[str, str]]] = {True: [], False: []}
        for word in essay_nouns(essay):
            found[plural(word)].append((digest(word), word))
        return {number: sorted(pool) for number, pool in found.items()}

    return essay.once(("noun pools",), pools)[many]


def section_words(essay: EssayContext, section: int) -> frozenset[str]:
    """The words a section uses, in lower case: one of them swapped in or
    offered as wrong could be defended from the section itself."""

    def by_section() -> dict[int, frozenset[str]]:
        found: dict[int, set[str]] = {}
        for other in essay.sources:
            tokens = _TOKEN.findall(other.text.lower())
            found.setdefault(other.section, set()).update(tokens)
        return {n: frozenset(w) for n, w in found.items()}

    return essay.once(("section words",), by_section).get(section, frozenset())


SHORT_ESSAY = 10  # claims: in fewer, nouns are offered without a shared frame
_DETERMINERS = frozenset(
    "the a an its their this these those each every our your his her".split()  # noqa: SIM905
)
# Neighbours too common to say anything about what fits beside them.
_GENERIC = frozenset(
    [
        "of",
        "and",
        "or",
        "the",
        "a",
        "an",
        "is",
        "are",
        "was",
        "were",
        "to",
        "in",
        "that",
        "which",
        "as",
    ]
)
_TOKEN = re.compile(r"[\w'’-]+")


def frame(text: str, start: int, end: int) -> frozenset[tuple[str, str]]:
    """The words a noun stands between here, past its determiner: ("<",
    "through") and (">", "to") in "rises through the xylem to the leaves"."""
    before = [w.lower() for w in _TOKEN.findall(text[:start])]
    while before and before[-1] in _DETERMINERS:
        before.pop()
    after = _TOKEN.findall(text[end:])[:1]
    found = set()
    if before and before[-1] not in _GENERIC:
        found.add(("<", before[-1]))
    if after and after[0].lower() not in _GENERIC:
        found.add((">", after[0].lower()))
    return frozenset(found)


def frames(essay: EssayContext) -> dict[str, frozenset[tuple[str, str]]]:
    """Every key noun's neighbours over the whole essay: a noun fits where
    the essay has put it, or one like it, beside the same word."""

    def found_frames() -> dict[str, frozenset[tuple[str, str]]]:
        nouns = essay_nouns(essay)
        found: dict[str, set[tuple[str, str]]] = {}
        for source in essay.sources:
            for match in _LOWER.finditer(source.text):
                if match.group() in nouns:
                    found.setdefault(match.group(), set()).update(
                        frame(source.text, match.start(), match.end())
                    )
        return {word: frozenset(f) for word, f in found.items()}

    return essay.once(("noun frames",), found_frames)


def wrong_words(essay: EssayContext, source: Source, term: Term) -> list[str]:
    """Other key nouns of the essay, of the same number, that the sentence
    does not use and that do not make a sentence the essay says: those its
    section does not use either (one of those could be defended from the
    section), and in a short essay, which has too few, the section's own."""
    outside, inside = _look_for_wrong_words(essay, source, term)
    if len(essay.sources) >= SHORT_ESSAY:
        return outside
    return (outside + inside)[:WORD_CHOICES]


def _look_for_wrong_words(
    essay: EssayContext, source: Source, term: Term
) -> tuple[list[str], list[str]]:
    """The wrong words outside the claim's section and inside it."""
    pool = noun_pool(essay, plural(term.text))
    if not pool:
        return [], []
    used = section_words(essay, source.section)
    # Only a noun the essay puts beside the same words somewhere: "through
    # the xylem" for "through the stomata", never "a tutorial of the files"
    # (but a short essay has too few for that).
    framed = len(essay.sources) >= SHORT_ESSAY
    here = frame(source.text, term.start, term.end)
    known = frames(essay)
    at = bisect_left(pool, (digest(source.key, term.text), ""))
    text = source.text
    outside: list[str] = []
    inside: list[str] = []
    for step in range(min(len(pool), MAX_LOOKS)):
        word = pool[(at + step) % len(pool)][1]
        if lemma(word) == lemma(term.text) or contains(text, word):
            continue
        if framed and not here & known.get(word, frozenset()):
            continue
        if essay.says(put(text, term, word)):
            continue
        (inside if word in used else outside).append(word)
        if len(outside) == WORD_CHOICES:
            break
    return outside, inside
