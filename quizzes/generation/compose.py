"""Which saved questions make one quiz together, none giving another away."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quizzes.generation.builders import summarise
from quizzes.generation.text import comparable, digest
from quizzes.kinds import TRUE_FALSE


@dataclass(frozen=True)
class QuizCandidate:
    """A saved question as a quiz's composer sees it."""

    id: int
    claim: str | None  # the key of its claim; None for an essay-level question
    kind: str
    key: str  # stable: its generator key, else anything unique to it
    shown: str  # all a student may see of it: prompt, choices, pairs, explanation
    is_true: bool | None = None  # true/false only

    @property
    def variety(self) -> tuple[str, bool | None]:
        """What a quiz mixes: kinds, and true with false statements."""
        return self.kind, self.is_true


class _Shown:
    """Finds the claims a question shows, whole or summarised. Claims are
    looked up by their first words, then by their whole text: a question
    costs its own length, not the essay's."""

    LEAD = 5  # words a claim is first looked up by

    def __init__(self, claims: dict[str, str]) -> None:
        self.keys: dict[str, set[str]] = {}  # a text shown -> its claims
        self.sizes: dict[tuple[str, ...], set[int]] = {}  # lead -> text sizes
        for key, text in claims.items():
            for shown in {comparable(text), comparable(summarise(text))}:
                words = shown.split()
                if words:
                    self.keys.setdefault(shown, set()).add(key)
                    lead = tuple(words[: self.LEAD])
                    self.sizes.setdefault(lead, set()).add(len(words))
        self.leads = sorted({len(lead) for lead in self.sizes})

    def claims_in(self, shown: str) -> set[str]:
        words = comparable(shown).split()
        found: set[str] = set()
        for at in range(len(words)):
            for lead in self.leads:
                for size in self.sizes.get(tuple(words[at : at + lead]), ()):
                    found |= self.keys.get(" ".join(words[at : at + size]), set())
        return found


def compose_quiz(
    candidates: list[QuizCandidate],
    claims: dict[str, str],
    taken: Iterable[QuizCandidate] = (),
) -> list[int]:
    """The ids of the candidates that make a quiz together, in their order.

    At most one question per claim, and none that shows a claim another one
    is about: a cloze whose sentence is a true/false statement, a choice of a
    "which statement" question or a line of a matching question elsewhere in
    the quiz is no question at all. Essay-level questions (matching) come in
    first, then one question per claim not yet shown. Questions that show
    only their own claim are preferred, and among them the kind the quiz has
    least of so far, so the quiz mixes kinds (and true with false
    statements); ties are broken by a hash of the claim, never by position.
    ``taken`` are questions already in the quiz: what they show counts as
    shown. At the end no more than 60 % of the quiz's true/false questions
    are true, nor false (``_balance``).
    """
    finder = _Shown(claims)
    seen: dict[int, set[str]] = {}

    def shows(candidate: QuizCandidate) -> set[str]:
        if candidate.id not in seen:
            own = {candidate.claim} if candidate.claim else set()
            seen[candidate.id] = own | finder.claims_in(candidate.shown)
        return seen[candidate.id]

    shown: set[str] = set()
    kinds: Counter[tuple[str, bool | None]] = Counter()
    for candidate in taken:
        shown |= shows(candidate)
        kinds[candidate.variety] += 1
    chosen: set[int] = set()
    by_claim: dict[str, list[QuizCandidate]] = {}
    for candidate in candidates:
        if candidate.claim is None:
            if not shows(candidate) & shown:
                chosen.add(candidate.id)
                shown |= shows(candidate)
                kinds[candidate.variety] += 1
        else:
            by_claim.setdefault(candidate.claim, []).append(candidate)
    picked: dict[str, QuizCandidate] = {}
    for claim, options in by_claim.items():
        if claim in shown:
            continue
        fitting = [(c, shows(c)) for c in options if not shows(c) & shown]
        alone = [(c, s) for c, s in fitting if s == {claim}]
        if not (alone or fitting):
            continue
        best, its = min(
            alone or fitting,
            key=lambda pair: (
                kinds[pair[0].variety],
                digest(claim, pair[0].kind, str(pair[0].is_true)),
                digest(pair[0].key),
            ),
        )
        picked[claim] = best
        shown |= its
        kinds[best.variety] += 1
    _balance(picked, by_claim, shows, kinds, shown)
    chosen |= {candidate.id for candidate in picked.values()}
    return [candidate.id for candidate in candidates if candidate.id in chosen]


def _balance(
    picked: dict[str, QuizCandidate],
    by_claim: dict[str, list[QuizCandidate]],
    shows: Callable[[QuizCandidate], set[str]],
    kinds: Counter[tuple[str, bool | None]],
    shown: set[str],
) -> None:
    """Keep 40-60 % of a quiz's true/false questions true (when it has at least
    MIN_STATEMENTS): a quiz of true statements teaches a student to answer
    "true". A question of the side there are too many of gives way to its
    claim's statement of the other side, else to another of its questions
    that shows nothing else in the quiz, else leaves the quiz; claims in an
    order fixed by their hash."""
    for too_many in (True, False):
        order = sorted(
            (claim for claim, c in picked.items() if _is_statement(c, too_many)),
            key=lambda claim: digest("balance", claim),
        )
        for claim in order:
            if not _unbalanced(kinds, too_many):
                break
            current = picked.pop(claim)
            kinds[current.variety] -= 1
            shown -= shows(current)  # what the quiz's questions show is disjoint
            options = [
                c
                for c in by_claim[claim]
                if not shows(c) & shown and not _is_statement(c, too_many)
            ]
            if options:
                best = min(
                    options,
                    key=lambda c: (c.kind != TRUE_FALSE, kinds[c.variety], c.key),
                )
                picked[claim] = best
                kinds[best.variety] += 1
                shown |= shows(best)


MIN_STATEMENTS = 5  # true/false questions a quiz has before its balance counts


def _is_statement(candidate: QuizCandidate, truth: bool) -> bool:
    return candidate.kind == TRUE_FALSE and candidate.is_true is truth


def _unbalanced(kinds: Counter[tuple[str, bool | None]], too_many: bool) -> bool:
    """Whether more than 60 % of the statements are ``too_many``."""
    side, other = kinds[(TRUE_FALSE, too_many)], kinds[(TRUE_FALSE, not too_many)]
    return side + other >= MIN_STATEMENTS and side * 5 > (side + other) * 3
