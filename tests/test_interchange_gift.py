"""GIFT read and written as Moodle does (quizzes/interchange/gift.py).

The Moodle cases: tests/data/gift/questions.gift.txt and
questions_in_category.gift.txt are copies of Moodle's own test fixtures
(moodle/moodle, question/format/gift/tests/fixtures/), and the test_moodle_*
cases below take their GIFT and their expected values from Moodle's
question/format/gift/tests/giftformat_test.php. Both are Moodle's, under the
GNU GPL v3 or later, used here as test data only. Moodle's expected fields
are translated to ours: questiontext -> prompt, questiontextformat ->
prompt_format, name -> title, generalfeedback -> explanation, answer /
fraction / feedback -> Answer, subquestions / subanswers -> Pair,
feedbacktrue / feedbackfalse -> true_feedback / false_feedback, idnumber ->
key. Moodle keeps a format for every answer and feedback; an Item keeps only
the prompt's, so those formats are not asserted (an HTML one only gets its
text sanitised).
"""

import dataclasses
import random
from pathlib import Path

import pytest

from quizzes import kinds
from quizzes.interchange import gift, gift_lexer
from quizzes.interchange.items import (
    HTML,
    MARKDOWN,
    MOODLE,
    PLAIN,
    Answer,
    InterchangeError,
    Item,
    Pair,
)

DATA = Path(__file__).parent / "data" / "gift"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def one(text: str) -> Item:
    parsed = gift.parse(text)
    assert not parsed.skipped
    (item,) = parsed.items
    return item


def without_lines(items: list[Item]) -> list[Item]:
    """Items as written and read back: a line number says where an item
    stood in its own file, so it is the one field a round trip changes."""
    return [dataclasses.replace(item, line=0) for item in items]


# Moodle's giftformat_test.php: its import cases.

ORANGE = "What's between orange and green in the spectrum?"


def test_moodle_import_essay_is_skipped():
    parsed = gift.parse("\n// essay\n::Q8:: How are you? {}")
    assert parsed.items == []
    (skipped,) = parsed.skipped
    assert (skipped.line, skipped.kind) == (3, "essay")
    assert "essay" in skipped.reason


def test_moodle_import_match():
    item = one(
        "\n// question: 2  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        "    =[html]An activity supporting asynchronous discussions. -> Forum\n"
        "    =[moodle]A teacher asks a question and specifies a choice of multiple "
        "responses. -> Choice\n"
        "    =[plain]A bank of record entries which participants can add to. "
        "-> Database\n"
        "    =[markdown]A collection of web pages that anyone can add to or edit. "
        "-> Wiki\n"
        "    = -> Chat\n"
        "}"
    )
    assert item.kind == kinds.MATCHING
    assert item.line == 3
    assert item.title == "Moodle activities"
    assert item.prompt == "Match the <b>activity</b> to the description."
    assert item.prompt_format == HTML
    assert item.explanation == ""
    # Moodle keeps each left side's format (html, moodle, plain, markdown,
    # html); a Pair has none, its text is the same.
    assert item.pairs == [
        Pair("An activity supporting asynchronous discussions.", "Forum"),
        Pair(
            "A teacher asks a question and specifies a choice of multiple responses.",
            "Choice",
        ),
        Pair("A bank of record entries which participants can add to.", "Database"),
        Pair("A collection of web pages that anyone can add to or edit.", "Wiki"),
        Pair("", "Chat"),
    ]


def test_moodle_import_multichoice():
    # Moodle runs this case once per answer-numbering setting (abc, ABCD,
    # 123, ...); PurgeQuiz has no such setting, so once is enough.
    item = one(
        "\n// multiple choice with specified feedback for right and wrong answers\n"
        f"::Q2:: {ORANGE}\n"
        "{\n"
        "    =yellow # right; good!\n"
        "    ~red # [html]wrong, it's yellow\n"
        "    ~[plain]blue # wrong, it's yellow\n"
        "}"
    )
    assert item.kind == kinds.SINGLE  # Moodle: 'single' => 1
    assert (item.title, item.prompt, item.prompt_format) == ("Q2", ORANGE, MOODLE)
    assert item.explanation == ""
    assert item.answers == [
        Answer("yellow", 1, "right; good!"),
        Answer("red", 0, "wrong, it's yellow"),
        Answer("blue", 0, "wrong, it's yellow"),
    ]


def test_moodle_import_multichoice_multi():
    item = one(
        "\n// multiple choice, multiple response with specified feedback for right "
        "and wrong answers\n"
        f"::colours:: {ORANGE}\n"
        "{\n"
        "    ~%50%yellow # right; good!\n"
        "    ~%-100%red # [html]wrong\n"
        "    ~%50%off-beige # right; good!\n"
        "    ~%-100%[plain]blue # wrong\n"
        "}"
    )
    assert item.kind == kinds.MULTIPLE  # Moodle: 'single' => 0
    assert (item.title, item.prompt, item.prompt_format) == ("colours", ORANGE, MOODLE)
    assert item.answers == [
        Answer("yellow", 0.5, "right; good!"),
        Answer("red", -1, "wrong"),
        Answer("off-beige", 0.5, "right; good!"),
        Answer("blue", -1, "wrong"),
    ]


def test_moodle_import_multichoice_multi_tricky():
    # One answer at 100% but no =: Moodle makes it a multiple-response
    # question (students tick boxes, wrong ticks cost half a mark).
    item = one(
        f"\n// multiple choice, multiple response\n::colours:: {ORANGE}\n"
        "{\n"
        "    ~%100%yellow # right; good!\n"
        "    ~%-50%red # wrong\n"
        "    ~%-50%blue # wrong\n"
        "}"
    )
    assert item.kind == kinds.MULTIPLE
    assert (item.title, item.prompt, item.prompt_format) == ("colours", ORANGE, MOODLE)
    assert item.answers == [
        Answer("yellow", 1, "right; good!"),
        Answer("red", -0.5, "wrong"),
        Answer("blue", -0.5, "wrong"),
    ]


def test_moodle_import_numerical_is_skipped():
    parsed = gift.parse(
        "\n// math range question\n"
        "::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}"
    )
    assert parsed.items == []
    (skipped,) = parsed.skipped
    assert (skipped.line, skipped.kind) == (3, "numerical")
    assert "numerical" in skipped.reason


SHORTANSWER = (
    "\n// question: 666  name: Shortanswer\n"
    "::Shortanswer::Which is the best animal?{\n"
    "    =Frog#Good!\n"
    "    =%50%Cat#What is it with Moodlers and cats?\n"
    "    =%0%*#Completely wrong\n"
    "{general}}"
)


@pytest.mark.parametrize(
    ("general", "explanation"),
    [
        ("", ""),  # test_import_shortanswer
        # test_import_shortanswer_with_general_feedback (its format, html,
        # is not kept: the text is sanitised, and stays the same).
        (
            "    ####[html]Here is some general feedback!\n",
            "Here is some general feedback!",
        ),
    ],
    ids=["shortanswer", "shortanswer_with_general_feedback"],
)
def test_moodle_import_shortanswer(general, explanation):
    item = one(SHORTANSWER.replace("{general}", general))
    assert item.kind == kinds.CLOZE
    assert (item.title, item.prompt) == ("Shortanswer", "Which is the best animal?")
    assert item.prompt_format == MOODLE
    # A short answer has no gap in its text; the service adds one at the end.
    assert kinds.BLANK not in item.prompt
    assert item.explanation == explanation
    assert item.answers == [
        Answer("Frog", 1, "Good!"),
        Answer("Cat", 0.5, "What is it with Moodlers and cats?"),
        Answer("*", 0, "Completely wrong"),
    ]


def test_moodle_import_truefalse():
    item = one(
        "\n// true/false\n"
        "::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.}"
    )
    assert item.kind == kinds.TRUE_FALSE
    assert item.title == "Q1"
    assert item.prompt == "42 is the Absolute Answer to everything."
    assert item.prompt_format == MOODLE
    assert item.is_true is False  # Moodle: 'correctanswer' => 0
    assert item.true_feedback == "42 is the Ultimate Answer."  # feedbacktrue
    assert item.false_feedback == "You gave the right answer."  # feedbackfalse


@pytest.mark.parametrize("answer", ["T", "TRUE"], ids=["answer1", "answer2"])
def test_moodle_import_truefalse_true_answer(answer):
    item = one(f"// name 0-11\n::2-08 TSL::TSL is blablabla.{{{answer}}}")
    assert item.kind == kinds.TRUE_FALSE
    assert (item.title, item.prompt, item.prompt_format) == (
        "2-08 TSL",
        "TSL is blablabla.",
        MOODLE,
    )
    assert item.is_true is True
    assert (item.true_feedback, item.false_feedback) == ("", "")
    assert item.line == 2


# Moodle's backslash, <pre> and tags cases are essays, which PurgeQuiz
# skips: each is checked skipped, then read again with {T} in place of {}
# to check the text Moodle expects.


def test_moodle_import_backslash():
    text = "\n// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}"
    assert [s.kind for s in gift.parse(text).skipped] == ["essay"]
    item = one(text.replace("{}", "{T}"))
    assert item.title == "double backslash"
    assert item.prompt == "A \\ B \\\\ C"


PRE = (
    "\n::Q001::[html]<p>What would running the test method print?</p>\n"
    "<pre>\n"
    "    public void test() \\{\n"
    "        method1();\n"
    "        method2();\n"
    "        method3();\n"
    "    \\}\n"
    "</pre>\n"
    "{}"
)


def test_moodle_import_pre_content():
    assert [s.kind for s in gift.parse(PRE).skipped] == ["essay"]
    item = one(PRE.replace("{}", "{T}"))
    assert item.title == "Q001"
    assert item.prompt_format == HTML
    # Moodle keeps the line break right after <pre>; HTML ignores it, and
    # the sanitiser, parsing the HTML, drops it.
    assert item.prompt == (
        "<p>What would running the test method print?</p>\n"
        "<pre>"
        "    public void test() {\n"
        "        method1();\n"
        "        method2();\n"
        "        method3();\n"
        "    }\n"
        "</pre>"
    )


def test_moodle_import_question_with_tags():
    text = (
        "\n// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:myid].\n"
        "::Question name:: How are you? {}"
    )
    assert [s.kind for s in gift.parse(text).skipped] == ["essay"]
    item = one(text.replace("{}", "{T}"))
    assert (item.title, item.prompt) == ("Question name", "How are you?")
    assert item.tags == ["tag", "other-tag"]
    assert item.key == "myid"  # Moodle's idnumber


@pytest.mark.parametrize(
    ("key", "tags", "comment"),
    [
        ("", [], ""),
        ("", [], "// A basic comment."),
        ("frog", [], "// A comment with [id:frog] <-- an idnumber."),
        ("", ["frog", "toad"], "// Look tags: [tag:frog] [tag:toad]."),
        ("four", ["add", "basic"], "// [tag:add] [tag:basic] [id:four]"),
        (
            "four",
            ["basic", "add"],
            "// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.",
        ),
        ("", [], "// Ceci n\\'est pas une [tag:\n\\ frog]."),
        ("i]d", [], "// [id:i\\]d]."),
        ("", ["t]ag"], "// [tag:t\\]ag]."),
    ],
    ids=[
        "blank comment",
        "nothing in comment",
        "idnumber only",
        "tags only",
        "everything",
        "everything mixed up",
        "split over line",
        "escape ] idnumber",
        "escape ] tag",
    ],
)
def test_moodle_extract_idnumber_and_tags_from_comment(key, tags, comment):
    assert gift_lexer.comment_tags(comment) == (key, tags)


# Moodle's export cases write GIFT; what they expect it to write must read
# back into the question they started from.


def test_moodle_export_match_reads_back():
    item = one(
        "// question: 666  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        '\t=<div class\\="frog">An activity supporting asynchronous discussions.</div>'
        " -> Forum\n"
        "\t=[moodle]A teacher asks a question and specifies a choice of multiple "
        "responses. -> Choice\n"
        "\t=[plain]A bank of record entries which participants can add to. "
        "-> Database\n"
        "\t=[markdown]A collection of web pages that anyone can add to or edit. "
        "-> Wiki\n"
        "\t= -> Chat\n"
        "}\n"
    )
    # The sanitiser drops the class attribute Moodle keeps.
    assert item.pairs[0] == Pair(
        "<div>An activity supporting asynchronous discussions.</div>", "Forum"
    )
    assert [pair.right for pair in item.pairs] == [
        "Forum",
        "Choice",
        "Database",
        "Wiki",
        "Chat",
    ]


@pytest.mark.parametrize(
    ("block", "kind", "answers"),
    [
        (
            "{\n\t=yellow#right; good!\n\t~red#[html]wrong, it's yellow\n"
            "\t~[plain]blue#wrong, it's yellow\n}",
            kinds.SINGLE,
            [(1, "yellow"), (0, "red"), (0, "blue")],
        ),
        (
            "{\n\t~%100%yellow#right; good!\n\t~%-50%red#wrong, it's yellow\n"
            "\t~%-50%blue#wrong, it's yellow\n}",
            kinds.MULTIPLE,
            [(1, "yellow"), (-0.5, "red"), (-0.5, "blue")],
        ),
    ],
    ids=["multichoice", "multichoice_multi_tricky"],
)
def test_moodle_export_multichoice_reads_back(block, kind, answers):
    item = one(f"// question: 666  name: Q8\n::Q8::{ORANGE}{block}\n")
    assert item.kind == kind
    assert [(a.fraction, a.text) for a in item.answers] == answers
    assert [a.feedback for a in item.answers] == [
        "right; good!",
        "wrong, it's yellow",
        "wrong, it's yellow",
    ]


@pytest.mark.parametrize(
    ("general", "explanation"),
    [
        ("", ""),
        (
            "\t####[html]Here is some general feedback!\n",
            "Here is some general feedback!",
        ),
    ],
    ids=["shortanswer", "shortanswer_with_general_feedback"],
)
def test_moodle_export_shortanswer_reads_back(general, explanation):
    item = one(
        "// question: 666  name: Shortanswer\n"
        "::Shortanswer::Which is the best animal?{\n"
        "\t=%100%Frog#Good!\n"
        "\t=%50%Cat#What is it with Moodlers and cats?\n"
        f"\t=%0%*#Completely wrong\n{general}}}\n"
    )
    assert item.kind == kinds.CLOZE
    assert [(a.text, a.fraction) for a in item.answers] == [
        ("Frog", 1),
        ("Cat", 0.5),
        ("*", 0),
    ]
    assert item.explanation == explanation


def test_moodle_export_truefalse_reads_back():
    item = one(
        "// question: 666  name: Q1\n"
        "::Q1::42 is the Absolute Answer to everything.{TRUE#[html]42 is the "
        "Ultimate Answer.#You gave the right answer.}\n"
    )
    assert item.is_true is True
    assert item.true_feedback == "You gave the right answer."
    assert item.false_feedback == "42 is the Ultimate Answer."


def test_moodle_export_question_with_tags_and_idnumber_reads_back():
    item = one(
        "// question: 12  name: True/false question\n"
        "// [id:myid] [tag:tag1] [tag:tag2]\n"
        "::True/false question::[html]The answer is true.{TRUE#This is the wrong "
        "answer.#This is the right answer.####You should have selected true.}\n"
    )
    assert (item.key, item.tags) == ("myid", ["tag1", "tag2"])
    assert item.prompt == "The answer is true."
    assert item.true_feedback == "This is the right answer."
    assert item.false_feedback == "This is the wrong answer."
    assert item.explanation == "You should have selected true."


@pytest.mark.parametrize(
    "text",
    [
        "// question: 666  name: Q8\n::Q8::How are you?{}\n",  # export_essay
        "// question: 666  name: Q5\n::Q5::What is a number from 1 to 5?{#\n"
        "\t=%100%3:2#\n\t~#Completely wrong\n}\n",  # export_numerical
        "// question: 666  name: backslash\n"
        "::backslash::A \\\\ B \\\\\\\\ C{}\n",  # export_backslash
    ],
    ids=["essay", "numerical", "backslash"],
)
def test_moodle_export_of_kinds_we_skip_reads_as_skipped(text):
    parsed = gift.parse(text)
    assert parsed.items == []
    assert len(parsed.skipped) == 1


# Moodle's two fixture files, every question.


def test_moodle_fixture_questions():
    parsed = gift.parse(read("questions.gift.txt"))
    assert [(s.line, s.kind) for s in parsed.skipped] == [
        (2, "essay"),
        (31, "numerical"),
    ]
    match, single, multiple, short, false, true_t, true_true = parsed.items
    assert (match.kind, match.line, match.prompt_format) == (kinds.MATCHING, 5, HTML)
    assert match.prompt == "Match the <b>activity</b> to the description."
    assert [p.right for p in match.pairs] == [
        "Forum",
        "Choice",
        "Database",
        "Wiki",
        "Chat",
    ]
    assert match.pairs[4] == Pair("", "Chat")
    assert (single.kind, single.title, single.prompt) == (kinds.SINGLE, "Q2", ORANGE)
    assert [(a.text, a.fraction, a.feedback) for a in single.answers] == [
        ("yellow", 1, "right; good!"),
        ("red", 0, "wrong, it's yellow"),
        ("blue", 0, "wrong, it's yellow"),
    ]
    assert (multiple.kind, multiple.title) == (kinds.MULTIPLE, "colours")
    assert [a.fraction for a in multiple.answers] == [0.5, -1, 0.5, -1]
    assert [a.text for a in multiple.answers] == ["yellow", "red", "off-beige", "blue"]
    assert (short.kind, short.prompt) == (kinds.CLOZE, "Which is the best animal?")
    assert [(a.text, a.fraction) for a in short.answers] == [
        ("Frog", 1),
        ("Cat", 0.5),
        ("*", 0),
    ]
    # Moodle's fixture leaves a stray `";` after this question's block (a
    # copy from its PHP test), so Moodle reads it as a missing word: the
    # gap where the block was, then the `";`. So do we.
    assert false.prompt == f'42 is the Absolute Answer to everything.{kinds.BLANK}";'
    assert (false.kind, false.is_true) == (kinds.TRUE_FALSE, False)
    assert false.true_feedback == "42 is the Ultimate Answer."
    assert false.false_feedback == "You gave the right answer."
    assert false.explanation == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )
    for item in (true_t, true_true):
        assert (item.kind, item.is_true, item.title) == (
            kinds.TRUE_FALSE,
            True,
            "2-08 TSL",
        )
        assert item.prompt == "TSL is blablabla."
    assert [item.category for item in parsed.items] == [""] * 7


def test_moodle_fixture_questions_in_category():
    parsed = gift.parse(read("questions_in_category.gift.txt"))
    assert parsed.skipped == []
    match, greeting, user, acronym = parsed.items
    assert {item.category for item in parsed.items} == {
        "$course$/Default for New Features"
    }
    assert {item.prompt_format for item in parsed.items} == {HTML}
    assert [item.title for item in parsed.items] == [
        "Moodle activities",
        "Greeting",
        "Moodle user",
        "Moodle acronym",
    ]
    assert match.kind == kinds.MATCHING
    assert match.pairs[0] == Pair(
        "An activity supporting asynchronous discussions.", "Forum"
    )
    assert len(match.pairs) == 5
    # Moodle keeps the HTML as written; ours is sanitised: the link gets
    # rel="noopener noreferrer" and <br /> is written <br>.
    assert greeting.prompt == (
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3" '
        'rel="noopener noreferrer">Listen to this greeting:</a><br><br>'
        "What language is being spoken?"
    )
    assert greeting.kind == kinds.SINGLE
    assert [(a.text, a.fraction) for a in greeting.answers] == [
        ("English", 0),
        ("French", 1),
        ("German", 0),
        ("Spanish", 0),
    ]
    assert greeting.answers[1].feedback == "Yes, well done!"
    assert user.kind == kinds.CLOZE
    assert user.answers == [Answer("Moodler", 1, "")]
    assert user.prompt == "Anyone who uses Moodle is a ..."
    assert (acronym.kind, acronym.is_true) == (kinds.TRUE_FALSE, True)
    # The sanitiser drops the style attribute Moodle keeps.
    assert acronym.prompt == (
        "Moodle is an acronym for <span>Modular Object-Oriented Dynamic "
        "Learning Environment</span>."
    )


@pytest.mark.parametrize(
    "name", ["questions.gift.txt", "questions_in_category.gift.txt"]
)
def test_moodle_fixtures_write_and_read_back_the_same(name):
    parsed = gift.parse(read(name))
    again = gift.parse(gift.write(parsed.items))
    assert again.skipped == []
    assert without_lines(again.items) == without_lines(parsed.items)


# The rest of GIFT.


def test_missing_word_leaves_a_gap_and_choices_make_it_a_choice():
    item = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert item.kind == kinds.SINGLE
    assert item.prompt == f"Grant is {kinds.BLANK} in Grant's tomb."
    assert [a.text for a in item.answers if a.is_correct] == ["entombed"]


def test_missing_word_with_accepted_answers_is_a_cloze():
    item = one("Two plus {=two =2} is four.")
    assert item.kind == kinds.CLOZE
    assert item.prompt == f"Two plus {kinds.BLANK} is four."
    assert [a.text for a in item.answers] == ["two", "2"]


def test_categories_comments_and_multi_line_questions():
    parsed = gift.parse(
        "// A bank for week 1\n"
        "$CATEGORY: Week 1/Cells\n"
        "\n"
        "// the nucleus\n"
        "::Nucleus::\n"
        "What holds a cell's DNA?\n"
        "{\n"
        "  =The nucleus # yes\n"
        "  // a comment inside the answers\n"
        "  ~The wall\n"
        "}\n"
        "\n\n"
        "$CATEGORY: Week 2\n"
        "Water boils at 100 °C at sea level.{T}\n"
    )
    nucleus, water = parsed.items
    assert (nucleus.category, nucleus.title, nucleus.line) == (
        "Week 1/Cells",
        "Nucleus",
        5,
    )
    assert nucleus.prompt == "What holds a cell's DNA?"
    assert nucleus.answers == [
        Answer("The nucleus", 1, "yes"),
        Answer("The wall", 0, ""),
    ]
    assert (water.category, water.line, water.is_true) == ("Week 2", 15, True)


def test_escapes_are_read_as_the_characters():
    item = one(
        "What is 1 \\= 1 \\: \\{really\\} \\~ \\# ?\\nSay.{=yes\\#no#it is \\= ~no}"
    )
    assert item.prompt == "What is 1 = 1 : {really} ~ # ?\nSay."
    assert item.answers == [Answer("yes#no", 1, "it is ="), Answer("no", 0, "")]


@pytest.mark.parametrize(
    ("marker", "text_format", "prompt"),
    [
        ("", MOODLE, "Pick *one*."),
        ("[moodle]", MOODLE, "Pick *one*."),
        ("[plain]", PLAIN, "Pick *one*."),
        ("[markdown]", MARKDOWN, "Pick *one*."),  # kept as written
        ("[html]", HTML, "Pick *one*."),
        ("[rtf]", MOODLE, "[rtf]Pick *one*."),  # not a format: part of the text
    ],
)
def test_format_markers(marker, text_format, prompt):
    item = one(f"{marker}Pick *one*.{{=a ~b}}")
    assert (item.prompt_format, item.prompt) == (text_format, prompt)


def test_html_texts_are_sanitised():
    item = one(
        "[html]<p onclick='x()'>Safe?</p><script>alert(1)</script>"
        "{=[html]<b>yes</b><img src\\=x onerror\\=y>#<i>right</i><script>z</script>"
        " ~[plain]<no> tags#1 < 2####<style>p\\{\\}</style>Done}"
    )
    assert item.prompt == "<p>Safe?</p>"
    assert item.answers == [
        Answer("<b>yes</b>", 1, "<i>right</i>"),
        # [plain] texts are not HTML: the page showing them escapes them.
        Answer("<no> tags", 0, "1 &lt; 2"),
    ]
    assert item.explanation == "Done"


def test_weights_are_decimal_percentages():
    item = one("Pick.{~%33.33333%a ~%66.66667%b ~%-100%c}")
    assert [a.fraction for a in item.answers] == [0.3333333, 0.6666667, -1]


def test_true_false_in_any_case_and_feedback_on_either_side():
    item = one("Is it?{false##You are right.}")
    assert (item.is_true, item.true_feedback, item.false_feedback) == (
        False,
        "",
        "You are right.",
    )


def test_parse_bytes_decodes_first():
    parsed = gift.parse_bytes("\ufeff::Q::Is it ½?\r\n{T}\r\n".encode())
    assert [(item.prompt, item.line) for item in parsed.items] == [("Is it ½?", 1)]
    with pytest.raises(InterchangeError, match="empty"):
        gift.parse_bytes(b"")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "No question was found"),
        ("// only a comment\n\n// and another\n", None, "No question was found"),
        ("$CATEGORY: Empty\n", None, "No question was found"),
        ("Q1 {T}\n\nWhat is\nit? {=a ~b\n\nQ3 {T}", 4, "never closed"),
        ("What is it? =a ~b}", 1, "closes no answer block"),
        ("What {=a} is } it?", 1, "closes no answer block"),
        ("What {=a {=b} c}", 1, "opens inside another"),
        ("What {=a} and {=b}?", 1, "second one"),
        ("Q1 {T}\n\nWhat is it?\n{~}", 4, "empty"),
        ("What is it? {= }", 1, "empty"),
        ("What is it? {=a ~ ~c}", 1, "empty"),
        ("Is it? {Yes}", 1, "{T}"),
        ("Is it? {TRUE FALSE}", 1, "{T}"),
        ("Match {\n=a -> b\n=c\n}", 3, "no ->"),
        ("Match {=a -> b =c -> }", 1, "nothing after ->"),
        ("Match {=a -> b}", 1, "at least two pairs"),
        ("Pick {~a ~b ~c}", 1, "no right answer"),
        ("Pick {~%-50%a ~b}", 1, "no right answer"),
        ("Pick {~%100%a}", 1, "at least two answers"),
        ("Pick {\n=a\n~%150%b}", 3, "outside -100 to 100"),
        ("Pick {=a ~%-101%b}", 1, "outside -100 to 100"),
        ("Pick {=a ~%abc%b}", 1, "not a number"),
        ("Name it {=%fifty%a}", 1, "not a number"),
        ("Name it {=%0%a}", 1, "earns a mark"),
        ("::Unclosed title {T}", 1, "never closed"),
        ("Broken \ud800 text {T}", 1, "broken character"),
    ],
)
def test_bad_gift_is_refused_with_its_line(text, line, words):
    with pytest.raises(InterchangeError) as refused:
        gift.parse(text)
    assert refused.value.line == line
    assert words in refused.value.message


def test_write_looks_like_moodles_gift():
    written = gift.write(
        [
            Item(
                kinds.SINGLE,
                "Which colour?",
                title="Q2",
                prompt_format=MOODLE,
                answers=[Answer("yellow", 1, "right; good!"), Answer("red", 0, "")],
            ),
            Item(
                kinds.TRUE_FALSE, "Grass is green.", is_true=True, key="7", tags=["a"]
            ),
        ]
    )
    assert written == (
        "::Q2::Which colour?{\n\t=yellow#right; good!\n\t~red\n}\n"
        "\n"
        "// [id:7] [tag:a]\n[plain]Grass is green.{TRUE}\n"
    )


@pytest.mark.parametrize(
    "item",
    [
        Item("essay", "Write."),
        Item(kinds.TRUE_FALSE, "No answer."),
        Item(kinds.CLOZE, "Nothing accepted."),
    ],
)
def test_write_refuses_what_gift_cannot_hold(item):
    with pytest.raises(InterchangeError, match="cannot be written as GIFT"):
        gift.write([item])


# Round trips.

HARD = "a~b=c#d{e}f:g\\h\\\\i -> j\nk \\n ::l:: // m %5% [html]"


def every_kind() -> list[Item]:
    return [
        Item(
            kinds.SINGLE,
            f"Single {HARD}?",
            title=f"Title {HARD}",
            explanation=f"Because {HARD}",
            answers=[
                Answer(f"right {HARD}", 1, f"yes {HARD}"),
                Answer(f"%50% wrong {HARD}", 0, f"no {HARD}"),
                Answer("[html] also wrong", -0.25, ""),
            ],
            category=f"Top/{HARD.split()[0]}",
            key="q-1",
            tags=["week one", "cells"],
        ),
        Item(
            kinds.MULTIPLE,
            f"Multiple {HARD}",
            prompt_format=MOODLE,
            answers=[
                Answer(f"half {HARD}", 0.5, "#"),
                Answer("other half", 0.5, ""),
                Answer("all", 1, ""),
                Answer("bad", -1, f"-> {HARD}"),
                Answer("a third", 1 / 3, ""),
            ],
        ),
        Item(
            kinds.TRUE_FALSE,
            f"True? {HARD}",
            is_true=False,
            true_feedback=f"Shown to true {HARD}",
            false_feedback=f"Shown to false {HARD}",
            explanation="####",
        ),
        Item(kinds.TRUE_FALSE, "Only right feedback", is_true=True, true_feedback="R"),
        Item(
            kinds.CLOZE,
            f"Short {HARD}",
            answers=[
                Answer(f"one {HARD}", 1, f"good {HARD}"),
                Answer("%two%", 0.5, "half"),
                Answer("T", 1, ""),
                Answer("*", 0, "no"),
            ],
        ),
        Item(
            kinds.MATCHING,
            f"Match {HARD}",
            pairs=[
                Pair(f"left {HARD}", f"right {HARD}"),
                Pair("a -> b", "c -> d"),
                Pair("", "distractor"),
            ],
        ),
        Item(
            kinds.CLOZE,
            f"Missing {kinds.BLANK} word {HARD}",
            answers=[Answer("a", 1, ""), Answer("b", 1, "")],
        ),
        Item(
            kinds.SINGLE,
            f"Ends with a gap {kinds.BLANK}",
            answers=[Answer("a", 1, ""), Answer("b", 0, "")],
        ),
        Item(
            kinds.MATCHING,
            "<p>HTML &amp; -&gt; <b>pairs</b></p>",
            prompt_format=HTML,
            pairs=[Pair("<i>x</i>", "1 < 2"), Pair("1 < 2 & so", "<b>")],
        ),
        Item(
            kinds.SINGLE,
            "// looks like a comment",
            prompt_format=MOODLE,
            answers=[Answer("[plain] a", 1, "[x]"), Answer("b", 0, "")],
        ),
        Item(
            kinds.TRUE_FALSE,
            "# Heading\n\n*markdown*",
            prompt_format=MARKDOWN,
            is_true=True,
        ),
    ]


def test_every_kind_writes_and_reads_back_the_same():
    items = every_kind()
    assert without_lines(gift.parse(gift.write(items)).items) == items


def test_write_then_read_gives_the_same_for_hostile_texts():
    # What a reading gives, written, reads back the same: random GIFT-ish
    # texts that parse are written and parsed again.
    rng = random.Random(7)
    kept = 0
    for _ in range(300):
        text = questionish(rng)
        try:
            parsed = gift.parse(text)
        except InterchangeError:
            continue
        if not parsed.items:
            continue  # writing no item gives a file with no question
        kept += 1
        assert without_lines(gift.parse(gift.write(parsed.items)).items) == (
            without_lines(parsed.items)
        ), text
    assert kept > 30


PIECES = [
    "{", "}", "~", "=", "#", "####", "::", ":", "\\", "\\\\", "\\n", "\\{", "->",
    "-\\>", "%", "%50%", "%-100%", "%abc%", "%150%", "[html]", "[plain]",
    "[markdown]", "<b>", "</b>", "<script>", "&", "\n", "\n\n", "//", "$CATEGORY:",
    "T", "FALSE", " ", "\t", "word", "Ünï", "_____", "\x00", "\x0b", "\u2028",
    "\r",
]  # fmt: skip


TEXT = [
    "word", " ", "::", "\\:", "\\{", "\\}", "\\~", "\\=", "\\#", "\\n", "\\\\",
    "\\", "->", "[html]", "[markdown]", "<b>", "&", "<", "_____", "\n", "//", "%",
]  # fmt: skip
ANSWERS = [
    *TEXT, "=", "=", "~", "~", "#", "####", "%50%", "%-25%", "%100%", "T", "FALSE",
]  # fmt: skip


MARKS = ["=", "~", " ~%50%", "=%50%", "~%-25%", "\n=", "\n\t~", " -> "]


def questionish(rng: random.Random) -> str:
    """Questions made of GIFT's pieces, most of them readable."""

    def words() -> str:
        return "w" + "".join(rng.choice(TEXT) for _ in range(rng.randrange(6)))

    def question() -> str:
        text = words()
        if rng.random() < 0.3:
            block = "".join(rng.choice(ANSWERS) for _ in range(rng.randrange(1, 12)))
        else:
            block = rng.choice(["", "TRUE", "F", "=a -> b"]) + "".join(
                rng.choice(MARKS) + words() + rng.choice(["", "#" + words()])
                for _ in range(rng.randrange(1, 5))
            )
        after = rng.choice(["", "", " after", "\\n"])
        title = rng.choice(["", "::t\\:1::"])
        return f"{title}{text}{{{block}}}{after}"

    return "\n\n".join(question() for _ in range(rng.randrange(1, 4)))


def hostile(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(40)))
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 30)))


def test_any_text_is_read_or_refused_never_a_crash():
    rng = random.Random(20261203)
    outcomes = [outcome(hostile(rng)) for _ in range(300)]
    outcomes += [outcome(questionish(rng)) for _ in range(200)]
    assert set(outcomes) == {"read", "refused"}


def outcome(text: str) -> str:
    try:
        gift.parse(text)
    except InterchangeError as refused:
        return "refused" if refused.message else "refused without a message"
    return "read"


def test_an_item_starts_at_its_title_line():
    parsed = gift.parse("// c\n::Long\\ntitle::\nText\n{T}\n\n::Only text::\nNo block.")
    assert parsed.items[0].line == 2
    assert parsed.items[0].title == "Long\ntitle"
    assert [(s.line, s.kind) for s in parsed.skipped] == [(6, "description")]
