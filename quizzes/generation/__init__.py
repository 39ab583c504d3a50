"""Claims -> question and card drafts (pure: no ORM).

The contract: ``generate(essay)`` takes a ``ParsedEssay`` and returns a list of
``QuestionDraft`` in a deterministic order. ``claim_index`` is the position of
the source claim in ``essay.claims`` (None for essay-level questions such as
matching); ``generator_key`` is stable across re-imports of the same text.

Every question is built from what the text itself marks: headings, proper-noun
phrases, numbers and decades, quoted terms, "also known as" names and
enumerations ("A, B, or C"). Nothing depends on one essay's wording. Keys are
``<builder>:<claim key>[:<term hash>]`` so they follow a claim's text, never
its position, and an edit elsewhere leaves them alone.

``compose_quiz`` then picks, from the questions as saved, the ones that make
one quiz together without giving each other away.

Everything an essay needs is computed once (``_Essay``), so a claim's
questions cost the same in a long essay as in a short one.
"""

from quizzes.essays import ParsedEssay
from quizzes.generation.builders import PER_CLAIM, matching, summarise
from quizzes.generation.compose import QuizCandidate, compose_quiz
from quizzes.generation.context import EssayContext
from quizzes.generation.drafts import BLANK, ChoiceDraft, PairDraft, QuestionDraft
from quizzes.generation.text import (
    comparable,
    contains,
    digest,
    find_enumerations,
    find_terms,
)

__all__ = [
    "BLANK",
    "ChoiceDraft",
    "PairDraft",
    "QuestionDraft",
    "QuizCandidate",
    "comparable",
    "compose_quiz",
    "contains",
    "digest",
    "find_enumerations",
    "find_terms",
    "generate",
    "summarise",
]


def generate(essay: ParsedEssay) -> list[QuestionDraft]:
    """Question drafts for every claim that carries content, then the
    essay-level matching questions; the same essay gives the same list."""
    context = EssayContext(essay)
    drafts = [
        draft
        for source in context.sources
        for build in PER_CLAIM
        for draft in build(context, source)
    ]
    return drafts + matching(context)
