"""Sentences that lean on the one before ("He ordered ...", "This belief
...") made readable on their own (pure: no ORM).

A pronoun that can only mean one person is replaced by the name; otherwise
the claim carries the sentence before as its ``context``, so that a question
can show "context + statement". Each claim looks at one sentence back only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from wordfreq import zipf_frequency

from quizzes import sentences

if TYPE_CHECKING:
    from quizzes.essays import ParsedClaim

DANGLING = re.compile(
    r"^[\"“‘'(]?(He|She|They|This|These|Those|That|Such|His|Her|Their|Its|It|"
    # Words that go on from the sentence before: with no sentence before,
    # a heading does not say what they go on from.
    r"But|Also|However|Thus|Therefore|So|Then|Instead|Otherwise|Moreover|"
    r"Similarly|Additionally|Furthermore|Hence|The reason|In this case|"
    r"In that case|For example|For instance|On the other hand|In contrast|"
    r"Conversely|As a result|In addition|Likewise|Nevertheless|Nonetheless|"
    r"Meanwhile|If so|If not|If that['’]s the case|If this is the case|"
    # "Alternatively, the water ...": instead of what?
    r"Alternatively|By contrast|Even so)(?![\w‐-])"
    # "... run this job", "... such a file": a demonstrative and its noun in
    # the first six words.
    r"|^(?:\S+\s+){1,5}?((?:this|these|those)\s+(?!(?:"
    # "this tutorial": the text itself, which needs no sentence before.
    r"tutorial|document|page|chapter|section|manual|article|essay|book|guide)\b)"
    r"[a-z][\w-]*|such\s+(?!(?:as|that)\b)(?:an?\s+)?[a-z][\w-]*)"
)
# Anywhere in a sentence: "the run fails if such a line ...", "If not
# specified, it is taken to be 70."
_LEANS_BACK = re.compile(
    r"\b(?:this|these|those)\s+(?!(?:tutorial|document|page|chapter|section|"
    r"manual|article|essay|book|guide|way|is|are|was|were|means)\b)[a-z][\w-]*"
    r"|\bsuch\s+(?!(?:as|that)\b)(?:an?\s+)?[a-z][\w-]*"
    r"|^[^,]{3,60},\s+(?:it|they|this|these)\s"
    # "The ability to relax it, by contrast, ...", "With the latter, ...".
    r"|\bby contrast\b|\bthe (?:latter|former)\b"
    # "The SOCKS protocol, for example, operates at a higher level": than what?
    r"|, for (?:example|instance),"
)


def leans_back(text: str) -> bool:
    """Whether a sentence shown alone, as one choice among others, leaves a
    reader asking what it means: it opens on a reference or a connective, or
    points back with "this job", "such a file", "..., it is taken to be"."""
    return bool(DANGLING.match(text) or _LEANS_BACK.search(text))


# A definition list's term ("scanner", "-i, --in-place"): what the text
# under it is about.
_TERM = re.compile(r"^(?:\S+\s+){0,3}\S+$")
# "It is not defined in what order ...", "It is a good idea to ...": a dummy
# "it" that stands for nothing before.
_DUMMY_IT = re.compile(
    r"^It(?:’|')?s? (?:is |was |has been |would be |may be |seems |appears )?"
    r"(?:not |often |usually |also )?(?:possible|impossible|important|necessary|"
    r"likely|unlikely|unclear|clear|known|unknown|defined|undefined|recommended|"
    r"advisable|common|usual|best|better|easy|hard|difficult|a good idea|tempting|"
    r"worth|true|false|said|thought|believed|estimated)\b"
)
_CONNECTIVES = sentences.wordset(
    "But Also However Thus Therefore So Then Instead Otherwise Moreover Similarly "
    "Additionally Furthermore Hence"
) | {"The reason", "In this case", "In that case", "For example", "For instance"}
_PERSONAL = {"He": "", "She": "", "His": "'s", "Her": "'s"}
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|[A-Z]\.))*")
# An article makes a thing of a name; a place preposition makes a place.
_NOT_A_PERSON_BEFORE = re.compile(
    r"\b(?:the|a|an|The|A|An|in|at|from|into|near|across|to|towards)\s+$"
)
_OPENING = " \"“‘'("


@lru_cache(maxsize=4096)
def _everyday(word: str) -> bool:
    return zipf_frequency(word.lower(), "en") >= 4.5


def _person_subject(sentence: str) -> str:
    """The one person-like name a sentence is about: it starts the sentence
    (or is its possessive, "Stalin's fear ..."), and no other capitalised name
    in it could be a person. "" when unsure."""
    names = []
    for match in _NAME_RUN.finditer(sentence):
        words = match.group().split(" ")
        start = match.start()
        opener = words[0].lower() in sentences.SENTENCE_OPENERS
        if not sentence[:start].strip(_OPENING) and (
            opener or (len(words) == 1 and _everyday(words[0]))
        ):
            # "While ...", "The Soviet Union ...": the first word only opens
            # the sentence.
            start += len(words[0]) + 1
            words = words[1:]
            if not words:
                continue
        if _NOT_A_PERSON_BEFORE.search(sentence[:start]):
            continue  # "the Soviet Union", "in Paris": not a person
        names.append((start, " ".join(words)))
    if len(names) != 1:
        return ""
    start, name = names[0]
    if sentence[:start].strip(_OPENING):
        return ""  # the name is not the subject
    return name


def resolve(
    claims: list[ParsedClaim], heading: str, before: ParsedClaim | None = None
) -> list[ParsedClaim]:
    """A section's claims with each pronoun start resolved: "He ordered ..."
    shows the name of the one person the sentence before is about; otherwise
    the claim carries that sentence (or the heading) as its context, and a
    first sentence without either is not asked about on its own."""
    resolved: list[ParsedClaim] = []
    for claim in claims:
        text = claim.question_text
        match = DANGLING.match(text) if claim.is_question_source else None
        if match and _DUMMY_IT.match(text):
            match = None
        if match and match.group(1) in _ADDING:
            claim = _without_connective(claim, match)
            text = claim.question_text
            match = DANGLING.match(text)
        if match:
            claim = _resolved(claim, match, before, heading)
        elif _leans_on(claim, before):
            # "... increasing this value will ...": the sentence before says
            # which value.
            claim = replace(claim, context=before.question_text)
        resolved.append(claim)
        before = claim
    return resolved


def _leans_on(claim: ParsedClaim, before: ParsedClaim | None) -> bool:
    """Whether a claim points back inside ("this value", "such a file") to a
    sentence before it that can be shown."""
    return bool(
        claim.is_question_source
        and before is not None
        and before.is_question_source
        and _readable(before)
        and _LEANS_BACK.search(claim.question_text)
    )


# Words that only add to what was said ("Also in 2000, ..."): the sentence
# stays true without them.
_ADDING = sentences.wordset("Also Moreover Furthermore Additionally")


def _without_connective(claim: ParsedClaim, match: re.Match[str]) -> ParsedClaim:
    """ "Also in 2000, Franks founded DP." -> "In 2000, Franks founded DP." """
    rest = claim.question_text[match.end(1) :].lstrip(" ,")
    rest = rest[:1].upper() + rest[1:]
    return replace(claim, shown=rest) if sentences.is_sentence(rest) else claim


def _readable(claim: ParsedClaim) -> bool:
    """Whether a claim can be shown as the sentence before another: a
    question source, a list's intro, or a label ("File triggers."); not the
    rest of a sentence cut by a line break ("when a matching file ...")."""
    text = claim.question_text
    if claim.is_question_source or text.endswith(":"):
        return True
    if _TERM.match(text) and not re.search(r"[.!?,;]$|-{3,}", text):
        return True
    return text[:1].isupper() and text.endswith(".") and not sentences.broken(text)


def _resolved(
    claim: ParsedClaim, match: re.Match[str], before: ParsedClaim | None, heading: str
) -> ParsedClaim:
    text = claim.question_text
    word = match.group(1) or ""
    if before is None:
        if not word:
            # "The speech ended with these words.": at a section's start, a
            # demonstrative inside the sentence points ahead or to the heading.
            return replace(claim, context=heading)
        if heading and word not in _CONNECTIVES:
            return replace(claim, context=heading)
        return replace(claim, is_question_source=False)
    if not _readable(before):
        # The sentence before is no sentence: it cannot say what this means.
        return replace(claim, is_question_source=False)
    name = _person_subject(before.question_text) if word in _PERSONAL else ""
    if name:
        possessive = _PERSONAL[word]
        if possessive and name.endswith("s"):
            possessive = "'"
        shown = text[: match.start(1)] + name + possessive + text[match.end(1) :]
        return replace(claim, shown=shown)
    return replace(claim, context=before.question_text)
