from collections import Counter

import pytest
from django.http import QueryDict

from quizzes import grading
from quizzes.grading import InvalidAnswer


def snapshot(kind: str, **extra) -> dict:
    base = {
        "question_id": 7,
        "version": 1,
        "kind": kind,
        "prompt": "Prompt",
        "explanation": "Because.",
        "is_true": None,
        "choices": [],
        "accepted": [],
        "pairs": [],
        "options": [],
        "passage": None,
    }
    return base | extra


SINGLE = snapshot(
    "single",
    choices=[
        {"id": 1, "text": "Right", "is_correct": True, "feedback": ""},
        {"id": 2, "text": "Wrong", "is_correct": False, "feedback": "No."},
    ],
)
MULTIPLE = snapshot(
    "multiple",
    choices=[
        {"id": 1, "text": "A", "is_correct": True, "feedback": ""},
        {"id": 2, "text": "B", "is_correct": True, "feedback": ""},
        {"id": 3, "text": "C", "is_correct": False, "feedback": ""},
        {"id": 4, "text": "D", "is_correct": False, "feedback": ""},
    ],
)
MATCHING = snapshot(
    "matching",
    pairs=[
        {"left": "Kirov", "right": "Murdered 1934"},
        {"left": "Yezhov", "right": "NKVD chief"},
        {"left": "Bukharin", "right": "Tried 1938"},
    ],
    options=["NKVD chief", "Tried 1938", "Murdered 1934"],
)
CLOZE = snapshot("cloze", accepted=["Yezhov", "Nikolai Yezhov", "Great Terror"])


def form(query: str) -> QueryDict:
    return QueryDict(query)


# --- Choices ---------------------------------------------------------------


def test_single_choice_is_exact():
    assert grading.grade(SINGLE, {"choice_ids": [1]}) == grading.Grade(1.0, True)
    assert grading.grade(SINGLE, {"choice_ids": [2]}) == grading.Grade(0.0, False)


def test_true_false_compares_with_the_statement():
    tf = snapshot("true_false", is_true=False)
    assert grading.grade(tf, {"value": False}).is_correct
    assert grading.grade(tf, {"value": True}).score == 0


@pytest.mark.parametrize(
    ("picked", "score", "correct"),
    [
        ([1, 2], 1.0, True),
        ([1], 0.5, False),
        ([1, 2, 3], 0.5, False),
        ([1, 3], 0.0, False),
        ([3, 4], 0.0, False),  # never below zero
    ],
)
def test_multiple_answer_gives_partial_credit(picked, score, correct):
    assert grading.grade(MULTIPLE, {"choice_ids": picked}) == grading.Grade(
        score, correct
    )


def test_matching_scores_each_pair():
    assert grading.grade(MATCHING, {"matches": [2, 0, 1]}) == grading.Grade(1.0, True)
    partial = grading.grade(MATCHING, {"matches": [2, 1, 0]})
    assert partial.score == pytest.approx(1 / 3)
    assert not partial.is_correct


# --- Typed answers -----------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "Yezhov",
        "  yezhov ",
        "YEZHOV!",
        "Yézhov",
        "Yezhof",  # one typo in a word of more than four letters
        "Yezov",
        "nikolai   yezhov",
        "Nikolai Yezhov.",
        "great-terror",
        "Great Teror",
    ],
)
def test_typed_answers_fold_case_accents_spaces_punctuation_and_one_typo(given):
    assert grading.grade(CLOZE, {"text": given}).is_correct


@pytest.mark.parametrize("given", ["Yagoda", "Yezhhovv", "Beria", "Nikolai"])
def test_typed_answers_refuse_other_words(given):
    assert grading.grade(CLOZE, {"text": given}) == grading.Grade(0.0, False)


def test_short_words_take_no_typo():
    short = snapshot("cloze", accepted=["Kirov", "NKVD"])
    assert grading.grade(short, {"text": "Kirow"}).is_correct  # five letters
    assert not grading.grade(short, {"text": "NKVF"}).is_correct  # four letters
    assert grading.grade(short, {"text": "N.K.V.D."}).is_correct


@pytest.mark.parametrize(
    ("given", "accepted", "exact"),
    [
        ("Yezhov", "Yezhov", True),
        ("  yezhov!", "Yezhov", True),  # case and punctuation are no spelling
        ("Yézhov", "Yezhov", True),
        ("Yezhof", "Yezhov", False),
        ("nikolai yezov", "Nikolai Yezhov", False),
        ("Great Teror", "Great Terror", False),
        ("greatterror", "Great Terror", False),
    ],
)
def test_a_typed_answer_says_which_spelling_it_was_accepted_for(given, accepted, exact):
    assert grading.text_match(given, CLOZE["accepted"]) == grading.TextMatch(
        accepted, exact=exact
    )
    marked = grading.mark(CLOZE, {"text": given})
    assert marked["spelling"] == ("" if exact else accepted)


def test_an_exact_match_wins_over_an_earlier_near_one():
    accepted = ["Kirow", "Kirov"]  # two spellings a teacher accepts
    assert grading.text_match("kirov", accepted) == grading.TextMatch("Kirov", True)
    assert grading.text_match("Beria", accepted) is None
    assert grading.mark(CLOZE, {"text": "Beria"})["spelling"] == ""


def test_levenshtein():
    assert grading.levenshtein("kitten", "sitting") == 3
    assert grading.levenshtein("", "abc") == 3
    assert grading.levenshtein("same", "same") == 0


# --- Reading the form -----------------------------------------------------------


def test_parse_answer_reads_each_kind():
    # Choices are sent by their position as shown and stored by their id.
    assert grading.parse_answer(SINGLE, form("choice=1")) == {"choice_ids": [2]}
    assert grading.parse_answer(MULTIPLE, form("choice=3&choice=0")) == {
        "choice_ids": [1, 4]
    }
    tf = snapshot("true_false", is_true=True)
    assert grading.parse_answer(tf, form("value=false")) == {"value": False}
    assert grading.parse_answer(CLOZE, form("text=+Yezhov+")) == {"text": "Yezhov"}
    assert grading.parse_answer(CLOZE, form("text=Nikolai%09Yezhov%0A")) == {
        "text": "Nikolai\tYezhov"
    }
    assert grading.parse_answer(MATCHING, form("match-0=2&match-1=0&match-2=1")) == {
        "matches": [2, 0, 1]
    }


@pytest.mark.parametrize(
    ("question", "query", "message"),
    [
        (SINGLE, "", "Pick an answer"),
        (SINGLE, "choice=99", "not one of this question"),
        (SINGLE, "choice=2", "not one of this question"),  # positions 0 and 1
        (SINGLE, "choice=-1", "not one of this question"),
        (SINGLE, "choice=abc", "could not be read"),
        (SINGLE, "choice=0&choice=1", "only one"),
        (MULTIPLE, "choice=1&choice=4", "not one of this question"),
        (snapshot("true_false", is_true=True), "value=maybe", "True or False"),
        (CLOZE, "", "Type an answer"),
        (CLOZE, "text=+++", "Type an answer"),
        (CLOZE, "text=" + "a" * 501, "500 characters"),
        (CLOZE, "text=Yez%00hov", "control character"),  # PostgreSQL stores no NUL
        (CLOZE, "text=Yez%1Bhov", "control character"),
        (CLOZE, "text=Yez%7Fhov", "control character"),
        (CLOZE, "text=Yez%C2%85hov", "control character"),
        (MATCHING, "match-0=2&match-1=0", "Match every item"),
        (MATCHING, "match-0=2&match-1=0&match-2=1&match-3=1", "Match every item"),
        (MATCHING, "match-0=2&match-1=0&match-2=", "Match every item"),
        (MATCHING, "match-0=2&match-1=0&match-2=9", "Match every item"),
        (MATCHING, "match-0=2&match-1=0&match-2=x", "could not be read"),
        (SINGLE, "choice=0&version=2", "changed this question"),
    ],
)
def test_parse_answer_refuses_bad_input_with_a_readable_message(
    question, query, message
):
    with pytest.raises(InvalidAnswer, match=message):
        grading.parse_answer(question, form(query))


# --- What pages show -------------------------------------------------------------


def test_public_view_carries_no_sign_of_the_answer():
    for question in (SINGLE, MULTIPLE, MATCHING, CLOZE, snapshot("true_false")):
        shown = grading.public(question)
        text = repr(shown)
        assert "is_correct" not in text
        assert "Because." not in text
        assert "accepted" not in shown
        assert "pairs" not in shown
    assert "Yezhov" not in repr(grading.public(CLOZE))
    assert grading.public(MATCHING)["matches"] == [
        {"left": "Kirov"},
        {"left": "Yezhov"},
        {"left": "Bukharin"},
    ]


def test_each_kind_says_what_to_do_in_words_true_at_every_width():
    hints = {
        kind: grading.public(snapshot(kind))["hint"]
        for kind in ("single", "multiple", "true_false", "cloze", "matching")
    }
    assert hints["multiple"] == "Pick every answer that applies."
    # On a phone the items are stacked: nothing is on the left or the right.
    assert "choose its match" in hints["matching"]
    for hint in hints.values():
        assert hint
        assert "left" not in hint.lower()
        assert "right" not in hint.lower()


# --- A refused answer, put back ------------------------------------------------


def test_refill_puts_back_the_picks_of_a_refused_answer():
    shown = grading.public(MULTIPLE)
    refilled = grading.refill(shown, form("choice=0&choice=2&version=1"))
    assert [c["checked"] for c in refilled["choices"]] == [True, False, True, False]
    assert "checked" not in repr(shown)  # the question itself is left alone
    tf = grading.refill(grading.public(snapshot("true_false")), form("value=false"))
    assert [c["checked"] for c in tf["choices"]] == [False, True]
    assert grading.refill(grading.public(CLOZE), form("text=Yezh"))["text"] == "Yezh"


def test_refill_marks_the_items_still_to_match():
    refilled = grading.refill(
        grading.public(MATCHING), form("match-0=2&match-1=&match-2=9&version=1")
    )
    assert refilled["matches"] == [
        {"left": "Kirov", "picked": 2, "missing": False},
        {"left": "Yezhov", "picked": None, "missing": True},
        {"left": "Bukharin", "picked": None, "missing": True},  # no option 9
    ]


def test_refill_drops_picks_made_on_another_version_and_unreadable_text():
    shown = grading.public(MULTIPLE)
    assert grading.refill(shown, form("choice=0&version=2")) == shown
    for text in ("Yez%00hov", "a" * 501):
        assert "text" not in grading.refill(grading.public(CLOZE), form(f"text={text}"))


def test_public_choices_go_by_their_position_not_their_id():
    shuffled = snapshot("single", choices=list(reversed(MULTIPLE["choices"])))
    assert grading.public(shuffled)["choices"] == [
        {"value": 0, "text": "D"},
        {"value": 1, "text": "C"},
        {"value": 2, "text": "B"},
        {"value": 3, "text": "A"},
    ]
    for is_true in (True, False):
        shown = grading.public(snapshot("true_false", is_true=is_true))
        assert shown["choices"] == [
            {"value": "true", "text": "True"},
            {"value": "false", "text": "False"},
        ]


def test_review_marks_each_row():
    review = grading.mark(MULTIPLE, {"choice_ids": [1, 3]})
    assert [(r["text"], r["picked"], r["is_correct"]) for r in review["rows"]] == [
        ("A", True, True),
        ("B", False, True),
        ("C", True, False),
        ("D", False, False),
    ]
    assert review["right_answer"] == ["A", "B"]
    matching = grading.mark(MATCHING, {"matches": [2, 1, 0]})
    assert [row["ok"] for row in matching["rows"]] == [True, False, False]


def test_shuffles_are_deterministic_per_seed_and_question():
    items = list(range(20))
    first = grading.shuffled(items, seed=5, question_id=3)
    assert first == grading.shuffled(items, seed=5, question_id=3)
    assert first != items
    assert sorted(first) == items
    assert first != grading.shuffled(items, seed=5, question_id=4)
    assert grading.question_order(items, seed=9, shuffle=False) == items
    assert grading.question_order(items, seed=9, shuffle=True) != items


# --- Matching options ---------------------------------------------------------


def test_two_pairs_are_always_shown_swapped():
    for seed in range(500):
        assert grading.rearranged(["a", "b"], seed=seed, question_id=3) == ["b", "a"]


def test_three_pairs_show_each_order_but_the_given_one_equally_often():
    given = ["a", "b", "c"]
    seen = Counter(
        tuple(grading.rearranged(given, seed=seed, question_id=3))
        for seed in range(5000)
    )
    assert tuple(given) not in seen
    assert len(seen) == 5  # the 3! - 1 other orders
    # Each about 1/5 (1,000 of 5,000; one standard deviation is 28): the seeds
    # are fixed, so these bounds, over 7 deviations wide, hold on every run
    # and still fail an order drawn a third or a tenth of the time.
    assert all(800 <= count <= 1200 for count in seen.values()), seen


def test_options_never_come_in_the_given_order():
    for size in (2, 3, 4, 6):
        given = [f"item {n}" for n in range(size)]
        for seed in range(300):
            options = grading.rearranged(given, seed=seed, question_id=size)
            assert options != given
            assert sorted(options) == sorted(given)
    # Nothing to rearrange: one item, or items all alike.
    assert grading.rearranged(["a"], seed=1, question_id=1) == ["a"]
    assert grading.rearranged(["a", "a"], seed=1, question_id=1) == ["a", "a"]


# --- Feedback -------------------------------------------------------------------

PASSAGE = {
    "heading": "Consolidation of Power",
    "before": "Stalin saw rivals everywhere. ",
    "claim": "Sergei Kirov was murdered in Leningrad in December 1934.",
    "after": " Mass arrests followed.",
}


@pytest.mark.parametrize(
    ("explanation", "adds"),
    [
        (
            f'The essay says: "{PASSAGE["claim"]}"',
            False,
        ),
        (
            'Under "Consolidation of Power" the essay says: "Mass arrests followed."',
            False,
        ),
        ('The essay makes this point under "Consolidation of Power": "Kirov"', False),
        (
            'False: the essay says "Kirov was murdered" ("Leningrad", not "Kiev").',
            True,
        ),
        ("Kirov was popular: his murder gave Stalin a pretext.", True),
        ("", False),
    ],
)
def test_an_explanation_shows_only_when_it_says_more_than_the_passage(
    explanation, adds
):
    assert grading.explanation_adds(explanation, PASSAGE) is adds


def test_without_a_passage_any_explanation_says_something():
    assert grading.explanation_adds('The essay says: "Anything."', None)
    assert not grading.explanation_adds("  ", None)


def test_feedback_keeps_the_explanation_only_when_it_adds_to_the_passage():
    quoted = snapshot(
        "true_false",
        is_true=True,
        passage=PASSAGE,
        explanation=f'The essay says: "{PASSAGE["claim"]}"',
    )
    item = grading.feedback(
        quoted, {"value": False}, grading.Grade(0.0, False), show_answers=True
    )
    assert item["explanation"] == ""
    assert item["passage"] == PASSAGE
    assert item["percent"] == 0
    assert [row["picked"] for row in item["marked"]["rows"]] == [False, True]
    told = quoted | {"explanation": "Kirov was Stalin's rival in the party."}
    item = grading.feedback(
        told, {"value": True}, grading.Grade(1.0, True), show_answers=True
    )
    assert item["explanation"] == "Kirov was Stalin's rival in the party."
