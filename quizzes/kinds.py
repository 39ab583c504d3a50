"""The question kinds, and what makes a question of each kind valid (pure).

One declaration for every layer: ``Question.Kind`` is built from ``KINDS``;
the admin's question form, the importers and the generator's tests ask
``problems()`` whether a question can be shown to a student; grading and the
templates ask ``part()`` which of a question's parts (choices, accepted
answers, matching pairs) a kind uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BLANK = "_____"  # marks the gap in a fill-in-the-blank prompt

SINGLE, MULTIPLE, TRUE_FALSE, CLOZE, MATCHING = (
    "single",
    "multiple",
    "true_false",
    "cloze",
    "matching",
)

# The parts a question may have, named as the Question's related managers.
CHOICES, ACCEPTED, PAIRS = "choices", "accepted_answers", "pairs"


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    part: str | None  # which related parts it uses: CHOICES, ACCEPTED, PAIRS or None
    hint: str  # what the student is asked to do, shown under the prompt


KINDS: tuple[Kind, ...] = (
    Kind(SINGLE, "Single choice", CHOICES, "Pick one answer."),
    Kind(MULTIPLE, "Multiple answer", CHOICES, "Pick every answer that applies."),
    Kind(TRUE_FALSE, "True / false", None, "Is this statement true or false?"),
    Kind(CLOZE, "Fill in the blank", ACCEPTED, "Type the missing word or words."),
    Kind(MATCHING, "Matching", PAIRS, "For each item, choose its match from the list."),
)
BY_VALUE = {kind.value: kind for kind in KINDS}
CHOICE_KINDS = frozenset(kind.value for kind in KINDS if kind.part == CHOICES)


def part(kind: str) -> str | None:
    """The related parts a kind uses (None for true/false, or an unknown kind)."""
    found = BY_VALUE.get(kind)
    return found.part if found else None


def label(kind: str) -> str:
    found = BY_VALUE.get(kind)
    return found.label if found else kind


@dataclass(frozen=True)
class Draft:
    """A question as plain data, whichever form, file or generator it came from."""

    kind: str
    prompt: str
    is_true: bool | None = None
    choices: Sequence[tuple[str, bool]] = ()  # (text, is_correct)
    accepted_answers: Sequence[str] = ()
    pairs: Sequence[tuple[str, str]] = ()  # (left, right)


@dataclass(frozen=True)
class Problem:
    """Why a question cannot be shown; ``field`` names what to fix."""

    field: str  # "kind", "prompt", "is_true", CHOICES, ACCEPTED or PAIRS
    message: str


def problems(draft: Draft) -> list[Problem]:
    """Everything that stops this question from being answered and graded."""
    kind = BY_VALUE.get(draft.kind)
    if kind is None:
        return [Problem("kind", f"“{draft.kind}” is not a kind of question.")]
    found = []
    if not draft.prompt.strip():
        found.append(Problem("prompt", "Write the question's prompt."))
    name = kind.label.lower()
    # Parts of another kind would be stored and never shown: say so.
    for part_name, rows, message in (
        (CHOICES, draft.choices, f"A {name} question has no choices: delete them."),
        (
            ACCEPTED,
            draft.accepted_answers,
            "Only fill-in-the-blank questions have accepted answers: delete them.",
        ),
        (PAIRS, draft.pairs, "Only matching questions have pairs: delete them."),
    ):
        if rows and kind.part != part_name:
            found.append(Problem(part_name, message))
    if kind.value == TRUE_FALSE and draft.is_true is None:
        found.append(Problem("is_true", "Say whether the statement is true or false."))
    if kind.part == CHOICES:
        found += _choice_problems(kind, draft.choices)
    elif kind.value == CLOZE:
        if BLANK not in draft.prompt:
            found.append(
                Problem(
                    "prompt",
                    f"Mark the gap in a fill-in-the-blank prompt with {BLANK}.",
                )
            )
        if not [text for text in draft.accepted_answers if text.strip()]:
            found.append(
                Problem(
                    ACCEPTED,
                    "A fill-in-the-blank question needs at least one accepted answer.",
                )
            )
    elif kind.value == MATCHING:
        found += _pair_problems(draft.pairs)
    return found


def _choice_problems(kind: Kind, choices: Sequence[tuple[str, bool]]) -> list[Problem]:
    name = kind.label.lower()
    if len(choices) < 2:
        return [Problem(CHOICES, f"A {name} question needs at least two choices.")]
    texts = [" ".join(text.split()).casefold() for text, _ in choices]
    if any(not text for text in texts):
        return [Problem(CHOICES, "Every choice needs a text.")]
    if len(set(texts)) != len(texts):
        return [Problem(CHOICES, "Two choices have the same text.")]
    correct = sum(bool(is_correct) for _, is_correct in choices)
    if kind.value == SINGLE and correct != 1:
        return [
            Problem(
                CHOICES,
                f"A {name} question needs exactly one correct choice "
                f"(it has {correct}).",
            )
        ]
    if kind.value == MULTIPLE and correct < 1:
        return [
            Problem(CHOICES, f"A {name} question needs at least one correct choice.")
        ]
    return []


def _pair_problems(pairs: Sequence[tuple[str, str]]) -> list[Problem]:
    """A pair with nothing on the left is an extra answer to choose from,
    matching no item (Moodle's distractor); the items need two pairs."""
    matched = [(left, right) for left, right in pairs if left.strip()]
    if len(matched) < 2:
        return [Problem(PAIRS, "A matching question needs at least two pairs.")]
    if any(not right.strip() for _left, right in pairs):
        return [Problem(PAIRS, "Every pair needs an item on both sides.")]
    lefts = [" ".join(left.split()).casefold() for left, _ in matched]
    rights = [" ".join(right.split()).casefold() for _, right in pairs]
    if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
        # Two equal items could be matched either way: no single right answer.
        return [Problem(PAIRS, "Two pairs share an item: each item must be different.")]
    return []
