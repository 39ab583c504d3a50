"""Dates worked out once for a list (selectors.assignments.shown) read as
the |date filters the templates used to apply write them."""

from datetime import UTC, datetime, timedelta

from django.utils import dateformat

from quizzes.selectors.assignments import shown


def test_shown_is_what_the_date_filters_write():
    start = datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    for hours in range(0, 24 * 366, 13):  # every weekday, month and hour
        moment = start + timedelta(hours=hours, minutes=hours % 60)
        assert shown(moment).label == dateformat.format(moment, "D j M, H:i")
        assert shown(moment).iso == dateformat.format(moment, "c")


def test_no_moment_is_shown_as_none():
    assert shown(None) is None
