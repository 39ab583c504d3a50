"""An answer + the question as it was shown -> a score (pure: no ORM).

A *snapshot* is the plain dict a Response stores: everything the student was
shown, in the order shown, and everything needed to grade it again later::

    {"question_id": 7, "version": 2, "kind": "single", "prompt": "...",
     "explanation": "...", "is_true": None,
     "choices": [{"id": 31, "text": "...", "is_correct": True, "feedback": ""}],
     "accepted": ["..."],                       # cloze
     "pairs": [{"left": "...", "right": "..."}],  # matching, left items in order
     "options": ["..."],                        # matching, right items as shown
     "passage": {"heading": "", "before": "", "claim": "", "after": ""} | None}

An *answer* is what `parse_answer` makes of the form data: ``{"choice_ids":
[...]}``, ``{"value": bool}``, ``{"text": "..."}`` or ``{"matches": [...]}``
(for each left item, the index of the option picked).

The form names choices by their position in the order shown, never by their
database id: ids follow the order a teacher typed the choices in, and the
right one usually comes first. `parse_answer` maps positions back to ids.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from quizzes import kinds

MAX_ANSWER_LENGTH = 500
# Tab and line breaks are ordinary whitespace, whatever a paste brings along.
ALLOWED_CONTROLS = frozenset("\t\n\r")
TYPO_MIN_LENGTH = 5  # words longer than four letters may carry one typo

CHOICE_KINDS = kinds.CHOICE_KINDS


class InvalidAnswer(ValueError):
    """Form data that is no answer to this question; the message is for the student."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1
    is_correct: bool


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


# --- Order ------------------------------------------------------------------


def question_order(question_ids: Sequence[int], *, seed: int, shuffle: bool) -> list:
    ordered = list(question_ids)
    if shuffle:
        random.Random(seed).shuffle(ordered)
    return ordered


def shuffled(items: Sequence, *, seed: int, question_id: int) -> list:
    """The same order for the same attempt and question, so a reload changes nothing."""
    ordered = list(items)
    random.Random(f"{seed}:{question_id}").shuffle(ordered)
    return ordered


def rearranged(items: Sequence, *, seed: int, question_id: int) -> list:
    """A matching question's options: any order but the one given, each
    equally likely (the order given is the answer). Like ``shuffled``, the
    same for the same attempt and question."""
    given = list(items)
    if len(set(given)) < 2:
        return given
    rng = random.Random(f"{seed}:{question_id}")
    ordered = list(given)
    # Rejection: a uniform shuffle, redrawn while it is the identity, is
    # uniform over the other n! - 1 orders (at most 1 in 2 draws is redrawn).
    while ordered == given:
        rng.shuffle(ordered)
    return ordered


# --- Text -------------------------------------------------------------------


def normalise(text: str) -> str:
    """Fold case, accents, punctuation and runs of spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if char.isalnum():
            kept.append(char.casefold())
        elif char.isspace() or char == "/" or unicodedata.category(char) == "Pd":
            kept.append(" ")
        # Other punctuation disappears: "N.K.V.D." and "NKVD" are the same answer.
    return " ".join("".join(kept).split())


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        previous = current
    return previous[-1]


def _word_matches(given: str, expected: str) -> bool:
    if given == expected:
        return True
    if len(expected) < TYPO_MIN_LENGTH or abs(len(given) - len(expected)) > 1:
        return False
    return levenshtein(given, expected) <= 1


def text_matches(given: str, accepted: str) -> bool:
    given_words, accepted_words = normalise(given).split(), normalise(accepted).split()
    if not accepted_words:
        return False
    if "".join(given_words) == "".join(accepted_words):
        return True
    return len(given_words) == len(accepted_words) and all(
        _word_matches(g, a) for g, a in zip(given_words, accepted_words, strict=True)
    )


@dataclass(frozen=True)
class TextMatch:
    accepted: str  # the accepted answer, as the teacher spelt it
    exact: bool  # the same once case, accents, punctuation and spaces are folded


def text_match(given: str, accepted: Sequence[str]) -> TextMatch | None:
    """The accepted answer a typed one matches: one matched exactly before
    one matched within a typo (or a space), so the feedback can say which
    spelling was meant, as Moodle and Quizlet do."""
    folded = normalise(given)
    close = None
    for answer in accepted:
        if folded and folded == normalise(answer):
            return TextMatch(answer, exact=True)
        if close is None and text_matches(given, answer):
            close = TextMatch(answer, exact=False)
    return close


# --- Reading the form ---------------------------------------------------------


def _ints(values: Sequence[str]) -> list[int]:
    try:
        return [int(value) for value in values]
    except (TypeError, ValueError):
        raise InvalidAnswer(
            "That answer could not be read. Please pick again."
        ) from None


def _has_control_characters(text: str) -> bool:
    # PostgreSQL stores no NUL in text or JSON, and no other control character
    # (or lone surrogate) belongs in a typed answer either.
    return any(
        unicodedata.category(char) in {"Cc", "Cs"} and char not in ALLOWED_CONTROLS
        for char in text
    )


def parse_answer(snapshot: Mapping, data: FormData) -> dict:
    """The form data as an answer to this question, or InvalidAnswer."""
    version = data.get("version")
    if version is not None and str(version) != str(snapshot["version"]):
        raise InvalidAnswer(
            "Your teacher has just changed this question: "
            "here it is as it is now. Please answer it again."
        )
    kind = snapshot["kind"]
    if kind in CHOICE_KINDS:
        positions = _ints(data.getlist("choice"))
        if not positions:
            raise InvalidAnswer("Pick an answer before submitting.")
        choices = snapshot["choices"]
        if any(not 0 <= position < len(choices) for position in positions):
            raise InvalidAnswer("That choice is not one of this question's answers.")
        if kind == "single" and len(positions) != 1:
            raise InvalidAnswer("Pick only one answer.")
        return {"choice_ids": sorted({choices[p]["id"] for p in positions})}
    if kind == "true_false":
        value = data.get("value")
        if value not in {"true", "false"}:
            raise InvalidAnswer("Pick True or False before submitting.")
        return {"value": value == "true"}
    if kind == "cloze":
        text = data.get("text")
        if text is None or not text.strip():
            raise InvalidAnswer("Type an answer before submitting.")
        if len(text) > MAX_ANSWER_LENGTH:
            raise InvalidAnswer(
                f"Answers are limited to {MAX_ANSWER_LENGTH} characters."
            )
        if _has_control_characters(text):
            raise InvalidAnswer(
                "Your answer has an invisible control character in it. "
                "Please type it again."
            )
        return {"text": text.strip()}
    if kind == "matching":
        count = len(snapshot["pairs"])
        sent = {key for key in data if key.startswith("match-")}
        values = [data.get(f"match-{index}") for index in range(count)]
        if sent != {f"match-{index}" for index in range(count)} or not all(values):
            raise InvalidAnswer("Match every item before submitting.")
        matches = _ints(values)
        if any(not 0 <= match < len(snapshot["options"]) for match in matches):
            raise InvalidAnswer("Match every item before submitting.")
        return {"matches": matches}
    raise InvalidAnswer("This kind of question cannot be answered here.")


# --- Grading ----------------------------------------------------------------


def grade(snapshot: Mapping, answer: Mapping) -> Grade:
    kind = snapshot["kind"]
    if kind in CHOICE_KINDS:
        right = {c["id"] for c in snapshot["choices"] if c["is_correct"]}
        picked = set(answer["choice_ids"])
        if any(c.get("weight") is not None for c in snapshot["choices"]):
            score = _weighted(snapshot["choices"], picked, kind=kind, right=right)
            return Grade(score, score >= 1.0)
        if kind == "single":
            score = 1.0 if picked and picked <= right else 0.0
        elif right:
            score = max(0.0, (len(picked & right) - len(picked - right)) / len(right))
        else:
            score = 0.0 if picked else 1.0
        return Grade(score, picked == right if kind == "multiple" else score == 1.0)
    if kind == "true_false":
        correct = answer["value"] == snapshot["is_true"]
        return Grade(float(correct), correct)
    if kind == "cloze":
        match = text_match(answer["text"], snapshot["accepted"])
        if match is None:
            return Grade(0.0, False)
        score = _accepted(snapshot)[match.accepted][0] / 100
        return Grade(score, score >= 1.0)
    if kind == "matching":
        pairs, options = snapshot["pairs"], snapshot["options"]
        hits = sum(
            options[match] == pair["right"]
            for pair, match in zip(pairs, answer["matches"], strict=True)
        )
        score = hits / len(pairs) if pairs else 0.0
        return Grade(score, bool(pairs) and hits == len(pairs))
    raise ValueError(f"Unknown question kind {kind!r}")


def _weighted(choices, picked: set, *, kind: str, right: set) -> float:
    """A choice question's score where a teacher (or Moodle) weighed its
    choices: the picked choices' percents added, from 0 to 1. A choice left
    unweighed counts as the even rule counts it (the right one 100 %; in a
    multiple-answer question each right one an even share, each wrong one
    that share taken away)."""
    share = 100 / len(right) if right and kind == "multiple" else 100

    def weight(choice) -> float:
        if choice.get("weight") is not None:
            return choice["weight"]
        if kind == "single":
            return 100 if choice["is_correct"] else 0
        return share if choice["is_correct"] else -share

    earned = sum(weight(c) for c in choices if c["id"] in picked)
    # Moodle's weights are thirds and sixths written to five decimals.
    return min(1.0, max(0.0, round(earned / 100, 4)))


def _accepted(snapshot: Mapping) -> dict[str, tuple[float, str]]:
    """A fill-in-the-blank's accepted answers: each one's percent of the mark
    and its feedback (a snapshot made before answers had weights: 100 %)."""
    texts = snapshot["accepted"]
    weights = snapshot.get("accepted_weights") or [100] * len(texts)
    notes = snapshot.get("accepted_feedback") or [""] * len(texts)
    return {t: (w, f) for t, w, f in zip(texts, weights, notes, strict=True)}


# --- What a page may show -----------------------------------------------------


def public(snapshot: Mapping) -> dict:
    """The question without any sign of its answer: what an unanswered page shows.

    Each choice's form value is its position in the order shown, 0 to n-1.
    """
    shown = {
        "question_id": snapshot["question_id"],
        "version": snapshot["version"],
        "kind": snapshot["kind"],
        "prompt": snapshot["prompt"],
        "hint": kinds.BY_VALUE[snapshot["kind"]].hint,
    }
    if snapshot["kind"] in CHOICE_KINDS:
        shown["choices"] = [
            {"value": position, "text": c["text"]}
            for position, c in enumerate(snapshot["choices"])
        ]
    elif snapshot["kind"] == "true_false":
        # The same two values, in the same order, for every statement.
        shown["choices"] = [
            {"value": "true", "text": "True"},
            {"value": "false", "text": "False"},
        ]
    elif snapshot["kind"] == "matching":
        shown["matches"] = [{"left": pair["left"]} for pair in snapshot["pairs"]]
        shown["options"] = list(snapshot["options"])
    return shown


def refill(shown: Mapping, data: FormData) -> dict:
    """The question as ``public`` shows it, with what the student had picked
    or typed when their answer was refused, so that nothing is lost; the
    items still to match are marked ``missing``. Picks sent for another
    version of the question meant other choices: they are dropped."""
    refilled = dict(shown)
    version = data.get("version")
    if version is not None and str(version) != str(shown["version"]):
        return refilled
    kind = shown["kind"]
    if "choices" in shown:
        picked = set(data.getlist("value" if kind == "true_false" else "choice"))
        refilled["choices"] = [
            choice | {"checked": str(choice["value"]) in picked}
            for choice in shown["choices"]
        ]
    elif kind == "cloze":
        text = data.get("text") or ""
        if len(text) <= MAX_ANSWER_LENGTH and not _has_control_characters(text):
            refilled["text"] = text
    elif kind == "matching":
        options = range(len(shown["options"]))
        refilled["matches"] = []
        for index, row in enumerate(shown["matches"]):
            value = data.get(f"match-{index}") or ""
            picked = int(value) if value.isdecimal() else None
            picked = picked if picked in options else None
            refilled["matches"].append(
                row | {"picked": picked, "missing": picked is None}
            )
    return refilled


def right_answers(snapshot: Mapping) -> list[str]:
    """The right answer as text, one line per item: the correct choices,
    "True" or "False", every accepted answer (the first is the model one),
    or each pair as "left → right"."""
    kind = snapshot["kind"]
    if kind in CHOICE_KINDS:
        return [c["text"] for c in snapshot["choices"] if c["is_correct"]]
    if kind == "true_false":
        return ["True" if snapshot["is_true"] else "False"]
    if kind == "cloze":
        # Those that earn the whole mark; partly right ones are not "the answer".
        accepted = _accepted(snapshot)
        best = max((w for w, _note in accepted.values()), default=100)
        return [text for text, (w, _note) in accepted.items() if w == best]
    if kind == "matching":
        return [f"{pair['left']} → {pair['right']}" for pair in snapshot["pairs"]]
    return []


def feedback(snapshot: Mapping, answer: Mapping, grade: Grade, *, show_answers: bool):
    """One answered question as a page shows it: the answer marked against
    the right one (see ``mark``) and, when the answers may be shown, the
    explanation (if it says more than the passage) and the passage."""
    passage = snapshot.get("passage")
    explanation = snapshot.get("explanation") or ""
    return {
        "marked": mark(snapshot, answer),
        "score": grade.score,
        "percent": round(grade.score * 100),
        "is_correct": grade.is_correct,
        "show_answers": show_answers,
        "explanation": explanation if explanation_adds(explanation, passage) else "",
        "passage": passage,
    }


# Words that only bring a quotation in ("The essay says: ...", 'Under
# "Heading" the essay says: ...'), folded as ``normalise`` folds them.
QUOTING_WORDS = frozenset(
    {
        "the",
        "essay",
        "essays",
        "sections",
        "says",
        "say",
        "makes",
        "this",
        "point",
        "under",
    }
)


def explanation_adds(explanation: str, passage: Mapping | None) -> bool:
    """Whether an explanation says more than the passage shown beside it.

    Generated explanations often only quote the claim that the passage
    shows marked a line below; those add nothing. Any word that is neither
    in the passage nor one that brings a quotation in counts as more.
    """
    words = normalise(explanation).split()
    if not words or not passage:
        return bool(words)
    parts = ("heading", "before", "claim", "after")
    shown = set(normalise(" ".join(passage.get(p) or "" for p in parts)).split())
    return any(word not in QUOTING_WORDS and word not in shown for word in words)


def mark(snapshot: Mapping, answer: Mapping) -> dict:
    """The student's answer marked against the right one, row by row."""
    kind = snapshot["kind"]
    result: dict = {
        "kind": kind,
        "prompt": snapshot["prompt"],
        "rows": [],
        "right_answer": right_answers(snapshot),
    }
    if kind in CHOICE_KINDS:
        picked = set(answer.get("choice_ids", []))
        result["rows"] = [
            {
                "text": c["text"],
                "picked": c["id"] in picked,
                "is_correct": c["is_correct"],
                "feedback": c.get("feedback", ""),
            }
            for c in snapshot["choices"]
        ]
    elif kind == "true_false":
        value = answer.get("value")
        result["rows"] = [
            {
                "text": text,
                "picked": value is truth,
                "is_correct": snapshot["is_true"] is truth,
                "feedback": snapshot.get(f"{text.lower()}_feedback", ""),
            }
            for text, truth in (("True", True), ("False", False))
        ]
    elif kind == "cloze":
        result["given"] = answer.get("text", "")
        result["right_answer"] = result["right_answer"][:1]
        result["also_accepted"] = right_answers(snapshot)[1:]
        match = text_match(result["given"], snapshot["accepted"])
        # Accepted within a typo: the spelling it was taken for.
        result["spelling"] = match.accepted if match and not match.exact else ""
        # What the teacher wrote for that answer (a partly right one, say).
        result["feedback"] = _accepted(snapshot)[match.accepted][1] if match else ""
    elif kind == "matching":
        options = snapshot["options"]
        matches = answer.get("matches", [None] * len(snapshot["pairs"]))
        result["rows"] = [
            {
                "left": pair["left"],
                "given": options[match] if match is not None else "",
                "right": pair["right"],
                "ok": match is not None and options[match] == pair["right"],
            }
            for pair, match in zip(snapshot["pairs"], matches, strict=False)
        ]
    return result
