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
