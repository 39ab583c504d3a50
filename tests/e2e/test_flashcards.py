from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Card, Question, Review
from tests.e2e.waiting import wait_until
from tests.factories import (
    ClaimFactory,
    EssayFactory,
    MatchPairFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "Consolidation of Power: Stalin removed his rivals one by one. "
    "The Politburo was purged of the old Bolsheviks.\n\n"
    "Foreign Threats: Fear of invasion made any dissent look like treason. "
    "Spies were seen everywhere."
)


@pytest.fixture
def deck():
    essay = EssayFactory(title="The Great Purge", slug="great-purge", body=BODY)
    first = SectionFactory(
        essay=essay, order=0, heading="Consolidation of Power", start=0, end=110
    )
    second = SectionFactory(
        essay=essay, order=1, heading="Foreign Threats", start=112, end=len(BODY)
    )
    start = BODY.index("Stalin removed")
    rivals = ClaimFactory(
        essay=essay, section=first, order=0, start=start, end=BODY.index(".") + 1
    )
    start = BODY.index("Fear of")
    fear = ClaimFactory(
        essay=essay,
        section=second,
        order=1,
        start=start,
        end=BODY.index("treason.") + 8,
    )
    single_choice_question(
        essay=essay, claim=rivals, prompt="What did Stalin do to his rivals?"
    )
    QuestionFactory(
        essay=essay,
        claim=fear,
        kind=Question.Kind.TRUE_FALSE,
        is_true=True,
        prompt="Fear of invasion made dissent look like treason.",
        explanation="The essay ties the purge to a sense of threat from abroad.",
    )
    MatchPairFactory(
        question__essay=essay,
        question__claim=rivals,
        question__prompt="Match the group to what happened to it.",
        left="Old Bolsheviks",
        right="Purged from the Politburo",
        order=0,
    )
    return essay


def _swap(page, *keys: str) -> None:
    """Press keys that post, and wait for htmx to swap in the new study area."""
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling')")
    page.evaluate("document.getElementById('study-area').dataset.stale = '1'")
    for key in keys:
        page.keyboard.press(key)
    wait_until(page, "!document.getElementById('study-area').dataset.stale")


def _count(page, name: str) -> int:
    return int(page.locator(f"[data-count={name}]").inner_text())


def _shown(page) -> Card:
    return Card.objects.get(pk=page.locator("[data-card]").get_attribute("data-card"))


def _open_study(page, url: str) -> None:
    page.goto(url)
    start = page.get_by_role("button", name="Start studying")
    if start.count():
        start.click()  # a first visit: the cards are made on a POST
    page.wait_for_selector("[data-card]")
    # Keys act once htmx and study.js are set up (deferred scripts).
    page.wait_for_load_state("load")
    # Gone if the page ever reloads: every step must be an htmx swap.
    page.evaluate("window.noReload = true")


def _not_reloaded(page) -> bool:
    return page.evaluate("window.noReload === true")


# The rendered size of each label of the forecast chart, in CSS pixels.
CHART_TEXT_PX = """Array.from(document.querySelectorAll("svg.bar-chart text")).map(
    (text) => {
        const svg = text.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(text).fontSize) * scale;
    })"""


def test_student_reviews_flashcards_with_the_keyboard(
    live_server, page, phone_page, login, screenshot, deck
):
    student = UserFactory(username="reviewer")
    login(page, student)
    page.goto(f"{live_server.url}/flashcards/")
    screenshot(page, "flashcards-decks-desktop")
    page.get_by_role("link", name="The Great Purge").click()
    screenshot(page, "flashcards-deck-desktop")
    page.get_by_role("button", name="Study now").click()
    page.wait_for_selector("[data-card]")
    page.wait_for_load_state("load")
    assert _count(page, "new") == 3
    assert "Right answer" not in page.content()
    first = _shown(page)
    assert first.question.prompt == "What did Stalin do to his rivals?"
    screenshot(page, "flashcards-front-desktop")

    page.keyboard.press("Space")
    page.wait_for_selector("[data-rating='3']")
    assert page.locator(".rate-1 .rate-interval").inner_text() == "1m"
    assert page.locator(".rate-3 .rate-interval").inner_text() == "10m"
    assert page.locator(".rate-4 .rate-interval").inner_text().endswith("d")
    screenshot(page, "flashcards-back-desktop")

    # Rated Easy: the matching card of the same sentence is buried until
    # tomorrow, so the next card is the other sentence's.
    _swap(page, "4")
    assert page.url.endswith("/study/")  # swapped in, no page load
    assert _shown(page).question.claim_id != first.question.claim_id
    assert _count(page, "new") == 1

    page.keyboard.press("Enter")
    page.wait_for_selector("[data-rating='4']")
    _swap(page, "4")
    assert Review.objects.count() == 2
    assert page.get_by_text("All done for today").is_visible()
    assert page.get_by_text("1 card of sentences you studied today waits").is_visible()

    # Undo twice: the second card, then the first, and its sibling is back.
    _swap(page, "Control+z")
    assert _count(page, "new") == 1
    _swap(page, "Control+z")
    assert _shown(page) == first
    assert _count(page, "new") == 3
    assert not Review.objects.exists()

    for _ in range(2):
        page.keyboard.press("Space")
        page.wait_for_selector("[data-rating='4']")
        _swap(page, "3" if _shown(page) == first else "4")
    # The card rated Good is due again in 10 minutes: shown now rather than
    # ending the session (Anki's learn-ahead), and counted as learning.
    assert _shown(page) == first
    assert (_count(page, "new"), _count(page, "learning")) == (0, 1)
    page.keyboard.press("Space")
    page.wait_for_selector("[data-rating='4']")
    _swap(page, "4")
    assert page.get_by_text("All done for today").is_visible()
    assert "Study ahead" in page.content()
    assert Review.objects.count() == 3
    assert all(r.duration_ms is not None for r in Review.objects.all())
    screenshot(page, "flashcards-all-done-desktop")

    page.goto(f"{live_server.url}/flashcards/great-purge/stats/")
    page.wait_for_selector("svg.bar-chart")
    page.get_by_text("Table of the reviews").click()
    reviews = page.locator("details", has_text="Table of the reviews")
    assert reviews.locator("tbody tr").count() == 1
    assert reviews.locator("tbody td").nth(1).inner_text() == "3"
    assert all(12 <= px <= 18 for px in page.evaluate(CHART_TEXT_PX))
    screenshot(page, "flashcards-stats-desktop")

    # A review card falls due: on the phone it comes up in the normal queue,
    # each button shows its interval, and the Due count drops once it is rated.
    card = Card.objects.get(question__prompt__startswith="Fear of invasion")
    card.due = timezone.now() - timedelta(days=1)
    card.last_review = timezone.now() - timedelta(days=2)
    card.save(update_fields=["due", "last_review"])
    login(phone_page, student)
    _open_study(phone_page, f"{live_server.url}/flashcards/great-purge/study/")
    assert (_count(phone_page, "new"), _count(phone_page, "due")) == (0, 1)
    screenshot(phone_page, "flashcards-front-phone")
    phone_page.get_by_role("button", name="Show answer").click()
    phone_page.wait_for_selector("[data-rating='3']")
    assert phone_page.locator(".rate-1 .rate-interval").inner_text() == "10m"
    for rating in ("2", "3", "4"):
        interval = phone_page.locator(f".rate-{rating} .rate-interval")
        assert interval.is_visible()
        assert interval.inner_text().endswith("d")
    screenshot(phone_page, "flashcards-back-phone")
    box = phone_page.locator("[data-rating='3']").bounding_box()
    assert box["height"] >= 44
    assert box["width"] >= 44
    phone_page.get_by_role("button", name="Good").click()
    phone_page.wait_for_selector("text=All done for today")
    assert _count(phone_page, "due") == 0
    assert Review.objects.count() == 4
    assert _not_reloaded(phone_page)
    for path, name in (
        ("", "decks"),
        ("great-purge/", "deck"),
        ("great-purge/stats/", "stats"),
    ):
        phone_page.goto(f"{live_server.url}/flashcards/{path}")
        screenshot(phone_page, f"flashcards-{name}-phone")
        assert phone_page.evaluate("document.documentElement.scrollWidth") == 390
    # The chart's labels stay readable on the phone.
    sizes = phone_page.evaluate(CHART_TEXT_PX)
    assert len(sizes) >= 5
    assert min(sizes) >= 12

    _open_study(phone_page, f"{live_server.url}/flashcards/great-purge/study/?cram=0")
    assert phone_page.get_by_text("Studying ahead").is_visible()
    shown = phone_page.locator("[data-card]").get_attribute("data-card")
    phone_page.get_by_role("button", name="Show answer").click()
    phone_page.get_by_role("button", name="Good").click()
    wait_until(
        phone_page, f"document.querySelector('[data-card]').dataset.card !== '{shown}'"
    )
    assert Review.objects.count() == 4  # studying ahead stores nothing


@pytest.fixture
def five_sentences():
    """A deck of five cards, one per sentence: no card buries another."""
    essay = EssayFactory(title="Five", slug="five", body=BODY)
    section = SectionFactory(essay=essay, order=0, heading="All", end=len(BODY))
    for n in range(5):
        claim = ClaimFactory(essay=essay, section=section, order=n, start=0, end=10)
        QuestionFactory(
            essay=essay,
            claim=claim,
            kind=Question.Kind.TRUE_FALSE,
            is_true=True,
            prompt=f"Statement number {n}.",
        )
    return essay


def test_fast_keys_rate_each_card_once_without_a_page_load(
    live_server, page, login, five_sentences
):
    student = UserFactory(username="quick")
    login(page, student)
    _open_study(page, f"{live_server.url}/flashcards/five/study/")
    shown = []
    for n in range(1, 4):
        shown.append(_shown(page))
        # Space and 3 at once: the rating waits for the answer, then goes
        # out over htmx, never as a plain form post.
        _swap(page, "Space", "3")
        assert Review.objects.count() == n
        assert _not_reloaded(page)
    # Mashing rating keys on one answer rates it once.
    shown.append(_shown(page))
    page.keyboard.press("Space")
    page.wait_for_selector("[data-rating='3']")
    _swap(page, "3", "3", "4", "1")
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling')")
    rated = list(Review.objects.order_by("pk").values_list("card", "rating"))
    assert rated == [(card.pk, 3) for card in shown]
    assert _not_reloaded(page)
    assert page.locator("[data-undo]").is_visible()


def test_ctrl_z_three_times_restores_three_cards_in_reverse_order(
    live_server, page, login, screenshot, five_sentences
):
    student = UserFactory(username="undoer")
    login(page, student)
    _open_study(page, f"{live_server.url}/flashcards/five/study/")
    rated = []
    for rating in ("1", "3", "4"):
        rated.append(_shown(page))
        page.keyboard.press("Space")
        page.wait_for_selector(f"[data-rating='{rating}']")
        _swap(page, rating)
    assert Review.objects.count() == 3
    restored = []
    for left in (2, 1, 0):
        _swap(page, "Control+z")
        restored.append(_shown(page))
        assert Review.objects.count() == left
    assert restored == rated[::-1]
    assert not page.locator("[data-undo]").count()
    assert _count(page, "new") == 5
    assert all(card.reps == 0 for card in Card.objects.all())
    assert _not_reloaded(page)
    screenshot(page, "flashcards-undone-desktop")


def test_a_refused_rating_shows_its_message_in_the_study_area(
    live_server, page, login, screenshot, five_sentences
):
    student = UserFactory(username="tamperer")
    login(page, student)
    _open_study(page, f"{live_server.url}/flashcards/five/study/")
    card = _shown(page)
    page.keyboard.press("Space")
    page.wait_for_selector("[data-rating='3']")
    # A rating the server refuses (here a value no button has).
    page.evaluate("document.querySelector(\"[data-rating='3']\").value = '9'")
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling')")
    _swap(page, "3")
    alert = page.get_by_role("alert")
    assert alert.inner_text() == "Rate the card with 1, 2, 3 or 4."
    assert _shown(page) == card
    assert page.locator("[data-rating='4']").is_visible()
    assert page.locator("link[rel=stylesheet]").count()  # the page, still styled
    assert not Review.objects.exists()
    assert _not_reloaded(page)
    screenshot(page, "flashcards-refused-desktop")
