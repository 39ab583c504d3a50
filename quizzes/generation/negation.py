"""A claim made false by a "not" (pure: no ORM): "Trigger processing should
be idempotent." -> "Trigger processing should not be idempotent." The
plainest false statement of what a sentence asserts, kept for the claims the
plan would otherwise ask as a true statement that tips the balance, or under
a heading they are not under (which teachers judged a test of the layout).

Only where a "not" turns the sentence into its contradiction: on the main
verb's auxiliary ("is", "are", "should", "must", "will", "can"), in a
sentence with no negation already, no hedge or quantity ("some", "often",
"only", "may": "Some packages are not ..." can be as true as the claim), no
condition or clause before the verb ("If ...", "..., which is ...") and no
comparison ("more than").
"""

from __future__ import annotations

import re

from quizzes.generation.context import EssayContext, Source
from quizzes.generation.drafts import QuestionDraft
from quizzes.generation.truefalse import false_draft

# The auxiliaries a "not" follows, and what the pair becomes.
_AUXILIARIES = {
    "is": "is not",
    "are": "are not",
    "was": "was not",
    "were": "were not",
    "will": "will not",
    "should": "should not",
    "must": "must not",
    "can": "cannot",
}
_AUXILIARY = re.compile(r"\b(" + "|".join(_AUXILIARIES) + r")\b(?=\s+[a-z])")
# Anything of these and a "not" may leave the sentence as true as before
# ("is not usually", "may not"), or make it a double negative.
_UNFIT = re.compile(
    r"\b(?:not|never|no|none|nothing|nobody|neither|nor|without|cannot|only|"
    r"also|always|usually|often|sometimes|generally|typically|normally|mostly|"
    r"largely|mainly|probably|perhaps|possibly|likely|unlikely|may|might|could|"
    r"would|more|less|than|rather|almost|nearly|approximately|least|any|because|"
    r"since|so|if|unless|whether|there|here|example|instance)\b|n['’]t\b",
    re.IGNORECASE,
)
# A subject of some, not all ("Some packages are ..."): its negation can be
# as true as the claim.
_QUANTIFIED = re.compile(
    r"\b(?:some|several|many|most|few|all|every|each|either|both|such)\b",
    re.IGNORECASE,
)
# Before the auxiliary, only the subject: no clause, quote or code.
_SUBJECT = re.compile(r"^[A-Z][^,;:()\"“”‘’`]{1,80}$")
_CLAUSE = re.compile(r"\b(?:which|who|whom|whose|where|when|while|what|how)\b", re.I)
# What may follow "not" and still be the claim's contradiction: a word, not
# a list mark or code, nor an adverb the "not" would stand before ("is not
# still celebrated", "are not now ready").
_AFTER = re.compile(
    r"\s+(?!(?:now|still|already|then|just|even|thus|therefore|yet|[a-z]+ly)\b)"
    r"(?:a |an |the )?[a-z][a-z-]+\b"
)
# A subject that opens on a preposition is no subject ("On the other side
# ... is the server"): the verb comes before it.
_OPENER = re.compile(
    r"^(?:on|in|at|for|from|with|by|under|after|before|during|to|of|into|"
    r"beyond|behind|between|among|within|through|over)\b",
    re.IGNORECASE,
)


def negation(text: str) -> tuple[int, int, str, str] | None:
    """Where a "not" goes: (start, end, the auxiliary, it with "not")."""
    if _UNFIT.search(text) or not text.endswith("."):
        return None
    match = _AUXILIARY.search(text)
    if not match:
        return None
    subject, predicate = text[: match.start()].strip(), text[match.end() :]
    if not _SUBJECT.match(subject) or _CLAUSE.search(subject):
        return None
    if _QUANTIFIED.search(subject):
        return None
    if _OPENER.match(subject) or len(subject.split()) > 8:
        return None
    if not _AFTER.match(predicate):
        return None
    # One clause only: "... are not called requests and the answers are
    # called responses" would be half false, "..., providing ..." half said;
    # "espionage and sabotage" is one thing feared.
    if re.search(r",|;|:|\bbut\b", predicate):
        return None
    joined = re.search(r"\band\b", predicate)
    if joined and _AUXILIARY.search(predicate, joined.end()):
        return None
    old = match.group(1)
    return match.start(), match.end(), old, _AUXILIARIES[old]


def negated_statement(essay: EssayContext, source: Source) -> QuestionDraft | None:
    """The claim with a "not": false by the text, which says the claim."""
    where = negation(source.text)
    if where is None:
        return None
    start, end, old, new = where
    text = source.text
    statement = text[:start] + new + text[end:]
    if essay.says(statement):
        return None
    return false_draft(source, statement, old, new)
