"""A section has one name on every page: its heading, else "Section N"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Card
from tests.factories import (
    PASSWORD,
    CardFactory,
    ClaimFactory,
    EssayFactory,
    SectionFactory,
    TeacherFactory,
    UserFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

BODY = (
    "The Kirov affair: Kirov was shot in December 1934.\n\n"
    "Show trials followed in 1936. Old Bolsheviks confessed to crimes."
)
TITLED, UNTITLED = "The Kirov affair", "Section 2"


@pytest.fixture
def essay():
    """Two sections, the second without a heading; a question from each,
    in a quiz, on cards a student has studied."""
    essay = EssayFactory(title="The Great Purge", slug="purge", body=BODY)
    split = BODY.index("Show trials")
    sections = [
        SectionFactory(essay=essay, order=0, heading=TITLED, start=0, end=split - 2),
        SectionFactory(essay=essay, order=1, heading="", start=split, end=len(BODY)),
    ]
    student = UserFactory(username="alice")
    questions = []
    for section in sections:
        start = section.start + (len(TITLED) + 2 if section.heading else 0)
        claim = ClaimFactory(
            section=section, order=section.order, start=start, end=start + 20
        )
        question = single_choice_question(essay=essay, claim=claim)
        questions.append(question)
        CardFactory(
            student=student,
            question=question,
            state=Card.State.REVIEW,
            stability=5.0,
            difficulty=5.0,
            last_review=timezone.now() - timedelta(days=1),
            due=timezone.now() + timedelta(days=4),
            reps=1,
        )
    quiz_with(questions, title="Causes")
    return essay


def pages(client, user, urls) -> dict[str, str]:
    client.login(username=user.username, password=PASSWORD)
    shown = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        shown[url] = response.content.decode()
    client.logout()
    return shown


def test_every_page_names_a_section_the_same_way(client, essay):
    student_pages = [
        reverse("home"),
        reverse("essay_detail", args=[essay.slug]),
        reverse("deck", args=[essay.slug]),
        reverse("deck_stats", args=[essay.slug]),
        reverse("card_stats"),
    ]
    quiz = essay.quizzes.get()
    teacher_pages = [
        reverse("admin:quizzes_essay_change", args=[essay.pk]),
        reverse("admin:quizzes_section_changelist"),
        reverse("admin:quizzes_claim_changelist"),
        reverse("admin:quizzes_question_changelist"),  # a column and a filter
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        reverse("admin:quizzes_question_autocomplete")
        + "?app_label=quizzes&model_name=quizquestion&field_name=question"
        + f"&essay={essay.pk}",
    ]
    shown = pages(client, UserFactory(username="alice"), student_pages)
    shown |= pages(client, TeacherFactory(), teacher_pages)
    study = reverse("study", args=[essay.slug])
    shown |= pages(
        client,
        UserFactory(username="alice"),
        [f"{study}?section=0", f"{study}?section=1"],
    )

    for url, page in shown.items():
        if "/study/" in url:
            # The breadcrumb names the section studied.
            label = TITLED if url.endswith("=0") else UNTITLED
            assert f"<li>{label}</li>" in page, url
            continue
        assert TITLED in page, url
        assert UNTITLED in page, url
        assert "Section 1" not in page, url  # the titled one goes by its heading
    # The opening words are a preview beside the name, not a name.
    assert "Show trials followed in 1936." in shown[reverse("home")]
    assert (
        "Show trials followed in 1936." not in shown[reverse("deck", args=[essay.slug])]
    )
