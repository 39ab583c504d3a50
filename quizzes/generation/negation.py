"""A claim made false by a "not" (pure: no ORM): "Trigger processing should
be idempotent." -> "Trigger processing should not be idempotent." The
plainest false statement of what a sentence asserts, kept for the claims the
plan would otherwise ask as a true statement that tips the balance, or under
a heading they are not under (which teachers judged a test of the layout).

Only where a "not" turns the sentence into its contradiction: on the main
verb ("is", "should", "can"; "sought" -> "did not seek", "stores" -> "does
not store"), after a condition if there is one ("If a package fails, it is
not left ..."), in a sentence with no negation already, no hedge or quantity
("some", "often", "only", "may": "Some packages are not ..." can be as true
as the claim), no clause before the verb or after it ("..., which is ...",
"... and the answers are ...") and no comparison ("more than").
"""

from __future__ import annotations

import re

from quizzes.generation.context import EssayContext, Source
from quizzes.generation.drafts import QuestionDraft
from quizzes.generation.topics import lemma
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
    r"largely|mainly|either|probably|perhaps|possibly|likely|unlikely|may|might|could|"
    r"would|more|less|than|rather|almost|nearly|approximately|least|because|"
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
    r"(?:a |an |the )?[A-Za-z][a-z-]+\b"
)
# A subject that opens on a preposition is no subject ("On the other side
# ... is the server"): the verb comes before it.
_OPENER = re.compile(
    r"^(?:on|in|at|for|from|with|by|under|after|before|during|to|of|into|"
    r"beyond|behind|between|among|within|through|over)\b",
    re.IGNORECASE,
)


# A second verb after the one a "did not" or "does not" would go on: that
# one was no verb ("Pumice falls with ... have been used").
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|can|should|must|do|does|did)\b"
)
_CONDITION = re.compile(r"^(?:If|When|Once|Whenever)\s[^,;:()]{3,120},\s+(?=\w)")


def negation(text: str) -> tuple[int, int, str, str] | None:
    """Where a "not" goes: (start, end, the verb, it with "not"): on an
    auxiliary ("should" -> "should not"), on a verb in the past ("aimed" ->
    "did not aim") or in the present ("stores" -> "does not store"),
    whichever comes first; after a condition ("If ..., "), in what follows
    it."""
    condition = _CONDITION.match(text)
    if condition:
        if _UNFIT.search(text[condition.end() :]) or _UNFIT.search(
            text[text.index(" ") : condition.end()]
        ):
            return None
        rest = text[condition.end() :]
        where = _negation(rest[:1].upper() + rest[1:])
        if where is None:
            return None
        start, end, old, new = where
        return start + condition.end(), end + condition.end(), old, new
    if _UNFIT.search(text):
        return None
    return _negation(text)


def _negation(text: str) -> tuple[int, int, str, str] | None:
    if not text.endswith("."):
        return None
    verbs = (_auxiliary(text), _past_verb(text), _present_verb(text))
    found = [where for where in verbs if where]
    if not found:
        return None
    start, end, old, new = min(found)
    subject, predicate = text[:start].strip(), text[end:]
    if not _SUBJECT.match(subject) or _CLAUSE.search(subject):
        return None
    if _QUANTIFIED.search(subject):
        return None
    if _OPENER.match(subject) or len(subject.split()) > 8:
        return None
    if not _AFTER.match(predicate) or re.match(r"\s+any\b", predicate):
        return None  # "is not any tool that ..."
    # One clause only: "... are not called requests and the answers are
    # called responses" would be half false; "..., at the application
    # layer" or "..., possessing its own copy" only says more of it, and
    # "espionage and sabotage" is one thing feared.
    if re.search(r";|:|\bbut\b", predicate):
        return None
    comma = predicate.find(",")
    if comma >= 0 and (
        _FINITE.search(predicate, comma)
        or re.search(r"\b(?:which|who|that|and|or)\b", predicate[comma:])
    ):
        return None  # "..., which is ...": a clause of its own after it
    joined = re.search(r"\band\b", predicate)
    if joined and _AUXILIARY.search(predicate, joined.end()):
        return None
    if new.startswith(("did ", "does ")) and _FINITE.search(predicate):
        return None  # "The packages involved are put ...": no verb of its own
    return start, end, old, new


def _auxiliary(text: str) -> tuple[int, int, str, str] | None:
    match = _AUXILIARY.search(text)
    if not match:
        return None
    old = match.group(1)
    return match.start(), match.end(), old, _AUXILIARIES[old]


# Verbs in the past that do not end in -ed, and what "did not" takes.
_IRREGULAR = dict(
    re.findall(
        r"(\w+):(\w+)",
        "sought:seek became:become led:lead grew:grow took:take began:begin "
        "made:make saw:see kept:keep held:hold fell:fall brought:bring "
        "gave:give thought:think knew:know left:leave wrote:write spoke:speak "
        "told:tell found:find won:win lost:lose built:build sent:send "
        "spent:spend stood:stand understood:understand met:meet paid:pay "
        "came:come went:go drove:drive chose:choose rose:rise felt:feel "
        "fought:fight taught:teach bought:buy drew:draw threw:throw "
        "meant:mean heard:hear ran:run",
    )
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Before a subject's adjective ("the proposed change"), not a verb.
_BEFORE_ADJECTIVE = frozenset(
    re.findall(
        r"\w+",
        "the a an this these that those its his her their our your my of to in "
        "on at by for with from and or other",
    )
)
# A pronoun inside the words before the verb opens a clause ("the notation
# we saw"): the verb is that clause's.
_PRONOUN = re.compile(r"\s(?:i|we|you|they|he|she|it|that)\s", re.IGNORECASE)


# "and" and the word after it (or the one after an adverb): "and deeply
# affected" joins a second clause.
_JOINED = re.compile(r"\band\s+(?:\w+\s+)?(\w+)")


def _past_verb(text: str) -> tuple[int, int, str, str] | None:
    """The first verb in the past after the sentence's first word, if no
    word before it may be a verb in the present ("UCS contains the
    characters required": "required" is no verb there)."""
    words = list(_WORD.finditer(text))
    for before, match in zip(words, words[1:9], strict=False):
        word, previous = match.group(), before.group().lower()
        base = _past(word)
        if base is not None and _PRONOUN.search(text[: match.start()]):
            return None
        if base is None:
            if _present(word) and previous not in _BEFORE_ADJECTIVE:
                return None
            continue
        if previous in _BEFORE_ADJECTIVE or previous.endswith("ly"):
            return None  # "the proposed change", "a statically allocated uid"
        joined = _JOINED.finditer(text, match.end())
        if any(_past(after.group(1)) for after in joined):
            return None  # "resulted in ... and deeply affected ...": two clauses
        return match.start(), match.end(), word, f"did not {base}"
    return None


# After a verb in the present, what a verb takes ("stores the ...", "runs
# as ..."), not what a plural noun is followed by ("names contain").
_OBJECT_START = frozenset(
    re.findall(
        r"\w+",
        "the a an its their his her this these that all each every some "
        "to with on in for from by as at into over under through",
    )
)


def _present_verb(text: str) -> tuple[int, int, str, str] | None:
    """The sentence's verb in the present, third person ("Git stores the
    ..."), when it follows a subject of a few words and comes before what
    such a verb takes."""
    words = list(_WORD.finditer(text))
    for at, match in enumerate(words[1:5], start=1):
        word, previous = match.group(), words[at - 1].group().lower()
        if _past(word):
            return None  # the verb is in the past: _past_verb's
        if not _present(word) or word.endswith(("us", "is")):
            continue
        if previous in _BEFORE_ADJECTIVE or _PRONOUN.search(text[: match.start()]):
            return None
        if previous.endswith("ly") or previous in ("just", "also", "still"):
            return None  # "just does not add": the adverb stays before
        if at == 1 and previous.endswith("s"):
            return None  # "Allows members to use ...": no subject
        following = words[at + 1].group().lower() if at + 1 < len(words) else ""
        base = lemma(word)
        if following not in _OBJECT_START or base == word:
            return None
        return match.start(), match.end(), word, f"does not {base}"
    return None


def _past(word: str) -> str | None:
    """The verb a word in the past is of ("aimed" -> "aim"), if it is one."""
    if not word.islower():
        return None
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ed") and len(word) >= 4:
        base = lemma(word)
        return None if base == word else base
    return None


def _present(word: str) -> bool:
    """A word that may be a verb in the present ("contains", "keeps")."""
    return word.islower() and word.endswith("s") and not word.endswith("ss")


def put_in(old: str, new: str) -> bool:
    """Whether a false statement's change ("should" -> "should not") is a
    "not" put in here."""
    return new in (f"{old} not", "cannot") or new.startswith("did not ")


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
