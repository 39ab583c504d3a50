"""CardsMade: the stored "every published question of the deck has a card of
the student", which spares the study page and the deck list counting the
questions without one. Each test makes the row true, then writes in one of
the ways that can make it untrue, and checks that the pages count what the
database holds: a write that forgot to void the row fails here."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import selectors, services
from quizzes.models import Card, CardsMade, Question
from tests.factories import (
    ClaimFactory,
    EssayFactory,
    QuestionFactory,
    SectionFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay():
    essay = EssayFactory(slug="deck", title="Deck", body="Heading: a claim here.")
    section = SectionFactory(essay=essay, order=0, heading="Heading")
    claim = ClaimFactory(essay=essay, section=section, start=9, end=22)
    for n in range(3):
        single_choice_question(essay=essay, claim=claim, prompt=f"Question {n}?")
    return essay


@pytest.fixture
def started(student_client, student, essay):
    """The student pressed "Study now": every published question has a card."""
    student_client.post(reverse("study_start", args=[essay.slug]))
    assert CardsMade.objects.filter(student=student, essay=essay).exists()
    return essay


def _true_missing(student, essay) -> int:
    return (
        Question.objects.published()
        .filter(essay=essay)
        .exclude(cards__student=student)
        .count()
    )


def _study_missing(client, essay) -> int:
    page = client.get(reverse("study", args=[essay.slug])).text
    found = re.search(r"(\d+) new cards? (?:was|were) published", page)
    return int(found.group(1)) if found else 0


def _deck_list_new(student, essay) -> int:
    """The deck's "new" count on the deck list (questions without a card
    count as new there, up to the daily limit)."""
    counts = dict(selectors.decks.decks(student=student, now=timezone.now()))
    return counts[essay].new


def _assert_counts_true(client, student, essay, expected: int) -> None:
    assert _true_missing(student, essay) == expected
    assert _study_missing(client, essay) == expected
    new_cards = Card.objects.filter(
        student=student,
        question__essay=essay,
        question__status=Question.Status.PUBLISHED,
        last_review__isnull=True,
    ).count()
    assert _deck_list_new(student, essay) == new_cards + expected


def test_a_started_deck_counts_nothing_missing(student_client, student, started):
    _assert_counts_true(student_client, student, started, 0)


def test_publishing_through_the_service_voids_it(student_client, student, started):
    draft = QuestionFactory(essay=started, status=Question.Status.DRAFT)
    assert CardsMade.objects.exists()  # a draft changes nothing
    services.questions.questions_set_status(
        questions=[draft], status=Question.Status.PUBLISHED
    )
    _assert_counts_true(student_client, student, started, 1)


def test_publishing_by_queryset_update_voids_it(student_client, student, started):
    draft = QuestionFactory(essay=started, status=Question.Status.DRAFT)
    Question.objects.filter(pk=draft.pk).update(status=Question.Status.PUBLISHED)
    _assert_counts_true(student_client, student, started, 1)


def test_publishing_with_the_admin_action_voids_it(
    client, student_client, student, started, teacher
):
    draft = QuestionFactory(essay=started, status=Question.Status.DRAFT)
    teacher_client = type(client)()
    teacher_client.force_login(teacher)
    teacher_client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Question.Status.PUBLISHED
    _assert_counts_true(student_client, student, started, 1)


def test_saving_a_draft_published_voids_it(student_client, student, started):
    draft = QuestionFactory(essay=started, status=Question.Status.DRAFT)
    draft.status = Question.Status.PUBLISHED
    draft.save(update_fields=["status"])
    _assert_counts_true(student_client, student, started, 1)


def test_a_question_made_published_voids_it(student_client, student, started):
    single_choice_question(essay=started, prompt="Brand new?")
    _assert_counts_true(student_client, student, started, 1)


def test_questions_bulk_made_or_updated_published_void_it(
    student_client, student, started
):
    Question.objects.bulk_create(
        [Question(essay=started, kind="single", prompt="Bulk?", status="published")]
    )
    _assert_counts_true(student_client, student, started, 1)
    student_client.post(reverse("study_start", args=[started.slug]))
    draft = QuestionFactory(essay=started, status=Question.Status.DRAFT)
    assert CardsMade.objects.exists()
    draft.status = Question.Status.PUBLISHED
    Question.objects.bulk_update([draft], ["status"])
    _assert_counts_true(student_client, student, started, 1)


def test_a_question_moved_into_the_deck_voids_it(student_client, student, started):
    elsewhere = single_choice_question(essay=EssayFactory(), prompt="Moved?")
    Question.objects.filter(pk=elsewhere.pk).update(essay=started)
    _assert_counts_true(student_client, student, started, 1)
    student_client.post(reverse("study_start", args=[started.slug]))
    other = single_choice_question(essay=EssayFactory(), prompt="Moved by save?")
    other.essay = started
    other.save()
    _assert_counts_true(student_client, student, started, 1)


def test_retiring_and_editing_keep_it(student_client, student, started):
    question = Question.objects.filter(essay=started).first()
    question.prompt = "Edited?"
    question.save()
    Question.objects.filter(pk=question.pk).update(status=Question.Status.RETIRED)
    assert CardsMade.objects.filter(student=student, essay=started).exists()
    _assert_counts_true(student_client, student, started, 0)


def test_a_card_deleted_voids_it(student_client, student, started):
    Card.objects.filter(student=student).first().delete()
    _assert_counts_true(student_client, student, started, 1)
    student_client.post(reverse("study_start", args=[started.slug]))
    first_two = list(Card.objects.filter(student=student).values("pk")[:2])
    Card.objects.filter(pk__in=[row["pk"] for row in first_two]).delete()
    _assert_counts_true(student_client, student, started, 2)


def test_a_card_moved_voids_it(student_client, student, other_student, started):
    card = Card.objects.filter(student=student).first()
    Card.objects.filter(pk=card.pk).update(student=other_student)
    _assert_counts_true(student_client, student, started, 1)
    student_client.post(reverse("study_start", args=[started.slug]))
    card = Card.objects.filter(student=student).first()
    card.student = other_student
    card.save()
    _assert_counts_true(student_client, student, started, 1)
    student_client.post(reverse("study_start", args=[started.slug]))
    card = Card.objects.filter(student=student).first()
    card.student = other_student
    Card.objects.bulk_update([card], ["student"])
    _assert_counts_true(student_client, student, started, 1)


def test_another_students_row_says_nothing_of_mine(
    student_client, student, other_student, started
):
    CardsMade.objects.filter(student=student).delete()
    CardsMade.objects.create(student=other_student, essay=started)
    Card.objects.filter(student=student).first().delete()
    _assert_counts_true(student_client, student, started, 1)
