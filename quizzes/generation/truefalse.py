"""True/false drafts as a student sees them (pure: no ORM): the statement
to judge, after the sentence it needs, and the explanation that names what a
false one changed in the form the quality rules read."""

from __future__ import annotations

import re

from quizzes.essays import ParsedClaim
from quizzes.generation.context import Source
from quizzes.generation.drafts import MAX_PROMPT_CHARS, NEEDS_CONTEXT, QuestionDraft
from quizzes.generation.text import digest, embedded
from quizzes.kinds import TRUE_FALSE


def quote(claim: ParsedClaim) -> str:
    return f'The essay says: "{claim.question_text}"'


def ends_a_sentence(context: str) -> bool:
    """Whether the context a question shows is a sentence, not a term."""
    return bool(re.search(r"[.!?:][\"”’')\]]*$", context))


def tf_prompt(statement: str, context: str = "") -> str:
    """A true/false prompt: the statement to judge, after the sentence it
    needs, if any, quoted as the essay's so only the statement is judged."""
    if not context:
        return statement
    if not ends_a_sentence(context):
        # A term or a heading, not a sentence: "About "tape": This group ..."
        return f'About "{embedded(context)}": {statement}'
    shown = embedded(context)
    room = MAX_PROMPT_CHARS - len(statement) - len('The essay says: "" True or false: ')
    if len(shown) > room:
        # A long sentence before: its end, which the statement goes on from.
        cut = shown[len(shown) - room + 2 :]
        shown = "… " + cut[cut.find(" ") + 1 :] if " " in cut else shown
    return f'The essay says: "{shown}" True or false: {statement}'


def warnings_of(source: Source, *more: str) -> tuple[str, ...]:
    return (*more, NEEDS_CONTEXT) if source.context else more


def true_draft(
    source: Source, *warnings: str, context: str | None = None
) -> QuestionDraft:
    """The claim as the essay says it, after the sentence it needs, if any."""
    context = source.context if context is None else context
    return QuestionDraft(
        generator_key=f"tf_true:{source.key}",
        kind=TRUE_FALSE,
        prompt=tf_prompt(source.text, context),
        explanation=quote(source.claim),
        claim_index=source.index,
        is_true=True,
        warnings=warnings_of(source, *warnings),
    )


def false_draft(
    source: Source,
    statement: str,
    old: str,
    new: str,
    *warnings: str,
    named: tuple[str, str] | None = None,
) -> QuestionDraft:
    """The false statement's draft; the explanation names what was changed
    ("X", not "Y", or ``named`` where the words alone would not say it) in
    the form the quality rules read."""
    said, put = named or (old, new)
    return QuestionDraft(
        generator_key=f"tf_false:{source.key}:{digest(old)}",
        kind=TRUE_FALSE,
        prompt=tf_prompt(statement, source.context),
        explanation=(
            f'False: the essay says "{embedded(source.text)}" ("{said}", not "{put}").'
        ),
        claim_index=source.index,
        is_true=False,
        warnings=warnings_of(source, *warnings),
    )
