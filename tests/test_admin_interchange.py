"""Question files from the admin (its import page and the question list's
export actions) and a student's deck downloaded for Anki."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.interchange import csv_rows
from quizzes.models import Card, Essay, Question
from tests.factories import (
    AttemptFactory,
    ClaimFactory,
    EssayFactory,
    QuizFactory,
    QuizQuestionFactory,
    SectionFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:quizzes_question_import_file")
CHANGELIST = reverse("admin:quizzes_question_changelist")
HEADER = "kind,prompt,answers,distractors,feedback,section\n"
GOOD = HEADER + (
    'single,"Who led the NKVD in 1937?",Yezhov,Beria | Yagoda,,\n'
    'true_false,"Kirov was killed in 1934.",true,,,\n'
)


def upload(text: str, name: str = "bank.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_checked_file_shows_its_questions_and_imports_nothing(teacher_client):
    page = teacher_client.post(IMPORT, {"file": upload(GOOD), "check_only": "on"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 questions would import into" in text
    assert "Who led the NKVD in 1937?" in text
    assert not Question.objects.exists()
    assert not Essay.objects.exists()


def test_an_imported_file_lands_as_drafts_and_shows_them(teacher_client):
    essay = EssayFactory(title="The Purge")
    response = teacher_client.post(IMPORT, {"file": upload(GOOD), "essay": essay.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?essay__id__exact={essay.pk}"
    assert list(
        Question.objects.filter(essay=essay).values_list("status", flat=True)
    ) == ["draft", "draft"]


def test_every_row_problem_is_shown_and_nothing_imported(teacher_client):
    bad = HEADER + "single,Q one,,a | b,,\nsomething,Q two,x,,,\n"
    page = teacher_client.post(IMPORT, {"file": upload(bad)})
    text = page.content.decode()
    assert "nothing was imported" in text
    rows = csv_rows.parse(bad.encode()).problems
    assert len(rows) >= 2
    for problem in rows:
        assert problem.message.replace("'", "&#x27;").replace('"', "&quot;") in text
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": upload("<b>hello</b>", "bank.docx")}, "Say which format"),
        ({"file": upload(GOOD), "title": "New", "essay": "ESSAY"}, "not both"),
        ({"file": upload("x" * 1_000_001)}, "over 1 MB"),
        (
            {"file": upload("\x00\x01binary", "bank.gift"), "format": "csv"},
            "not a text",
        ),
    ],
)
def test_a_bad_upload_is_refused_with_a_message(teacher_client, data, message):
    if data.get("essay") == "ESSAY":
        data["essay"] = EssayFactory().pk
    page = teacher_client.post(IMPORT, data)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Question.objects.exists()


def test_a_student_cannot_open_the_import_page(student_client):
    response = student_client.get(IMPORT)
    assert response.status_code == 302  # to the admin's login
    assert "/login/" in response["Location"]


def test_the_list_exports_the_selection_as_a_file(teacher_client):
    question = single_choice_question()
    response = teacher_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [question.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    parsed = csv_rows.parse(response.content)
    assert [item.prompt for item in parsed.items] == [question.prompt]
    for action, start in (("export_gift", b""), ("export_moodle_xml", b"<?xml")):
        response = teacher_client.post(
            CHANGELIST, {"action": action, "_selected_action": [question.pk]}
        )
        assert response.status_code == 200
        assert response.content.startswith(start)
    response = teacher_client.post(
        CHANGELIST, {"action": "export_apkg", "_selected_action": [question.pk]}
    )
    assert zipfile.is_zipfile(io.BytesIO(response.content))


def test_an_anki_export_is_of_one_essay(teacher_client):
    ids = [single_choice_question().pk, single_choice_question().pk]  # two essays
    response = teacher_client.post(
        CHANGELIST, {"action": "export_apkg", "_selected_action": ids}, follow=True
    )
    assert "an Anki deck is one essay" in response.content.decode()


def test_a_student_downloads_their_deck_without_the_cards_held_back(
    student_client, student, tmp_path
):
    from anki.collection import Collection
    from anki.import_export_pb2 import (
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    free = single_choice_question()
    essay = free.essay
    quiz = QuizFactory(essay=essay)
    held = QuizQuestionFactory(quiz=quiz).question
    held.prompt = "The quiz's question, held back"
    held.save()
    AttemptFactory(quiz=quiz, student=student)  # open and graded: held back
    url = reverse("deck_anki", args=[essay.slug])
    response = student_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.apkg"')
    path = tmp_path / "deck.apkg"
    path.write_bytes(response.content)
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        collection.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(path), options=ImportAnkiPackageOptions()
            )
        )
        fronts = [collection.get_note(n)["Front"] for n in collection.find_notes("")]
    finally:
        collection.close()
    assert len(fronts) == 1
    assert free.prompt in fronts[0]
    assert (
        student_client.get(reverse("deck", args=[essay.slug]))
        .content.decode()
        .count(url)
        == 1
    )


def test_the_download_is_for_students_signed_in_and_decks_that_exist(student_client):
    essay = single_choice_question().essay
    response = Client().get(reverse("deck_anki", args=[essay.slug]))
    assert response.status_code == 302
    assert student_client.get(reverse("deck_anki", args=["nowhere"])).status_code == 404
    url = reverse("deck_anki", args=[essay.slug])
    assert student_client.get(url + "?section=x").status_code == 404
    assert student_client.get(url + "?section=9").status_code == 404
    assert student_client.post(url).status_code == 405


def test_a_section_of_the_deck_downloads_alone(student_client, tmp_path):
    from anki.collection import Collection
    from anki.import_export_pb2 import (
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    first = single_choice_question()
    essay = first.essay
    causes = SectionFactory(essay=essay, order=1, heading="Causes")
    first.claim = ClaimFactory(section=causes)
    first.save()
    single_choice_question(essay=essay)  # of the essay as a whole
    deck = student_client.get(reverse("deck", args=[essay.slug])).content.decode()
    url = reverse("deck_anki", args=[essay.slug]) + "?section=1"
    assert f'href="{url}"' in deck
    response = student_client.get(url)
    assert response["Content-Disposition"].endswith('-section-1.apkg"')
    path = tmp_path / "causes.apkg"
    path.write_bytes(response.content)
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        collection.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(path), options=ImportAnkiPackageOptions()
            )
        )
        notes = [collection.get_note(n) for n in collection.find_notes("")]
        assert [first.prompt in note["Front"] for note in notes] == [True]
        assert "purgequiz::section::Causes" in notes[0].tags
    finally:
        collection.close()


@pytest.mark.parametrize("size", [2, 20])
def test_a_download_runs_a_fixed_number_of_queries(
    student_client, student, django_assert_max_num_queries, size
):
    questions = [single_choice_question()]
    essay = questions[0].essay
    questions += [single_choice_question(essay=essay) for _ in range(size - 1)]
    for question in questions:
        Card.objects.create(student=student, question=question, due=timezone.now())
    url = reverse("deck_anki", args=[essay.slug])
    with django_assert_max_num_queries(8):
        response = student_client.get(url)
    assert response.status_code == 200
