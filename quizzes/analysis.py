"""Item analysis of a quiz, as Moodle's quiz statistics report computes it
(pure: no Django).

The input is a table of attempts x questions, each cell the mark the attempt
earned on the question as a fraction 0..1, or None where the question was not
in that attempt (a question added after the student sat the quiz). A question
shown but left unanswered in a finished attempt is a 0, as in Moodle.

The formulas follow Moodle's code, not a textbook's, so that our numbers are
Moodle's numbers (tests/test_analysis.py checks them against the fixture of
Moodle's own test, mod/quiz/report/statistics/tests/):

- per question (question/classes/statistics/questions/calculator.php): each
  question is taken over the attempts that had it (s of them); every variance
  and covariance is a *sample* one, divided by s - 1; the "rest of the test"
  of an attempt is its total minus this question's mark; the discrimination
  index is the correlation of the question's mark with the rest of the test,
  x100; the discriminative efficiency divides the covariance by the largest
  covariance the same marks could have, found by pairing the question's marks
  and the rest-of-test marks both sorted ascending;
- for the whole test (mod/quiz/report/statistics/classes/calculator.php):
  skewness and kurtosis from the k-statistics k2, k3, k4, and the coefficient
  of internal consistency (Cronbach's alpha, which is KR-20 when every mark
  is 0 or 1) from the sum of the questions' sample variances over k2.

Percentages are on Moodle's scales: facility and standard deviation as % of
the question's mark, discrimination index and efficiency x100 (from -100 to
100).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

Mark = float | None

# When a question is flagged for a teacher to look at (the rule, on
# Moodle's x100 scale: a discrimination index under 20 is a correlation with
# the rest of the test under 0.2).
FACILITY_LOW = 20.0
FACILITY_HIGH = 95.0
DISCRIMINATION_LOW = 20.0


@dataclass(frozen=True)
class Flag:
    code: str  # "hard", "easy", "negative" or "weak"
    reason: str  # what it means, in a sentence a teacher reads


@dataclass(frozen=True)
class ItemStats:
    """One question's statistics. None where Moodle shows nothing: too few
    attempts (under 2) or no spread to compute from."""

    attempts: int
    facility: float | None  # mean mark, % of the question's mark
    sd: float | None  # standard deviation of the mark, %
    random_guess: float | None  # expected % for a blind guess, if meaningful
    mark_variance: float | None
    other_mark_variance: float | None  # of the rest of the test
    covariance: float | None  # of the mark with the rest of the test
    covariance_max: float | None
    covariance_with_total: float | None
    discrimination: float | None  # x100
    efficiency: float | None  # discriminative efficiency, x100
    effective_weight: float | None  # % of the spread of totals
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class TestStats:
    """The totals' statistics, in marks (one per question)."""

    attempts: int
    questions: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None  # coefficient of internal consistency, %
    error_ratio: float | None  # %
    standard_error: float | None  # in marks


@dataclass(frozen=True)
class Analysis:
    items: list[ItemStats]
    test: TestStats


def analyse(
    marks: Sequence[Sequence[Mark]],
    *,
    random_guess: Sequence[float | None] | None = None,
) -> Analysis:
    """Moodle's question and test statistics for a table of marks.

    ``marks[a][q]`` is attempt a's mark on question q (0..1, or None if the
    attempt did not have it); ``random_guess[q]`` the question's random
    guess score as a fraction (see ``random_guess_score``); when given, it
    also says how many questions there are, answered or not.
    """
    if random_guess is None:
        width = max((len(row) for row in marks), default=0)
        random_guess = [None] * width
    width = len(random_guess)
    rows = [list(row) + [None] * (width - len(row)) for row in marks]
    totals = [sum(m for m in row if m is not None) for row in rows]
    moments = [
        _item_moments(
            [
                (row[q], total)
                for row, total in zip(rows, totals, strict=True)
                if row[q] is not None
            ]
        )
        for q in range(width)
    ]
    # Effective weight: each question's share of the spread of totals, from
    # the square roots of the covariances with the total; a question whose
    # covariance is negative has none, and adds nothing to the sum.
    roots = sum(
        math.sqrt(m["covariance_with_total"])
        for m in moments
        if m["covariance_with_total"] is not None and m["covariance_with_total"] >= 0
    )
    items = []
    for m, guess in zip(moments, random_guess, strict=True):
        cov_total = m.pop("covariance_with_total")
        weight = None
        if roots and cov_total is not None and cov_total >= 0:
            weight = 100 * math.sqrt(cov_total) / roots
        items.append(
            _with_flags(
                ItemStats(
                    **m,
                    covariance_with_total=cov_total,
                    effective_weight=weight,
                    random_guess=None if guess is None else 100 * guess,
                )
            )
        )
    variances = sum(item.mark_variance or 0.0 for item in items)
    return Analysis(items=items, test=_test_stats(totals, width, variances))


def _item_moments(pairs: list[tuple[float, float]]) -> dict:
    """One question over the attempts that had it: (mark, attempt total)."""
    s = len(pairs)
    result = dict.fromkeys(
        (
            "facility",
            "sd",
            "mark_variance",
            "other_mark_variance",
            "covariance",
            "covariance_max",
            "covariance_with_total",
            "discrimination",
            "efficiency",
        )
    )
    result["attempts"] = s
    if not s:
        return result
    marks = [mark for mark, _ in pairs]
    others = [total - mark for mark, total in pairs]
    totals = [total for _, total in pairs]
    mean, other_mean, total_mean = (sum(v) / s for v in (marks, others, totals))
    result["facility"] = 100 * mean
    if s < 2:
        return result
    d_mark = [m - mean for m in marks]
    d_other = [o - other_mean for o in others]
    n = s - 1
    variance = sum(d * d for d in d_mark) / n
    other_variance = sum(d * d for d in d_other) / n
    covariance = sum(a * b for a, b in zip(d_mark, d_other, strict=True)) / n
    # The largest covariance these marks could have with these rest-of-test
    # marks: the best student on the rest also best on this question.
    covariance_max = (
        sum(
            (a - mean) * (b - other_mean)
            for a, b in zip(sorted(marks), sorted(others), strict=True)
        )
        / n
    )
    result |= {
        "sd": 100 * math.sqrt(variance),
        "mark_variance": variance,
        "other_mark_variance": other_variance,
        "covariance": covariance,
        "covariance_max": covariance_max,
        "covariance_with_total": sum(
            d * (t - total_mean) for d, t in zip(d_mark, totals, strict=True)
        )
        / n,
    }
    if variance * other_variance:
        result["discrimination"] = (
            100 * covariance / math.sqrt(variance * other_variance)
        )
    if covariance_max:
        result["efficiency"] = 100 * covariance / covariance_max
    return result


def _with_flags(item: ItemStats) -> ItemStats:
    flags = []
    if item.facility is not None and item.attempts >= 2:
        if item.facility < FACILITY_LOW:
            flags.append(
                Flag(
                    "hard",
                    f"Hard: students earned {item.facility:.0f} % of its mark on "
                    "average (under 20 %). Check that the right answer is marked "
                    "right and the wording is clear, or whether it was taught.",
                )
            )
        elif item.facility > FACILITY_HIGH:
            flags.append(
                Flag(
                    "easy",
                    f"Easy: students earned {item.facility:.0f} % of its mark on "
                    "average (over 95 %), so it hardly tells who knows the "
                    "essay from who does not.",
                )
            )
    if item.discrimination is not None:
        if item.discrimination < 0:
            flags.append(
                Flag(
                    "negative",
                    f"Negative discrimination ({item.discrimination:.0f}): students "
                    "who did worse on the rest of the quiz did better on this "
                    "question. Check the right answer; the question may be "
                    "misleading.",
                )
            )
        elif item.discrimination < DISCRIMINATION_LOW:
            flags.append(
                Flag(
                    "weak",
                    f"Weak discrimination ({item.discrimination:.0f}, under 20 on "
                    "Moodle's scale of -100 to 100, a correlation under 0.2): "
                    "doing well on it goes little with doing well on the rest "
                    "of the quiz.",
                )
            )
    return replace(item, flags=tuple(flags))


def _test_stats(totals: list[float], questions: int, variances: float) -> TestStats:
    s = len(totals)
    stats = dict.fromkeys(
        (
            "mean",
            "median",
            "sd",
            "skewness",
            "kurtosis",
            "cic",
            "error_ratio",
            "standard_error",
        )
    )
    if s:
        mean = sum(totals) / s
        ordered = sorted(totals)
        middle = ordered[(s - 1) // 2 : s // 2 + 1]
        stats |= {"mean": mean, "median": sum(middle) / len(middle)}
        power2, power3, power4 = (
            sum((t - mean) ** k for t in totals) for k in (2, 3, 4)
        )
        if s > 1:
            stats["sd"] = math.sqrt(power2 / (s - 1))
        m2, m3, m4 = power2 / s, power3 / s, power4 / s
        k2 = s * m2 / (s - 1) if s > 1 else 0.0
        if s > 2 and k2:
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            stats["skewness"] = k3 / k2**1.5
            if s > 3:
                k4 = (
                    s
                    * s
                    * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2)
                    / ((s - 1) * (s - 2) * (s - 3))
                )
                stats["kurtosis"] = k4 / (k2 * k2)
            if questions > 1:
                cic = (100 * questions / (questions - 1)) * (1 - variances / k2)
                stats["cic"] = cic
                # Over 100 % (questions that agree more than their spread
                # allows, possible with few attempts) the error has no root:
                # Moodle shows NaN; we show nothing.
                if cic <= 100:
                    stats["error_ratio"] = 100 * math.sqrt(1 - cic / 100)
                    stats["standard_error"] = stats["error_ratio"] * stats["sd"] / 100
    return TestStats(attempts=s, questions=questions, **stats)


# --- What each choice drew, and what guessing earns ---------------------------


@dataclass(frozen=True)
class ChoiceCount:
    text: str
    is_correct: bool
    count: int
    share: float  # % of the responses that picked it


def choice_counts(
    choices: Sequence[tuple[Hashable, str, bool]],
    picks: Iterable[Iterable[Hashable]],
) -> tuple[int, list[ChoiceCount]]:
    """How many responses picked each choice ``(key, text, is_correct)``,
    given each response's picked keys; and how many responses there were.
    A multiple-answer response counts once for every choice it picked, so
    the shares may add up to more than 100 %."""
    counts = {key: 0 for key, _, _ in choices}
    responses = 0
    for picked in picks:
        responses += 1
        for key in set(picked):
            if key in counts:
                counts[key] += 1
    return responses, [
        ChoiceCount(
            text=text,
            is_correct=is_correct,
            count=counts[key],
            share=100 * counts[key] / responses if responses else 0.0,
        )
        for key, text, is_correct in choices
    ]


def random_guess_score(
    kind: str, *, choices: int = 0, correct: int = 0, pairs: int = 0
) -> float | None:
    """The mark a blind guess earns on average, as a fraction; None where
    a guess means nothing (typed answers).

    As Moodle's documentation of the report assumes, a multiple-answer guess
    picks as many choices as are right (the student is told how many), and
    is scored with our rule: (right picked - wrong picked) / right, not
    below 0.
    """
    if kind == "true_false":
        return 0.5
    if kind == "single" and choices:
        return 1 / choices
    if kind == "matching" and pairs:
        # Each item is matched to one of the n options at random.
        return 1 / pairs
    if kind == "multiple" and 0 < correct <= choices:
        wrong = choices - correct
        ways = math.comb(choices, correct)
        return (
            sum(
                math.comb(correct, hits)
                * math.comb(wrong, correct - hits)
                * max(0.0, (2 * hits - correct) / correct)
                for hits in range(correct + 1)
            )
            / ways
        )
    return None
