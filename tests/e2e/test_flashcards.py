from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Card, Question, Review
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


def _swap(page, key: str) -> None:
    """Press a key that posts, and wait for htmx to swap in the new reviewer."""
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-settling')")
    page.evaluate("document.getElementById('study-area').dataset.stale = '1'")
    page.keyboard.press(key)
    page.wait_for_function("!document.getElementById('study-area').dataset.stale")


def _count(page, name: str) -> int:
    return int(page.locator(f"[data-count={name}]").inner_text())


def test_student_reviews_flashcards_with_the_keyboard(
    live_server, page, phone_page, login, screenshot, deck
):
    student = UserFactory(username="reviewer")
    login(page, student)
    page.goto(f"{live_server.url}/flashcards/")
    page.get_by_role("link", name="The Great Purge").click()
    screenshot(page, "flashcards-deck-desktop")
    page.get_by_role("button", name="Study now").click()
    page.wait_for_selector("[data-card]")
    # Keys act once htmx and study.js are set up (deferred scripts).
    page.wait_for_load_state("load")
    assert _count(page, "new") == 3
    assert "Right answer" not in page.content()
    screenshot(page, "flashcards-front-desktop")

    page.keyboard.press("Space")
    page.wait_for_selector("[data-rating='3']")
    assert page.locator(".rate-1 .rate-interval").inner_text() == "1m"
    assert page.locator(".rate-3 .rate-interval").inner_text() == "10m"
    assert page.locator(".rate-4 .rate-interval").inner_text().endswith("d")
    screenshot(page, "flashcards-back-desktop")

    _swap(page, "3")
    assert _count(page, "new") == 2
    assert page.url.endswith("/study/")  # swapped in, no page load

    page.keyboard.press("Enter")
    page.wait_for_selector("[data-rating='4']")
    _swap(page, "4")
    assert _count(page, "new") == 1
    assert Review.objects.count() == 2

    _swap(page, "Control+z")
    assert not page.locator("[data-undo]").count()
    assert _count(page, "new") == 2
    assert Review.objects.count() == 1

    for _ in range(2):
        page.keyboard.press("Space")
        page.wait_for_selector("[data-rating='4']")
        _swap(page, "4")
    assert _count(page, "new") == 0
    # The card rated Good is due again in 10 minutes: shown now rather than
    # ending the session (Anki's learn-ahead).
    page.keyboard.press("Space")
    page.wait_for_selector("[data-rating='4']")
    _swap(page, "4")
    assert page.get_by_text("All done for today").is_visible()
    assert "Study ahead" in page.content()
    assert Review.objects.count() == 4
    assert all(r.duration_ms is not None for r in Review.objects.all())
    assert Card.objects.filter(student=student, last_review__isnull=True).count() == 0
    screenshot(page, "flashcards-all-done-desktop")

    page.goto(f"{live_server.url}/flashcards/great-purge/stats/")
    page.wait_for_selector("svg.bar-chart")
    page.get_by_text("Table of the reviews").click()
    reviews = page.locator("details", has_text="Table of the reviews")
    assert reviews.locator("tbody tr").count() == 1
    assert reviews.locator("tbody td").nth(1).inner_text() == "4"
    screenshot(page, "flashcards-stats-desktop")

    # A review card falls due: on the phone it comes up in the normal queue,
    # each button shows its interval, and the Due count drops once it is rated.
    card = Card.objects.filter(student=student, state=Card.State.REVIEW).first()
    card.due = timezone.now() - timedelta(days=1)
    card.save(update_fields=["due"])
    login(phone_page, student)
    phone_page.goto(f"{live_server.url}/flashcards/great-purge/study/")
    phone_page.wait_for_selector("[data-card]")
    # Keys act once htmx and study.js are set up (deferred scripts).
    phone_page.wait_for_load_state("load")
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
    assert Review.objects.count() == 5

    phone_page.goto(f"{live_server.url}/flashcards/great-purge/study/?cram=0")
    phone_page.wait_for_selector("[data-card]")
    # Keys act once htmx and study.js are set up (deferred scripts).
    phone_page.wait_for_load_state("load")
    assert phone_page.get_by_text("Studying ahead").is_visible()
    shown = phone_page.locator("[data-card]").get_attribute("data-card")
    phone_page.get_by_role("button", name="Show answer").click()
    phone_page.get_by_role("button", name="Good").click()
    phone_page.wait_for_function(
        f"document.querySelector('[data-card]').dataset.card !== '{shown}'"
    )
    assert Review.objects.count() == 5  # studying ahead stores nothing
