"""The flashcard admin: deck settings, and the students' cards listed by
state, student and essay."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Card, DeckSettings
from tests.factories import CardFactory, EssayFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

CARDS = reverse("admin:quizzes_card_changelist")


@pytest.fixture
def cards(student, other_student):
    now = timezone.now()
    purge = EssayFactory(title="The Purge")
    famine = EssayFactory(title="The Famine")
    studied = {"last_review": now - timedelta(days=1), "stability": 3, "reps": 1}

    def card(student, essay, prompt, **values):
        question = QuestionFactory(essay=essay, prompt=prompt)
        return CardFactory(student=student, question=question, **values)

    return {
        "new": card(student, purge, "Never studied"),
        "learning": card(student, purge, "Being learnt", **studied),
        "review": card(
            other_student, famine, "Well known", state=Card.State.REVIEW, **studied
        ),
        "relearning": card(
            student, famine, "Forgotten", state=Card.State.RELEARNING, **studied
        ),
    }


def _rows(response) -> list[str]:
    """The prompts of the listed cards, with the state each shows."""
    return sorted(
        (card.question.prompt, card.state_label)
        for card in response.context["cl"].result_list
    )


def test_never_studied_cards_are_listed_as_new(teacher_client, cards):
    response = teacher_client.get(CARDS)
    assert response.status_code == 200
    assert _rows(response) == [
        ("Being learnt", "Learning"),
        ("Forgotten", "Relearning"),
        ("Never studied", "New"),
        ("Well known", "Review"),
    ]
    row = response.text.split("Never studied", 1)[1].split("</tr>", 1)[0]
    assert '<td class="field-shown_state">New</td>' in row


@pytest.mark.parametrize(
    ("state", "prompt"),
    [
        ("new", "Never studied"),
        (str(Card.State.LEARNING), "Being learnt"),
        (str(Card.State.REVIEW), "Well known"),
        (str(Card.State.RELEARNING), "Forgotten"),
    ],
)
def test_cards_filter_by_state(teacher_client, cards, state, prompt):
    response = teacher_client.get(CARDS, {"state": state})
    assert [p for p, _state in _rows(response)] == [prompt]


def test_cards_filter_by_student_and_essay(teacher_client, cards, student):
    UserFactory(username="no_cards")  # not offered: it has no card
    response = teacher_client.get(CARDS)
    filters = response.text.split('id="changelist-filter"', 1)[1]
    for name in ("alice", "bob", "The Purge", "The Famine"):
        assert name in filters
    assert "no_cards" not in filters

    response = teacher_client.get(CARDS, {"student__id__exact": student.pk})
    assert [p for p, _s in _rows(response)] == [
        "Being learnt",
        "Forgotten",
        "Never studied",
    ]
    essay = cards["review"].question.essay
    response = teacher_client.get(
        CARDS, {"question__essay__id__exact": essay.pk, "state": "3"}
    )
    assert [p for p, _s in _rows(response)] == ["Forgotten"]


def test_the_card_list_runs_a_fixed_number_of_queries(
    teacher_client, cards, django_assert_max_num_queries
):
    teacher_client.get(CARDS)
    for n in range(30):
        CardFactory(question__prompt=f"More {n}")
    with django_assert_max_num_queries(12):
        response = teacher_client.get(CARDS)
    assert len(response.context["cl"].result_list) == 34


def _settings_form(essay) -> dict:
    """The deck settings form as the defaults fill it (burying unticked)."""
    return {
        "essay": essay.pk,
        "desired_retention": 0.9,
        "learning_steps": "1m 10m",
        "relearning_steps": "10m",
        "maximum_interval": 36500,
        "new_cards_per_day": 20,
        "reviews_per_day": 200,
    }


def test_a_teacher_turns_burying_siblings_off(teacher_client):
    essay = EssayFactory()
    DeckSettings.objects.create(essay=essay)
    settings = DeckSettings.objects.get()
    url = reverse("admin:quizzes_decksettings_change", args=[settings.pk])
    page = teacher_client.get(url)
    assert "the other new and review cards of the same claim wait" in page.text
    data = _settings_form(essay)  # the box unticked
    response = teacher_client.post(url, data)
    assert response.status_code == 302
    settings.refresh_from_db()
    assert settings.bury_siblings is False
    assert DeckSettings(essay=essay).bury_siblings  # on by default


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("maximum_interval", 99999999999),
        ("maximum_interval", 0),
        ("new_cards_per_day", 10**12),
        ("reviews_per_day", -1),
        ("desired_retention", 5),
    ],
)
def test_a_deck_setting_out_of_bounds_is_refused_with_a_message(
    teacher_client, field, value
):
    """maximum_interval=99999999999 was a 500 (OverflowError) at the next
    rating: every number a teacher types is bounded where it is typed."""
    essay = EssayFactory()
    settings = DeckSettings.objects.create(essay=essay)
    url = reverse("admin:quizzes_decksettings_change", args=[settings.pk])
    data = _settings_form(essay) | {"bury_siblings": "on", field: value}

    response = teacher_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert "Ensure this value is" in errors[field][0]
    settings.refresh_from_db()
    assert (settings.maximum_interval, settings.new_cards_per_day) == (36500, 20)
