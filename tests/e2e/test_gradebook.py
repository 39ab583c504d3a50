"""A teacher works the class dashboard in Chromium: sorts it, opens an
attempt, changes a score with a comment and sees the new total; the
student then reads the comment."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    TeacherFactory,
    UserFactory,
    quiz_with,
    true_false_question,
)
from tests.test_services_gradebook import answered_attempt

pytestmark = pytest.mark.django_db(transaction=True)


def a_class():
    teacher = TeacherFactory(username="mrs_teacher", first_name="Ruth", last_name="Ng")
    alice = UserFactory(username="alice", first_name="Alice", last_name="Adams")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Brown")
    cara = UserFactory(username="cara", first_name="Cara", last_name="Chen")
    classroom = ClassroomFactory(
        teacher=teacher, students=[alice, bob, cara], name="Year 11 History"
    )
    questions = [
        true_false_question(prompt=f"Statement {n}: Kirov died in 1934?")
        for n in range(4)
    ]
    assignment = AssignmentFactory(
        classroom=classroom, quiz=quiz_with(questions), title="Causes quiz"
    )
    answered_attempt(alice, assignment, ["true"] * 4)  # 100 %
    bobs = answered_attempt(bob, assignment, ["true", "false", "true", "false"])
    return teacher, classroom, bob, bobs


def test_a_teacher_sorts_the_gradebook_and_changes_a_score_with_a_comment(
    page, phone_page, browser, live_server, login, screenshot
):
    teacher, classroom, bob, attempt = a_class()
    login(page, teacher)
    url = f"{live_server.url}/teach/classes/{classroom.pk}/gradebook/"
    page.goto(url)
    names = page.locator("table.gradebook tbody th[scope=row]")
    expect(names).to_have_text(
        [re.compile("^Alice Adams"), re.compile("^Bob"), re.compile("^Cara")]
    )

    # Sorting swaps the grid in place, says so, and keeps the focus.
    heading = page.get_by_role("columnheader", name=re.compile("Causes quiz"))
    sort = heading.get_by_role("link", name=re.compile("Causes quiz"))
    sort.click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    expect(names).to_have_text(
        [re.compile("^Bob"), re.compile("^Alice"), re.compile("^Cara")]
    )
    heading.get_by_role("link").click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    expect(heading.get_by_role("link")).to_be_focused()
    expect(names.first).to_have_text(re.compile("^Alice Adams"))
    expect(page.locator(".gradebook-caption")).to_have_text(
        re.compile("sorted by Causes quiz, highest first")
    )
    assert "dir=desc" in page.url
    screenshot(page, "gradebook-desktop")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".gradebook-actions")).to_be_hidden()
    screenshot(page, "gradebook-print")
    page.emulate_media(media="screen")

    # Bob's cell opens his attempt, every answer as he saw it.
    bob_row = page.locator("tbody tr", has_text="Bob Brown")
    bob_row.get_by_role("link", name="50%").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt.pk}/$"))
    expect(page.locator("h1")).to_have_text("Bob Brown: 50%")
    expect(page.locator(".result-item")).to_have_count(4)
    screenshot(page, "attempt-review-desktop")

    second = page.locator("#question-2")
    second.get_by_text("Change the score").click()
    second.get_by_label("Score (%)").fill("100")
    second.get_by_label("Comment for the student").fill(
        "Your reading of the passage is <fair>."
    )
    second.get_by_role("button", name="Save score").click()
    expect(page.locator(".messages")).to_have_text(
        "Score saved. The attempt now scores 75% (3 of 4 points)."
    )
    expect(page.locator("h1")).to_have_text("Bob Brown: 75%")
    expect(page.locator(".override-log")).to_contain_text("Question 2: 0%")
    expect(page.locator(".override-log .override-to")).to_have_text("100%")
    expect(page.locator(".override-log")).to_contain_text(
        "Your reading of the passage is <fair>."
    )
    page.goto(url)
    expect(page.locator("tbody tr", has_text="Bob Brown")).to_contain_text("75%")

    # On a phone the grid scrolls inside its box; the page does not.
    login(phone_page, teacher)
    phone_page.goto(url)
    expect(phone_page.locator("table.gradebook")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "gradebook-phone")
    phone_page.goto(
        f"{live_server.url}/teach/classes/{classroom.pk}/attempts/{attempt.pk}/"
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "attempt-review-phone")

    # Bob reads the comment on his result, as typed.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    student = context.new_page()
    login(student, bob)
    student.goto(f"{live_server.url}/attempts/{attempt.pk}/result/")
    expect(student.locator(".result-score")).to_have_text("75%")
    expect(student.locator(".teacher-comment")).to_have_text(
        re.compile(r"Your teacher's comment:\s*Your reading of the passage is <fair>\.")
    )
    context.close()
