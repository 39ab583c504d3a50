"""Questions in and out of files (services.interchange and the import_* /
export_* commands): saved as drafts in one transaction, refused whole with
the line at fault, and read back out as they went in."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quizzes import kinds, services
from quizzes.interchange import csv_rows
from quizzes.interchange import items as ix
from quizzes.models import AcceptedAnswer, Card, Choice, Essay, Question
from tests.factories import EssayFactory, UserFactory

pytestmark = pytest.mark.django_db


def every_kind() -> list[ix.Item]:
    return [
        ix.Item(
            kind=kinds.SINGLE,
            prompt="Who led the NKVD in 1937?",
            title="NKVD chief",
            explanation="Yezhov ran it from 1936 to 1938.",
            answers=[
                ix.Answer("Yezhov", 1.0, "Yes."),
                ix.Answer("Beria", 0.0, "Later, from 1938."),
                ix.Answer("Yagoda", 0.0),
            ],
        ),
        ix.Item(
            kind=kinds.MULTIPLE,
            prompt="Which were show trials?",
            answers=[
                ix.Answer("The Trial of the Sixteen", 0.5),
                ix.Answer("The Trial of the Twenty-One", 0.5),
                ix.Answer("The Nuremberg trials", -1.0, "Not Soviet."),
            ],
        ),
        ix.Item(
            kind=kinds.TRUE_FALSE,
            prompt="Kirov was killed in 1934.",
            is_true=True,
            true_feedback="Yes, in December.",
            false_feedback="He was: in December 1934.",
        ),
        ix.Item(
            kind=kinds.CLOZE,
            prompt="The purge's peak is called the Great _____.",
            answers=[ix.Answer("Terror", 1.0), ix.Answer("Purge", 0.5, "Close.")],
        ),
        ix.Item(
            kind=kinds.MATCHING,
            prompt="Match each man to his post.",
            pairs=[ix.Pair("Yezhov", "NKVD"), ix.Pair("Vyshinsky", "Prosecutor")],
        ),
    ]


def same(item: ix.Item) -> tuple:
    """What a round trip must keep of an item."""
    return (
        item.kind,
        item.prompt,
        item.title,
        item.explanation,
        item.is_true,
        item.true_feedback,
        item.false_feedback,
        [(a.text, round(a.fraction, 4), a.feedback) for a in item.answers],
        [(p.left, p.right) for p in item.pairs],
    )


def test_every_kind_is_saved_as_drafts_of_a_new_essay_and_read_back_the_same():
    report = services.interchange.questions_import(
        parsed=ix.Parsed(items=every_kind()), title="Moodle bank"
    )
    assert report.essay_created
    assert report.essay.title == "Moodle bank"
    assert report.created == 5
    questions = Question.objects.filter(essay=report.essay).order_by("id")
    assert {q.status for q in questions} == {Question.Status.DRAFT}
    # Weights are kept only where the even rule would give otherwise (then
    # all of the question's: a -100 % wrong choice here).
    single = questions.get(kind=kinds.SINGLE)
    assert [c.weight for c in single.choices.all()] == [None, None, None]
    multiple = questions.get(kind=kinds.MULTIPLE)
    assert [(c.is_correct, c.weight) for c in multiple.choices.all()] == [
        (True, 50.0),
        (True, 50.0),
        (False, -100.0),
    ]
    cloze = questions.get(kind=kinds.CLOZE)
    assert [(a.text, a.weight, a.feedback) for a in cloze.accepted_answers.all()] == [
        ("Terror", 100.0, ""),
        ("Purge", 50.0, "Close."),
    ]
    back = services.interchange.questions_items(questions)
    assert [same(item) for item in back] == [same(item) for item in every_kind()]
    assert all(item.key == str(q.pk) for item, q in zip(back, questions, strict=True))


def test_a_short_answer_without_a_gap_gets_one_at_the_end():
    item = ix.Item(
        kind=kinds.CLOZE, prompt="Who died in 1934?", answers=[ix.Answer("Kirov", 1)]
    )
    report = services.interchange.questions_import(parsed=ix.Parsed(items=[item]))
    question = Question.objects.get(essay=report.essay)
    assert question.prompt == f"Who died in 1934? {kinds.BLANK}"
    assert report.essay.title == services.interchange.IMPORTED_TITLE


def test_one_refused_question_refuses_the_file_and_writes_nothing():
    items = every_kind() + [
        ix.Item(
            kind=kinds.SINGLE,
            prompt="No right answer",
            line=42,
            answers=[ix.Answer("a", 0), ix.Answer("b", 0)],
        ),
    ]
    before = (Essay.objects.count(), Question.objects.count(), Choice.objects.count())
    with pytest.raises(ix.InterchangeError) as refused:
        services.interchange.questions_import(parsed=ix.Parsed(items=items), title="X")
    assert refused.value.line == 42
    assert "exactly one correct choice" in str(refused.value)
    assert str(refused.value).startswith("Line 42: This question:")
    after = (Essay.objects.count(), Question.objects.count(), Choice.objects.count())
    assert after == before


def test_a_text_too_long_for_the_database_is_refused_with_its_line():
    item = ix.Item(
        kind=kinds.CLOZE, prompt="_____", line=7, answers=[ix.Answer("x" * 300, 1)]
    )
    with pytest.raises(ix.InterchangeError, match="Line 7: .*300 characters.*200"):
        services.interchange.questions_import(parsed=ix.Parsed(items=[item]))
    assert not AcceptedAnswer.objects.exists()


def test_a_dry_run_reports_and_writes_nothing():
    report = services.interchange.questions_import(
        parsed=ix.Parsed(items=every_kind()), title="Trial", dry_run=True
    )
    assert report.created == 5
    assert "would import" in report.summary()
    assert not Essay.objects.exists()
    assert not Question.objects.exists()


def test_skipped_questions_and_categories_are_reported():
    parsed = ix.Parsed(
        items=[
            ix.Item(
                kind=kinds.TRUE_FALSE,
                prompt="A",
                is_true=False,
                category="Top/History",
                section="Foreign Threats",
            )
        ],
        skipped=[
            ix.Skipped(
                line=3, kind="numerical", reason="PurgeQuiz has no numerical questions."
            )
        ],
    )
    lines = services.interchange.questions_import(parsed=parsed).lines()
    assert lines[0].endswith("; 1 skipped.")
    assert "Line 3: skipped (numerical): PurgeQuiz has no numerical questions." in lines
    assert any("Top/History" in line for line in lines)
    assert any(
        "Sections are not kept" in line and "Foreign Threats" in line for line in lines
    )


def test_html_is_kept_as_text_and_never_as_markup():
    item = ix.Item(
        kind=kinds.TRUE_FALSE,
        is_true=True,
        prompt_format=ix.HTML,
        prompt=(
            "<p>Stalin <b>&amp;</b> Kirov</p><script>alert(1)</script>"
            "<p>were allies.</p>"
        ),
    )
    report = services.interchange.questions_import(parsed=ix.Parsed(items=[item]))
    assert (
        Question.objects.get(essay=report.essay).prompt
        == "Stalin & Kirov\nwere allies."
    )
    assert any("plain text" in note for note in report.notes)


def test_an_empty_file_is_refused():
    with pytest.raises(ix.InterchangeError, match="no question"):
        services.interchange.questions_import(parsed=ix.Parsed())


def test_csv_commands_export_and_import_an_essay(tmp_path):
    source = services.interchange.questions_import(
        parsed=ix.Parsed(items=every_kind()[:1] + every_kind()[2:]), title="Source"
    ).essay
    path = tmp_path / "bank.csv"
    out = io.StringIO()
    call_command("export_csv", essay=source.slug, output=str(path), stdout=out)
    assert "4 questions written" in out.getvalue()
    target = EssayFactory()
    call_command("import_csv", str(path), essay=target.slug, stdout=io.StringIO())
    back = services.interchange.questions_items(
        Question.objects.filter(essay=target).order_by("id")
    )
    first = services.interchange.questions_items(
        Question.objects.filter(essay=source).order_by("id")
    )

    def keep(item):
        return (
            item.kind,
            item.prompt,
            item.is_true,
            [(a.text, a.fraction > 0) for a in item.answers],
            [(p.left, p.right) for p in item.pairs],
        )

    assert [keep(i) for i in back] == [keep(i) for i in first]


def test_import_commands_refuse_a_bad_file_with_its_row_and_write_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "kind,prompt,answers,distractors,feedback,section\nsingle,Q?,,a | b,,\n"
    )
    with pytest.raises(CommandError, match="Row 2"):
        call_command("import_csv", str(path), title="Never", stdout=io.StringIO())
    assert not Essay.objects.exists()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_csv", str(tmp_path / "none.csv"), title="X")
    with pytest.raises(CommandError, match="No essay has the slug"):
        call_command("import_csv", str(path), essay="nowhere")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_csv", str(tmp_path / "empty.csv"), title="X")


def test_export_apkg_with_a_student_carries_their_schedule(tmp_path):
    from anki.collection import Collection
    from anki.import_export_pb2 import (
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    essay = services.interchange.questions_import(
        parsed=ix.Parsed(items=every_kind()), title="Deck"
    ).essay
    Question.objects.filter(essay=essay).update(status=Question.Status.PUBLISHED)
    student = UserFactory(username="sasha")
    now = timezone.now()
    question = Question.objects.filter(essay=essay).order_by("id").first()
    Card.objects.create(
        student=student,
        question=question,
        state=Card.State.REVIEW,
        stability=12.0,
        difficulty=5.0,
        due=now + timedelta(days=9),
        last_review=now - timedelta(days=3),
        reps=4,
        lapses=1,
    )
    path = tmp_path / "deck.apkg"
    call_command(
        "export_apkg",
        essay=essay.slug,
        output=str(path),
        student="sasha",
        stdout=io.StringIO(),
    )
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        collection.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(path),
                options=ImportAnkiPackageOptions(with_scheduling=True),
            )
        )
        assert collection.note_count() == 5
        reviewed = [collection.get_card(c) for c in collection.find_cards("is:review")]
        assert len(reviewed) == 1
        assert reviewed[0].reps == 4
        assert reviewed[0].lapses == 1
    finally:
        collection.close()
    with pytest.raises(CommandError, match="No user"):
        call_command(
            "export_apkg", essay=essay.slug, output=str(path), student="nobody"
        )


GIFT_FIXTURE = "tests/data/gift/questions.gift.txt"


def test_moodles_own_gift_file_imports_with_its_skipped_questions_reported(tmp_path):
    out = io.StringIO()
    call_command("import_gift", GIFT_FIXTURE, title="Moodle bank", stdout=out)
    report = out.getvalue()
    assert "7 questions imported into “Moodle bank” as drafts; 2 skipped." in report
    assert "Line 2: skipped (essay)" in report
    assert "Line 31: skipped (numerical)" in report
    essay = Essay.objects.get(title="Moodle bank")
    matching = Question.objects.get(essay=essay, kind=kinds.MATCHING)
    assert matching.title == "Moodle activities"
    # Its extra answer "Chat" matches no item: offered, never an item.
    assert [(p.left, p.right) for p in matching.pairs.all()][-1] == ("", "Chat")


@pytest.mark.parametrize("key", ["gift", "moodle_xml"])
def test_every_kind_goes_out_and_comes_back_the_same(tmp_path, key):
    tricky = every_kind()
    tricky[0].prompt = 'Who {led} the ~NKVD = #1 in "1937" <b>&</b> :: ]]> ?'
    tricky[4].pairs.append(ix.Pair("", "Extra -> answer"))
    source = services.interchange.questions_import(
        parsed=ix.Parsed(items=tricky), title="Out"
    ).essay
    path = tmp_path / f"bank.{key}"
    call_command(
        f"export_{key}", essay=source.slug, output=str(path), stdout=io.StringIO()
    )
    call_command(f"import_{key}", str(path), title="Back", stdout=io.StringIO())
    back = services.interchange.questions_items(
        Question.objects.filter(essay__title="Back").order_by("id")
    )
    assert [same(item) for item in back] == [same(item) for item in tricky]


def test_a_quiz_exports_its_questions_in_its_order_and_published_only(tmp_path):
    from tests.factories import QuizFactory, QuizQuestionFactory

    quiz = QuizFactory()
    second = QuizQuestionFactory(quiz=quiz, order=2, question__prompt="Second?")
    first = QuizQuestionFactory(quiz=quiz, order=1, question__prompt="First?")
    draft = QuizQuestionFactory(quiz=quiz, order=3, question__prompt="Draft?")
    Question.objects.filter(pk=draft.question_id).update(status=Question.Status.DRAFT)
    for question in (first.question, second.question, draft.question):
        question.choices.create(text="Yes", is_correct=True, order=0)
        question.choices.create(text="No", order=1)
    path = tmp_path / "quiz.csv"
    call_command("export_csv", quiz=quiz.pk, output=str(path), stdout=io.StringIO())
    prompts = [item.prompt for item in csv_rows.parse(path.read_bytes()).items]
    assert prompts == ["First?", "Second?", "Draft?"]
    call_command(
        "export_csv",
        quiz=quiz.pk,
        output=str(path),
        published=True,
        stdout=io.StringIO(),
    )
    prompts = [item.prompt for item in csv_rows.parse(path.read_bytes()).items]
    assert prompts == ["First?", "Second?"]
    with pytest.raises(CommandError, match="No quiz has the id"):
        call_command("export_csv", quiz=999999, output=str(path))


@pytest.mark.parametrize("size", [3, 30])
def test_the_questions_go_out_in_a_fixed_number_of_queries(
    django_assert_max_num_queries, size
):
    items = every_kind() * (size // 3 + 1)
    essay = services.interchange.questions_import(
        parsed=ix.Parsed(items=items[:size]), title="Many"
    ).essay
    with django_assert_max_num_queries(4):
        found = services.interchange.questions_items(
            Question.objects.filter(essay=essay)
        )
    assert len(found) == size
