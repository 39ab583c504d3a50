"""The admin with a long essay: the essay list counts without multiplying
rows, and an essay's page shows its first sections and claims, linking to
all of them, in the same number of queries whatever the essay's size."""

import pytest
from django.urls import reverse

from quizzes.admin.content import INLINE_ROWS
from quizzes.models import Claim, Question, Section
from tests.factories import EssayFactory

pytestmark = pytest.mark.django_db


def _essay(sections: int, claims_each: int, questions: int):
    body = "A sentence of the essay. " * (sections * claims_each)
    essay = EssayFactory(title="Long", body=body)
    made = Section.objects.bulk_create(
        Section(essay=essay, order=n, heading=f"Part {n}", start=0, end=25)
        for n in range(sections)
    )
    Claim.objects.bulk_create(
        Claim(
            essay=essay,
            section=section,
            order=n * claims_each + k,
            key=f"c{n}-{k}",
            text="A sentence of the essay.",
            start=0,
            end=24,
        )
        for n, section in enumerate(made)
        for k in range(claims_each)
    )
    Question.objects.bulk_create(
        Question(
            essay=essay,
            kind=Question.Kind.TRUE_FALSE,
            prompt=f"Statement {n}",
            is_true=True,
            status=Question.Status.DRAFT,
        )
        for n in range(questions)
    )
    return essay


@pytest.mark.parametrize("size", [3, 300])
def test_the_essay_list_counts_sections_and_questions_apart(
    teacher_client, django_assert_max_num_queries, size
):
    _essay(sections=size, claims_each=2, questions=size * 4)
    with django_assert_max_num_queries(8):
        page = teacher_client.get(reverse("admin:quizzes_essay_changelist"))

    [essay] = page.context["cl"].result_list
    assert essay.section_total == size  # not sections x questions
    assert essay.question_total == size * 4
    assert f"{size * 4} questions" in page.text


@pytest.mark.parametrize("size", [3, 300])
def test_an_essays_page_shows_its_first_rows_and_links_to_all(
    teacher_client, django_assert_max_num_queries, size
):
    essay = _essay(sections=size, claims_each=2, questions=10)
    url = reverse("admin:quizzes_essay_change", args=[essay.pk])
    with django_assert_max_num_queries(14):
        page = teacher_client.get(url)

    # Plain tables, no inline formsets: a form per row costs, and changes nothing.
    assert not page.context["inline_admin_formsets"]
    sections, claims = page.text.split('<table class="admin-rows">')[1:]
    assert sections.split("</table>")[0].count("<tr>") == 1 + min(size, INLINE_ROWS)
    assert claims.split("</table>")[0].count("<tr>") == 1 + min(size * 2, INLINE_ROWS)
    first = Section.objects.get(essay=essay, order=0)
    assert reverse("admin:quizzes_section_change", args=[first.pk]) in page.text
    claim = Claim.objects.get(essay=essay, order=1)
    assert reverse("admin:quizzes_claim_change", args=[claim.pk]) in page.text
    assert f"{size} sections, {size * 2} claims" in page.text
    # Each passage as the essay has it (cut by the database).
    assert '<div class="admin-passage">A sentence of the essay. </div>' in page.text
    assert f"?essay__id__exact={essay.pk}" in page.text


@pytest.mark.parametrize("size", [3, 300])
def test_the_question_list_of_a_long_essay_costs_what_a_short_ones_does(
    teacher_client, django_assert_max_num_queries, size
):
    """The section filter listed every section of every essay (4,338 with
    the 1 MB essay) and each row read its essay's body: now it offers the
    chosen essay's sections, up to 200, and no row reads a body."""
    essay = _essay(sections=size, claims_each=1, questions=60)
    url = reverse("admin:quizzes_question_changelist")
    with django_assert_max_num_queries(10):
        page = teacher_client.get(url, {"essay__id__exact": essay.pk})

    assert len(page.context["cl"].result_list) == 50
    offered = "Part 2</a>" in page.text
    assert offered == (size <= 200)
    assert all(
        "body" in row.get_deferred_fields()
        for row in (q.essay for q in page.context["cl"].result_list)
    )
