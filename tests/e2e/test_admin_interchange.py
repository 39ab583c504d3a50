"""A Moodle GIFT file brought in from the admin, in a browser: checked and
previewed first (its skipped questions named), then imported as drafts."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Essay, Question
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True)

GIFT = Path(__file__).resolve().parents[1] / "data" / "gift" / "questions.gift.txt"


def test_a_teacher_checks_then_imports_a_moodle_file(
    page, live_server, login, screenshot
):
    login(page, TeacherFactory())
    page.goto(f"{live_server.url}{reverse('admin:quizzes_question_changelist')}")
    page.get_by_role("link", name="Import from a file").click()
    page.get_by_label("File:", exact=True).set_input_files(str(GIFT))
    page.get_by_label("Title").fill("Moodle bank")
    page.get_by_role("button", name="Check or import").click()

    preview = page.locator(".import-preview")
    expect(preview).to_contain_text("7 questions would import")
    expect(preview).to_contain_text("Line 31: skipped (numerical)")
    expect(
        preview.get_by_role("cell", name="Match the activity to the description.")
    ).to_be_visible()
    assert not Question.objects.exists()
    screenshot(page, "admin-question-file-checked")

    page.get_by_label("File:", exact=True).set_input_files(str(GIFT))
    page.get_by_label("Check the file only").uncheck()
    page.get_by_role("button", name="Check or import").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "7 questions imported into “Moodle bank” as drafts; 2 skipped."
    )
    essay = Essay.objects.get(title="Moodle bank")
    assert Question.objects.filter(essay=essay, status="draft").count() == 7
    screenshot(page, "admin-question-file-imported")
