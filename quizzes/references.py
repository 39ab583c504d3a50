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
    r"^[\"“‘'(]?(He|She|They|This|These|Those|That|Such|His|Her|Their|Its)\b"
)
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


def resolve(claims: list[ParsedClaim], heading: str) -> list[ParsedClaim]:
    """A section's claims with each pronoun start resolved: "He ordered ..."
    shows the name of the one person the sentence before is about; otherwise
    the claim carries that sentence (or the heading) as its context, and a
    first sentence without either is not asked about on its own."""
    resolved: list[ParsedClaim] = []
    before: ParsedClaim | None = None
    for claim in claims:
        text = claim.question_text
        match = DANGLING.match(text) if claim.is_question_source else None
        if match:
            claim = _resolved(claim, match, before, heading)
        resolved.append(claim)
        if claim.is_question_source or claim.text.endswith(":"):
            before = claim
    return resolved


def _resolved(
    claim: ParsedClaim, match: re.Match[str], before: ParsedClaim | None, heading: str
) -> ParsedClaim:
    text = claim.question_text
    word = match.group(1)
    if before is None:
        if heading:
            return replace(claim, context=heading)
        return replace(claim, is_question_source=False)
    name = _person_subject(before.question_text) if word in _PERSONAL else ""
    if name:
        possessive = _PERSONAL[word]
        if possessive and name.endswith("s"):
            possessive = "'"
        shown = text[: match.start(1)] + name + possessive + text[match.end(1) :]
        return replace(claim, shown=shown)
    return replace(claim, context=before.question_text)
