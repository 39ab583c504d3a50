"""False statements of place: a claim said under a heading it is not
under (pure: no ORM). Where a text has nothing to swap (its people, no
years), these balance true and false: the sentence is quoted as it is, and
only where the text says it is wrong."""

from __future__ import annotations

from itertools import islice

from quizzes.generation.context import MAX_LOOKS, EssayContext, Source
from quizzes.generation.drafts import (
    MAX_PROMPT_CHARS,
    NEEDS_CONTEXT,
    VARIED_HEADINGS,
    QuestionDraft,
)
from quizzes.generation.terms import asked_by_term
from quizzes.generation.text import comparable, contains, embedded
from quizzes.generation.topics import shared_content
from quizzes.kinds import TRUE_FALSE
from quizzes.references import leans_back
from quizzes.sentences import is_sentence


def heading_statement(
    essay: EssayContext, source: Source, *, loose: bool = False
) -> QuestionDraft | None:
    """The claim said under another heading, one that shares no word with it
    nor holds its section ("Under "Foreign Threats" the text says: ..."):
    false by where the text says it, with nothing changed in what it says.
    ``loose``: also of a claim that shares a word with its own heading."""
    heading, text, context = source.heading, source.text, source.context
    if not heading or len(essay.headings) < VARIED_HEADINGS:
        return None
    if asked_by_term(essay, source) or not is_sentence(text):
        return None
    if leans_back(text) and not context:
        return None
    # With the sentence it needs, as one passage: "after ..." made half of
    # the statement true and the other half false.
    passage = f"{context} {text}".strip()
    if contains(context, heading):
        return None  # the sentence before tells where it is
    if not loose and contains(text, heading):
        return None
    # A word the passage shares with its own heading tells where it is ("...
    # his ideology" under "Ideological Differences"), and one it shares with
    # the other makes the statement look true; a word shared with both (the
    # "trigger" of "Explicit triggers" and "File triggers") tells neither.
    own = set(shared_content(passage, heading))
    told = bool(shared_content(context, heading))  # by the sentence before
    key = f"tf_false:{source.key}:heading"
    others = essay.heading_ring.walk(key, avoid=comparable(heading))
    for other in islice(others, MAX_LOOKS):
        if essay.nested(heading, other):
            continue
        theirs = set(shared_content(passage, other))
        if theirs != own and (theirs or told or not loose):
            continue
        statement = f'Under "{other}" the text says: "{embedded(passage)}"'
        if len(statement) > MAX_PROMPT_CHARS:
            return None
        return QuestionDraft(
            generator_key=key,
            kind=TRUE_FALSE,
            prompt=statement,  # the sentence it needs is inside it
            explanation=(
                f'False: the text says "{embedded(text)}" under "{heading}" '
                f'("{heading}", not "{other}").'
            ),
            claim_index=source.index,
            is_true=False,
            warnings=(NEEDS_CONTEXT,) if context else (),
        )
    return None
