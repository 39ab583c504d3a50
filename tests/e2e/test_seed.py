"""The demo as `make run` sets it up: the seed essay's quiz and flashcards.

The other browser tests build small data with factories; these run the whole
pipeline (essay -> generated questions -> published quiz and deck) and drive
it with the keyboard only.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt, Card, Question, Response, Review
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_student():
    call_command("seed_demo", verbosity=0)
    # The demo student who has not started yet: the quiz is assigned to the
    # Demo class, and the deck has no history.
    return get_user_model().objects.get(username="student3")


def answer_with_the_keyboard(page) -> None:
    form = page.locator("#question-area .question-form")
    selects = form.locator("select")
    if form.locator("input[type=text]").count():
        expect(form.locator("input[type=text]")).to_be_focused()
        page.keyboard.type("Stalin")
    elif selects.count():
        for index in range(selects.count()):
            page.keyboard.press("Tab")
            expect(selects.nth(index)).to_be_focused()
            page.keyboard.press("ArrowDown")
    else:
        page.keyboard.press("1")
    page.keyboard.press("Enter")


def test_a_student_takes_the_seed_quiz_with_the_keyboard_only(
    page, live_server, login, demo_student
):
    login(page, demo_student, password=settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/")
    # The first Start is the assignment's, at the top of the page.
    page.get_by_role("button", name="Start").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(student=demo_student)
    total = len(attempt.question_ids)
    # One question per claim of the seed at most, and the matching one.
    assert total >= 8

    passages = 0
    for n in range(1, total + 1):
        area = page.locator("#question-area[data-settled]")
        expect(area).to_contain_text(f"Question {n} of {total}")
        answer_with_the_keyboard(page)
        feedback = page.locator("#question-area .feedback")
        expect(feedback).to_be_focused()
        expect(feedback).to_contain_text(re.compile("Correct|Partly right|Not quite"))
        passages += page.locator("#question-area .passage mark").count()
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/result/$"))
    attempt.refresh_from_db()
    expect(page.locator(".result-score")).to_have_text(f"{round(attempt.score)}%")
    assert Response.objects.filter(attempt=attempt).count() == total
    # Every question but the essay-wide matching one shows its passage.
    assert passages >= total - 1


def test_a_student_studies_the_seed_flashcards_with_the_keyboard(
    page, live_server, login, demo_student
):
    login(page, demo_student, password=settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/flashcards/")
    page.get_by_role("link", name="The Causes of Stalin's Great Purge").click()
    page.get_by_role("button", name="Study now").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-card]")
    # Keys act once htmx and study.js are set up (deferred scripts).
    page.wait_for_load_state("load")

    def count(name: str) -> int:
        return int(page.locator(f"[data-count={name}]").inner_text())

    def rate(key: str) -> None:
        wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling')")
        page.evaluate("document.getElementById('study-area').dataset.stale = '1'")
        page.keyboard.press(key)
        wait_until(page, "!document.getElementById('study-area').dataset.stale")

    def shown() -> Card:
        return Card.objects.get(
            pk=page.locator("[data-card]").get_attribute("data-card")
        )

    new_at_start = count("new")
    cards = Question.objects.published().count()  # a card per published question
    assert cards > 10
    assert new_at_start == min(cards, 20)  # 20: the daily new-card limit
    claims = []
    for expected_new in range(new_at_start - 1, new_at_start - 4, -1):
        claims.append(shown().question.claim_id)
        page.keyboard.press("Space")
        expect(page.locator(".rate-1 .rate-interval")).to_have_text("1m")
        expect(page.locator(".rate-3 .rate-interval")).to_have_text("10m")
        expect(page.locator(".rate-4 .rate-interval")).to_have_text(re.compile(r"d$"))
        rate("3")
        assert count("new") == expected_new

    # The seed's sentences have up to six cards each: after one is rated,
    # the others wait until tomorrow, so three cards are three sentences.
    assert len(set(claims)) == 3
    assert shown().question.claim_id not in claims

    rate("Control+z")
    assert count("new") == new_at_start - 2
    assert Review.objects.filter(card__student=demo_student).count() == 2
    assert shown().question.claim_id == claims[-1]
    assert Card.objects.filter(student=demo_student).count() == cards
