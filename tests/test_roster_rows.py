"""{% roster_rows %} (quizzes/templatetags/roster.py) writes a class page's
roster rows exactly as the template's loop did (tests/data/roster_rows.html):
names to escape, no name, no email, staff, locked out or not."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template import engines

from quizzes.models import Classroom, Enrolment

REFERENCE = Path(__file__).parent / "data" / "roster_rows.html"
User = get_user_model()


def roster() -> list[Enrolment]:
    people = [
        User(pk=21, username="alice", first_name="Alice", last_name="Adams"),
        User(pk=22, username="bob", email="bob@example.org"),
        User(pk=23, username="<b>&'\"", first_name='Tom "<i>"', email="a&b@x.org"),
        User(pk=24, username="staff", is_staff=True),
        User(pk=25, username="root", is_superuser=True, first_name="Root"),
        User(pk=26, username="carol", first_name="Carol"),
    ]
    joined = datetime(2026, 9, 3, 23, 45, 12, 123456, tzinfo=UTC)
    return [Enrolment(student=person, joined_at=joined) for person in people]


@pytest.mark.parametrize("token", ["abc123", None])
@pytest.mark.parametrize("time_zone", ["UTC", "Europe/London"])
def test_the_rows_are_the_templates_to_the_byte(settings, token, time_zone):
    settings.TIME_ZONE = time_zone
    classroom = Classroom(pk=5)
    classroom.roster = roster()
    locked = {"alice", "<b>&'\"", "staff"}
    context = {"classroom": classroom, "locked": locked}
    if token:
        context["csrf_token"] = token
    loop = engines["django"].from_string(REFERENCE.read_text(encoding="utf-8"))
    expected = loop.render(context)
    tag = engines["django"].from_string(
        "{% load roster %}{% roster_rows classroom locked %}"
    )
    assert tag.render(context) == expected
    assert "Locked out" in expected
    assert "&lt;b&gt;&amp;&#x27;&quot;" in expected
