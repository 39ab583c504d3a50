"""The whole loop of a class, in two browsers: a teacher makes a class and
assigns a quiz; a student joins with the code on a phone and takes it; the
teacher's gradebook cell and mastery map change."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Classroom
from tests.e2e.test_quiz import build_quiz
from tests.factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def answer_all(page, total: int) -> None:
    """Answer each question with the keyboard: the first choice, or a word."""
    for n in range(1, total + 1):
        area = page.locator("#question-area[data-settled]")
        expect(area).to_contain_text(f"Question {n} of {total}")
        if area.locator("input[type=text]").count():
            page.keyboard.type("Kirov")
        else:
            page.keyboard.press("1")
        page.keyboard.press("Enter")  # submit
        expect(page.locator("#question-area[data-settled] .feedback")).to_be_visible()
        page.keyboard.press("Enter")  # next, or the result after the last


def test_a_class_from_its_making_to_its_results(
    page, phone_page, live_server, login, screenshot
):
    quiz = build_quiz(shuffle_choices=False, shuffle_questions=False)
    quiz.open_practice = False  # only the class's assignment opens it
    quiz.save()
    teacher = TeacherFactory(username="mr_teacher")
    student = UserFactory(username="sasha", first_name="Sasha", last_name="Ivanova")

    # The teacher makes the class and reads its code.
    login(page, teacher)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Classes").click()
    page.get_by_label("Name of the class").fill("History 10")
    page.get_by_role("button", name="Make the class").click()
    expect(page.get_by_role("heading", name="History 10")).to_be_visible()
    classroom = Classroom.objects.get(name="History 10")
    code = classroom.join_code

    # ...and assigns the quiz, due next week (the form's default dates).
    page.get_by_role("link", name="Assignments").first.click()
    page.get_by_role("button", name="New assignment").click()
    page.get_by_label("Which quiz").select_option(str(quiz.pk))
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text(quiz.title).first).to_be_visible()

    # The student has no quiz until they join; then it is first on the page.
    login(phone_page, student)
    phone_page.goto(f"{live_server.url}/")
    expect(phone_page.get_by_role("button", name="Start")).to_have_count(0)
    phone_page.get_by_label("Join a class").fill(f"{code[:4].lower()} {code[4:]}")
    phone_page.get_by_role("button", name="Join").click()
    expect(phone_page.get_by_text("You joined History 10")).to_be_visible()
    phone_page.get_by_role("button", name="Start").first.click()
    phone_page.wait_for_url(re.compile(r"/attempts/\d+/"))
    answer_all(phone_page, total=len(Attempt.objects.get().question_ids))
    # The last answer closes the attempt: Enter went on to the result.
    phone_page.wait_for_url(re.compile(r"/result/$"))
    expect(phone_page.get_by_text(re.compile(r"Your score"))).to_be_visible()
    attempt = Attempt.objects.get(student=student)
    assert attempt.is_finished
    assert attempt.assignment.classroom == classroom
    score = f"{attempt.score:.0f}%"

    # The teacher's gradebook has Sasha's score, and the map has her column.
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/gradebook/")
    row = page.get_by_role("row", name=re.compile("Sasha"))
    expect(row).to_contain_text(score)
    screenshot(page, "class-loop-gradebook")
    page.get_by_role("link", name="Mastery").click()
    expect(page.get_by_role("columnheader", name=re.compile("Sasha"))).to_be_visible()
    # Her cell of the quiz's sentence links to the evidence and says how much.
    cell = page.locator(f"#map td a[href^='{student.pk}/']").first
    expect(cell).to_contain_text(re.compile(r"\d"))
    screenshot(page, "class-loop-mastery")
