"""The FSRS adapter: card columns <-> `fsrs.Card`, a rating -> the next state.

Pure: no models, no clock. Every scheduling number comes from `fsrs`; this
module only translates between our plain columns and its objects, and adds
the rules FSRS leaves to the application: lapse counting, leeches, and the
due date of a card with an exam ahead (``goal_due``, a flashcard goal's).

Fuzzing is off: the interval on each rating button is the one the rating
gives, as the buttons promise.
"""

import re
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

import fsrs

# Anki's leech rule: a card is a leech at 8 lapses, and again every 4 after
# (12, 16, ...), suspended each time, so a leech a teacher unsuspends is
# caught again if the student keeps forgetting it.
LEECH_LAPSES = 8
LEECH_AGAIN_EVERY = 4
MAX_DURATION_MS = 10 * 60 * 1000

_STEP = re.compile(r"(\d+)([smhd])")
_STEP_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
# Anki-like labels for an interval: the largest unit that fits.
_LABEL_UNITS = (
    (timedelta(days=365), "y"),
    (timedelta(days=30), "mo"),
    (timedelta(days=1), "d"),
    (timedelta(hours=1), "h"),
    (timedelta(minutes=1), "m"),
)


class DeckConfig(Protocol):
    """What the scheduler needs of a deck (DeckSettings has these fields)."""

    desired_retention: float
    learning_steps: str
    relearning_steps: str
    maximum_interval: int


@dataclass(frozen=True)
class CardState:
    """The scheduling columns of a Card, as plain data."""

    state: int = fsrs.State.Learning.value
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    is_leech: bool = False

    @property
    def is_new(self) -> bool:
        return self.last_review is None

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("due", "last_review"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "CardState":
        values = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        for key in ("due", "last_review"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


@dataclass(frozen=True)
class ReviewOutcome:
    after: CardState
    lapsed: bool
    became_leech: bool


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """ "1m 10m" -> (1 minute, 10 minutes). Units s, m, h, d; empty is no steps."""
    steps = []
    for token in text.replace(",", " ").split():
        match = _STEP.fullmatch(token.strip().lower())
        if not match:
            raise ValueError(
                f"{token!r} is not a step: write a whole number and a unit "
                "(s, m, h or d), e.g. 1m 10m."
            )
        amount, unit = int(match[1]), match[2]
        if amount == 0:
            raise ValueError(f"{token!r}: a step must be longer than zero.")
        try:
            steps.append(timedelta(**{_STEP_UNITS[unit]: amount}))
        except OverflowError:
            raise ValueError(f"{token!r} is too long for a step.") from None
    return tuple(steps)


def build_scheduler(config: DeckConfig) -> fsrs.Scheduler:
    """The fsrs Scheduler for a deck; raises ValueError for unusable settings.

    Both the rating buttons' preview and the real review use it, unfuzzed, so
    a button's interval is the interval the rating gives.
    """
    return fsrs.Scheduler(
        desired_retention=config.desired_retention,
        learning_steps=parse_steps(config.learning_steps),
        relearning_steps=parse_steps(config.relearning_steps),
        maximum_interval=config.maximum_interval,
        enable_fuzzing=False,
    )


def _utc(moment: datetime | None) -> datetime | None:
    # fsrs insists on datetime.timezone.utc; databases may hand back other UTC
    # tzinfo objects.
    return moment.astimezone(UTC) if moment is not None else None


def to_fsrs(card_id: int, card: CardState, *, now: datetime) -> fsrs.Card:
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due) or _utc(now),
        last_review=_utc(card.last_review),
    )


def rate(
    scheduler: fsrs.Scheduler,
    card_id: int,
    card: CardState,
    *,
    rating: int,
    now: datetime,
    duration_ms: int | None = None,
) -> ReviewOutcome:
    """Apply one rating. A review card rated Again lapses; see is_leech_lapse."""
    reviewed, _log = scheduler.review_card(
        to_fsrs(card_id, card, now=now),
        fsrs.Rating(rating),
        review_datetime=_utc(now),
        review_duration=duration_ms,
    )
    lapsed = card.state == fsrs.State.Review.value and rating == fsrs.Rating.Again.value
    lapses = card.lapses + lapsed
    became_leech = lapsed and is_leech_lapse(lapses)
    after = replace(
        card,
        state=reviewed.state.value,
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=reviewed.due,
        last_review=reviewed.last_review,
        reps=card.reps + 1,
        lapses=lapses,
        is_leech=card.is_leech or became_leech,
        suspended=card.suspended or became_leech,
    )
    return ReviewOutcome(after=after, lapsed=lapsed, became_leech=became_leech)


def is_leech_lapse(lapses: int) -> bool:
    """Whether reaching this many lapses makes (or makes again) a leech."""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_AGAIN_EVERY == 0


def preview_intervals(
    scheduler: fsrs.Scheduler, card_id: int, card: CardState, *, now: datetime
) -> dict[int, timedelta]:
    """What each rating (1-4) would schedule: the card reviewed on a copy."""
    current = to_fsrs(card_id, card, now=now)
    intervals = {}
    for rating in fsrs.Rating:
        reviewed, _log = scheduler.review_card(
            current, rating, review_datetime=_utc(now)
        )
        intervals[rating.value] = reviewed.due - _utc(now)
    return intervals


def format_interval(delta: timedelta) -> str:
    """A short human label: 1m, 10m, 3h, 4d, 2mo, 1.5y. Under a minute is <1m."""
    for unit, suffix in _LABEL_UNITS:
        if delta >= unit:
            amount = delta / unit
            if suffix == "y" and amount < 10:
                return f"{amount:.1f}".removesuffix(".0") + suffix
            return f"{round(amount)}{suffix}"
    return "<1m"


# Retrievability depends only on the FSRS parameters, which every deck shares
# until parameters are optimised per deck.
_DEFAULT_SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)


def retrievability(
    card: CardState, *, now: datetime, scheduler: fsrs.Scheduler | None = None
) -> float:
    """The predicted chance of recall now (0 for a card never reviewed)."""
    scheduler = scheduler or _DEFAULT_SCHEDULER
    return scheduler.get_card_retrievability(to_fsrs(0, card, now=now), _utc(now))


def recall(
    stability: float | None,
    last_review: datetime | None,
    *,
    at: datetime,
    scheduler: fsrs.Scheduler | None = None,
) -> float:
    """`retrievability` from the two columns it depends on, at any moment
    (a goal's date, say), without building an fsrs.Card: fsrs's forgetting
    curve over the whole days elapsed, as fsrs counts them."""
    if stability is None or last_review is None:
        return 0.0
    factor, decay = curve(scheduler)
    elapsed = max(0, (at - last_review).days)
    return (1 + factor * elapsed / stability) ** decay


def curve(scheduler: fsrs.Scheduler | None = None) -> tuple[float, float]:
    """The forgetting curve's constants, R = (1 + factor * days / S) ** decay,
    from the parameters as fsrs derives them (FSRS-6: the decay is -w20);
    for reads that work the curve out in SQL."""
    decay = -(scheduler or _DEFAULT_SCHEDULER).parameters[20]
    return 0.9 ** (1 / decay) - 1, decay


def goal_due(
    card: CardState,
    *,
    goal_at: datetime,
    target: float,
    now: datetime,
    scheduler: fsrs.Scheduler | None = None,
) -> datetime | None:
    """The due date to give a card of a flashcard goal: recall `target` at
    `goal_at` (the goal's due date D, its target recall X).

    FSRS alone shows a card on the day its predicted recall falls to the
    deck's desired retention. When that day is after D and the card's recall
    on D would be under X, the card is brought forward to the later of

    - the day its recall falls under X (FSRS's own rule, with X as the
      desired retention): cards come back spread by their own memory, as
      FSRS spreads them, rather than all on the eve of D; and
    - the earliest day from which one review rated Good still leaves recall
      X or more on D: a review before it would need another before D, so it
      waits until one is enough,

    but not later than a day before D, nor before `now`. Otherwise (a new
    card, a card FSRS shows before D anyway, a recall on D that reaches X,
    a goal already past) the card keeps FSRS's due date.

    So a target at or under the deck's desired retention (90 % by default)
    changes no card: FSRS already keeps any card it schedules after D above
    it on D. A card reviewed on its new date and rated Good gets an FSRS
    date that keeps it at X on D; rated otherwise, the rule applies again.

    Why not the eve of D for every such card (the latest review that
    reaches X, and the best recall on D)? Every card at risk would fall on
    that one day. Here each card comes back when its own recall reaches X
    (later, when one review then would not last until D), so the reviews
    spread over the days before D as FSRS's do.
    """
    scheduler = scheduler or _DEFAULT_SCHEDULER
    due, stability, last = card.due, card.stability, card.last_review
    if (
        due is None
        or stability is None
        or last is None
        or card.suspended
        or goal_at <= now
        or due <= goal_at
        or recall(stability, last, at=goal_at, scheduler=scheduler) >= target
    ):
        return due
    # Recall is under `target` once more whole days than this have passed
    # (the forgetting curve solved for the days).
    factor, decay = curve(scheduler)
    above = stability / factor * (target ** (1 / decay) - 1)
    falls = last + timedelta(days=int(above) + 1)
    lasts = _one_review_lasts(card, goal_at=goal_at, target=target, scheduler=scheduler)
    return max(now, min(max(falls, lasts), goal_at - timedelta(days=1)))


def _one_review_lasts(
    card: CardState, *, goal_at: datetime, target: float, scheduler: fsrs.Scheduler
) -> datetime:
    """The earliest whole number of days before `goal_at` at which one Good
    review leaves recall `target` on `goal_at` (a day before it when none
    does). The later the review, the lower the recall it meets and the more
    stability it gives, and the fewer days it has to last: recall on
    `goal_at` grows with the review's date, so a binary search finds it."""

    def lasts(days_before: int) -> bool:
        at = goal_at - timedelta(days=days_before)
        reviewed, _log = scheduler.review_card(
            to_fsrs(0, card, now=at), fsrs.Rating.Good, review_datetime=_utc(at)
        )
        return scheduler.get_card_retrievability(reviewed, _utc(goal_at)) >= target

    low, high = 1, max(1, (goal_at - card.last_review).days)
    if not lasts(low):
        return goal_at - timedelta(days=1)
    while low < high:  # lasts(low) holds; find the most days that still do
        middle = (low + high + 1) // 2
        if lasts(middle):
            low = middle
        else:
            high = middle - 1
    return goal_at - timedelta(days=low)


def day_start(now: datetime) -> datetime:
    """Midnight UTC of `now`'s day: when the daily limits start again."""
    return _utc(now).replace(hour=0, minute=0, second=0, microsecond=0)


def day_end(now: datetime) -> datetime:
    """The next midnight UTC: review cards due before it are due today (Anki)."""
    return day_start(now) + timedelta(days=1)


def clamp_duration(duration_ms: int | None) -> int | None:
    if duration_ms is None:
        return None
    return max(0, min(duration_ms, MAX_DURATION_MS))
