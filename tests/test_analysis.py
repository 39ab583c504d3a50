"""quizzes.analysis: Moodle's item statistics, checked by hand and against
the numbers of Moodle's own test (tests/data/moodle_stats/README.md)."""

import ast
import csv
import math
from decimal import Decimal
from pathlib import Path

import pytest

from quizzes import analysis
from quizzes.analysis import analyse, choice_counts, random_guess_score

MOODLE = Path(__file__).parent / "data" / "moodle_stats"


def test_a_small_quiz_computed_by_hand():
    """Four attempts at three questions, marks 0 or 1:

        attempt  Q1 Q2 Q3  total
        A         1  1  1    3
        B         1  1  0    2
        C         1  0  0    1
        D         0  0  1    1

    Q2: marks 1 1 0 0, mean 1/2, so facility 50 %. Rest of the test (total
    minus Q2) 2 1 1 1, mean 5/4. Deviations .5 .5 -.5 -.5 and .75 -.25 -.25
    -.25. Sample variance (divided by s - 1 = 3): (4 x .25) / 3 = 1/3, so sd
    = sqrt(1/3) = 57.74 %; rest: (.5625 + 3 x .0625) / 3 = 1/4. Covariance
    (.375 - .125 + .125 + .125) / 3 = 1/6. Discrimination index 100 x (1/6)
    / sqrt(1/3 x 1/4) = 100 x sqrt(12) / 6 = 57.74. Sorted marks 0 0 1 1
    against sorted rest 1 1 1 2: (.125 + .125 - .125 + .375) / 3 = 1/6, the
    covariance itself, so the discriminative efficiency is 100.

    Q3: marks 1 0 0 1, rest 2 2 1 0 (mean 5/4, deviations .75 .75 -.25
    -1.25, variance 2.75 / 3 = 11/12). Covariance (.375 - .375 + .125 -
    .625) / 3 = -1/6; index 100 x (-1/6) / sqrt(1/3 x 11/12) = -100 /
    sqrt(11) = -30.15. Sorted rest 0 1 2 2: covariance max (.625 + .125 +
    .375 + .375) / 3 = 1/2, efficiency -33.33.

    Q1: marks 1 1 1 0 (facility 75 %), rest 2 1 0 1: covariance (.25 - .25)
    / 3 = 0, index 0.

    Covariances with the total (3 2 1 1, deviations 1.25 .25 -.75 -.75):
    Q1 .75 / 3 = 1/4, Q2 1.5 / 3 = 1/2, Q3 .5 / 3 = 1/6; effective weights
    sqrt of each over the sum of the square roots: Q2 = .7071 / (.5 + .7071
    + .4082) = 43.77 %.

    The test: mean 7/4, median (1 + 2) / 2 = 3/2; squared deviations sum to
    2.75, so sd = sqrt(2.75 / 3) = .9574 and k2 = 11/12. The questions'
    variances sum to 1/4 + 1/3 + 1/3 = 11/12 = k2, so the coefficient of
    internal consistency is 100 x 3/2 x (1 - 1) = 0, the error ratio 100 x
    sqrt(1 - 0) = 100 % and the standard error 100 % of the sd. Skewness:
    cubed deviations sum to 1.125, m3 = 1.125 / 4, k3 = 16 m3 / (3 x 2) =
    .75, over k2^1.5: .75 / (11/12)^1.5 = .8546. Kurtosis: fourth powers sum
    to 3.078125, m4 = .76953125, m2 = .6875, k4 = 16 (5 m4 - 9 m2^2) / 6 =
    -1.0833, over k2^2: -1.2893.
    """
    result = analyse([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 1]])
    q1, q2, q3 = result.items

    assert q2.facility == pytest.approx(50)
    assert q2.sd == pytest.approx(100 * math.sqrt(1 / 3))
    assert q2.mark_variance == pytest.approx(1 / 3)
    assert q2.other_mark_variance == pytest.approx(1 / 4)
    assert q2.covariance == pytest.approx(1 / 6)
    assert q2.discrimination == pytest.approx(100 * math.sqrt(12) / 6)
    assert q2.covariance_max == pytest.approx(1 / 6)
    assert q2.efficiency == pytest.approx(100)
    assert q2.effective_weight == pytest.approx(
        100
        * math.sqrt(1 / 2)
        / (math.sqrt(1 / 4) + math.sqrt(1 / 2) + math.sqrt(1 / 6))
    )

    assert q3.covariance == pytest.approx(-1 / 6)
    assert q3.discrimination == pytest.approx(-100 / math.sqrt(11))
    assert q3.efficiency == pytest.approx(-100 / 3)
    assert q1.facility == pytest.approx(75)
    assert q1.discrimination == pytest.approx(0)

    test = result.test
    assert (test.attempts, test.questions) == (4, 3)
    assert test.mean == pytest.approx(7 / 4)
    assert test.median == pytest.approx(3 / 2)
    assert test.sd == pytest.approx(math.sqrt(11 / 12))
    assert test.cic == pytest.approx(0, abs=1e-9)
    assert test.error_ratio == pytest.approx(100)
    assert test.standard_error == pytest.approx(math.sqrt(11 / 12))
    assert test.skewness == pytest.approx(0.75 / (11 / 12) ** 1.5)
    assert test.kurtosis == pytest.approx(
        (16 * (5 * 0.76953125 - 9 * 0.6875**2) / 6) / (11 / 12) ** 2
    )


def test_questions_are_flagged_with_a_reason():
    """The same quiz: Q1's index is 0 (weak), Q3's negative."""
    q1, q2, q3 = analyse([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 1]]).items

    assert [f.code for f in q1.flags] == ["weak"]
    assert "under 20 on Moodle's scale" in q1.flags[0].reason
    assert q2.flags == ()
    assert [f.code for f in q3.flags] == ["negative"]
    assert "did worse on the rest of the quiz did better" in q3.flags[0].reason


def test_too_hard_and_too_easy_questions_are_flagged():
    # Q1 is right in 1 attempt of 6 (17 %), Q2 in all 6 (100 %).
    rows = [[1, 1, 1], [0, 1, 1], [0, 1, 0], [0, 1, 1], [0, 1, 0], [0, 1, 0]]
    hard, easy, _ = analyse(rows).items

    assert [f.code for f in hard.flags][0] == "hard"
    assert "17 %" in hard.flags[0].reason
    assert [f.code for f in easy.flags] == ["easy"]
    # Everyone got it right: no spread, so no discrimination to judge.
    assert easy.sd == 0
    assert easy.discrimination is None
    assert easy.efficiency is None


def test_a_question_missing_from_some_attempts_is_taken_over_the_others():
    """Q2 was added after attempt C: it counts over A and B only, and C's
    total is its Q1 mark alone (Moodle takes each question over the
    attempts that had it)."""
    result = analyse([[1, 1], [0, 0], [1, None]])
    q1, q2 = result.items

    assert (q1.attempts, q2.attempts) == (3, 2)
    assert q2.facility == 50
    assert result.test.mean == pytest.approx((2 + 0 + 1) / 3)


def test_one_attempt_gives_a_facility_and_nothing_that_needs_a_spread():
    (item,) = analyse([[0.5]]).items
    assert item.facility == 50
    assert item.sd is None
    assert item.discrimination is None
    assert item.flags == ()
    assert analyse([[0.5]]).test.sd is None
    assert analyse([]).test.mean is None


def test_choice_counts():
    choices = [(10, "Kirov", True), (11, "Yezhov", False), (12, "Beria", False)]
    responses, counts = choice_counts(choices, [[10], [10], [11], [10, 11], [99]])

    assert responses == 5
    assert [(c.text, c.count) for c in counts] == [
        ("Kirov", 3),
        ("Yezhov", 2),
        ("Beria", 0),
    ]
    assert counts[0].share == 60
    assert counts[0].is_correct


def test_random_guess_scores():
    assert random_guess_score("true_false") == 0.5
    assert random_guess_score("single", choices=4) == 0.25
    assert random_guess_score("matching", pairs=5) == 0.2
    # Two right of four, two picked at random: both right 1 way in 6 (score
    # 1); one right and one wrong 4 ways (score 0); both wrong 1 way (0).
    assert random_guess_score("multiple", choices=4, correct=2) == pytest.approx(1 / 6)
    # One right of three: like a single choice.
    assert random_guess_score("multiple", choices=3, correct=1) == pytest.approx(1 / 3)
    assert random_guess_score("cloze") is None


def test_the_module_is_pure():
    tree = ast.parse(Path(analysis.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.startswith(("django", "quizzes"))}


# --- Moodle's fixture -------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    with (MOODLE / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _marks() -> list[list[float]]:
    return [
        [float(v) for k, v in row.items() if k != "attempt"]
        for row in _rows("marks00.csv")
    ]


def assert_as_printed(ours: float, printed: str, what: str) -> None:
    """Equal to within half a unit of the printed number's last digit."""
    decimals = -Decimal(printed).as_tuple().exponent
    tolerance = 0.5 * 10.0**-decimals + 1e-15
    assert abs(ours - float(printed)) <= tolerance, (what, ours, printed)


# Moodle's facility and sd are fractions; ours are percentages.
SCALE = {"facility": 100, "sd": 100}


@pytest.mark.parametrize(
    "expected", _rows("expected00.csv"), ids=lambda r: f"slot{r['slot']}"
)
def test_every_question_number_of_moodles_fixture(expected):
    item = analyse(_marks()).items[int(expected["slot"]) - 1]
    for name, printed in expected.items():
        if name != "slot":
            ours = getattr(item, name) / SCALE.get(name, 1)
            assert_as_printed(ours, printed, name)


def test_the_whole_test_numbers_of_moodles_fixture():
    test = analyse(_marks()).test
    assert (test.attempts, test.questions) == (25, 7)
    for row in _rows("expected00_test.csv"):
        assert_as_printed(
            getattr(test, row["statistic"]), row["value"], row["statistic"]
        )
