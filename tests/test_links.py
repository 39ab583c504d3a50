"""A list's links reversed once (views.links): exactly reverse's URLs."""

import pytest
from django.urls import reverse

from quizzes.views.links import links


@pytest.mark.parametrize(
    ("name", "fixed", "values"),
    [
        ("attempt_result", [], [1, 7, 42, 10**12]),
        ("quiz_start", [], [3, 99]),
        ("teach_assignment_edit", [5], [1, 123]),
        ("teach_analysis", [12], [4, 8]),
    ],
)
def test_the_links_are_reverses(name, fixed, values):
    link = links(name, *fixed)
    assert [link(v) for v in values] == [
        reverse(name, args=[*fixed, v]) for v in values
    ]


def test_slug_links_are_reverses():
    link = links("essay_detail", kind="slug")
    for slug in ["great-purge", "a_b-1", "x"]:
        assert link(slug) == reverse("essay_detail", kwargs={"slug": slug})
