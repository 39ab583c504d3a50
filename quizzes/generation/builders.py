"""One claim -> its questions; the essay -> its matching questions."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import islice, pairwise

from quizzes.essays import ParsedClaim
from quizzes.generation.context import (
    MAX_LOOKS,
    EssayContext,
    Source,
    distinct,
    is_adjective,
)
from quizzes.generation.drafts import (
    MAX_CLOZES_PER_CLAIM,
    MAX_DISTRACTORS,
    MAX_MATCHING_PAIRS,
    SUMMARY_WORDS,
    ChoiceDraft,
    PairDraft,
    QuestionDraft,
)
from quizzes.generation.statements import false_statement, quote, true_statement
from quizzes.generation.text import (
    Enumeration,
    Term,
    comparable,
    contains,
    digest,
    plural_share,
)
from quizzes.kinds import BLANK, CLOZE, MATCHING, MULTIPLE, SINGLE


def _shuffled(choices: list[ChoiceDraft], salt: str) -> tuple[ChoiceDraft, ...]:
    # Ordered by a hash so the correct answer is not always first, and the
    # order survives a re-import. Salted apart from the hash that picked the
    # distractors: sorting by that one again put the answer last half the time.
    return tuple(sorted(choices, key=lambda choice: digest("order", salt, choice.text)))


def _accepted_answers(text: str, term: Term) -> tuple[str, ...]:
    answers = [term.text]
    if text[: term.start].lower().endswith("the ") and not is_adjective(text, term):
        answers.append(f"the {term.text}")
    if term.kind == "decade":
        bare = term.text.replace("'", "").replace("’", "")
        answers += [bare, bare[:-1] + "'s", f"the {bare}"]
    if term.kind == "number" and "," in term.text:
        answers.append(term.text.replace(",", ""))
    return tuple(distinct(answers))


def _clozes(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    text = source.text
    drafts: list[QuestionDraft] = []
    for term in source.terms:
        prompt = text[: term.start] + BLANK + text[term.end :]
        answers = _accepted_answers(text, term)
        if any(contains(prompt, answer) for answer in answers):
            continue  # the term also appears elsewhere in the sentence
        drafts.append(
            QuestionDraft(
                generator_key=f"cloze:{source.key}:{digest(term.text)}",
                kind=CLOZE,
                prompt=prompt,
                explanation=quote(source.claim),
                claim_index=source.index,
                accepted_answers=answers,
            )
        )
        if len(drafts) == MAX_CLOZES_PER_CLAIM:
            break
    return drafts


def _enumeration_questions(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    text = source.text
    drafts = []
    for enumeration in source.enumerations:
        prompt_text = text[: enumeration.start] + BLANK + text[enumeration.end :]
        correct = list(enumeration.items)
        if any(contains(prompt_text, item) for item in correct):
            continue
        # Items of other lists, those most like this list first (plural nouns
        # with plural nouns), so distractors are of the answer's kind.
        items = (item for other in _alike(essay, enumeration) for item in other.items)
        seen = {comparable(item) for item in correct}
        distractors: list[str] = []
        for item in islice(items, MAX_LOOKS):
            if comparable(item) in seen or contains(prompt_text, item):
                continue
            seen.add(comparable(item))
            distractors.append(item)
            if len(distractors) == MAX_DISTRACTORS:
                break
        if not distractors:
            continue
        key = f"enumeration:{source.key}:{digest(*correct)}"
        choices = [ChoiceDraft(item, True) for item in correct]
        choices += [
            ChoiceDraft(item, False, "The essay does not list this here.")
            for item in distractors
        ]
        drafts.append(
            QuestionDraft(
                generator_key=key,
                kind=MULTIPLE,
                prompt=(
                    "According to the essay, which of these fill the gap? "
                    f'"{prompt_text}" Select all that apply.'
                ),
                explanation=quote(source.claim),
                claim_index=source.index,
                choices=_shuffled(choices, key),
            )
        )
    return drafts


def _alike(essay: EssayContext, enumeration: Enumeration) -> Iterator[Enumeration]:
    """The essay's other lists, those with the closest share of plurals first."""
    pool = essay.enumeration_pool
    share = plural_share(enumeration.items)
    above = bisect_left(pool, share, key=lambda entry: entry[0])
    below = above - 1
    while below >= 0 or above < len(pool):
        closer_below = above == len(pool) or (
            below >= 0 and share - pool[below][0] <= pool[above][0] - share
        )
        if closer_below:
            other, below = pool[below][2], below - 1
        else:
            other, above = pool[above][2], above + 1
        if other is not enumeration:
            yield other


def _which_section(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    heading = source.heading
    if not heading or contains(source.text, heading):
        return []
    key = f"which_section:{source.key}"
    others = essay.heading_ring.walk(key, avoid=comparable(heading))
    distractors = list(islice(others, MAX_DISTRACTORS))
    if len(distractors) < 2:
        return []
    choices = [ChoiceDraft(heading, True)]
    choices += [ChoiceDraft(other, False) for other in distractors]
    return [
        QuestionDraft(
            generator_key=key,
            kind=SINGLE,
            prompt=(
                "In which part of the essay's argument does this statement belong? "
                f'"{source.text}"'
            ),
            explanation=f'The essay makes this point under "{heading}": '
            f'"{source.text}"',
            claim_index=source.index,
            choices=_shuffled(choices, key),
        )
    ]


def _section_summary(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    heading = source.heading
    if not heading:
        return []
    key = f"section_summary:{source.key}"
    said = comparable(source.text)
    others = essay.claim_ring.walk(key, avoid=comparable(heading))
    distractors = list(
        islice((text for text in others if comparable(text) != said), MAX_DISTRACTORS)
    )
    if len(distractors) < 2:
        return []
    choices = [ChoiceDraft(source.text, True)]
    choices += [
        ChoiceDraft(
            text,
            False,
            f'The essay says this under "{essay.heading_said[comparable(text)]}".',
        )
        for text in distractors
    ]
    return [
        QuestionDraft(
            generator_key=key,
            kind=SINGLE,
            prompt=f'Which statement belongs to "{heading}" in the essay?',
            explanation=f'Under "{heading}" the essay says: "{source.text}"',
            claim_index=source.index,
            choices=_shuffled(choices, key),
        )
    ]


# --- the essay -> questions ---------------------------------------------------


def summarise(text: str, max_words: int = SUMMARY_WORDS) -> str:
    """A one-line version of a sentence: cut at a clause boundary if it is long."""
    text = text.rstrip(".!?:")
    words = text.split()
    if len(words) <= max_words:
        return text
    cut = " ".join(words[:max_words])
    clause = max(cut.rfind(","), cut.rfind(";"))
    if clause > 0 and len(cut[:clause].split()) >= max_words // 2:
        cut = cut[:clause]
    return cut.rstrip(",;: ") + "..."


def matching(essay: EssayContext) -> list[QuestionDraft]:
    rows: list[tuple[str, ParsedClaim]] = []
    summaries: set[str] = set()
    for heading in essay.headings:
        claims = [s.claim for s in essay.by_heading.get(heading, ())]
        # Prefer a summary that does not give its heading away.
        claims.sort(key=lambda claim: contains(claim.question_text, heading))
        if claims and comparable(summarise(claims[0].text)) not in summaries:
            rows.append((heading, claims[0]))
            summaries.add(comparable(summarise(claims[0].text)))
    drafts = []
    for chunk in _chunks(rows):
        headings = [heading for heading, _ in chunk]
        passages = "; ".join(f'"{h}": "{claim.question_text}"' for h, claim in chunk)
        drafts.append(
            QuestionDraft(
                generator_key=f"matching:{digest(*sorted(map(comparable, headings)))}",
                kind=MATCHING,
                prompt="Match each part of the essay's argument to what it says.",
                explanation=f"The essay's sections say: {passages}",
                claim_index=None,
                pairs=tuple(
                    PairDraft(h, summarise(claim.question_text)) for h, claim in chunk
                ),
            )
        )
    return drafts


def _chunks(rows: list) -> list[list]:
    """Rows split into even groups of at most MAX_MATCHING_PAIRS, each >= 3."""
    if len(rows) < 3:
        return []
    count = -(-len(rows) // MAX_MATCHING_PAIRS)
    bounds = [round(i * len(rows) / count) for i in range(count + 1)]
    return [rows[a:b] for a, b in pairwise(bounds)]


PER_CLAIM: tuple[Callable[[EssayContext, Source], list[QuestionDraft]], ...] = (
    true_statement,
    false_statement,
    _clozes,
    _enumeration_questions,
    _which_section,
    _section_summary,
)
