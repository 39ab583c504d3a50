"""A student joins their class with its code on the home page, finds the
assignment at the top, takes it and sees it done; a teacher's assignment
pages, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Assignment
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EssayFactory,
    SectionFactory,
    TeacherFactory,
    UserFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db(transaction=True)


def the_class():
    teacher = TeacherFactory(username="mrs_teacher")
    classroom = ClassroomFactory(name="Year 10 History", teacher=teacher)
    essay = EssayFactory(title="The Great Purge")
    questions = [single_choice_question(essay=essay) for _ in range(2)]
    quiz = quiz_with(questions, title="Causes of the Purge", open_practice=False)
    AssignmentFactory(classroom=classroom, quiz=quiz, title="Week 1 quiz")
    quiz_with([single_choice_question(essay=essay)], title="Free practice")
    return teacher, classroom


def test_a_student_joins_with_the_code_takes_the_assignment_and_sees_it_done(
    page, phone_page, live_server, login, screenshot
):
    _, classroom = the_class()
    student = UserFactory(username="alice")
    login(page, student)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Nothing is assigned to you yet")).to_be_visible()
    expect(page.locator(".quiz-list")).not_to_contain_text("Causes of the Purge")

    # A wrong code first: the page says so and keeps the student where they are.
    page.get_by_label("Join a class").fill("ABCD-EFGH")
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".message-error")).to_have_text(
        "No class has the code ABCDEFGH. Check it with your teacher."
    )
    code = classroom.join_code
    page.get_by_label("Join a class").fill(f"{code[:4].lower()} {code[4:]}")
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".message-success")).to_have_text("You joined Year 10 History.")

    first = page.locator(".assignment-card").first
    expect(first).to_contain_text("Week 1 quiz")
    expect(first).to_contain_text("Year 10 History")
    expect(first.locator(".status")).to_have_text("Not started")
    assignments = page.get_by_role("heading", name="Your assignments").bounding_box()
    quizzes = page.get_by_role("heading", name="Your quizzes").bounding_box()
    assert assignments["y"] < quizzes["y"]
    screenshot(page, "home-assignments-desktop")

    first.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    for n in (1, 2):
        expect(page.get_by_text(f"Question {n} of 2")).to_be_visible()
        page.get_by_label("Right answer").check()
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".feedback")).to_contain_text("Correct")
        page.locator("[data-next]").click()
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.locator(".result-score")).to_have_text("100%")
    expect(page.locator(".result-summary .status-late")).to_have_count(0)

    page.get_by_role("button", name="Back to your quizzes").click()
    done = page.locator(".assignment-card", has_text="Week 1 quiz")
    expect(done.locator(".status")).to_have_text("Done")
    expect(done).to_contain_text("Score: 100%")
    expect(done.get_by_role("link", name="Last result")).to_be_visible()

    login(phone_page, student)
    phone_page.goto(f"{live_server.url}/")
    expect(phone_page.locator(".assignment-card").first).to_contain_text("Done")
    screenshot(phone_page, "home-assignments-phone")


def test_a_teacher_gives_a_flashcard_goal_and_fixes_a_date_mistake(
    page, phone_page, live_server, login, screenshot
):
    teacher, classroom = the_class()
    SectionFactory(essay=classroom.assignments.get().quiz.essay, heading="Causes")
    login(page, teacher)
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/assignments/")
    expect(
        page.get_by_role("rowheader", name=re.compile("Week 1 quiz"))
    ).to_be_visible()
    screenshot(page, "teach-assignments-desktop")

    page.get_by_role("button", name="New assignment").click()
    page.get_by_label("Flashcard goal").check()
    # The quiz's field gives way to the goal's.
    expect(page.get_by_label("Which quiz")).to_be_hidden()
    page.get_by_label("Flashcards of").select_option(label="Causes")
    page.get_by_label("Recall to reach on the due date (%)").fill("85")
    page.get_by_label("Title").fill("Revise the causes")
    opens = page.get_by_label("Opens (UTC)").input_value()
    page.get_by_label("Due (UTC)").fill("2020-01-01T09:00")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".form-errors")).to_contain_text(
        "The due date is before the assignment opens."
    )
    screenshot(page, "teach-assignment-form-error-desktop")
    assert not Assignment.objects.filter(title="Revise the causes").exists()

    page.get_by_label("Due (UTC)").fill(f"{int(opens[:4]) + 1}{opens[4:]}")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".message-success")).to_have_text(
        "Assigned “Revise the causes” to Year 10 History."
    )
    expect(page.locator(".assignment-table")).to_contain_text(
        "Flashcard goal: The Great Purge, Causes, 85% recall"
    )

    login(phone_page, teacher)
    phone_page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/assignments/")
    screenshot(phone_page, "teach-assignments-phone")
    phone_page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/assignments/new/")
    expect(phone_page.get_by_label("Which quiz")).to_be_visible()
    screenshot(phone_page, "teach-assignment-form-phone")
