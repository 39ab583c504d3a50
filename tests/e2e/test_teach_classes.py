"""A teacher in Chromium makes a class, shows its code, adds three students
from a CSV file and prints their logins; a student logs in with one."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Classroom
from tests.factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BAD = (
    "\ufeffUsername;First Name;Last Name;E-mail\n"
    "asmith;Alice;Smith;alice@example\n"
    "taken;Tom;Taken;\n"
    "asmith;Alan;;\n"
    "j smith;John;Smith;\n"
)
GOOD = (
    "username,first name,last name,email\n"
    "dkovacs,Dora,Kovacs,dora@example.org\n"
    "eokafor,Emeka,Okafor,\n"
    "fmartin,Fleur,Martin,fleur@example.org\n"
)


def choose_file(page, text: str) -> None:
    page.get_by_label("CSV file of students").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Check the file").click()


def at_both_widths(page, screenshot, name: str) -> None:
    """The page as a laptop and a phone show it (the same session)."""
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_teacher_makes_a_class_imports_students_and_one_logs_in(
    page, phone_page, live_server, login, screenshot
):
    UserFactory(username="taken")
    teacher = TeacherFactory(
        username="mrs_teacher", first_name="Ada", last_name="Byron"
    )
    login(page, teacher)
    page.get_by_role("link", name="Classes").click()
    expect(page.get_by_role("heading", name="Classes", level=1)).to_be_visible()
    page.get_by_label("Name of the class").fill("10B History")
    page.get_by_role("button", name="Make the class").click()
    classroom = Classroom.objects.get(name="10B History")
    page.wait_for_url(re.compile(rf"/teach/classes/{classroom.pk}/$"))
    code = classroom.join_code
    expect(page.locator("#join .join-code")).to_contain_text(
        f"{code[:4]}\u2009{code[4:]}"
    )
    at_both_widths(page, screenshot, "teach-class")

    # Closing joining swaps the code's card in place and says so.
    page.get_by_role("button", name="Close joining").click()
    expect(page.locator("#join [role=status]")).to_have_text(
        "Joining is closed: the code lets no one in until you reopen it."
    )
    expect(page.locator("#join [role=status]")).to_be_focused()
    page.get_by_role("button", name="Reopen joining").click()
    expect(page.locator("#join [role=status]")).to_contain_text("Joining is open")

    page.get_by_role("button", name="Show on the projector").click()
    expect(page.get_by_role("heading", name="Join the class")).to_be_visible()
    expect(page.locator(".projector-code")).to_contain_text(code[:4])
    expect(page.locator(".projector-steps")).to_contain_text(live_server.url + "/")
    expect(page.get_by_role("button", name="Full screen")).to_be_visible()
    at_both_widths(page, screenshot, "teach-projector")
    page.get_by_role("link", name="Back to the class").click()

    page.get_by_role("button", name="Add students from a spreadsheet").click()
    choose_file(page, BAD)
    expect(page.locator(".roster-preview .message-error")).to_contain_text(
        "4 of the 4 rows have problems"
    )
    problems = page.locator(".row-problems")
    expect(problems.nth(0)).to_contain_text("“alice@example” is not an email address.")
    expect(problems.nth(1)).to_contain_text("The username taken is taken.")
    expect(problems.nth(2)).to_contain_text("No last name.")
    expect(problems.nth(3)).to_contain_text("A username is letters, digits")
    expect(page.get_by_role("button", name=re.compile("^Make"))).to_have_count(0)
    at_both_widths(page, screenshot, "teach-import-errors")

    choose_file(page, GOOD)
    expect(page.locator(".roster-preview")).to_contain_text("Every row is right.")
    page.get_by_role("button", name="Make 3 accounts and enrol them").click()
    page.wait_for_url(re.compile(r"/logins/$"))
    expect(
        page.get_by_role("heading", name="Logins for 3 new students")
    ).to_be_visible()
    slips = page.locator(".login-slip")
    expect(slips).to_have_count(3)
    expect(slips.nth(0)).to_contain_text("Dora Kovacs")
    username = slips.nth(0).locator(".slip-secret").nth(0).inner_text()
    password = slips.nth(0).locator(".slip-secret").nth(1).inner_text()
    assert (username, len(password)) == ("dkovacs", 10)
    expect(page.get_by_role("button", name="Print the slips")).to_be_visible()
    at_both_widths(page, screenshot, "teach-credentials")

    # Printed: the slips alone, the site's header and the buttons left off.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print the slips")).to_be_hidden()
    expect(slips.nth(2)).to_be_visible()
    at_both_widths(page, screenshot, "teach-credentials-print")
    page.emulate_media(media="screen")

    # The student logs in with the slip's password, on their phone.
    student = classroom.students.get(username=username)
    login(phone_page, student, password=password)
    expect(phone_page.locator("body")).not_to_contain_text("Log in to start")

    # Done: the passwords are gone from the site.
    page.get_by_role("button", name=re.compile("^Done")).click()
    expect(page.locator(".messages")).to_contain_text("The new passwords are gone")
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/logins/")
    expect(page.locator(".messages")).to_contain_text("No logins are waiting")
    expect(page.locator("body")).not_to_contain_text(password)
    roster = page.locator(".roster-table tbody tr")
    expect(roster).to_have_count(3)
    expect(roster.nth(0)).to_contain_text("Dora Kovacs")

    page.goto(f"{live_server.url}/teach/")
    expect(page.locator(".class-card")).to_contain_text("3 students")
    at_both_widths(page, screenshot, "teach-home")
