"""A student takes a quiz in a real Chromium: keyboard, reload, double click, 404."""

import re

import pytest
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt, Question, Response
from tests.factories import (
    ClaimFactory,
    EssayFactory,
    SectionFactory,
    UserFactory,
    cloze_question,
    matching_question,
    multiple_answer_question,
    quiz_with,
    single_choice_question,
    true_false_question,
)

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "Consolidation of Power: Stalin saw rivals everywhere after Lenin's death. "
    "Sergei Kirov was murdered in Leningrad in December 1934. "
    "The murder became the pretext for mass arrests."
)


def build_quiz(**settings):
    essay = EssayFactory(title="The Great Purge", body=BODY)
    section = SectionFactory(
        essay=essay, heading="Consolidation of Power", end=len(BODY)
    )
    start = BODY.index("Sergei")
    claim = ClaimFactory(
        section=section, start=start, end=BODY.index("1934.") + len("1934.")
    )
    single = single_choice_question(
        essay=essay, claim=claim, prompt="Where was Kirov murdered?"
    )
    single.choices.filter(is_correct=True).update(text="Leningrad")
    single.choices.filter(text="Wrong answer A").update(text="Moscow")
    single.choices.filter(text="Wrong answer B").update(text="Kiev")
    tf = true_false_question(
        essay=essay, claim=claim, prompt="Kirov was murdered in 1934.", is_true=True
    )
    cloze = cloze_question(
        essay=essay,
        claim=claim,
        prompt="Sergei _____ was murdered in Leningrad.",
        answers=["Kirov"],
    )
    multiple = multiple_answer_question(
        essay=essay, claim=claim, prompt="Which of these are right?"
    )
    questions = [single, tf, cloze, multiple]
    if settings.pop("with_matching", False):
        questions.append(
            matching_question(essay=essay, claim=claim, prompt="Match the names.")
        )
    return quiz_with(questions, **settings)


def start_quiz(page, live_server, quiz):
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Start").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    expect(page.locator("#question-area[data-settled]")).to_be_visible()
    return Attempt.objects.get(quiz=quiz)


def next_question(page, n: int, total: int = 4):
    page.keyboard.press("Enter")
    settled = page.locator("#question-area[data-settled]")
    expect(settled).to_contain_text(f"Question {n} of {total}")


def submit_and_see_feedback(page):
    page.keyboard.press("Enter")
    feedback = page.locator(".feedback")
    expect(feedback).to_be_visible()
    expect(feedback).to_be_focused()
    return feedback


def test_a_student_takes_the_quiz_with_the_keyboard(
    page, live_server, login, screenshot
):
    quiz = build_quiz(shuffle_choices=False)
    student = UserFactory(username="alice")
    login(page, student)
    start_quiz(page, live_server, quiz)

    expect(page.get_by_text("Question 1 of 4")).to_be_visible()
    # Each choice goes by its place on the page, never by its database id
    # (the right one, typed first, has the lowest).
    values = page.locator(".choices input").evaluate_all("els => els.map(e => e.value)")
    assert values == ["0", "1", "2"]
    page.keyboard.press("1")
    expect(page.get_by_label("Leningrad")).to_be_checked()
    feedback = submit_and_see_feedback(page)
    expect(feedback).to_contain_text("Correct")
    expect(page.locator(".passage mark")).to_have_text(
        "Sergei Kirov was murdered in Leningrad in December 1934."
    )
    expect(page.locator(".explanation")).to_contain_text("Because the essay says so.")
    screenshot(page, "quiz-feedback-desktop")

    next_question(page, 2)
    page.keyboard.press("2")  # False: wrong on purpose
    feedback = submit_and_see_feedback(page)
    expect(feedback).to_contain_text("Not quite")
    # The right answer is marked once, in the list of choices.
    expect(feedback.locator("li.is-right")).to_have_text(
        re.compile(r"True\s*right answer")
    )
    expect(feedback.locator("li.is-wrong")).to_have_text(
        re.compile(r"False\s*your answer")
    )

    next_question(page, 3)
    expect(page.get_by_label("Your answer")).to_be_focused()
    page.keyboard.type("kirow")  # one typo is forgiven, and said so
    feedback = submit_and_see_feedback(page)
    expect(feedback).to_contain_text("Correct")
    expect(feedback).to_contain_text("Accepted; the spelling is Kirov.")

    next_question(page, 4)
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("3")
    page.keyboard.press("3")  # toggled off again
    feedback = submit_and_see_feedback(page)
    expect(feedback).to_contain_text("Correct")
    expect(page.get_by_role("button", name="See your result")).to_be_visible()

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.locator(".result-score")).to_have_text("75%")
    expect(page.get_by_text("Passed")).to_be_visible()
    screenshot(page, "quiz-result-desktop")
    assert Response.objects.count() == 4


def test_a_reload_resumes_at_the_same_question_in_the_same_order(
    page, live_server, login
):
    quiz = build_quiz(shuffle_questions=True, shuffle_choices=True)
    student = UserFactory(username="alice")
    login(page, student)
    attempt = start_quiz(page, live_server, quiz)
    first = Question.objects.get(pk=attempt.question_ids[0])
    second = Question.objects.get(pk=attempt.question_ids[1])
    if first.kind == Question.Kind.CLOZE:
        page.keyboard.type("Kirov")
    else:
        page.keyboard.press("1")
    submit_and_see_feedback(page)
    next_question(page, 2)
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    prompt = page.locator(".question-prompt").inner_text()
    choices = page.locator(".choice-text").all_inner_texts()
    assert prompt == second.prompt

    page.reload()
    expect(page.get_by_text("Question 2 of 4")).to_be_visible()
    assert page.locator(".question-prompt").inner_text() == prompt
    assert page.locator(".choice-text").all_inner_texts() == choices

    page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    expect(page.get_by_text("Question 2 of 4")).to_be_visible()
    assert page.locator(".choice-text").all_inner_texts() == choices


def test_a_double_click_on_submit_stores_one_response(page, live_server, login):
    quiz = build_quiz(shuffle_choices=False)
    student = UserFactory(username="alice")
    login(page, student)
    start_quiz(page, live_server, quiz)
    page.get_by_label("Moscow").check()
    page.get_by_role("button", name="Submit answer").dblclick()
    expect(page.locator(".feedback")).to_contain_text("Not quite")
    page.wait_for_timeout(300)
    assert Response.objects.count() == 1


def test_another_students_attempt_is_a_friendly_404(page, live_server, login):
    quiz = build_quiz()
    alice = UserFactory(username="alice")
    attempt = services.attempts.attempt_start(quiz=quiz, student=alice)
    login(page, UserFactory(username="bob"))
    response = page.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("button", name="Back to your quizzes")).to_be_visible()


def test_question_pages_look_right_on_phone_and_desktop(
    page, phone_page, live_server, login, screenshot
):
    build_quiz(shuffle_choices=False, time_limit_minutes=20, with_matching=True)
    for browser_page, name in ((phone_page, "phone"), (page, "desktop")):
        student = UserFactory(username=f"student-{name}")
        login(browser_page, student)
        browser_page.goto(f"{live_server.url}/")
        browser_page.get_by_role("button", name="Start").click()
        expect(browser_page.get_by_text("Question 1 of 5")).to_be_visible()
        expect(browser_page.locator(".countdown")).to_contain_text("Time left")
        browser_page.keyboard.press("2")
        screenshot(browser_page, f"quiz-question-{name}")
        attempt = Attempt.objects.get(student=student)
        browser_page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/5/")
        expect(browser_page.locator("select")).to_have_count(2)
        screenshot(browser_page, f"quiz-matching-{name}")
    # On the phone: big tap targets and nothing overflowing sideways.
    phone_page.goto(phone_page.url.replace("/q/5/", "/q/1/"))
    assert phone_page.locator("label.choice").first.bounding_box()["height"] >= 44
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


# --- Rough edges (issue 7) ------------------------------------------------------


def test_a_refused_answer_shows_inside_the_question_with_the_form_kept(
    page, phone_page, live_server, login, screenshot, settings
):
    # The bare text came from django-htmx's debug script, which runs with DEBUG.
    settings.DEBUG = True
    build_quiz(shuffle_choices=False, with_matching=True)
    for browser_page, name in ((page, "desktop"), (phone_page, "phone")):
        student = UserFactory(username=f"student-{name}")
        login(browser_page, student)
        browser_page.goto(f"{live_server.url}/")
        browser_page.get_by_role("button", name="Start").click()
        expect(browser_page.locator("#question-area[data-settled]")).to_be_visible()
        browser_page.keyboard.press("Enter")  # nothing picked
        error = browser_page.locator("#question-area .answer-error")
        expect(error).to_have_text("Pick an answer before submitting.")
        expect(error).to_have_attribute("role", "alert")
        expect(error).to_be_focused()
        # Styled, in the page: the header, the question and its choices stay.
        expect(browser_page.locator(".site-header")).to_be_visible()
        expect(browser_page.get_by_text("Question 1 of 5")).to_be_visible()
        expect(browser_page.locator(".choices input")).to_have_count(3)
        assert error.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
        screenshot(browser_page, f"quiz-refused-{name}")
        browser_page.keyboard.press("1")
        submit_and_see_feedback(browser_page)

        attempt = Attempt.objects.get(student=student)
        browser_page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/5/")
        browser_page.get_by_label("Kirov", exact=True).select_option("NKVD chief")
        browser_page.get_by_role("button", name="Submit answer").click()
        expect(browser_page.locator("#question-area .answer-error")).to_have_text(
            "Match every item before submitting."
        )
        # What was matched stays matched; the item left over is marked.
        expect(browser_page.get_by_label("Kirov", exact=True)).to_have_value("0")
        expect(browser_page.get_by_label("Kirov", exact=True)).not_to_have_attribute(
            "aria-invalid", "true"
        )
        expect(browser_page.get_by_label("Yezhov", exact=True)).to_have_attribute(
            "aria-invalid", "true"
        )
        screenshot(browser_page, f"quiz-refused-matching-{name}")
        assert Response.objects.filter(attempt=attempt).count() == 1


def test_keys_act_once_after_the_back_button(page, live_server, login):
    essay = EssayFactory(title="The Great Purge", body=BODY)
    single = single_choice_question(essay=essay, prompt="Where was Kirov murdered?")
    multiple = multiple_answer_question(essay=essay, prompt="Which are right?")
    quiz = quiz_with([single, multiple], shuffle_choices=False)
    login(page, UserFactory(username="alice"))
    start_quiz(page, live_server, quiz)
    page.keyboard.press("1")
    submit_and_see_feedback(page)
    next_question(page, 2, total=2)
    expect(page).to_have_url(re.compile(r"/q/2/$"))

    # htmx puts the whole page back from the server, scripts and all.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/q/1/$"))
    expect(page.locator("#question-area[data-settled]")).to_contain_text(
        "Question 1 of 2"
    )
    next_question(page, 2, total=2)
    page.keyboard.press("1")
    expect(page.get_by_label("Right A")).to_be_checked()
    page.keyboard.press("2")
    page.keyboard.press("1")  # toggled off again, once
    expect(page.get_by_label("Right A")).not_to_be_checked()
    expect(page.get_by_label("Right B")).to_be_checked()
    page.keyboard.press("1")
    feedback = submit_and_see_feedback(page)
    expect(feedback).to_contain_text("Correct")
    assert Response.objects.count() == 2


def test_the_summary_lists_what_is_left_then_finishes_on_confirmation(
    page, phone_page, live_server, login, screenshot
):
    quiz = build_quiz(shuffle_choices=False)
    login(page, UserFactory(username="alice"))
    attempt = start_quiz(page, live_server, quiz)
    page.keyboard.press("1")
    submit_and_see_feedback(page)

    page.get_by_role("link", name="Finish the attempt…").click()
    expect(page).to_have_url(re.compile(r"/summary/$"))
    rows = page.locator(".summary-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Where was Kirov murdered?")
    expect(rows.nth(0)).to_contain_text("Answered")
    for n in (1, 2, 3):
        expect(rows.nth(n)).to_contain_text("Not answered")
    expect(page.locator("#finish-note")).to_contain_text(
        "3 of 4 questions are not answered. They score nothing"
    )
    screenshot(page, "quiz-summary-desktop")
    assert not Attempt.objects.get().is_finished

    # Each row leads back to its question; past the last, to the summary.
    rows.nth(3).get_by_role("link").click()
    expect(page.get_by_text("Question 4 of 4")).to_be_visible()
    page.keyboard.press("1")
    page.keyboard.press("2")
    submit_and_see_feedback(page)
    expect(page.get_by_role("button", name="Unanswered questions")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/summary/$"))
    expect(page.locator("#finish-note")).to_contain_text("2 of 4 questions")

    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(page.url)
    expect(phone_page.locator(".summary-table")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "quiz-summary-phone")

    page.get_by_role("button", name="Finish the attempt").click()
    page.wait_for_url(re.compile(r"/result/$"))
    attempt.refresh_from_db()
    assert attempt.is_finished
    expect(page.get_by_text("Not answered: 0 points.")).to_have_count(2)


def test_the_result_shows_only_the_missed_ones_on_request(
    page, phone_page, live_server, login, screenshot
):
    quiz = build_quiz(shuffle_choices=False)
    login(page, UserFactory(username="alice"))
    attempt = start_quiz(page, live_server, quiz)
    page.keyboard.press("1")  # right
    submit_and_see_feedback(page)
    next_question(page, 2)
    page.keyboard.press("2")  # wrong
    submit_and_see_feedback(page)
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/summary/")
    page.get_by_role("button", name="Finish the attempt").click()
    page.wait_for_url(re.compile(r"/result/$"))
    items = page.locator("#result-list > li")
    expect(items).to_have_count(4)

    switch = page.get_by_role("switch", name="Show only the ones I missed (3)")
    switch.focus()
    page.keyboard.press("Space")
    expect(items).to_have_count(3)
    expect(page).to_have_url(re.compile(r"\?missed=1$"))
    expect(switch).to_be_focused()
    # The questions keep their numbers: the first one missed is number 2.
    expect(items.first).to_have_attribute("value", "2")
    expect(page.get_by_text("Where was Kirov murdered?")).to_have_count(0)
    screenshot(page, "quiz-result-missed-desktop")
    page.keyboard.press("Space")
    expect(items).to_have_count(4)

    # Without htmx the same address gives the same list.
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(f"{live_server.url}/attempts/{attempt.pk}/result/?missed=1")
    expect(phone_page.locator("#result-list > li")).to_have_count(3)
    expect(phone_page.get_by_role("switch")).to_be_checked()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "quiz-result-missed-phone")


def test_an_answer_that_cannot_be_saved_says_why_inside_the_question(
    page, live_server, login
):
    build_quiz(shuffle_choices=False)
    login(page, UserFactory(username="alice"))
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#question-area[data-settled]")).to_be_visible()
    cookies = page.context.cookies()

    # The form's token no longer matches (logged in again in another tab).
    page.context.clear_cookies()
    page.context.add_cookies([c for c in cookies if c["name"] != "csrftoken"])
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    error = page.locator("#question-area .answer-error")
    expect(error).to_contain_text("Please reload the page. This page was open")
    expect(error).to_be_focused()
    expect(page.locator(".choices input").first).to_be_checked()

    # The session ended: no login page inside the page; logging in comes
    # back to the question.
    page.context.clear_cookies()
    page.context.add_cookies([c for c in cookies if c["name"] != "sessionid"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/attempts/\d+/$"))
    expect(page.locator("main")).to_have_count(1)
    assert Response.objects.count() == 0
