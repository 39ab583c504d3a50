"""One claim -> its true/false statements: the claim as the essay says it,
and a plausibly false version with one term swapped for another of its kind."""

from __future__ import annotations

from itertools import islice

from quizzes.essays import ParsedClaim
from quizzes.generation.context import MAX_LOOKS, EssayContext, Source
from quizzes.generation.drafts import SWAP_CANDIDATES, QuestionDraft
from quizzes.generation.text import HEDGES, Term, comparable, contains, digest
from quizzes.kinds import TRUE_FALSE


def quote(claim: ParsedClaim) -> str:
    return f'The essay says: "{claim.question_text}"'


def true_statement(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    return [
        QuestionDraft(
            generator_key=f"tf_true:{source.key}",
            kind=TRUE_FALSE,
            prompt=source.text,
            explanation=quote(source.claim),
            claim_index=source.index,
            is_true=True,
        )
    ]


def _swaps(essay: EssayContext, source: Source, term: Term) -> list[str]:
    """Terms of the same type from elsewhere in the essay that make the claim
    false, closest in length first. Never a name for the same thing, nor one
    the claim's section already uses or the essay lists with the term (the
    Communist Party for the Soviet Union): the statement could stay true."""
    text = source.text
    pool = essay.swap_pool(text, term)
    if pool is None or term.kind == "alias":
        return []  # an alias is swapped in for a name, never swapped out
    if pool[0] == "name" and HEDGES.search(text):
        # A hedged sentence ("may have", "some") could stay true with another
        # name in it; numbers and decades are still safe to swap.
        return []
    avoid = essay.group_of(term.text)
    taken = essay.in_section[source.section]
    found: list[str] = []
    walk = essay.swap_rings[pool].walk(source.key + term.text, avoid=avoid)
    for other in islice(walk, MAX_LOOKS):
        group = essay.group_of(other)
        if comparable(other) in taken or group in taken or contains(text, other):
            continue
        found.append(other)
        if len(found) == SWAP_CANDIDATES:
            break
    size = len(term.text.split())
    return sorted(found, key=lambda other: abs(len(other.split()) - size))


def _heading_terms(essay: EssayContext, source: Source) -> list[Term]:
    text = source.text
    terms = []
    for heading, match in essay.headings_in(text):
        if comparable(heading) != comparable(source.heading):
            # Swapping in the claim's own heading would not make it false.
            terms.append(Term(match.group(), "heading", match.start(), match.end()))
    return terms


def false_statement(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    text = source.text
    for term in list(source.terms) + _heading_terms(essay, source):
        for other in _swaps(essay, source, term)[:3]:
            if term.text.islower():
                other = other.lower()
            statement = text[: term.start] + other + text[term.end :]
            if essay.says(statement):
                continue  # the essay says this too, so it is not false
            return [
                QuestionDraft(
                    generator_key=f"tf_false:{source.key}:{digest(term.text)}",
                    kind=TRUE_FALSE,
                    prompt=statement,
                    explanation=(
                        f'False: the essay says "{source.text}" '
                        f'("{term.text}", not "{other}").'
                    ),
                    claim_index=source.index,
                    is_true=False,
                )
            ]
    return []
