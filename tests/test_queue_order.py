"""The queue's order, pinned: a deck of every kind of card studied to the
end of a day, card after card, must show the same cards in the same order
with the same counts after any rewrite of the queue for speed (a faster
queue that changes which card comes next is a regression).

The deck: learning cards due now and later today, review cards due (more
than the day's review limit), new cards (more than the day's new limit), a
suspended card, and siblings (cards of one claim, buried once one is
rated). Each card shown is rated Good a minute after the one before.
The expected walk is in tests/data/queue_order.json; it was read off the
queue as Anki's rules describe it (learning first, then reviews due, then
new cards, within the limits, siblings buried) and checked by hand.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizzes import selectors, services
from quizzes.models import Card, DeckSettings
from tests.factories import (
    CardFactory,
    ClaimFactory,
    EssayFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "data" / "queue_order.json"
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _deck():
    student = UserFactory(username="walker")
    essay = EssayFactory(slug="walk", body="x" * 400)
    DeckSettings.objects.create(essay=essay, new_cards_per_day=3, reviews_per_day=4)
    section = SectionFactory(essay=essay, order=0, start=0, end=400)
    claims = [
        ClaimFactory(essay=essay, section=section, order=n, start=n, end=n + 1)
        for n in range(14)
    ]

    def card(name: str, claim: int, **state) -> Card:
        question = QuestionFactory(essay=essay, claim=claims[claim], prompt=name)
        return CardFactory(student=student, question=question, **state)

    studied = {"stability": 5, "difficulty": 5, "reps": 3}
    for n in range(6):  # due yesterday .. six days ago: most overdue first
        card(
            f"review {n}",
            n,
            state=Card.State.REVIEW,
            due=START - timedelta(days=n + 1),
            last_review=START - timedelta(days=n + 8),
            **studied,
        )
    card(
        "learning now",
        6,
        state=Card.State.LEARNING,
        step=1,
        due=START - timedelta(minutes=2),
        last_review=START - timedelta(minutes=12),
        stability=1,
        difficulty=5,
        reps=1,
    )
    card(
        "learning in 5 min",
        7,
        state=Card.State.LEARNING,
        step=1,
        due=START + timedelta(minutes=5),
        last_review=START - timedelta(minutes=5),
        stability=1,
        difficulty=5,
        reps=1,
    )
    for n in range(5):  # made in the essay's order
        card(f"new {n}", 8 + n, due=START - timedelta(seconds=5 - n))
    # New cards of claims with another card: the one of a claim rated today
    # is buried; the one of a claim whose review the limit holds back is not.
    card("sibling of learning now", 6, due=START - timedelta(seconds=20))
    card("sibling of review 0", 0, due=START - timedelta(seconds=10))
    card("suspended", 13, suspended=True)
    return student, essay


def _walk(student, essay) -> list[dict]:
    now, steps = START, []
    for _ in range(40):
        queue = selectors.queue.study_queue(student=student, essay=essay, now=now)
        counts = queue.counts
        row = {"new": counts.new, "learning": counts.learning, "due": counts.due}
        if queue.card is None:
            steps.append({"card": None, **row})
            break
        steps.append({"card": queue.card.question.prompt, **row})
        services.cards.card_rate(
            student=student,
            card_id=queue.card.pk,
            rating=3,
            token=queue.card.reps,
            duration_ms=4000,
            now=now,
        )
        now += timedelta(minutes=1)
    return steps


def test_the_queue_walks_a_day_in_anki_order():
    student, essay = _deck()

    walked = _walk(student, essay)

    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert walked == expected
    # What the pinned walk says, in words: learning first; the day's four
    # reviews, most overdue first; the learning card once due; the day's
    # three new cards, soonest due first, but the sibling of the card rated
    # first (buried till tomorrow); learning steps to the end; the suspended
    # card never.
    shown = [step["card"] for step in walked if step["card"]]
    first_seen = list(dict.fromkeys(shown))
    assert first_seen[:6] == [
        "learning now",
        "review 5",
        "review 4",
        "review 3",
        "review 2",
        "learning in 5 min",
    ]
    assert first_seen[6:] == ["sibling of review 0", "new 0", "new 1"]
    assert "sibling of learning now" not in shown
    assert "suspended" not in shown
    assert walked[-1]["card"] is None
