from datetime import UTC, datetime, timedelta

import pytest

from quizzes import scheduling, selectors, services
from quizzes.models import Card, DeckSettings, Essay
from quizzes.selectors.queue import QueueCounts
from tests.factories import (
    CardFactory,
    ClaimFactory,
    DeckSettingsFactory,
    EssayFactory,
    QuestionFactory,
    ReviewFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def test_due_forecast_puts_overdue_cards_today(student):
    essay = EssayFactory()
    for due in (
        NOW - timedelta(days=3),
        NOW,
        NOW + timedelta(days=2),
        NOW + timedelta(days=40),
    ):
        CardFactory(
            student=student,
            question__essay=essay,
            due=due,
            last_review=NOW - timedelta(days=5),
        )
    CardFactory(student=student, question__essay=essay, due=NOW)  # new: not a review
    forecast = selectors.stats.due_forecast(student=student, now=NOW, essay=essay)
    assert len(forecast.days) == 30
    assert forecast.days[0] == (NOW.date(), 2)
    assert forecast.days[2] == (NOW.date() + timedelta(days=2), 1)
    assert sum(n for _day, n in forecast.days) == 3


def test_reviews_per_day_and_true_retention(student, other_student):
    card = CardFactory(student=student)
    review_state = {"state": Card.State.REVIEW, "last_review": "x", "reps": 3}
    ReviewFactory(card=card, reviewed_at=NOW, rating=3, state_before=review_state)
    ReviewFactory(card=card, reviewed_at=NOW, rating=1, state_before=review_state)
    ReviewFactory(
        card=card,
        reviewed_at=NOW - timedelta(days=1),
        rating=1,
        state_before={"state": Card.State.LEARNING, "last_review": None, "reps": 0},
    )
    ReviewFactory(
        card__student=other_student, reviewed_at=NOW, state_before=review_state
    )
    days = selectors.stats.reviews_per_day(student=student, now=NOW)
    assert len(days) == 90
    assert days[-1] == (NOW.date(), 2)
    assert days[-2] == (NOW.date() - timedelta(days=1), 1)
    assert selectors.stats.true_retention(student=student, now=NOW) == (1, 2)


def test_section_retrievability_averages_studied_cards(student):
    CardFactory(
        student=student,
        state=Card.State.REVIEW,
        step=None,
        stability=10,
        difficulty=5,
        last_review=NOW - timedelta(days=10),
        due=NOW,
    )
    CardFactory(student=student)  # never studied: not in the average
    (row,) = selectors.stats.section_retrievability(student=student, now=NOW)
    assert row.studied == 1
    assert 0.85 < row.average < 0.95  # about the desired retention at the due date


# --- The flashcard queue -----------------------------------------------------


def _reviewed(student, essay, *, due, state=Card.State.REVIEW, **kwargs) -> Card:
    """A card studied before (yesterday or earlier), in `state`, due at `due`."""
    values = {
        "step": None if state == Card.State.REVIEW else 0,
        "stability": 5.0,
        "difficulty": 5.0,
        "last_review": NOW - timedelta(days=3),
        "reps": 3,
    }
    question = kwargs.pop("question", None) or QuestionFactory(
        essay=essay, claim=kwargs.pop("claim", None)
    )
    return CardFactory(
        student=student, question=question, state=state, due=due, **(values | kwargs)
    )


def _new(student, essay, *, claim=None, due=NOW) -> Card:
    return CardFactory(
        student=student, question=QuestionFactory(essay=essay, claim=claim), due=due
    )


def _rate(student, card, *, rating=3, now=NOW):
    card.refresh_from_db()
    return services.cards.card_rate(
        student=student,
        card_id=card.pk,
        rating=rating,
        token=card.reps,
        duration_ms=None,
        now=now,
    )


def _next(student, essay, *, now=NOW, limits=None, **kwargs):
    return selectors.queue.next_card(
        student=student,
        essay=essay,
        limits=limits or DeckSettings(essay=essay),
        now=now,
        **kwargs,
    )


def test_new_cards_are_made_due_at_once(student):
    # The queue reads only cards due by now + LEARN_AHEAD: new cards included.
    essay = EssayFactory()
    QuestionFactory.create_batch(2, essay=essay)
    services.cards.deck_cards_create(student=student, essay=essay, now=NOW)
    assert set(Card.objects.values_list("due", flat=True)) == {NOW}
    queue = _next(student, essay)
    assert queue.card is not None
    assert queue.counts == QueueCounts(new=2)


def test_new_cards_are_made_and_shown_in_the_essays_order(student):
    essay = EssayFactory()
    section = SectionFactory(essay=essay, order=0)
    later, first = (ClaimFactory(section=section, order=n) for n in (2, 1))
    wide = QuestionFactory(essay=essay, prompt="About the whole essay")
    QuestionFactory(essay=essay, claim=later, prompt="Later claim")
    QuestionFactory(essay=essay, claim=first, prompt="First claim")
    services.cards.deck_cards_create(student=student, essay=essay, now=NOW)
    limits = DeckSettings(essay=essay, bury_siblings=False)
    shown = []
    while (card := _next(student, essay, limits=limits).card) is not None:
        shown.append(card.question.prompt)
        Card.objects.filter(pk=card.pk).update(suspended=True)
    assert shown == ["First claim", "Later claim", wide.prompt]


def test_a_cards_last_review_is_its_latest_reviews_time(student):
    # The daily limits find today's reviews through the cards' last_review.
    essay = EssayFactory()
    card = CardFactory(student=student, question__essay=essay, due=NOW)
    card, first = _rate(student, card, now=NOW - timedelta(days=1))
    assert card.last_review == first.reviewed_at
    card, second = _rate(student, card, now=NOW)
    assert card.last_review == second.reviewed_at
    card, undone = services.cards.rating_undo(
        student=student, card_id=card.pk, review_id=second.pk
    )
    assert undone
    assert card.last_review == first.reviewed_at


def test_the_queue_shows_cards_in_ankis_order(student):
    # Learning cards due, due reviews (up to the review limit, most overdue
    # first), new cards (up to the new-card limit), then learning cards due
    # within the learn-ahead window; each rated Easy leaves the queue.
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, new_cards_per_day=2, reviews_per_day=2)
    ahead = _reviewed(
        student, essay, state=Card.State.LEARNING, due=NOW + timedelta(minutes=10)
    )
    new = [_new(student, essay, due=NOW - timedelta(hours=1)) for _ in range(3)]
    reviews = [
        _reviewed(student, essay, due=NOW - timedelta(days=d)) for d in (1, 3, 2)
    ]
    learning = [
        _reviewed(
            student, essay, state=Card.State.LEARNING, due=NOW - timedelta(minutes=m)
        )
        for m in (5, 10)
    ]
    shown, counts = [], []
    while (queue := _next(student, essay, limits=limits)).card is not None:
        shown.append(queue.card)
        counts.append(queue.counts)
        _rate(student, queue.card, rating=4)
    assert shown == [
        learning[1],
        learning[0],
        reviews[1],
        reviews[2],
        new[0],
        new[1],
        ahead,
    ]
    # The learn-ahead card is counted from the start: the counts always
    # include the card shown.
    assert counts[0] == QueueCounts(new=2, learning=3, due=2)
    assert counts[-1] == QueueCounts(learning=1)
    assert queue.reviews_waiting
    assert queue.new_waiting
    assert queue.next_due == scheduling.day_end(NOW)


def test_learning_cards_are_shown_early_only_within_learn_ahead(student):
    essay = EssayFactory()
    later = _reviewed(
        student, essay, state=Card.State.LEARNING, due=NOW + timedelta(minutes=30)
    )
    queue = _next(student, essay)
    assert queue.card is None
    assert queue.counts == QueueCounts()
    assert queue.next_due == later.due
    soon = _reviewed(
        student, essay, state=Card.State.LEARNING, due=NOW + timedelta(minutes=15)
    )
    queue = _next(student, essay)
    assert queue.card == soon
    assert queue.counts == QueueCounts(learning=1)


def test_the_undone_card_comes_first_of_the_queue(student):
    essay = EssayFactory()
    overdue = _reviewed(student, essay, due=NOW - timedelta(days=2))
    undone = _reviewed(student, essay, due=NOW - timedelta(days=1))
    queue = _next(student, essay, first=undone.pk)
    assert queue.card == undone
    assert queue.counts == QueueCounts(due=2)
    # A card the queue would not show today is not shown first either: the
    # counts always include the card shown.
    ahead = _reviewed(student, essay, due=NOW + timedelta(days=30))
    queue = _next(student, essay, first=ahead.pk)
    assert queue.card == overdue


def test_counts_stop_at_the_daily_limits(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, new_cards_per_day=2, reviews_per_day=3)
    for days in range(5):
        _reviewed(student, essay, due=NOW - timedelta(days=days))
    for _ in range(4):
        CardFactory(student=student, question__essay=essay, due=NOW)
    queue = _next(student, essay, limits=limits)
    assert queue.card.state == Card.State.REVIEW
    assert queue.counts == QueueCounts(new=2, due=3)


def test_daily_limits_of_zero(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, new_cards_per_day=0, reviews_per_day=0)
    CardFactory(student=student, question__essay=essay, due=NOW)
    _reviewed(student, essay, due=NOW - timedelta(days=1))
    queue = _next(student, essay, limits=limits)
    assert queue.card is None
    assert queue.counts == QueueCounts()
    assert queue.new_waiting
    assert queue.reviews_waiting


def test_todays_reviews_count_against_the_daily_limits(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, new_cards_per_day=1, reviews_per_day=1)
    new = [CardFactory(student=student, question__essay=essay, due=NOW) for _ in "abc"]
    due = [_reviewed(student, essay, due=NOW - timedelta(days=2)) for _ in "abc"]
    # Yesterday's reviews leave today's limits alone.
    _rate(student, new[0], rating=4, now=NOW - timedelta(days=1))
    _rate(student, due[0], rating=4, now=NOW - timedelta(days=1))
    queue = _next(student, essay, limits=limits)
    assert queue.card == due[1]
    assert queue.counts == QueueCounts(new=1, due=1)

    _rate(student, due[1], rating=4, now=NOW)
    _rate(student, new[1], rating=4, now=NOW)
    queue = _next(student, essay, limits=limits)
    assert queue.card is None
    assert queue.counts == QueueCounts()
    assert queue.new_waiting
    # The same reviews do not count against another deck's limits.
    other = EssayFactory()
    card = CardFactory(student=student, question__essay=other, due=NOW)
    assert _next(student, other).card == card


def test_a_review_card_is_due_all_day_on_its_due_date(student):
    # Like Anki: review cards due today are shown from the start of the day;
    # learning cards keep their exact time.
    essay = EssayFactory()
    later_today = _reviewed(student, essay, due=NOW + timedelta(hours=6))
    tomorrow = _reviewed(student, essay, due=NOW + timedelta(days=1))
    learning = _reviewed(
        student, essay, state=Card.State.LEARNING, due=NOW + timedelta(hours=6)
    )
    assert later_today.due.date() == NOW.date()

    queue = _next(student, essay)
    assert queue.card == later_today
    assert queue.counts == QueueCounts(due=1)
    assert _counts_everywhere(student, essay) == QueueCounts(due=1)
    forecast = selectors.stats.due_forecast(student=student, now=NOW, essay=essay)
    assert forecast.days[0] == (NOW.date(), 2)  # the review and the learning card
    assert (forecast.now, forecast.later_today) == (1, 1)

    # Once it is rated, nothing is due until the learning card's time, then
    # until tomorrow's review card, which is due from midnight.
    _rate(student, later_today)
    queue = _next(student, essay)
    assert queue.card is None
    assert queue.next_due == learning.due
    Card.objects.filter(pk=learning.pk).update(suspended=True)
    queue = _next(student, essay)
    assert queue.card is None
    assert queue.next_due == scheduling.day_end(NOW) < tomorrow.due


def test_a_review_card_due_later_today_waits_for_the_daily_limit(student):
    essay = EssayFactory()
    limits = DeckSettings(essay=essay, reviews_per_day=0)
    _reviewed(student, essay, due=NOW + timedelta(hours=6))
    queue = _next(student, essay, limits=limits)
    assert queue.card is None
    # Due already: the study page says the limit is reached, and that the
    # card comes tomorrow, not "due in 6 hours".
    assert queue.reviews_waiting
    assert queue.next_due == scheduling.day_end(NOW)


# --- Burying siblings --------------------------------------------------------


@pytest.fixture
def claims(student):
    """An essay of two sections; its first claim has four questions."""
    essay = EssayFactory(title="The deck")
    first, second = (
        SectionFactory(essay=essay, order=n, heading=heading)
        for n, heading in enumerate(["First", "Second"])
    )
    return essay, ClaimFactory(section=first, order=0), ClaimFactory(section=second)


def test_rating_a_card_buries_the_other_new_and_review_cards_of_its_claim(
    student, claims
):
    essay, claim, other_claim = claims
    rated = _new(student, essay, claim=claim, due=NOW - timedelta(hours=2))
    sibling = _new(student, essay, claim=claim)
    review_sibling = _reviewed(student, essay, claim=claim, due=NOW)
    learning_sibling = _reviewed(
        student, essay, claim=claim, state=Card.State.LEARNING, due=NOW
    )
    elsewhere = _new(student, essay, claim=other_claim)
    wide = _new(student, essay)  # no claim: no siblings
    assert _next(student, essay).counts == QueueCounts(new=4, learning=1, due=1)

    _rate(student, rated, rating=3, now=NOW - timedelta(hours=1))
    shown = []
    while (queue := _next(student, essay)).card is not None:
        shown.append(queue.card)
        Card.objects.filter(pk=queue.card.pk).update(suspended=True)
    # The rated card comes back (learning, 10 minutes), and the learning
    # sibling keeps its steps; the new and review siblings wait for tomorrow.
    assert shown == [rated, learning_sibling, elsewhere, wide]
    assert queue.buried == 2
    assert queue.next_due == scheduling.day_end(NOW)
    Card.objects.update(suspended=False)
    tomorrow = NOW + timedelta(days=1)
    assert {sibling, review_sibling} <= set(
        _shown_in_order(student, essay, now=tomorrow)
    )


def _shown_in_order(student, essay, *, now=NOW, limits=None) -> list[Card]:
    shown = []
    while (queue := _next(student, essay, now=now, limits=limits)).card is not None:
        shown.append(queue.card)
        Card.objects.filter(pk=queue.card.pk).update(suspended=True)
    Card.objects.filter(pk__in=[card.pk for card in shown]).update(suspended=False)
    return shown


def test_undoing_the_rating_unburies_the_siblings(student, claims):
    essay, claim, _other = claims
    rated = _new(student, essay, claim=claim, due=NOW - timedelta(hours=1))
    sibling = _new(student, essay, claim=claim)
    rated, review = _rate(student, rated, rating=4)  # Easy: due in days
    assert _shown_in_order(student, essay) == []
    services.cards.rating_undo(student=student, card_id=rated.pk, review_id=review.pk)
    assert _shown_in_order(student, essay) == [rated, sibling]


def test_siblings_are_shown_together_when_the_deck_turns_burying_off(student, claims):
    essay, claim, _other = claims
    rated = _new(student, essay, claim=claim, due=NOW - timedelta(hours=1))
    sibling = _new(student, essay, claim=claim)
    review_sibling = _reviewed(student, essay, claim=claim, due=NOW)
    _rate(student, rated, rating=4)
    DeckSettingsFactory(essay=essay, bury_siblings=False)
    limits = DeckSettings.objects.get(essay=essay)
    assert _shown_in_order(student, essay, limits=limits) == [review_sibling, sibling]
    assert _counts_everywhere(student, essay) == QueueCounts(new=1, due=1)


# --- One definition of each count, the same on every page ---------------------


def _counts_everywhere(student, essay, *, now=NOW) -> QueueCounts:
    """The deck's counts as the study page, the deck page (header and section
    table), the deck list and the statistics compute them: asserted equal.

    Studying a section shows the section's row of the deck page.
    """
    essay = Essay.objects.select_related("deck_settings").get(pk=essay.pk)
    study = selectors.queue.next_card(student=student, essay=essay, now=now).counts
    page = selectors.decks.deck_page(student=student, essay=essay, now=now)
    table = sum((row.counts for row in page.sections), QueueCounts())
    listed = dict(selectors.decks.decks(student=student, now=now))[essay]
    forecast = selectors.stats.due_forecast(student=student, now=now, essay=essay)
    assert study == page.counts == table == listed
    assert forecast.now == study.learning + study.due
    assert forecast.days[0][1] == forecast.now + forecast.later_today
    for row in page.sections:
        if row.section is not None:
            in_section = selectors.queue.next_card(
                student=student, essay=essay, now=now, section=row.section
            )
            assert in_section.counts == row.counts, row.label
    return study


def _rich_deck(student, claims):
    """New, learning, learn-ahead, review, suspended and buried cards in two
    sections and none."""
    essay, first, second = claims
    cards = {
        "new": [_new(student, essay, claim=first, due=NOW - timedelta(hours=3))]
        + [_new(student, essay, claim=second) for _ in range(3)]
        + [_new(student, essay)],
        "reviews": [
            _reviewed(student, essay, claim=first, due=NOW - timedelta(days=d))
            for d in (1, 2)
        ]
        + [_reviewed(student, essay, claim=second, due=NOW + timedelta(hours=6))],
        "learning": _reviewed(
            student, essay, claim=second, state=Card.State.LEARNING, due=NOW
        ),
        "ahead": _reviewed(
            student,
            essay,
            state=Card.State.LEARNING,
            due=NOW + timedelta(minutes=15),
        ),
        "suspended": [
            _new(student, essay, claim=second),
            _reviewed(student, essay, due=NOW - timedelta(days=1)),
        ],
    }
    Card.objects.filter(pk__in=[c.pk for c in cards["suspended"]]).update(
        suspended=True
    )
    return cards


def test_every_page_counts_the_same_cards(student, claims):
    essay = claims[0]
    DeckSettingsFactory(essay=essay, new_cards_per_day=3, reviews_per_day=2)
    cards = _rich_deck(student, claims)
    # 5 new cards, 3 today; 3 reviews, 2 today (the most overdue: the first
    # section's); learning due now and learn-ahead.
    assert _counts_everywhere(student, essay) == QueueCounts(new=3, learning=2, due=2)
    page = selectors.decks.deck_page(student=student, essay=essay, now=NOW)
    by_section = {row.label: row.counts for row in page.sections}
    assert by_section == {
        "First": QueueCounts(new=1, due=2),
        "Second": QueueCounts(new=2, learning=1),
        "Other questions": QueueCounts(learning=1),
    }

    # Rating the first claim's new card buries its two review siblings: the
    # third review takes the place they leave.
    _rate(student, cards["new"][0], rating=4, now=NOW - timedelta(hours=1))
    assert _counts_everywhere(student, essay) == QueueCounts(new=2, learning=2, due=1)
    # The learning card rated too buries the second claim's new cards.
    _rate(student, cards["learning"], rating=4, now=NOW - timedelta(minutes=30))
    assert _counts_everywhere(student, essay) == QueueCounts(new=1, learning=1, due=0)
    # With burying off, the buried cards are back as far as the limits reach:
    # one new card of three was rated today, no review of two.
    DeckSettings.objects.filter(essay=essay).update(bury_siblings=False)
    assert _counts_everywhere(student, essay) == QueueCounts(new=2, learning=1, due=2)


def test_counts_agree_when_the_daily_limits_are_reached(student, claims):
    essay = claims[0]
    DeckSettingsFactory(
        essay=essay, new_cards_per_day=1, reviews_per_day=1, bury_siblings=False
    )
    cards = _rich_deck(student, claims)
    _rate(student, cards["new"][1], rating=4, now=NOW - timedelta(hours=1))
    _rate(student, cards["reviews"][0], rating=4, now=NOW - timedelta(hours=1))
    assert _counts_everywhere(student, essay) == QueueCounts(learning=2)
    forecast = selectors.stats.due_forecast(student=student, now=NOW, essay=essay)
    # Today: the learning card and the learn-ahead one; the two reviews the
    # limit holds back come tomorrow.
    assert forecast.days[0][1] == 2
    assert forecast.days[1][1] == 2


def test_the_deck_page_counts_questions_without_cards_as_the_study_page_will(
    student, claims
):
    essay, first, second = claims
    DeckSettingsFactory(essay=essay, new_cards_per_day=3)
    for claim in (second, first, first, None, second):
        QuestionFactory(essay=essay, claim=claim)
    page = selectors.decks.deck_page(student=student, essay=essay, now=NOW)
    before = {row.section: row.counts for row in page.sections}
    assert page.counts == QueueCounts(new=3)
    assert sum(row.total for row in page.sections) == 5
    services.cards.deck_cards_create(student=student, essay=essay, now=NOW)
    page = selectors.decks.deck_page(student=student, essay=essay, now=NOW)
    assert {row.section: row.counts for row in page.sections} == before
    assert _counts_everywhere(student, essay) == QueueCounts(new=3)


def test_the_forecast_counts_today_what_the_study_page_shows_today(student):
    essay = EssayFactory()
    DeckSettingsFactory(essay=essay, reviews_per_day=1)
    for days in (1, 2):
        _reviewed(student, essay, due=NOW - timedelta(days=days))
    _reviewed(student, essay, state=Card.State.LEARNING, due=NOW + timedelta(hours=2))
    _reviewed(student, essay, due=NOW + timedelta(days=1))
    forecast = selectors.stats.due_forecast(student=student, now=NOW, essay=essay)
    assert (forecast.now, forecast.later_today) == (1, 1)
    assert forecast.days[0][1] == 2  # one review (the limit), one learning later
    assert forecast.days[1][1] == 2  # the review held back, and tomorrow's
    every = selectors.stats.due_forecast(student=student, now=NOW)
    assert every.days[:2] == forecast.days[:2]


# --- Undo, several steps back ------------------------------------------------


def test_undo_goes_back_through_the_days_ratings_one_at_a_time(student):
    essay = EssayFactory()
    cards = [_new(student, essay) for _ in range(3)]
    before = [Card.objects.filter(pk=card.pk).values().get() for card in cards]
    old = _reviewed(student, essay, due=NOW - timedelta(days=1))
    _rate(student, old, now=NOW - timedelta(days=1))  # yesterday: not undone
    for minutes, card in enumerate(cards):
        _rate(student, card, rating=1, now=NOW + timedelta(minutes=minutes))
    _rate(student, cards[0], rating=3, now=NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=6)
    undone = []
    while (
        review := selectors.queue.last_rating(student=student, essay=essay, now=later)
    ) is not None:
        card, ok = services.cards.rating_undo(
            student=student, card_id=review.card_id, review_id=review.pk
        )
        assert ok
        undone.append(card.pk)
    assert undone == [cards[0].pk, cards[2].pk, cards[1].pk, cards[0].pk]
    assert [Card.objects.filter(pk=c.pk).values().get() for c in cards] == before
    other = EssayFactory()
    assert selectors.queue.last_rating(student=student, essay=other, now=later) is None
