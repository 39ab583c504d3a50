"""Importing an essay in the admin, in a browser: the form queues it, the
status page follows it over htmx to its summary, under the strict CSP."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Essay, ImportJob
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_teacher_imports_an_essay_and_sees_the_summary(
    page, live_server, login, seed_text, screenshot
):
    login(page, TeacherFactory())
    page.goto(f"{live_server.url}{reverse('admin:quizzes_essay_import')}")
    page.get_by_label("Title").fill("The Purge")
    page.get_by_label("Paste the essay").fill(seed_text)
    page.get_by_role("button", name="Import").click()

    # Tasks run at once under the tests: the page opens on the outcome.
    expect(page.locator(".messagelist .success")).to_contain_text("questions created")
    essay = Essay.objects.get()
    expect(
        page.get_by_role("link", name="Open the essay “The Purge”")
    ).to_have_attribute("href", reverse("admin:quizzes_essay_change", args=[essay.pk]))
    screenshot(page, "admin-import-done")


def test_the_status_page_follows_a_running_import(page, live_server, login, screenshot):
    teacher = TeacherFactory()
    job = ImportJob.objects.create(
        teacher=teacher,
        name="The Purge",
        status="running",
        step="generating",
        progress=25,
    )
    login(page, teacher)
    url = reverse("admin:quizzes_essay_import_status", args=[job.pk])
    page.goto(f"{live_server.url}{url}")
    expect(page.locator("#import-step")).to_contain_text("Step 2 of 3")
    expect(page.locator("progress.import-progress")).to_have_attribute("value", "25")
    screenshot(page, "admin-import-running")

    ImportJob.objects.filter(pk=job.pk).update(step="saving", progress=75)
    expect(page.locator("progress.import-progress")).to_have_attribute("value", "75")
    ImportJob.objects.filter(pk=job.pk).update(
        status="done", step="finished", progress=100, summary="Imported “The Purge”."
    )

    done = page.locator(".messagelist .success")
    expect(done).to_have_text("Imported “The Purge”.")
    expect(done).to_be_focused()
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "admin-import-done-phone")
