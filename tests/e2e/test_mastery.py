"""The claim mastery map in a browser: the teacher reads it, opens a cell's
evidence, picks a weak claim's row with the keyboard and sets a flashcard
goal; the student's card of that claim comes due before the goal's date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Assignment, Card
from tests.test_mastery import hand_made

pytestmark = pytest.mark.django_db(transaction=True)


def _map(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("table.mastery")
    page.wait_for_load_state("load")  # mastery.js is deferred


def test_teacher_sets_a_goal_on_a_weak_row_and_the_card_comes_back_in_time(
    live_server, page, phone_page, login, screenshot
):
    made = hand_made()
    alice, bob, _carol = made["students"]
    a1, a2, _b1 = made["claims"]
    # Bob's card of the weak sentence 1.2: FSRS shows it again in 29 days.
    bobs_card = Card.objects.get(student=bob, question=made["questions"][2])
    now = timezone.now()
    Card.objects.filter(pk=bobs_card.pk).update(
        stability=30.0,
        last_review=now - timedelta(days=1),
        due=now + timedelta(days=29),
    )
    pk = made["classroom"].pk
    url = f"{live_server.url}/teach/classes/{pk}/mastery/"

    login(page, made["teacher"])
    _map(page, url)
    heading = page.locator(".mastery tbody th", has_text="The party purged itself.")
    assert heading.count() == 1
    assert (
        "Lowest students: Alice Adams" in page.locator(".mastery-summary").inner_text()
    )
    screenshot(page, "mastery-map-desktop")

    # A cell opens its evidence in a dialog, over htmx.
    alice_a1 = page.locator(f'a[href="{alice.pk}/{a1.pk}/"]')
    alice_a1.click()
    dialog = page.locator("#evidence-dialog")
    dialog.locator("#evidence-title").wait_for()
    assert "Alice Adams on Causes" in dialog.inner_text()
    assert "Whom did Stalin fear?" in dialog.inner_text()
    assert page.url == url  # the map stays where it was
    screenshot(page, "mastery-cell-desktop")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")

    # Pick the weak row with the keyboard; the map outlines its cells.
    row = page.locator(f'input[name=claim][value="{a2.pk}"]')
    row.focus()
    page.keyboard.press("Space")
    assert row.is_checked()
    assert page.locator("#picked").inner_text() == (
        "3 cells picked: 3 students, 1 sentence."
    )
    assert page.locator("td.picked").count() == 3
    due_at = (now + timedelta(days=20)).replace(second=0, microsecond=0)
    page.fill("input[name=due_at]", due_at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=target]", "95")
    page.get_by_role("button", name="Set the flashcard goal").click()
    page.wait_for_selector(".message-success")
    assert "Flashcard goal set for 3 students on 1 sentence" in page.inner_text(
        ".messages"
    )

    (goal,) = Assignment.objects.filter(kind="cards")
    assert list(goal.claims.all()) == [a2]
    assert goal in Assignment.objects.for_student(bob)
    bobs_card.refresh_from_db()
    assert bobs_card.due < goal.due_at - timedelta(hours=23)  # before the date
    screenshot(page, "mastery-goal-set-desktop")

    login(phone_page, made["teacher"])
    _map(phone_page, url)
    screenshot(phone_page, "mastery-map-phone")
    phone_page.locator(f'a[href="{alice.pk}/{a1.pk}/"]').click()
    phone_page.locator("#evidence-title").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the map scrolls inside its box, not the page
    screenshot(phone_page, "mastery-cell-phone")

    student_url = f"{live_server.url}/teach/classes/{pk}/students/{alice.pk}/"
    for shown, name in ((page, "desktop"), (phone_page, "phone")):
        shown.goto(student_url)
        assert "Mastery by section" in shown.inner_text("main")
        assert "Edit the question" not in shown.inner_text("main")  # no leech
        screenshot(shown, f"mastery-student-{name}")
