"""Our .apkg files as Anki itself reads them: each package is imported into a
fresh collection by Anki's own library (the ``anki`` package, the code of
Anki's desktop app), and the notes, cards and schedules it ends up with are
checked."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.scheduler.v3 import CardAnswer

from quizzes.interchange.anki import (
    LEARNING,
    RELEARNING,
    REVIEW,
    Schedule,
    build_package,
)
from quizzes.interchange.items import HTML, Answer, InterchangeError, Item, Pair

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def essay_items() -> list[Item]:
    return [
        Item(
            kind="single",
            prompt="Who signed the order of <script>alert(1)</script> 1937?",
            answers=[Answer("Yezhov", 1), Answer("Bukharin & Rykov", 0)],
            explanation="Order No. 00447.",
            section="The mass operations",
            passage="The NKVD's order set quotas by region.",
            source="The Great Purge",
            key="q1",
            tags=["orders", "nkvd"],
        ),
        Item(
            kind="multiple",
            prompt="Which were tried in 1938?",
            answers=[
                Answer("Bukharin", 0.5, feedback="The Trial of the Twenty-One"),
                Answer("Rykov", 0.5),
                Answer("Trotsky", -1),
            ],
            key="q2",
        ),
        Item(
            kind="true_false",
            prompt="The purge ended in 1938.",
            is_true=True,
            true_feedback="Yezhov fell that year.",
            key="q3",
        ),
        Item(
            kind="cloze",
            prompt="The NKVD was headed by _____ from 1936.",
            answers=[Answer("Yezhov"), Answer("Nikolai Yezhov")],
            explanation="Until November 1938.",
            section="The mass operations",
            key="q4",
        ),
        Item(
            kind="matching",
            prompt="Match each trial to its year.",
            pairs=[Pair("Zinoviev", "1936"), Pair("Bukharin", "1938")],
            key="q5",
        ),
    ]


def import_package(col: Collection, data: bytes, path) -> None:
    path.write_bytes(data)
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(with_scheduling=True),
        )
    )


@pytest.fixture
def col(tmp_path):
    collection = Collection(str(tmp_path / "c.anki2"))
    yield collection
    collection.close()


def notes_by_first_field(col: Collection) -> dict[str, dict[str, str]]:
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    return {note.fields[0]: dict(note.items()) for note in notes}


def note_with(col: Collection, text: str):
    (nid,) = [nid for nid in col.find_notes("") if text in col.get_note(nid).fields[0]]
    return col.get_note(nid)


def test_every_question_becomes_one_note_in_the_essays_deck(col, tmp_path):
    data = build_package(
        deck_name="The Great Purge", items=essay_items(), deck_key="essay-7", now=NOW
    )
    import_package(col, data, tmp_path / "a.apkg")

    assert col.note_count() == 5
    assert col.card_count() == 5
    assert "The Great Purge" in [deck.name for deck in col.decks.all_names_and_ids()]
    assert len(col.find_cards('deck:"The Great Purge"')) == 5
    names = {col.get_note(nid).note_type()["name"] for nid in col.find_notes("")}
    assert names == {"PurgeQuiz", "PurgeQuiz cloze"}
    cloze = col.models.by_name("PurgeQuiz cloze")
    assert [field["name"] for field in cloze["flds"]] == [
        "Text",
        "Back Extra",
        "Passage",
        "Source",
    ]
    basic = col.models.by_name("PurgeQuiz")
    assert [field["name"] for field in basic["flds"]] == [
        "Front",
        "Back",
        "Passage",
        "Source",
    ]


def test_each_kind_asks_on_the_front_and_answers_on_the_back(col, tmp_path):
    data = build_package(
        deck_name="The Great Purge", items=essay_items(), deck_key="essay-7", now=NOW
    )
    import_package(col, data, tmp_path / "a.apkg")

    single = note_with(col, "Who signed")
    assert single["Front"] == (
        "Who signed the order of &lt;script&gt;alert(1)&lt;/script&gt; 1937?\n"
        '<ol type="A"><li>Yezhov</li><li>Bukharin &amp; Rykov</li></ol>'
    )
    assert single["Back"] == (
        '<ul><li>Yezhov</li></ul><div class="explanation">Order No. 00447.</div>'
    )
    assert single["Passage"] == "The NKVD&#x27;s order set quotas by region."
    assert single["Source"] == "The Great Purge"

    multiple = note_with(col, "Which were tried")
    assert multiple["Back"] == (
        "<ul><li>Bukharin <i>(The Trial of the Twenty-One)</i></li><li>Rykov</li></ul>"
    )
    assert "<li>Trotsky</li>" in multiple["Front"]
    assert multiple["Passage"] == multiple["Source"] == ""

    true_false = note_with(col, "The purge ended")
    assert true_false["Front"] == (
        "The purge ended in 1938.\n<p><b>True or false?</b></p>"
    )
    assert true_false["Back"] == "<p><b>True</b> <i>(Yezhov fell that year.)</i></p>"

    matching = note_with(col, "Match each trial")
    assert matching["Front"] == (
        "Match each trial to its year.\n<ul><li>Zinoviev</li><li>Bukharin</li></ul>"
    )
    assert matching["Back"] == (
        "<table><tr><td>Zinoviev</td><td>→</td><td>1936</td></tr>"
        "<tr><td>Bukharin</td><td>→</td><td>1938</td></tr></table>"
    )

    card = single.cards()[0]
    assert "&lt;script&gt;" in card.question()
    assert "<script>alert" not in card.question()
    answer = card.answer()
    assert '<hr id="answer">' in answer
    assert '<div class="passage">The NKVD&#x27;s order' in answer
    assert '<div class="source">The Great Purge</div>' in answer
    # No empty passage block under a question without one.
    assert 'class="passage"' not in multiple.cards()[0].answer()


def test_a_cloze_hides_the_first_answer_and_lists_the_others(col, tmp_path):
    items = essay_items()[3:4] + [
        Item(
            kind="cloze", prompt="Stalin's title:", answers=[Answer("a::b}}")], key="c2"
        )
    ]
    data = build_package(deck_name="Purge", items=items, deck_key="essay-7", now=NOW)
    import_package(col, data, tmp_path / "a.apkg")

    note = note_with(col, "The NKVD was headed")
    assert note.note_type()["name"] == "PurgeQuiz cloze"
    assert note["Text"] == "The NKVD was headed by {{c1::Yezhov}} from 1936."
    assert note["Back Extra"] == (
        '<p>Also accepted: Nikolai Yezhov</p><div class="explanation">'
        "Until November 1938.</div>"
    )
    card = note.cards()[0]
    assert "The NKVD was headed by " in card.question()
    assert "[...]" in card.question()
    # Anki keeps the answer in an attribute (for typing it in), never shown.
    assert ">[...]</span> from 1936." in card.question()
    assert ">Yezhov<" not in card.question()
    assert '<span class="cloze" data-ordinal="1">Yezhov</span>' in card.answer()
    assert "Also accepted: Nikolai Yezhov" in card.answer()

    # A prompt without a gap gets it at the end; colons and braces in the
    # answer neither start a hint nor close the gap.
    appended = note_with(col, "Stalin")
    assert appended["Text"] == "Stalin&#x27;s title: {{c1::a&#58;&#58;b&#125;&#125;}}"
    # Shown by the browser as "a::b}}", whole.
    assert (
        '<span class="cloze" data-ordinal="1">a&#58;&#58;b&#125;&#125;</span>'
        in appended.cards()[0].answer()
    )
    assert "[...]" in appended.cards()[0].question()


def test_an_html_prompt_is_kept_and_plain_text_is_escaped(col, tmp_path):
    items = [
        Item(
            kind="true_false",
            prompt="<p>The <b>Moscow</b> trials were public.</p>",
            prompt_format=HTML,
            explanation="<p>Broadcast <i>abroad</i>.</p>",
            is_true=True,
            key="h1",
        ),
        Item(kind="true_false", prompt="<b>1 < 2</b>", is_true=False, key="h2"),
    ]
    data = build_package(deck_name="Purge", items=items, deck_key="e", now=NOW)
    import_package(col, data, tmp_path / "a.apkg")

    kept = note_with(col, "Moscow")
    assert kept["Front"].startswith("<p>The <b>Moscow</b> trials were public.</p>")
    assert kept["Back"].endswith(
        '<div class="explanation"><p>Broadcast <i>abroad</i>.</p></div>'
    )
    escaped = note_with(col, "1 &lt; 2")
    assert escaped["Front"].startswith("&lt;b&gt;1 &lt; 2&lt;/b&gt;")
    assert escaped["Back"] == "<p><b>False</b></p>"


def test_notes_are_tagged_with_the_essay_section_and_their_own_tags(col, tmp_path):
    data = build_package(
        deck_name="The Great Purge", items=essay_items(), deck_key="essay-7", now=NOW
    )
    import_package(col, data, tmp_path / "a.apkg")

    assert note_with(col, "Who signed").tags == [
        "nkvd",
        "orders",
        "purgequiz::essay::the-great-purge",
        "purgequiz::section::The_mass_operations",
    ]
    assert note_with(col, "Which were tried").tags == [
        "purgequiz::essay::the-great-purge"
    ]
    assert len(col.find_notes("tag:purgequiz::section::The_mass_operations")) == 2
    assert len(col.find_notes("tag:purgequiz::essay::the-great-purge")) == 5


def test_importing_a_new_export_updates_notes_instead_of_adding(col, tmp_path):
    items = essay_items()
    first = build_package(deck_name="Purge", items=items, deck_key="essay-7", now=NOW)
    import_package(col, first, tmp_path / "first.apkg")
    before = {nid: col.get_note(nid).fields for nid in col.find_notes("")}

    items[2].prompt = "The purge ended in 1939."
    items[3].answers = [Answer("Nikolai Yezhov")]
    again = build_package(
        deck_name="Purge",
        items=items,
        deck_key="essay-7",
        now=NOW + timedelta(days=1),
    )
    import_package(col, again, tmp_path / "again.apkg")

    assert col.note_count() == 5
    assert col.card_count() == 5
    after = {nid: col.get_note(nid).fields for nid in col.find_notes("")}
    assert after.keys() == before.keys()
    changed = [nid for nid in after if after[nid] != before[nid]]
    assert len(changed) == 2
    assert note_with(col, "The purge ended")["Front"].startswith(
        "The purge ended in 1939."
    )
    assert not col.find_notes('"The purge ended in 1938."')
    assert note_with(col, "The NKVD")["Text"] == (
        "The NKVD was headed by {{c1::Nikolai Yezhov}} from 1936."
    )
    # The note types are ours on both exports: no copies.
    names = [model.name for model in col.models.all_names_and_ids()]
    assert names.count("PurgeQuiz") == 1
    assert names.count("PurgeQuiz cloze") == 1
    assert not [name for name in names if name.startswith("PurgeQuiz-")]


def test_two_essays_packages_do_not_collide(col, tmp_path):
    # The same question keys in two essays: the deck key keeps them apart.
    one = build_package(deck_name="Purge", items=essay_items(), deck_key="e1", now=NOW)
    two = build_package(deck_name="Famine", items=essay_items(), deck_key="e2", now=NOW)
    import_package(col, one, tmp_path / "one.apkg")
    import_package(col, two, tmp_path / "two.apkg")

    assert col.note_count() == 10
    assert len(col.find_cards("deck:Purge")) == 5
    assert len(col.find_cards("deck:Famine")) == 5
    assert len(col.find_notes("tag:purgequiz::essay::famine")) == 5
    guids = {col.get_note(nid).guid for nid in col.find_notes("")}
    assert len(guids) == 10


def anki_today() -> date:
    """The calendar day Anki counts as today (its day starts at 4 am)."""
    return (datetime.now().astimezone() - timedelta(hours=4)).date()


def local_noon(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone()


def test_a_students_schedule_travels_with_the_cards(col, tmp_path):
    today = anki_today()
    last = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    schedules = {
        "q1": Schedule(
            due=local_noon(today + timedelta(days=12)),
            interval=15,
            stability=14.81234,
            difficulty=5.1234,
            reps=6,
            lapses=1,
            state=REVIEW,
            last_review=last - timedelta(days=3),
        ),
        # Overdue since three days.
        "q2": Schedule(
            due=local_noon(today - timedelta(days=3)),
            interval=4,
            stability=4.0,
            difficulty=7.5,
            reps=3,
            state=REVIEW,
            last_review=last - timedelta(days=7),
        ),
        "q3": Schedule(
            due=last + timedelta(minutes=10),
            stability=0.4,
            difficulty=6.2,
            reps=1,
            state=LEARNING,
            last_review=last,
        ),
        "q4": Schedule(
            due=local_noon(today + timedelta(days=2)),
            interval=9,
            stability=2.5,
            difficulty=8.0,
            reps=8,
            lapses=2,
            state=RELEARNING,
            last_review=last,
        ),
        # q5 has no schedule: it stays new.
    }
    data = build_package(
        deck_name="Purge",
        items=essay_items(),
        deck_key="essay-7",
        schedules=schedules,
        now=NOW,
    )
    import_package(col, data, tmp_path / "a.apkg")

    def card(text):
        return note_with(col, text).cards()[0]

    review = card("Who signed")
    assert (review.type, review.queue) == (2, 2)
    assert review.due == col.sched.today + 12
    assert review.ivl == 15
    assert (review.reps, review.lapses) == (6, 1)
    assert review.memory_state.stability == pytest.approx(14.8123, abs=1e-4)
    assert review.memory_state.difficulty == pytest.approx(5.123, abs=1e-3)
    assert review.last_review_time == int((last - timedelta(days=3)).timestamp())

    overdue = card("Which were tried")
    assert (overdue.type, overdue.queue) == (2, 2)
    assert overdue.due == col.sched.today - 3
    assert overdue.ivl == 4

    learning = card("The purge ended")
    assert (learning.type, learning.queue) == (1, 1)
    assert learning.due == int((last + timedelta(minutes=10)).timestamp())
    assert learning.memory_state.stability == pytest.approx(0.4)

    relearning = card("The NKVD")
    assert (relearning.type, relearning.queue) == (3, 3)
    assert relearning.due == col.sched.today + 2
    assert relearning.ivl == 9
    assert (relearning.reps, relearning.lapses) == (8, 2)

    new = card("Match each trial")
    assert (new.type, new.queue) == (0, 0)
    assert new.memory_state is None

    # Due today for Anki: the overdue card, and the learning step that ends
    # in minutes; the others not yet.
    assert set(col.find_cards("prop:due<=0")) == {overdue.id, learning.id}
    assert set(col.find_cards("prop:due=2")) == {relearning.id}


def test_without_schedules_every_card_is_new_in_the_questions_order(col, tmp_path):
    data = build_package(
        deck_name="Purge", items=essay_items(), deck_key="essay-7", now=NOW
    )
    import_package(col, data, tmp_path / "a.apkg")

    cards = [col.get_card(cid) for cid in col.find_cards("")]
    assert {(card.type, card.queue) for card in cards} == {(0, 0)}
    in_order = sorted(cards, key=lambda card: card.due)
    assert [card.note().fields[0][:9] for card in in_order] == [
        "Who signe",
        "Which wer",
        "The purge",
        "The NKVD ",
        "Match eac",
    ]


def test_an_empty_deck_is_not_exported():
    with pytest.raises(InterchangeError) as raised:
        build_package(deck_name="The Great Purge", items=[], deck_key="essay-7")
    assert str(raised.value) == (
        "“The Great Purge” has no questions to export: an empty deck is not "
        "exported. Add or publish questions first."
    )


def test_two_questions_with_one_key_are_refused():
    items = essay_items()
    items[1].key = "q1"
    with pytest.raises(InterchangeError, match="share the key “q1”"):
        build_package(deck_name="Purge", items=items, deck_key="essay-7")


def test_the_same_questions_export_to_the_same_package():
    first = build_package(deck_name="P", items=essay_items(), deck_key="e", now=NOW)
    second = build_package(deck_name="P", items=essay_items(), deck_key="e", now=NOW)
    assert first == second


def test_a_learning_card_on_its_last_step_graduates_on_good(col, tmp_path):
    now = datetime.now(UTC)
    items = [
        Item(kind="true_false", prompt="Yezhov fell in 1938.", is_true=True, key="t1")
    ]
    learning = Schedule(
        due=now - timedelta(minutes=1),
        stability=0.5,
        difficulty=5.0,
        reps=1,
        state=LEARNING,
        last_review=now - timedelta(minutes=11),
    )
    data = build_package(
        deck_name="Purge", items=items, deck_key="e", schedules={"t1": learning}
    )
    import_package(col, data, tmp_path / "a.apkg")
    col.decks.select(col.decks.id_for_name("Purge"))

    queued = col.sched.get_queued_cards()
    assert queued.learning_count == 1
    card = col.get_card(queued.cards[0].card.id)
    card.start_timer()
    col.sched.answer_card(
        col.sched.build_answer(
            card=card, states=queued.cards[0].states, rating=CardAnswer.GOOD
        )
    )
    card.load()
    assert (card.type, card.queue) == (2, 2)
    assert card.ivl >= 1


def test_importing_again_leaves_the_students_scheduling_in_anki(col, tmp_path):
    due = local_noon(anki_today() + timedelta(days=10))
    review = Schedule(due=due, interval=10, reps=4, state=REVIEW)
    first = build_package(
        deck_name="Purge",
        items=essay_items(),
        deck_key="essay-7",
        schedules={"q1": review},
        now=NOW,
    )
    import_package(col, first, tmp_path / "first.apkg")

    later = Schedule(due=due + timedelta(days=30), interval=40, reps=5, state=REVIEW)
    again = build_package(
        deck_name="Purge",
        items=essay_items(),
        deck_key="essay-7",
        schedules={"q1": later, "q2": later},
        now=NOW + timedelta(days=1),
    )
    import_package(col, again, tmp_path / "again.apkg")

    # Anki's importer adds the cards it lacks and changes none it has.
    cards = {
        card.note().fields[0][:9]: card
        for card in map(col.get_card, col.find_cards(""))
    }
    assert (cards["Who signe"].ivl, cards["Who signe"].due) == (
        10,
        col.sched.today + 10,
    )
    assert (cards["Which wer"].type, cards["Which wer"].ivl) == (0, 0)
