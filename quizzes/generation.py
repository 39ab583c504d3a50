"""Claims -> question and card drafts (pure: no ORM).

The contract: ``generate(essay)`` takes a ``ParsedEssay`` and returns a list of
``QuestionDraft`` in a deterministic order. ``claim_index`` is the position of
the source claim in ``essay.claims`` (None for essay-level questions such as
matching); ``generator_key`` is stable across re-imports of the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizzes.essays import ParsedEssay

BLANK = "_____"


@dataclass(frozen=True)
class ChoiceDraft:
    text: str
    is_correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class PairDraft:
    left: str
    right: str


@dataclass(frozen=True)
class QuestionDraft:
    generator_key: str
    kind: str  # a value of Question.Kind: single, multiple, true_false, cloze, matching
    prompt: str
    explanation: str
    claim_index: int | None
    choices: tuple[ChoiceDraft, ...] = field(default_factory=tuple)
    accepted_answers: tuple[str, ...] = field(default_factory=tuple)
    pairs: tuple[PairDraft, ...] = field(default_factory=tuple)
    is_true: bool | None = None  # true_false only


def generate(essay: ParsedEssay) -> list[QuestionDraft]:
    """Provisional implementation, replaced by the full generator."""
    drafts = []
    for index, claim in enumerate(essay.claims):
        if not claim.is_question_source:
            continue
        drafts.append(
            QuestionDraft(
                generator_key=f"tf-true:{index}",
                kind="true_false",
                prompt=claim.text,
                explanation=f'The essay says: "{claim.text}"',
                claim_index=index,
                is_true=True,
            )
        )
    return drafts
