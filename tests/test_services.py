import dataclasses

import pytest
from django.db import connection

from quizzes import essays, generation, services
from quizzes.essays import EssayError
from quizzes.models import (
    AcceptedAnswer,
    Choice,
    Claim,
    Essay,
    MatchPair,
    Question,
    Quiz,
)
from quizzes.models import Section as SectionModel
from tests.factories import single_choice_question

pytestmark = pytest.mark.django_db

ESSAY = """# Soviet Fears

Causes: The Soviet Union feared spies and saboteurs in the 1930s. Joseph Stalin \
ordered show trials in Moscow, Leningrad and Kiev.

Results: The NKVD arrested 1,500,000 people in 1937 and 1938. The Gulag grew \
larger than ever before.

Memory: Nikita Khrushchev denounced Joseph Stalin in 1956. Historians still argue \
about the numbers of victims.
"""


def import_(text: str = ESSAY, **kwargs) -> services.imports.ImportReport:
    return services.imports.essay_import(text=text, **kwargs)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Essay,
            SectionModel,
            Claim,
            Question,
            Choice,
            AcceptedAnswer,
            MatchPair,
        )
    }


def test_import_saves_the_essay_its_sections_claims_and_questions():
    report = import_(text=ESSAY)

    parsed = essays.parse(ESSAY)
    essay = Essay.objects.get()
    assert (essay.title, essay.slug) == ("Soviet Fears", "soviet-fears")
    assert report.essay_id == essay.pk
    assert report.essay_created
    assert essay.body == parsed.body
    assert report.sections == essay.sections.count() == len(parsed.sections)
    assert [s.heading for s in essay.sections.all()] == ["Causes", "Results", "Memory"]
    claims = list(essay.claims.all())
    assert report.claims == len(claims) == len(parsed.claims)
    assert [c.order for c in claims] == list(range(len(claims)))
    for claim in claims:
        assert essay.body[claim.start : claim.end] == claim.text
        assert claim.section.start <= claim.start < claim.end <= claim.section.end
    assert len({c.key for c in claims}) == len(claims)

    questions = essay.questions.all()
    assert report.created == questions.count() > 0
    assert set(questions.values_list("origin", "status")) == {("generated", "draft")}
    assert all(q.generator_key for q in questions)
    for question in questions.prefetch_related("choices"):
        orders = [c.order for c in question.choices.all()]
        assert orders == list(range(len(orders)))
        assert (question.is_true is not None) == (question.kind == "true_false")


def test_import_saves_each_draft_as_generated(monkeypatch):
    draft = generation.QuestionDraft(
        generator_key="single:k1",
        kind="single",
        prompt="Who ordered the trials?",
        explanation="The essay says so.",
        claim_index=1,
        choices=(
            generation.ChoiceDraft("Stalin", True),
            generation.ChoiceDraft("Lenin", False, "He died in 1924."),
        ),
    )
    cloze = generation.QuestionDraft(
        generator_key="cloze:k2",
        kind="cloze",
        prompt="The _____ grew.",
        explanation="",
        claim_index=3,
        accepted_answers=("Gulag", "the Gulag", "Gulag"),
    )
    matching = generation.QuestionDraft(
        generator_key="matching:k3",
        kind="matching",
        prompt="Match them.",
        explanation="",
        claim_index=None,
        pairs=(generation.PairDraft("A", "1"), generation.PairDraft("B", "2")),
    )
    monkeypatch.setattr(generation, "generate", lambda parsed: [draft, cloze, matching])

    import_(publish=True)

    single = Question.objects.get(generator_key="single:k1")
    assert single.status == "published"
    assert single.claim.order == 1
    assert [
        (c.text, c.is_correct, c.feedback, c.order) for c in single.choices.all()
    ] == [
        ("Stalin", True, "", 0),
        ("Lenin", False, "He died in 1924.", 1),
    ]
    blank = Question.objects.get(generator_key="cloze:k2")
    assert sorted(a.text for a in blank.accepted_answers.all()) == [
        "Gulag",
        "the Gulag",
    ]
    pairs = Question.objects.get(generator_key="matching:k3")
    assert pairs.claim is None
    assert [(p.left, p.right, p.order) for p in pairs.pairs.all()] == [
        ("A", "1", 0),
        ("B", "2", 1),
    ]


def test_title_comes_from_the_argument_then_the_text_then_the_fallback():
    assert import_(title="Given", slug="a").title == "Given"
    assert import_(slug="b", fallback_title="From File").title == "Soviet Fears"
    untitled = ESSAY.split("\n", 2)[2]
    report = import_(text=untitled, fallback_title="From File")
    assert (report.title, report.slug) == ("From File", "from-file")


def test_an_essay_without_any_title_is_refused_and_nothing_is_written():
    with pytest.raises(EssayError, match="title"):
        import_(text=ESSAY.split("\n", 2)[2])
    assert Essay.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("  \n\t \n", "empty"), ("# Title\n\n12.\n\n--", "no sentences")],
)
def test_bad_text_raises_essay_error_and_writes_nothing(text, message):
    with pytest.raises(EssayError, match=message):
        import_(text=text, title="T")
    assert Essay.objects.count() == 0


def test_a_slug_that_is_not_a_slug_is_refused():
    with pytest.raises(EssayError, match="slug"):
        import_(slug="Not A Slug!")
    assert Essay.objects.count() == 0


def test_importing_twice_creates_and_updates_nothing():
    first = import_()
    before = counts()

    second = import_()

    assert (second.created, second.updated, second.retired) == (0, 0, 0)
    assert second.unchanged == first.created
    assert not second.essay_created
    assert second.essay_id == first.essay_id
    assert counts() == before
    assert set(Question.objects.values_list("version", flat=True)) == {1}


def test_reimport_never_overwrites_a_teachers_edit():
    import_()
    edited = Question.objects.order_by("id").first()
    edited.prompt = "My own wording"
    edited.edited_by_teacher = True
    edited.save()

    report = import_()

    edited.refresh_from_db()
    assert edited.prompt == "My own wording"
    assert report.kept == 1
    assert report.created == report.updated == 0


def test_reimport_rewrites_an_untouched_draft_whose_content_changed(monkeypatch):
    import_()
    real_generate = generation.generate

    def changed(parsed):
        drafts = real_generate(parsed)
        return [dataclasses.replace(drafts[0], prompt="A better prompt"), *drafts[1:]]

    monkeypatch.setattr(generation, "generate", changed)
    report = import_()

    assert report.updated == 1
    assert report.created == 0
    rewritten = Question.objects.get(prompt="A better prompt")
    assert rewritten.version == 2
    assert not rewritten.edited_by_teacher
    assert Question.objects.exclude(pk=rewritten.pk).filter(version=1).count() == (
        Question.objects.count() - 1
    )


def test_the_generators_warnings_are_stored_and_refreshed_without_a_version(
    monkeypatch,
):
    real_generate = generation.generate
    doubt = ("starts with a pronoun",)

    def doubting(parsed):
        drafts = real_generate(parsed)
        return [dataclasses.replace(drafts[0], warnings=doubt), *drafts[1:]]

    monkeypatch.setattr(generation, "generate", doubting)
    import_()
    key = real_generate(essays.parse(ESSAY))[0].generator_key
    question = Question.objects.get(generator_key=key)
    assert question.warnings == list(doubt)

    monkeypatch.setattr(generation, "generate", real_generate)
    report = import_()

    question.refresh_from_db()
    assert question.warnings == []
    assert question.version == 1
    assert report.updated == 0


def test_reimport_keeps_published_questions_as_they_are(monkeypatch):
    import_(publish=True)
    real_generate = generation.generate
    monkeypatch.setattr(
        generation,
        "generate",
        lambda parsed: [
            dataclasses.replace(d, prompt=d.prompt + " (new)")
            for d in real_generate(parsed)
        ],
    )

    report = import_()

    assert report.kept == Question.objects.count()
    assert report.updated == 0
    assert not Question.objects.filter(prompt__endswith="(new)").exists()


def test_a_removed_claim_retires_its_generated_questions():
    import_()
    removed = Claim.objects.get(text__startswith="The Gulag grew")
    its_questions = set(removed.questions.values_list("pk", flat=True))
    assert its_questions
    authored = single_choice_question(essay=removed.essay, claim=removed)

    report = import_(text=ESSAY.replace("The Gulag grew larger than ever before.", ""))

    assert not Claim.objects.filter(pk=removed.pk).exists()
    retired = set(
        Question.objects.filter(status="retired").values_list("pk", flat=True)
    )
    assert its_questions <= retired
    assert report.retired == len(retired)
    assert report.claims_removed == 1
    assert set(
        Question.objects.filter(pk__in=its_questions).values_list("claim", flat=True)
    ) == {None}
    authored.refresh_from_db()
    assert authored.status == "published"
    assert authored.claim is None
    # Importing the shorter text again leaves the retired questions alone.
    again = import_(text=ESSAY.replace("The Gulag grew larger than ever before.", ""))
    assert again.retired == 0


def test_reimport_follows_moved_claims_and_drops_extra_sections():
    import_()
    claim = Claim.objects.get(text__startswith="Historians still argue")
    shorter = ESSAY.split("\n\nMemory:")[0] + " Historians still argue about the "
    shorter += "numbers of victims.\n"

    report = import_(text=shorter)

    essay = Essay.objects.get()
    assert report.sections == essay.sections.count() == 2
    claim.refresh_from_db()
    assert claim.section.heading == "Results"
    assert essay.body[claim.start : claim.end] == claim.text
    assert [c.order for c in essay.claims.all()] == list(range(essay.claims.count()))


def test_dry_run_reports_and_writes_nothing():
    report = import_(dry_run=True)

    assert report.dry_run
    assert report.created > 0
    assert report.essay_id is None
    assert counts() == dict.fromkeys(counts(), 0)


def test_dry_run_of_a_reimport_changes_nothing():
    import_()
    before = counts()
    statuses = list(Question.objects.values_list("status", flat=True))

    report = import_(
        text=ESSAY.replace("The Gulag grew larger than ever before.", ""), dry_run=True
    )

    assert report.retired > 0
    assert counts() == before
    assert list(Question.objects.values_list("status", flat=True)) == statuses


def test_question_record_edit_bumps_the_version_only_when_content_changed():
    question = single_choice_question()
    signature = question.content_signature()

    assert not services.questions.question_record_edit(
        question=question, previous_signature=signature
    )
    question.choices.filter(order=1).update(text="Another wrong answer")
    assert services.questions.question_record_edit(
        question=question, previous_signature=signature
    )

    question.refresh_from_db()
    assert question.version == 2
    assert question.edited_by_teacher


def test_questions_set_status_changes_only_what_differs():
    drafts = [single_choice_question(status="draft") for _ in range(2)]
    published = single_choice_question(status="published")

    changed = services.questions.questions_set_status(
        questions=[*drafts, published], status=Question.Status.PUBLISHED
    )

    assert changed == 2
    assert set(Question.objects.values_list("status", flat=True)) == {"published"}
    with pytest.raises(ValueError, match="status"):
        services.questions.questions_set_status(questions=drafts, status="gone")


def test_a_publishing_import_makes_the_essays_quiz_once():
    report = import_(publish=True)
    again = import_(publish=True)  # the quiz is there: not made again

    quiz = Quiz.objects.get()
    assert report.quiz == again.quiz == quiz.title == "Soviet Fears: all sections"
    assert quiz.is_published
    assert "Quiz “Soviet Fears: all sections” is ready." in report.summary()
    assert "Quiz “Soviet Fears: all sections” left as it was." in again.summary()
    questions = list(quiz.questions.all())
    assert {q.status for q in questions} == {"published"}
    claims = [q.claim_id for q in questions if q.claim_id]
    assert len(claims) == len(set(claims))
    assert [q.kind for q in questions if not q.claim_id] == ["matching"]


def shown(question: Question) -> str:
    """All a student sees of a question, answered or not."""
    parts = [question.prompt, question.explanation]
    parts += [f"{c.text} {c.feedback}" for c in question.choices.all()]
    parts += [f"{p.left} {p.right}" for p in question.pairs.all()]
    return "\n".join(parts)


def test_the_seed_quiz_asks_about_each_claim_once_and_gives_nothing_away(
    seed_text,
):
    import_(text=seed_text, title="The Purge", publish=True)

    quiz = Quiz.objects.get()
    questions = list(
        quiz.questions.select_related("claim").prefetch_related("choices", "pairs")
    )
    claims = [q.claim_id for q in questions if q.claim_id]
    assert len(claims) == len(set(claims))
    assert len({q.kind for q in questions}) >= 4
    assert 8 <= len(questions) < Question.objects.published().count()
    # No cloze's whole sentence (its answer in place) shows in another question.
    asked = {c.key: c.question_text for c in essays.parse(seed_text).claims}
    for cloze in [q for q in questions if q.kind == "cloze"]:
        sentence = asked[cloze.claim.key]
        answer = cloze.accepted_answers.first().text
        assert cloze.prompt.replace("_____", answer) == sentence
        for other in questions:
            if other != cloze:
                assert sentence not in shown(other), (sentence, other.prompt)


def test_reimport_leaves_a_teachers_quiz_as_the_teacher_left_it():
    import_(publish=True)
    quiz = Quiz.objects.get()
    removed = quiz.items.order_by("order").first()
    removed.delete()
    quiz.is_published = False
    quiz.save()
    items = list(quiz.items.values_list("question_id", flat=True))

    report = import_(publish=True)

    quiz.refresh_from_db()
    assert not quiz.is_published
    assert list(quiz.items.values_list("question_id", flat=True)) == items
    assert report.quiz_added == 0
    assert "left as it was" in report.summary()


def test_reimport_adds_a_new_claims_question_to_the_quiz():
    import_(publish=True)
    quiz = Quiz.objects.get()
    items = list(quiz.items.values_list("question_id", flat=True))

    report = import_(
        text=ESSAY.replace(
            "numbers of victims.",
            "numbers of victims. Mikhail Gorbachev opened the archives in 1989.",
        ),
        publish=True,
    )

    added = list(quiz.items.values_list("question_id", flat=True))
    assert added[: len(items)] == items
    (new,) = Question.objects.filter(pk__in=added[len(items) :])
    assert new.claim.text == "Mikhail Gorbachev opened the archives in 1989."
    assert report.quiz_added == 1
    assert "1 new question added to quiz “Soviet Fears: all sections”" in (
        report.summary()
    )


@pytest.mark.django_db(transaction=True)
def test_import_parses_and_generates_before_its_transaction(monkeypatch):
    """On SQLite a transaction holds the database's write lock: seconds of
    generating a long essay inside it made other users' answers fail."""
    in_transaction = {}

    def spy(name, real):
        def call(*args, **kwargs):
            in_transaction[name] = connection.in_atomic_block
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(essays, "parse", spy("parse", essays.parse))
    monkeypatch.setattr(generation, "generate", spy("generate", generation.generate))
    monkeypatch.setattr(
        services.imports,
        "_questions_sync",
        spy("writes", services.imports._questions_sync),
    )

    import_(publish=True)

    assert in_transaction == {"parse": False, "generate": False, "writes": True}


@pytest.mark.django_db(transaction=True)
def test_import_writes_everything_or_nothing(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.imports, "_questions_sync", broken)

    with pytest.raises(RuntimeError):
        import_(publish=True)
    assert counts() == dict.fromkeys(counts(), 0)


def test_an_import_without_publish_makes_no_quiz():
    assert import_().quiz == ""
    assert not Quiz.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n".join(["word"] * 10_000), "one or two words"),
        ("and then the war went on " * 8000, "short enough"),
        ("####### F", "no sentences"),
        ("The king was bankrupt in 1788." + "\x1b" * 40, "control or invisible"),
        (
            "\n".join(
                ["A heading line of words here"] * 350
                + ["The king was bankrupt in 1788 after many wars."] * 10
            ),
            "most of its paragraphs",
        ),
    ],
)
def test_text_that_is_not_prose_is_refused_and_nothing_is_written(text, message):
    import_()
    before = counts()

    with pytest.raises(EssayError, match=message):
        import_(text=text, title="Not prose", slug="not-prose")
    with pytest.raises(EssayError, match=message):
        import_(text=text, slug=Essay.objects.get().slug)  # nor updated

    assert counts() == before
    assert Essay.objects.get().body == essays.parse(ESSAY).body


def test_invisible_characters_are_not_stored():
    import_(
        text=ESSAY.replace("Joseph", "Jo\u200bseph\u202e").replace("NKVD", "NK\x07VD")
    )

    body = Essay.objects.get().body
    assert not set(body) & {"\u200b", "\u202e", "\x07"}
    assert "Joseph Stalin" in body
    assert "NKVD" in body
