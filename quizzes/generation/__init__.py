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

Everything an essay needs is computed once (``EssayContext``), so a claim's
questions cost the same in a long essay as in a short one.
"""

from collections import Counter

from quizzes.collecting import collector_paused
from quizzes.essays import ParsedEssay
from quizzes.generation.builders import PER_CLAIM, matching, summarise
from quizzes.generation.compose import QuizCandidate, compose_quiz
from quizzes.generation.context import EssayContext, Source
from quizzes.generation.drafts import (
    BLANK,
    MAX_DRAFTS_PER_CLAIM,
    ChoiceDraft,
    PairDraft,
    QuestionDraft,
)
from quizzes.generation.statements import true_statement
from quizzes.generation.text import (
    comparable,
    contains,
    digest,
    find_enumerations,
    find_terms,
)
from quizzes.generation.truefalse import true_draft

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
    essay-level matching questions; the same essay gives the same list.
    Each claim gets at least one draft and at most MAX_DRAFTS_PER_CLAIM."""
    with collector_paused():  # nothing made here is garbage until the end
        context = EssayContext(essay)
        per_claim = [
            best_drafts(
                _strong_first(
                    [d for build in PER_CLAIM for d in build(context, source)]
                )
            )
            for source in context.sources
        ]
        kept = set(map(id, _varied([d for drafts in per_claim for d in drafts])))
        drafts: list[QuestionDraft] = []
        for source, built in zip(context.sources, per_claim, strict=True):
            # A claim whose only question _varied dropped keeps a true statement.
            drafts += [d for d in built if id(d) in kept] or _at_least(context, source)
        return drafts + matching(context)


def _varied(drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    """Section questions of which no more than half offer the same wrong
    choices (when there are four or more): with few headings, or headings
    that share words with most claims, one set could come back every time
    and a student would learn it rather than the text."""
    dropped: set[int] = set()
    for builder in ("which_section", "section_summary"):
        sets: dict[frozenset[str], list[int]] = {}
        for position, draft in enumerate(drafts):
            if draft.builder == builder:
                wrong = frozenset(c.text for c in draft.choices if not c.is_correct)
                sets.setdefault(wrong, []).append(position)
        total = sum(map(len, sets.values()))
        for positions in sets.values():
            others = total - len(positions)
            if total >= 4 and len(positions) * 2 > total:
                dropped.update(positions[max(others, 3 - others) :])
    return [draft for position, draft in enumerate(drafts) if position not in dropped]


# Which builder's draft a claim keeps first when it has too many: each
# builder's best in this order, then each one's second best, and so on.
PREFERENCE = (
    "which_term",
    "tf_true",
    "tf_false",
    "cloze",
    "enumeration",
    "which_section",
    "section_summary",
)


def best_drafts(drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    """At most MAX_DRAFTS_PER_CLAIM of one claim's drafts, in their order."""
    if len(drafts) <= MAX_DRAFTS_PER_CLAIM:
        return drafts
    nth: Counter[str] = Counter()
    ranks = []
    for position, draft in enumerate(drafts):
        builder = draft.builder
        order = PREFERENCE.index(builder) if builder in PREFERENCE else len(PREFERENCE)
        ranks.append((nth[builder], order, position))
        nth[builder] += 1
    kept = sorted(ranks)[:MAX_DRAFTS_PER_CLAIM]
    return [drafts[position] for *_, position in sorted(kept, key=lambda r: r[2])]


def _strong_first(drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    """A claim's drafts without the kinds teachers judged weakest (a blank on
    a name, which a reader often fills from the words around it or not at
    all; "select all" from a list, whose wrong items are seldom of its kind)
    when it has a question of another kind: those ask only what nothing
    else asks."""
    strong = [draft for draft in drafts if not _weak(draft)]
    return strong or drafts


def _weak(draft: QuestionDraft) -> bool:
    if draft.builder == "enumeration":
        return True
    answer = draft.accepted_answers[0] if draft.accepted_answers else ""
    return draft.builder == "cloze" and answer[:1].isupper()


def _at_least(context: EssayContext, source: Source) -> list[QuestionDraft]:
    """The claim as the essay says it, when no builder made anything of it."""
    return true_statement(context, source) or [
        true_draft(source, "no other question could be made of this claim")
    ]
