from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from quizzes import scheduling

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@dataclass
class Config:
    desired_retention: float = 0.9
    learning_steps: str = "1m 10m"
    relearning_steps: str = "10m"
    maximum_interval: int = 36500


def scheduler(**kwargs):
    return scheduling.build_scheduler(Config(**kwargs))


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("1m 10m", (timedelta(minutes=1), timedelta(minutes=10))),
        ("30s, 1h 2d", (timedelta(seconds=30), timedelta(hours=1), timedelta(days=2))),
        ("  10M ", (timedelta(minutes=10),)),
        ("", ()),
    ],
)
def test_parse_steps(text, steps):
    assert scheduling.parse_steps(text) == steps


@pytest.mark.parametrize(
    "text", ["10", "1x", "m", "-1m", "0m", "1.5m", "1m10m", "9999999999d"]
)
def test_parse_steps_refuses_bad_input(text):
    with pytest.raises(ValueError, match="step"):
        scheduling.parse_steps(text)


def test_build_scheduler_uses_the_deck_settings():
    built = scheduling.build_scheduler(
        Config(desired_retention=0.85, learning_steps="2m", maximum_interval=365)
    )
    assert built.desired_retention == 0.85
    assert built.learning_steps == (timedelta(minutes=2),)
    assert built.relearning_steps == (timedelta(minutes=10),)
    assert built.maximum_interval == 365


def test_a_review_lands_on_the_interval_its_button_shows():
    # fsrs fuzzes review intervals at random unless told not to: the buttons'
    # labels would then be a guess rather than the result.
    card = scheduling.CardState(
        state=fsrs.State.Review.value,
        step=None,
        stability=20.0,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=20),
        reps=5,
    )
    built = scheduling.build_scheduler(Config())
    shown = scheduling.preview_intervals(built, 1, card, now=NOW)
    assert shown[3] > timedelta(days=7)  # long enough for fsrs to fuzz it
    for rating in (2, 3, 4):
        for _ in range(10):
            after = scheduling.rate(built, 1, card, rating=rating, now=NOW).after
            assert after.due - NOW == shown[rating]


def test_a_new_card_rated_good_enters_the_second_learning_step():
    new = scheduling.CardState(due=NOW)
    outcome = scheduling.rate(scheduler(), 7, new, rating=3, now=NOW)
    after = outcome.after
    assert after.state == fsrs.State.Learning.value
    assert after.step == 1
    assert after.due == NOW + timedelta(minutes=10)
    assert after.last_review == NOW
    assert after.reps == 1
    assert after.stability is not None
    assert not outcome.lapsed


def test_the_result_matches_fsrs_itself():
    new = scheduling.CardState(due=NOW)
    after = scheduling.rate(scheduler(), 7, new, rating=4, now=NOW).after
    expected, _log = scheduler().review_card(
        fsrs.Card(card_id=7, due=NOW), fsrs.Rating.Easy, review_datetime=NOW
    )
    assert (after.state, after.stability, after.difficulty, after.due) == (
        expected.state.value,
        expected.stability,
        expected.difficulty,
        expected.due,
    )


def _graduated() -> scheduling.CardState:
    card = scheduling.CardState(due=NOW)
    for rating in (3, 3):
        card = scheduling.rate(scheduler(), 1, card, rating=rating, now=card.due).after
    assert card.state == fsrs.State.Review.value
    return card


def test_again_on_a_review_card_is_a_lapse():
    card = _graduated()
    outcome = scheduling.rate(scheduler(), 1, card, rating=1, now=card.due)
    assert outcome.lapsed
    assert outcome.after.lapses == 1
    assert outcome.after.state == fsrs.State.Relearning.value


def test_again_on_a_learning_card_is_no_lapse():
    outcome = scheduling.rate(
        scheduler(), 1, scheduling.CardState(due=NOW), rating=1, now=NOW
    )
    assert not outcome.lapsed
    assert outcome.after.lapses == 0


def test_the_eighth_lapse_makes_a_leech_and_suspends_it():
    card = replace(_graduated(), lapses=scheduling.LEECH_LAPSES - 1)
    outcome = scheduling.rate(scheduler(), 1, card, rating=1, now=card.due)
    assert outcome.became_leech
    assert outcome.after.is_leech
    assert outcome.after.suspended


@pytest.mark.parametrize(
    ("lapses", "suspends"),
    [(8, False), (9, False), (10, False), (11, True), (12, False), (15, True)],
)
def test_an_unsuspended_leech_is_suspended_again_every_fourth_lapse(lapses, suspends):
    # Like Anki: a leech at 8 lapses, and again at 12, 16, ...
    leech = replace(_graduated(), lapses=lapses, is_leech=True, suspended=False)
    outcome = scheduling.rate(scheduler(), 1, leech, rating=1, now=leech.due)
    assert outcome.after.lapses == lapses + 1
    assert outcome.became_leech is suspends
    assert outcome.after.suspended is suspends
    assert outcome.after.is_leech


def test_preview_intervals_of_a_new_card_with_default_settings():
    labels = {
        rating: scheduling.format_interval(delta)
        for rating, delta in scheduling.preview_intervals(
            scheduler(), 1, scheduling.CardState(due=NOW), now=NOW
        ).items()
    }
    assert labels[1] == "1m"
    assert labels[3] == "10m"
    assert labels[4].endswith("d")


def test_preview_does_not_change_the_card():
    card = scheduling.CardState(due=NOW)
    scheduling.preview_intervals(scheduler(), 1, card, now=NOW)
    assert card == scheduling.CardState(due=NOW)


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (timedelta(seconds=20), "<1m"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=4, hours=3), "4d"),
        (timedelta(days=45), "2mo"),
        (timedelta(days=365 * 1.5), "1.5y"),
        (timedelta(days=365 * 12), "12y"),
    ],
)
def test_format_interval(delta, label):
    assert scheduling.format_interval(delta) == label


def test_state_round_trips_through_json():
    card = _graduated()
    assert scheduling.CardState.from_json(card.to_json()) == card
    assert scheduling.CardState.from_json(scheduling.CardState().to_json()).is_new


def test_retrievability_falls_with_time_and_is_zero_for_new_cards():
    card = _graduated()
    soon = scheduling.retrievability(card, now=card.last_review + timedelta(days=1))
    later = scheduling.retrievability(card, now=card.last_review + timedelta(days=30))
    assert 1 >= soon > later > 0
    assert scheduling.retrievability(scheduling.CardState(), now=NOW) == 0


def test_day_start_and_duration_clamp():
    assert scheduling.day_start(NOW) == datetime(2025, 3, 1, tzinfo=UTC)
    assert scheduling.day_end(NOW) == datetime(2025, 3, 2, tzinfo=UTC)
    assert scheduling.clamp_duration(None) is None
    assert scheduling.clamp_duration(-5) == 0
    assert scheduling.clamp_duration(3_600_000) == scheduling.MAX_DURATION_MS


# --- recall in whole days, and the exam-date rule (goal_due) -------------------


@pytest.mark.parametrize(
    ("stability", "ago"),
    [
        (10.0, timedelta(days=3)),
        (2.5, timedelta(days=6, hours=23)),
        (80.0, timedelta()),
    ],
)
def test_recall_is_fsrs_retrievability(stability, ago):
    card = replace(_graduated(), stability=stability, last_review=NOW - ago)
    assert scheduling.recall(stability, NOW - ago, at=NOW) == pytest.approx(
        scheduling.retrievability(card, now=NOW), abs=1e-12
    )
    assert scheduling.recall(None, None, at=NOW) == 0


def reviewed(stability: float, *, days_ago: int = 1) -> scheduling.CardState:
    """A review card as FSRS left it: due when its recall falls to 90 %."""
    last = NOW - timedelta(days=days_ago)
    return scheduling.CardState(
        state=fsrs.State.Review.value,
        step=None,
        stability=stability,
        difficulty=5.0,
        last_review=last,
        due=last + timedelta(days=round(stability)),
        reps=4,
    )


EXAM = NOW + timedelta(days=14)


def recall_on_exam_after_good(card, at) -> float:
    """Recall on EXAM of the card reviewed (Good) at `at`."""
    after = scheduling.rate(scheduler(), 1, card, rating=3, now=at).after
    return scheduling.recall(after.stability, after.last_review, at=EXAM)


def test_a_card_that_would_fall_under_the_target_comes_back_before_the_exam():
    card = reviewed(30.0)  # FSRS: due in 29 days; recall on the exam day 94 %
    assert card.due > EXAM
    assert scheduling.recall(30.0, card.last_review, at=EXAM) < 0.95
    due = scheduling.goal_due(card, goal_at=EXAM, target=0.95, now=NOW)
    assert NOW <= due <= EXAM - timedelta(days=1)
    # Reviewed then (and remembered), it holds the target on the exam day.
    assert recall_on_exam_after_good(card, due) >= 0.95


@pytest.mark.parametrize(
    "card",
    [
        scheduling.CardState(due=NOW),  # new
        reviewed(5.0),  # FSRS shows it before the exam anyway
        replace(reviewed(30.0), suspended=True),
    ],
    ids=["new", "due before the exam", "suspended"],
)
def test_cards_the_rule_leaves_alone(card):
    assert scheduling.goal_due(card, goal_at=EXAM, target=0.95, now=NOW) == card.due


def test_a_target_at_the_decks_retention_changes_no_card():
    """FSRS already keeps a card it schedules after the exam above its
    desired retention (90 %) on the exam day."""
    for stability in (15.0, 30.0, 90.0, 400.0):
        card = reviewed(stability)
        due = scheduling.goal_due(card, goal_at=EXAM, target=0.9, now=NOW)
        assert due == card.due, stability


def test_a_goal_past_or_a_card_strong_enough_keeps_fsrss_date():
    card = reviewed(30.0)
    assert scheduling.goal_due(card, goal_at=NOW, target=0.95, now=NOW) == card.due
    strong = reviewed(400.0)  # 99 % on the exam day
    assert scheduling.goal_due(strong, goal_at=EXAM, target=0.95, now=NOW) == (
        strong.due
    )


def test_cards_are_spread_by_their_own_memory_not_piled_on_the_eve():
    dues = {
        stability: scheduling.goal_due(
            reviewed(stability), goal_at=EXAM, target=0.97, now=NOW
        )
        for stability in (30.0, 40.0, 50.0)
    }
    # A stronger card can wait longer, and none waits for the last day.
    assert dues[30.0] < dues[40.0] < dues[50.0] < EXAM - timedelta(days=1)


def test_a_card_waits_until_one_review_is_enough():
    """Falling under 99 % after 4 days, a card reviewed then would need
    another review before the exam: it comes when one review will do."""
    card = reviewed(60.0)
    exam = NOW + timedelta(days=30)
    due = scheduling.goal_due(card, goal_at=exam, target=0.99, now=NOW)
    falls = NOW + timedelta(days=4)
    assert due > falls

    def lasts(at) -> bool:
        after = scheduling.rate(scheduler(), 1, card, rating=3, now=at).after
        return scheduling.recall(after.stability, after.last_review, at=exam) >= 0.99

    assert lasts(due)
    assert not lasts(due - timedelta(days=1))


def test_a_card_already_under_the_target_is_due_now():
    card = reviewed(30.0, days_ago=20)  # 92 % now, due in 10 days
    exam = NOW + timedelta(days=5)
    assert scheduling.recall(30.0, card.last_review, at=NOW) < 0.95 < 0.99
    assert card.due > exam
    assert scheduling.goal_due(card, goal_at=exam, target=0.95, now=NOW) == NOW


def test_never_later_than_the_day_before_the_exam():
    card = reviewed(3.0, days_ago=0)  # due in 3 days, past an exam in 2
    exam = NOW + timedelta(days=2)
    due = scheduling.goal_due(card, goal_at=exam, target=0.99, now=NOW)
    assert due == exam - timedelta(days=1)
