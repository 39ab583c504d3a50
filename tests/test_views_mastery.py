"""The Teach area's heat map, a cell's evidence, the goal set from the map,
and a student's page (quizzes/views/teach/mastery.py and students.py)."""

from datetime import timedelta
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from quizzes.models import Assignment, Card
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EssayFactory,
    single_choice_question,
)
from tests.test_mastery import _crowd, hand_made

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def made(client):
    made = hand_made()
    client.force_login(made["teacher"])
    return made


def map_url(made, **params) -> str:
    url = reverse("teach_mastery", args=[made["classroom"].pk])
    return url + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


def goal_post(client, made, **data):
    values = {
        "essay": made["essay"].pk,
        "due_at": (made["now"] + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "target": 95,
    } | data
    return client.post(
        reverse("teach_mastery_assign", args=[made["classroom"].pk]), values
    )


def test_the_map_shows_students_claims_cells_and_the_class_means(client, made):
    page = client.get(map_url(made))
    assert page.status_code == 200
    text = page.text
    for name in ("Alice Adams", "Bob Brown", "Carol Clark"):
        assert name in text
    assert "Stalin feared rivals." in text
    assert '<th scope="rowgroup">Causes</th>' in text
    alice, bob = made["students"][:2]
    a1, _a2, b1 = made["claims"]
    alice_a1 = round(50 * (0.75 + made["recall_alice"]))
    # A cell links to its evidence relative to the map's address (18,000
    # links on a class of 300: the absolute prefix was a third of the page).
    cell = reverse("teach_mastery_cell", args=[made["classroom"].pk, alice.pk, a1.pk])
    assert urljoin(map_url(made), f"{alice.pk}/{a1.pk}/") == cell
    assert f'<a href="{alice.pk}/{a1.pk}/">{alice_a1}</a>' in text
    assert f'<td class="m4"><a href="{bob.pk}/{b1.pk}/">100</a></td>' in text
    # The text alternative says it in words, and a legend names the colours.
    assert "from the 5 of 9 cells with evidence" in text
    assert "Lowest students: Alice Adams" in text
    assert "80 % or more" in text
    assert "no evidence" in text
    assert page.headers["Vary"].count("HX-Request") == 1


def test_over_htmx_the_map_comes_alone(client, made):
    part = client.get(map_url(made, essay=made["essay"].pk), headers=HTMX)
    assert part.text.lstrip().startswith('<div id="map"')
    assert "<html" not in part.text


def test_the_essays_are_the_classs_own(client, made):
    other = EssayFactory(title="Second essay")
    single_choice_question(essay=other)
    AssignmentFactory(
        classroom=made["classroom"],
        kind="cards",
        quiz=None,
        essay=other,
        target_recall=0.9,
    )
    EssayFactory(title="Nobody's work")
    page = client.get(map_url(made))
    assert "Second essay" in page.text
    assert "Nobody&#x27;s work" not in page.text
    # The first assigned essay is shown; the other on request.
    assert page.context["map"].essay == made["essay"]
    assert client.get(map_url(made, essay=other.pk)).context["map"].essay == other
    # An essay the class has no work on falls back to the first.
    stranger = EssayFactory()
    assert (
        client.get(map_url(made, essay=stranger.pk)).context["map"].essay
        == (made["essay"])
    )


def test_a_class_without_work_says_what_to_do(client, made):
    empty = ClassroomFactory(teacher=made["teacher"])
    page = client.get(reverse("teach_mastery", args=[empty.pk]))
    assert "This class has no work yet" in page.text


def test_a_cells_evidence_opens_over_htmx_and_as_a_page(client, made):
    alice = made["students"][0]
    url = reverse(
        "teach_mastery_cell",
        args=[made["classroom"].pk, alice.pk, made["claims"][0].pk],
    )
    part = client.get(url, headers=HTMX)
    assert part.text.lstrip().startswith('<section class="evidence"')
    for shown in (
        "Alice Adams on Causes",
        "Stalin feared rivals.",
        "Purge quiz",
        "Whom did Stalin fear?",
        "50 %",  # q2, half right
        "2 answers",
        "1 card studied",
        "Again",
        "Good",
        "Not studied yet.",  # q2's new card
    ):
        assert shown in part.text, shown
    page = client.get(url)
    assert "<html" in page.text
    assert "Claim mastery" in page.text


def test_a_cell_of_another_essay_or_student_is_not_found(client, made):
    alice = made["students"][0]
    foreign = single_choice_question(claim=None).essay
    from tests.factories import ClaimFactory

    claim = ClaimFactory(essay=foreign)
    url = reverse("teach_mastery_cell", args=[made["classroom"].pk, alice.pk, claim.pk])
    assert client.get(url).status_code == 404


def test_picking_a_row_sets_a_goal_and_says_so(client, made):
    a2 = made["claims"][1]
    response = goal_post(client, made, claim=[a2.pk])
    assert response.status_code == 302
    assert response.url == map_url(made, essay=made["essay"].pk)
    (goal,) = Assignment.objects.filter(kind="cards")
    assert list(goal.claims.all()) == [a2]
    assert set(goal.students.all()) == set(made["students"])
    assert goal.target_recall == 0.95
    page = client.get(response.url)
    assert "Flashcard goal set for 3 students on 1 sentence" in page.text


def test_picking_every_cell_under_a_mark(client, made):
    alice, bob, _carol = made["students"]
    goal_post(client, made, below=50)
    by_student = {
        goal.students.get().username: set(goal.claims.values_list("pk", flat=True))
        for goal in Assignment.objects.filter(kind="cards")
    }
    a1, a2, _b1 = made["claims"]
    assert by_student == {"alice": {a2.pk}, "bob": {a1.pk}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Pick the cells to work on first"),
        ({"due_at": "2001-01-01T09:00", "claim": "x"}, "Pick rows and columns"),
        ({"due_at": "2001-01-01T09:00"}, "The due date has passed"),
        ({"target": 40}, "greater than or equal to 50"),
    ],
)
def test_a_refused_goal_comes_back_with_the_reason_and_the_ticks(
    client, made, data, message
):
    a1 = made["claims"][0]
    data = {"student": [made["students"][1].pk]} | data if data else data
    response = goal_post(client, made, **data)
    assert response.status_code == 422
    assert message in response.text
    assert not Assignment.objects.filter(kind="cards").exists()
    if "student" in data and "claim" not in data:
        assert f'value="{made["students"][1].pk}" aria-label' in response.text
        assert "checked" in response.text
    assert a1.text in response.text  # the map is still there
    # Shown at the form's address, the cells link to their evidence in full.
    cell = reverse(
        "teach_mastery_cell", args=[made["classroom"].pk, made["students"][1].pk, a1.pk]
    )
    assert f'<a href="{cell}">' in response.text


def test_a_goal_on_an_essay_of_no_work_of_the_class_is_refused(client, made):
    stranger = EssayFactory()
    response = goal_post(client, made, essay=stranger.pk, claim=[made["claims"][0].pk])
    assert response.status_code == 422
    assert "This class has no work on that essay." in response.text


def test_the_student_page(client, made):
    alice = made["students"][0]
    card = made["alice_q1"]
    Card.objects.filter(pk=card.pk).update(is_leech=True, lapses=8, suspended=True)
    page = client.get(reverse("teach_student", args=[made["classroom"].pk, alice.pk]))
    assert page.status_code == 200
    text = page.text
    assert "<h1>Alice Adams</h1>" in text
    # Attempts: the finished one with its score, the open one in progress.
    assert text.count("Purge quiz") >= 1
    assert "in progress" in text
    # Mastery by section, from the heat map's numbers.
    assert "Causes" in text
    assert "Section 2" in text
    # Flashcards due and retention, leeches with their question and its editor.
    assert "The Great Purge" in text
    assert "True retention" in text
    assert "Whom did Stalin fear?" in text
    edit = reverse("admin:quizzes_question_change", args=[card.question_id])
    assert f'href="{edit}"' in text
    assert "Edit the question" in text


def test_a_student_of_another_class_is_not_found(client, made):
    other = ClassroomFactory(teacher=made["teacher"])
    alice = made["students"][0]
    url = reverse("teach_student", args=[other.pk, alice.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_the_pages_take_a_fixed_number_of_queries(
    client, made, size, django_assert_max_num_queries
):
    _crowd(made, size)
    pk = made["classroom"].pk
    alice, a1 = made["students"][0], made["claims"][0]
    # Of each, five are the session, the user, their rights (two) and the
    # class; then the map's essays, students, claims, answers and cards.
    with django_assert_max_num_queries(10):
        assert client.get(map_url(made)).status_code == 200
    with django_assert_max_num_queries(10):
        cell = reverse("teach_mastery_cell", args=[pk, alice.pk, a1.pk])
        assert client.get(cell, headers=HTMX).status_code == 200
    # The student, the essays, the deck counts (three), the attempts, the
    # map's column (three), the retention and the leeches.
    with django_assert_max_num_queries(16):
        page = reverse("teach_student", args=[pk, alice.pk])
        assert client.get(page).status_code == 200
