import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    AttemptFactory,
    ClaimFactory,
    EssayFactory,
    SectionFactory,
    UserFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db(transaction=True)


def make_quiz():
    essay = EssayFactory(
        title="The Great Purge", body="Causes: Stalin feared rivals. Kirov was popular."
    )
    section = SectionFactory(essay=essay, heading="Causes", end=len(essay.body))
    claim = ClaimFactory(section=section, start=8, end=29)
    questions = [single_choice_question(essay=essay, claim=claim) for _ in range(3)]
    return quiz_with(questions, title="Causes of the Purge", attempts_allowed=3)


def test_visitors_see_the_essays_and_a_login_link(page, live_server, screenshot):
    make_quiz()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="The Great Purge")).to_be_visible()
    expect(page.get_by_role("button", name="Log in to start")).to_be_visible()
    expect(page.get_by_text("Causes of the Purge")).to_have_count(0)
    page.get_by_role("button", name="Log in to start").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    screenshot(page, "login-desktop")


def test_a_student_sees_quizzes_attempts_and_best_score(
    page, phone_page, live_server, login, screenshot
):
    quiz = make_quiz()
    student = UserFactory(username="alice")
    AttemptFactory(quiz=quiz, student=student, finished_at=timezone.now(), score=67)
    AttemptFactory(quiz=quiz, student=student)
    for browser_page, name in ((page, "desktop"), (phone_page, "phone")):
        login(browser_page, student)
        browser_page.goto(f"{live_server.url}/")
        card = browser_page.locator(".quiz-card")
        expect(card).to_contain_text("Causes of the Purge")
        expect(card).to_contain_text("Attempts: 2 / 3")
        expect(card).to_contain_text("Best score: 67%")
        expect(card.get_by_role("button", name="Continue")).to_be_visible()
        screenshot(browser_page, f"home-{name}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()


def test_every_page_has_an_icon_and_favicon_ico_finds_it(page, live_server):
    make_quiz()
    page.goto(f"{live_server.url}/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith(".svg")
    response = page.goto(f"{live_server.url}/favicon.ico")
    assert response.ok
    assert response.url.endswith(icon)
    assert response.headers["content-type"] == "image/svg+xml"
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("link[rel=icon]").get_attribute("href") == icon


def key_hints(page) -> list[bool]:
    """Whether each key hint on the page is shown."""
    hints = page.locator(".kbd-hint, button kbd, .choice-key")
    assert hints.count() > 0
    return [hints.nth(i).is_visible() for i in range(hints.count())]


@pytest.mark.parametrize(
    ("device", "shown"),
    [
        ({"viewport": {"width": 1280, "height": 900}}, True),
        # A tablet is as wide as a small laptop: its touch screen, not its
        # width, says there is no keyboard to press keys on.
        (
            {
                "viewport": {"width": 820, "height": 1180},
                "has_touch": True,
                "is_mobile": True,
            },
            False,
        ),
        (
            {
                "viewport": {"width": 390, "height": 844},
                "has_touch": True,
                "is_mobile": True,
            },
            False,
        ),
    ],
    ids=["desktop", "tablet", "phone"],
)
def test_key_hints_show_only_where_there_is_a_keyboard(
    browser, live_server, login, device, shown
):
    quiz = make_quiz()
    student = UserFactory(username="alice")
    attempt = AttemptFactory(quiz=quiz, student=student)
    context = browser.new_context(**device)
    page = context.new_page()
    login(page, student)
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    on_question = key_hints(page)
    # Handed in: an open attempt holds its questions' cards back.
    attempt.finished_at = timezone.now()
    attempt.save()
    page.goto(f"{live_server.url}/flashcards/{quiz.essay.slug}/study/")
    page.get_by_role("button", name="Start studying").click()
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    on_card = key_hints(page)
    context.close()

    assert set(on_question) == {shown}
    assert set(on_card) == {shown}
