"""A teacher in Chromium reviews ten drafts of the seed essay by keyboard:
publishes some, retires some, skips, goes back and changes a decision, edits
one in place, undoes; then publishes the drafts without warnings in one step.
The database is checked after."""

import re

import pytest
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Question
from tests.conftest import SEED_ESSAY
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT, PUBLISHED, RETIRED = (
    Question.Status.DRAFT,
    Question.Status.PUBLISHED,
    Question.Status.RETIRED,
)


def at_both_widths(page, screenshot, name: str) -> None:
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, f"{name}-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_teacher_reviews_ten_drafts_by_keyboard(page, live_server, login, screenshot):
    services.imports.essay_import(
        text=SEED_ESSAY.read_text(encoding="utf-8"), title="The Great Purge"
    )
    essay_questions = Question.objects.in_essay_order()
    ids = list(essay_questions.values_list("pk", flat=True))
    total = len(ids)
    assert total >= 12
    assert set(essay_questions.values_list("status", flat=True)) == {DRAFT}
    # Two drafts the generator doubts about (whatever it says of the others).
    Question.objects.filter(pk__in=ids[1:3]).update(
        warnings=["starts with a pronoun", "blank is the essay's topic"]
    )
    card = page.locator("#rq-card")

    def shows(n: int) -> None:
        """The card of the n-th question of the essay (from 0) is in."""
        expect(card).to_have_attribute("data-question", str(ids[n]))

    def press(key: str, then: int) -> None:
        page.keyboard.press(key)
        shows(then)

    login(page, TeacherFactory(first_name="Ada"))
    page.get_by_role("link", name="Classes").click()
    page.get_by_role("link", name="Review the generated drafts").click()
    page.get_by_role("link", name="The Great Purge").click()
    page.wait_for_load_state()  # the keys' script is in
    shows(0)
    expect(page.locator(".rq-count")).to_have_text(f"{total} of {total} left")
    expect(card.locator("mark")).not_to_be_empty()
    at_both_widths(page, screenshot, "review-queue")

    press("p", then=1)  # 0 published
    expect(page.locator(".rq-count")).to_have_text(f"{total - 1} of {total} left")
    expect(card.locator(".rq-warnings")).to_contain_text("starts with a pronoun")
    screenshot(page, "review-queue-warnings-desktop")
    press("r", then=2)  # 1 retired
    press("s", then=3)  # 2 skipped
    press("p", then=4)  # 3 published...
    press("k", then=3)  # ...seen again, marked so...
    expect(card.locator(".rq-status")).to_have_text("Published")
    press("r", then=4)  # ...and retired instead
    press("Backspace", then=3)
    expect(card.locator(".rq-status")).to_have_text("Retired")
    press("j", then=4)  # back where we were

    # 4 edited in place: Enter in the prompt saves and keeps it on screen.
    page.keyboard.press("e")
    prompt = page.locator("textarea[name=prompt]")
    expect(prompt).to_be_focused()
    screenshot(page, "review-queue-edit-desktop")
    edited = prompt.input_value() + " Edited."
    prompt.fill(edited)
    prompt.press("Enter")
    expect(page.locator(".rq-note")).to_have_text("Saved.")
    expect(page.locator("#rq-prompt")).to_have_text(edited)
    # An edit opened and left with Escape changes nothing.
    page.keyboard.press("e")
    page.locator("textarea[name=prompt]").fill("Never saved")
    page.keyboard.press("Escape")
    expect(page.locator("#rq-prompt")).to_have_text(edited)
    press("p", then=5)  # 4 published

    press("j", then=6)  # 5 skipped
    press("p", then=7)  # 6 published
    press("r", then=8)  # 7 retired...
    press("u", then=7)  # ...undone: 7 is a draft again
    expect(card.locator(".rq-status")).to_have_text("Draft")
    press("p", then=8)  # 7 published
    press("p", then=9)  # 8 published
    press("r", then=10)  # 9 retired
    press("Control+z", then=9)  # Ctrl+Z undoes as u does...
    press("r", then=10)  # ...and 9 is retired again
    assert re.search(rf"\?at={ids[10]}$", page.url)
    at_both_widths(page, screenshot, "review-queue-after")

    statuses = dict(Question.objects.values_list("pk", "status"))
    expected = [
        PUBLISHED,
        RETIRED,
        DRAFT,
        RETIRED,
        PUBLISHED,
        DRAFT,
        PUBLISHED,
        PUBLISHED,
        PUBLISHED,
        RETIRED,
    ]
    assert [statuses[pk] for pk in ids[:10]] == expected
    assert all(statuses[pk] == DRAFT for pk in ids[10:])
    fifth = Question.objects.get(pk=ids[4])
    assert fifth.prompt == edited
    assert fifth.edited_by_teacher
    expect(page.locator(".rq-count")).to_have_text(f"{total - 8} of {total} left")

    # The bulk step: the count, a confirmation, then one undo takes it back.
    clean = Question.objects.filter(status=DRAFT, warnings=[])
    count = clean.count()
    if count:
        page.get_by_role(
            "button", name=f"Publish all {count} without warnings…"
        ).click()
        screenshot(page, "review-queue-bulk-desktop")
        page.get_by_role(
            "button", name=re.compile(rf"^Publish {count} drafts?$")
        ).click()
        expect(page.locator(".message-success")).to_contain_text(f"Published {count}")
        assert not clean.exists()
        page.wait_for_load_state()  # the keys' script is in
        screenshot(page, "review-queue-bulk-done-desktop")
        page.keyboard.press("u")
        expect(page.locator(".rq-note")).to_contain_text(f"Undone: {count}")
        assert clean.count() == count


def test_without_javascript_the_buttons_are_plain_forms(
    browser, live_server, login, screenshot
):
    services.imports.essay_import(
        text=SEED_ESSAY.read_text(encoding="utf-8"), title="The Great Purge"
    )
    ids = list(Question.objects.in_essay_order().values_list("pk", flat=True))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, TeacherFactory())
        page.goto(
            f"{live_server.url}/teach/review/{Question.objects.get(pk=ids[0]).essay_id}/"
        )
        card = page.locator("#rq-card")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(card).to_have_attribute("data-question", str(ids[1]))
        expect(page.locator(".message-success")).to_contain_text("Published")
        page.get_by_role("button", name="Edit", exact=True).click()
        page.get_by_label("Explanation").fill("Checked by hand.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".rq-explanation")).to_contain_text("Checked by hand.")
        page.get_by_role("button", name=re.compile("^Undo the edit")).click()
        page.get_by_role("button", name=re.compile("^Undo published")).click()
        expect(card).to_have_attribute("data-question", str(ids[0]))
    finally:
        context.close()
    assert Question.objects.get(pk=ids[0]).status == DRAFT
    assert Question.objects.get(pk=ids[1]).explanation != "Checked by hand."
