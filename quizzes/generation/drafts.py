"""What the generator makes: question drafts as plain data, and the limits
it keeps to."""

from __future__ import annotations

from dataclasses import dataclass, field

from quizzes.kinds import BLANK, CLOZE, MATCHING, MULTIPLE, SINGLE, TRUE_FALSE

__all__ = ["BLANK", "CLOZE", "MATCHING", "MULTIPLE", "SINGLE", "TRUE_FALSE"]


MAX_DISTRACTORS = 3
SWAP_CANDIDATES = 12  # looked at for a false statement, closest length first
MAX_CLOZES_PER_CLAIM = 2
MAX_MATCHING_PAIRS = 6
SUMMARY_WORDS = 14
MAX_ITEM_WORDS = 4
MAX_CHOICE_WORDS = 6  # a list item longer than this is a clause, not a choice
MAX_PROMPT_CHARS = 600
# The most drafts one claim gets: more would make a quiz of one sentence.
MAX_DRAFTS_PER_CLAIM = 6


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
    # What the generator itself doubts about the draft ("starts with a
    # pronoun", "few distractors of the same kind"), for a teacher's triage.
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def builder(self) -> str:
        """Which builder made it (which_section, section_summary, tf_true,
        tf_false, cloze, enumeration, matching): the key's first part."""
        return self.generator_key.split(":", 1)[0]


# With this many headings or more, two or more wrong headings can vary from
# one question to the next (each question asked this way has its own set).
VARIED_HEADINGS = 4

# The doubt of a question that shows the sentence its claim leans on.
NEEDS_CONTEXT = "claim needs its context"
