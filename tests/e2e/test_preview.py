"""A teacher previews a whole quiz in Chromium: answers graded, nothing stored."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Response
from tests.e2e.test_quiz import build_quiz
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_teacher_previews_a_quiz_and_sees_feedback_stored_nowhere(
    page, phone_page, live_server, login, screenshot
):
    quiz = build_quiz(shuffle_choices=False, with_matching=True)
    teacher = TeacherFactory(username="mrs_teacher")
    login(page, teacher)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Start")).to_have_count(0)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(re.compile(rf"/quizzes/{quiz.pk}/preview/$"))
    questions = page.locator(".preview-item")
    expect(questions).to_have_count(5)
    expect(page.get_by_role("button", name="Submit answer")).to_have_count(5)
    screenshot(page, "preview-quiz-desktop")

    first = questions.nth(0)
    first.get_by_label("Moscow").check()
    first.get_by_role("button", name="Submit answer").click()
    feedback = page.locator("#" + first.get_attribute("id") + " .feedback")
    expect(feedback).to_contain_text("Not quite")
    expect(feedback).to_be_focused()
    expect(feedback.locator("li.is-right")).to_contain_text("Leningrad")
    expect(feedback.locator(".passage mark")).to_have_text(
        "Sergei Kirov was murdered in Leningrad in December 1934."
    )

    # Keys act on the question holding the focus; Enter with nothing picked
    # is refused inside that question.
    second = questions.nth(1)
    second.locator("legend").focus()
    page.keyboard.press("Enter")
    expect(second.locator(".answer-error")).to_have_text(
        "Pick True or False before submitting."
    )
    expect(second.locator(".answer-error")).to_be_focused()
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(second.locator(".feedback")).to_contain_text("Correct")

    cloze = questions.nth(2)
    cloze.get_by_label("Your answer").fill("kirow")
    cloze.get_by_role("button", name="Submit answer").click()
    expect(cloze.locator(".feedback")).to_contain_text(
        "Accepted; the spelling is Kirov."
    )
    screenshot(page, "preview-feedback-desktop")
    assert Attempt.objects.count() == 0
    assert Response.objects.count() == 0

    login(phone_page, teacher)
    phone_page.goto(page.url)
    expect(phone_page.locator(".preview-item")).to_have_count(5)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    matching = phone_page.locator(".preview-item").nth(4)
    matching.get_by_role("button", name="Submit answer").click()
    expect(matching.locator(".answer-error")).to_have_text(
        "Match every item before submitting."
    )
    screenshot(phone_page, "preview-quiz-phone")
    assert Attempt.objects.count() == 0


def test_the_admins_question_preview_submits_and_shows_feedback(
    page, live_server, login, screenshot
):
    quiz = build_quiz(shuffle_choices=False)
    question = quiz.questions.get(prompt="Where was Kirov murdered?")
    login(page, TeacherFactory(username="mrs_teacher"))
    page.goto(f"{live_server.url}/admin/quizzes/question/{question.pk}/change/")
    page.get_by_role("link", name="Preview as a student").click()
    page.get_by_label("Leningrad").check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".feedback")).to_contain_text("Correct")
    screenshot(page, "preview-question-desktop")
    assert Response.objects.count() == 0
