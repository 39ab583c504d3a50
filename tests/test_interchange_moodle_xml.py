"""Moodle XML files: what we write is what Moodle's exporter writes, what
Moodle writes (its own test files) we read, a round trip loses nothing, and
a hostile file is refused with a message instead of a traceback."""

import dataclasses
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from quizzes import kinds
from quizzes.interchange import moodle_xml
from quizzes.interchange.items import (
    HTML,
    MARKDOWN,
    MAX_BYTES,
    MOODLE,
    PLAIN,
    Answer,
    InterchangeError,
    Item,
    Pair,
    Skipped,
)

DATA = Path(__file__).parent / "data" / "moodle_xml"
# Every character XML treats specially, a CDATA end and non-ASCII text.
SPECIAL = "5 < 6 & 7 > 2, \"quoted\" 'single' ]]> café 日本 ✓"


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def written(items, **kwargs) -> ET.Element:
    data = moodle_xml.write(items, **kwargs)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    return ET.fromstring(data)


def questions(root: ET.Element) -> list[ET.Element]:
    return [q for q in root.findall("question") if q.get("type") != "category"]


def answers(question: ET.Element) -> list[tuple[str, str, str, str]]:
    return [
        (
            a.get("fraction"),
            a.get("format"),
            a.findtext("text"),
            a.findtext("feedback/text"),
        )
        for a in question.findall("answer")
    ]


# Writing


def test_single_choice_is_a_multichoice_with_single_true():
    item = Item(
        kind=kinds.SINGLE,
        prompt="<p>Which city is the <b>capital</b> of France?</p>",
        prompt_format=HTML,
        title="Capital of France",
        explanation="<p>Paris has been the capital since 987.</p>",
        answers=[
            Answer("Paris", 1, "Right."),
            Answer("Lyon", 0, "Second city."),
            Answer("Nice", -0.3333333, "Far south."),
        ],
        key="q-17",
        tags=["geography", "France"],
    )
    (question,) = questions(written([item]))
    assert question.get("type") == "multichoice"
    assert question.findtext("name/text") == "Capital of France"
    assert question.find("questiontext").get("format") == "html"
    assert question.findtext("questiontext/text") == item.prompt
    assert question.find("generalfeedback").get("format") == "html"
    assert question.findtext("generalfeedback/text") == item.explanation
    assert question.findtext("defaultgrade") == "1"
    assert question.findtext("penalty") == "0.3333333"
    assert question.findtext("hidden") == "0"
    assert question.findtext("idnumber") == "q-17"
    assert question.findtext("single") == "true"
    assert question.findtext("shuffleanswers") == "true"
    assert question.findtext("answernumbering") == "abc"
    assert answers(question) == [
        ("100", "html", "Paris", "Right."),
        ("0", "html", "Lyon", "Second city."),
        ("-33.33333", "html", "Nice", "Far south."),
    ]
    assert [t.findtext("text") for t in question.findall("tags/tag")] == [
        "geography",
        "France",
    ]


def test_multiple_answer_is_a_multichoice_with_single_false_and_shared_marks():
    item = Item(
        kind=kinds.MULTIPLE,
        prompt="Which are even?",
        answers=[Answer("2", 0.5), Answer("4", 0.5), Answer("3", -1)],
    )
    (question,) = questions(written([item]))
    assert question.findtext("single") == "false"
    assert question.find("questiontext").get("format") == "plain_text"
    assert [a[0] for a in answers(question)] == ["50", "50", "-100"]


def test_true_false_has_true_and_false_answers_with_their_feedback():
    item = Item(
        kind=kinds.TRUE_FALSE,
        prompt="The Moon is a planet.",
        is_true=False,
        true_feedback="It is a satellite.",
        false_feedback="Right: a satellite.",
    )
    (question,) = questions(written([item]))
    assert question.get("type") == "truefalse"
    assert question.findtext("penalty") == "1"
    assert answers(question) == [
        ("0", "plain_text", "true", "It is a satellite."),
        ("100", "plain_text", "false", "Right: a satellite."),
    ]


def test_cloze_is_a_shortanswer_keeping_the_gap():
    item = Item(
        kind=kinds.CLOZE,
        prompt=f"The capital of France is {kinds.BLANK}.",
        answers=[Answer("Paris", 1, "Yes."), Answer("paris, France", 0.5, "Close.")],
    )
    (question,) = questions(written([item]))
    assert question.get("type") == "shortanswer"
    assert question.findtext("questiontext/text") == "The capital of France is _____."
    assert question.findtext("usecase") == "0"
    assert question.find("single") is None
    assert answers(question) == [
        ("100", "plain_text", "Paris", "Yes."),
        ("50", "plain_text", "paris, France", "Close."),
    ]


def test_matching_has_a_subquestion_per_pair():
    item = Item(
        kind=kinds.MATCHING,
        prompt="Match each country to its capital.",
        pairs=[Pair("France", "Paris"), Pair("Spain", "Madrid")],
    )
    (question,) = questions(written([item]))
    assert question.get("type") == "matching"
    subquestions = question.findall("subquestion")
    assert [(s.findtext("text"), s.findtext("answer/text")) for s in subquestions] == [
        ("France", "Paris"),
        ("Spain", "Madrid"),
    ]
    assert question.findtext("shuffleanswers") == "true"


HEAD = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty"]
HEAD += ["hidden", "idnumber"]
FEEDBACKS = ["correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"]


@pytest.mark.parametrize(
    ("item", "order"),
    [
        (
            Item(kind=kinds.TRUE_FALSE, prompt="T?", is_true=True),
            [*HEAD, "answer", "answer"],
        ),
        (
            Item(kind=kinds.CLOZE, prompt="A _____.", answers=[Answer("b", 1)]),
            [*HEAD, "usecase", "answer"],
        ),
        (
            Item(kind=kinds.SINGLE, prompt="P?", answers=[Answer("a", 1)]),
            [*HEAD, "single", "shuffleanswers", "answernumbering"]
            + ["showstandardinstruction", *FEEDBACKS, "answer"],
        ),
        (
            Item(kind=kinds.MATCHING, prompt="M", pairs=[Pair("a", "b")] * 2),
            [*HEAD, "shuffleanswers", *FEEDBACKS, "subquestion", "subquestion"],
        ),
    ],
    ids=["truefalse", "shortanswer", "multichoice", "matching"],
)
def test_elements_come_in_the_order_of_moodles_exporter(item, order):
    """The order of xmlformat_test.php's test_export_* expected XML."""
    (question,) = questions(written([item]))
    assert [child.tag for child in question] == order


def test_formats_are_written_as_moodle_names_them():
    names = {}
    for fmt in (HTML, MOODLE, PLAIN, MARKDOWN):
        item = Item(kind=kinds.TRUE_FALSE, prompt="Yes?", is_true=True)
        item.prompt_format = fmt
        (question,) = questions(written([item]))
        names[fmt] = question.find("questiontext").get("format")
    assert names == {
        HTML: "html",
        MOODLE: "moodle_auto_format",
        PLAIN: "plain_text",
        MARKDOWN: "markdown",
    }


def test_a_question_without_title_is_named_by_its_first_words():
    item = Item(
        kind=kinds.TRUE_FALSE,
        prompt="<p>Photosynthesis turns <em>light</em> into sugar in a leaf cell.</p>",
        prompt_format=HTML,
        is_true=True,
    )
    (question,) = questions(written([item]))
    assert (
        question.findtext("name/text")
        == "Photosynthesis turns light into sugar in a leaf…"
    )


def test_special_characters_survive_in_cdata_and_a_cdata_end_is_split():
    item = Item(kind=kinds.TRUE_FALSE, prompt=SPECIAL, is_true=True)
    data = moodle_xml.write([item])
    assert b"<text><![CDATA[5 < 6 & 7 > 2" in data
    assert b"]]]]><![CDATA[>" in data
    (question,) = questions(ET.fromstring(data))
    assert question.findtext("questiontext/text") == SPECIAL


def test_characters_xml_cannot_carry_are_left_out():
    item = Item(
        kind=kinds.TRUE_FALSE, prompt="Tab\tbell\x07 form\x0c end", is_true=True
    )
    (question,) = questions(written([item]))
    assert question.findtext("questiontext/text") == "Tab\tbell form end"


def test_the_passage_and_its_source_go_into_the_general_feedback():
    plain = Item(
        kind=kinds.TRUE_FALSE,
        prompt="Trees talk.",
        is_true=True,
        explanation="They share sugar through fungi.",
        passage="Trees share nutrients through mycorrhizal networks.",
        source="The Hidden Forest",
    )
    html = dataclasses.replace(plain, prompt_format=HTML, source="Roots & Shoots")
    no_source = dataclasses.replace(plain, source="", explanation="")
    feedbacks = [
        questions(written([item]))[0].findtext("generalfeedback/text")
        for item in (plain, html, no_source)
    ]
    assert feedbacks == [
        "They share sugar through fungi.\n\nFrom the essay “The Hidden Forest”: "
        "Trees share nutrients through mycorrhizal networks.",
        "They share sugar through fungi.\n<p>From the essay <em>Roots &amp; "
        "Shoots</em>: Trees share nutrients through mycorrhizal networks.</p>",
        "From the essay: Trees share nutrients through mycorrhizal networks.",
    ]


def test_a_category_question_comes_first_and_wherever_the_category_changes():
    first = Item(kind=kinds.TRUE_FALSE, prompt="One", is_true=True)
    second = dataclasses.replace(first, prompt="Two", category="$course$/top/Other")
    third = dataclasses.replace(first, prompt="Three")
    root = written([first, second, third], category="$course$/top/Essays")
    seen = [
        q.findtext("category/text")
        if q.get("type") == "category"
        else q.findtext("questiontext/text")
        for q in root.findall("question")
    ]
    assert seen == [
        "$course$/top/Essays",
        "One",
        "$course$/top/Other",
        "Two",
        "$course$/top/Essays",
        "Three",
    ]
    assert root.find("question/info").get("format") == "moodle_auto_format"


def test_no_category_question_without_a_category():
    item = Item(kind=kinds.TRUE_FALSE, prompt="One", is_true=True)
    root = written([item])
    assert [q.get("type") for q in root.findall("question")] == ["truefalse"]


def test_fractions_are_written_as_moodle_writes_them():
    percents = [moodle_xml.percent(f) for f in (1, 0.5, 0.1, -0.3333333, 0, -0.0)]
    assert percents == ["100", "50", "10", "-33.33333", "0", "0"]


# Reading Moodle's own files


def test_moodle_multichoice_fixture():
    parsed = moodle_xml.parse(fixture("multichoice.xml"))
    (item,) = parsed.items
    assert item.kind == kinds.SINGLE
    assert item.title == "Greeting"
    assert item.line == 12
    assert item.category == "$course$/Default for testhead/Multichoice"
    assert item.prompt_format == HTML
    assert "What language is being spoken?" in item.prompt
    assert [(a.text, a.fraction, a.feedback) for a in item.answers] == [
        ("<p> English</p>", 0.0, "<p>Sorry, listen again.</p>"),
        ("<p> French</p>", 1.0, "<p>Yes, well done!</p>"),
        ("<p> German</p>", 0.0, "<p>Sorry, listen again.</p>"),
        ("<p> Danish</p>", 0.0, "<p>Sorry, listen again.</p>"),
    ]
    assert parsed.skipped == []


def test_moodle_truefalse_fixture_whose_answer_is_false():
    (item,) = moodle_xml.parse(fixture("truefalse.xml")).items
    assert item.kind == kinds.TRUE_FALSE
    assert item.title == "Moodle acronym (False)"
    assert item.is_true is False
    assert item.true_feedback == "<p> Your answer is incorrect.</p>"
    assert item.false_feedback == "<p> Your answer is correct.</p>"
    # Sanitised: the style attribute and the image (a file we do not import)
    # are gone, the link stays.
    assert item.prompt == (
        "<p>Moodle  is an acronym for <span>Modular Object-Oriented Dynamic "
        "Learning Education</span>.</p>"
    )
    assert 'href="http://docs.moodle.org/en/About_Moodle"' in item.explanation


def test_moodle_nested_categories_with_questions():
    parsed = moodle_xml.parse(fixture("nested_categories_with_questions.xml"))
    assert [(i.title, i.category, i.is_true) for i in parsed.items] == [
        ("Iota Question", "$course$/Iota", True),
        ("Kappa Question", "$course$/Iota/Kappa", True),
        ("Lambda Question", "$course$/Iota/Kappa/Lambda", True),
        ("Mu Question", "$course$/Iota/Mu", True),
    ]
    assert parsed.items[0].prompt == "<p>Testing Iota Question</p>"
    assert [(s.line, s.kind) for s in parsed.skipped] == [(55, "essay")]
    assert "marked by hand" in parsed.skipped[0].reason


def test_moodle_old_format_file():
    parsed = moodle_xml.parse(fixture("old_format_file.xml"))
    assert [(i.title, i.category, i.line) for i in parsed.items] == [
        ("Pi Question", "$course$/Pi", 11),
        ("Rho Question", "$course$/Pi/Rho", 46),
    ]


def test_moodle_old_image_tag_file_reads_the_multichoice_and_skips_the_cloze():
    parsed = moodle_xml.parse(fixture("sample_questions_with_old_image_tag.xml"))
    (item,) = parsed.items
    assert item.title == "mcq with image"
    assert item.kind == kinds.SINGLE
    # Moodle trims the answers' surrounding whitespace; so do we.
    assert [(a.text, a.fraction) for a in item.answers] == [
        ("wrong answer", 0.0),
        ("another wrong answer", 0.0),
        ("right answer", 1.0),
    ]
    assert [(s.line, s.kind) for s in parsed.skipped] == [(16, "cloze")]
    assert "Split it into short-answer questions" in parsed.skipped[0].reason


def test_the_questions_of_moodles_xmlformat_test():
    """The values xmlformat_test.php expects of its test_import_*_19 tests."""
    parsed = moodle_xml.parse(fixture("xmlformat_test_questions.xml"))
    matching, multiple, short, true_false = parsed.items

    assert matching.kind == kinds.MATCHING
    assert matching.title == "Matching question"
    assert matching.prompt == "Match the upper and lower case letters."
    # The same text as Moodle's, sanitised as HTML ("->" becomes "-&gt;").
    assert matching.explanation == "The answer is A -&gt; a, B -&gt; b and C -&gt; c."
    # Moodle's fourth subquestion has no text: an extra answer "d".
    assert matching.pairs == [
        Pair("A", "a"),
        Pair("B", "b"),
        Pair("C", "c"),
        Pair("", "d"),
    ]
    assert matching.tags == ["tagMatching", "tagTest"]

    assert multiple.kind == kinds.MULTIPLE
    assert multiple.title == "Multiple choice question"
    assert multiple.prompt == "Which are the even numbers?"
    assert multiple.explanation == "The even numbers are 2 and 4."
    assert [a.text for a in multiple.answers] == ["1", "2", "3", "4"]
    assert [a.fraction for a in multiple.answers] == [0, 1, 0, 1]

    assert short.kind == kinds.CLOZE
    assert short.prompt == "Fill in the gap in this sequence: Alpha, ________, Gamma."
    assert short.explanation == "The answer is Beta."
    assert [(a.text, a.fraction, a.feedback) for a in short.answers] == [
        ("Beta", 1, "Well done!"),
        ("*", 0, "Doh!"),
    ]

    assert true_false.kind == kinds.TRUE_FALSE
    assert true_false.title == "True false question"
    assert true_false.explanation == "General feedback: You should have chosen true."
    assert true_false.is_true is True
    assert (true_false.true_feedback, true_false.false_feedback) == (
        "Well done!",
        "Doh!",
    )

    assert [(s.kind, s.line) for s in parsed.skipped] == [
        ("numerical", 180),
        ("essay", 215),
        ("description", 234),
        ("cloze", 252),
    ]
    assert all(s.reason for s in parsed.skipped)


# Round trip


def round_trip_items() -> list[Item]:
    return [
        Item(
            kind=kinds.SINGLE,
            prompt=f"Which is right? {SPECIAL}",
            title=f"Title {SPECIAL}",
            explanation=f"Because {SPECIAL}",
            answers=[
                Answer(f"Right {SPECIAL}", 1, f"Yes {SPECIAL}"),
                Answer("Wrong", -0.3333333, "No"),
                Answer("Half", 0.5, ""),
            ],
            passage=f"The passage {SPECIAL}",
            source=f"The essay {SPECIAL}",
            key="q-1",
            tags=["tag one", "café"],
        ),
        Item(
            kind=kinds.MULTIPLE,
            prompt="<p>Pick the <strong>even</strong> numbers: 2 &lt; 3 &amp; “4”</p>",
            prompt_format=HTML,
            explanation="<p>2 and 4 &gt; 1 — é</p>",
            answers=[Answer("2", 0.5, "<p>yes</p>"), Answer("4", 0.5), Answer("3", -1)],
            passage=f"A passage with {SPECIAL}",
            source="Roots & Shoots",
        ),
        Item(
            kind=kinds.TRUE_FALSE,
            prompt=f"It is true {SPECIAL}",
            prompt_format=MARKDOWN,
            is_true=True,
            true_feedback=f"Right {SPECIAL}",
            false_feedback=f"Wrong {SPECIAL}",
            passage="No source for this passage.",
        ),
        Item(
            kind=kinds.TRUE_FALSE,
            prompt="It is false",
            prompt_format=MOODLE,
            is_true=False,
            title="A false one",
            passage=f"Shown as HTML in Moodle: {SPECIAL}",
            source=f"Essay {SPECIAL}",
        ),
        Item(
            kind=kinds.CLOZE,
            prompt=f"The {kinds.BLANK} is {SPECIAL}",
            answers=[Answer(f"gap {SPECIAL}", 1, f"fb {SPECIAL}"), Answer("near", 0.5)],
            category="$course$/top/Own & category",
        ),
        Item(
            kind=kinds.MATCHING,
            prompt=f"Match {SPECIAL}",
            pairs=[Pair(f"left {SPECIAL}", f"right {SPECIAL}"), Pair("B", "b")],
            explanation="Pairs.",
        ),
    ]


def test_round_trip_gives_back_equal_items_for_every_kind():
    original = round_trip_items()
    category = "$course$/top/Essays/Trees"
    parsed = moodle_xml.parse(moodle_xml.write(original, category=category))
    assert parsed.skipped == []
    expected = [
        dataclasses.replace(item, category=item.category or category)
        for item in original
    ]
    assert [dataclasses.replace(item, line=0) for item in parsed.items] == expected
    assert {item.kind for item in parsed.items} == {k.value for k in kinds.KINDS}
    assert all(item.line > 0 for item in parsed.items)


# Refused and skipped

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol9;</text></questiontext>
</question></quiz>
"""
EXTERNAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&xxe;</text></questiontext>
</question></quiz>
"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY % remote SYSTEM "http://example.com/evil.dtd"> %remote;]>
<quiz/>
"""
DTD = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE quiz SYSTEM "quiz.dtd">
<quiz></quiz>
"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL, PARAMETER], ids=["bomb", "xxe", "pe"])
def test_entities_are_refused_never_expanded(data):
    with pytest.raises(InterchangeError) as refused:
        moodle_xml.parse(data)
    assert refused.value.message.startswith(
        "This file declares XML entities, which PurgeQuiz does not read"
    )
    assert "export it again from Moodle" in refused.value.message
    assert refused.value.line == 2
    assert "root:" not in str(refused.value)


def test_any_dtd_is_refused():
    with pytest.raises(InterchangeError) as refused:
        moodle_xml.parse(DTD)
    assert "document type declaration (<!DOCTYPE>)" in refused.value.message
    assert "export it again from Moodle" in refused.value.message
    assert refused.value.line == 2


def test_malformed_xml_names_its_line():
    data = b'<?xml version="1.0"?>\n<quiz>\n  <question type="truefalse">\n  </quiz>\n'
    with pytest.raises(InterchangeError) as refused:
        moodle_xml.parse(data)
    assert refused.value.line == 4
    assert "not well-formed XML (mismatched tag)" in refused.value.message
    assert str(refused.value).startswith("Line 4: ")


def test_an_undefined_entity_is_malformed_not_read():
    data = b"<quiz>\n<question type='truefalse'>&xxe;</question></quiz>"
    with pytest.raises(InterchangeError) as refused:
        moodle_xml.parse(data)
    assert refused.value.line == 2
    assert "undefined entity" in refused.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n ", "The file is empty."),
        (b"<quiz>" + b"x" * MAX_BYTES + b"</quiz>", "the most is 1 MB"),
        (b"<quiz>\n\x00</quiz>", "The file is not a text file."),
        (b"<quiz>\n\xff\xfe</quiz>", "The file is not UTF-8 text."),
        (b"<html><body/></html>", "it starts with <html>, where Moodle writes <quiz>"),
        (b"<quiz>\n</quiz>", "The file holds no questions."),
        (b"::Title:: What? {T}", "not well-formed XML"),
    ],
)
def test_files_that_are_not_moodle_quizzes_are_refused(data, message):
    with pytest.raises(InterchangeError) as refused:
        moodle_xml.parse(data)
    assert message in str(refused.value)


def wrap(*questions_: str) -> bytes:
    return ("<quiz>\n" + "\n".join(questions_) + "\n</quiz>\n").encode()


TEXT = "<questiontext><text>Q?</text></questiontext>"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            f'<question type="multichoice">{TEXT}</question>',
            "This multiple-choice question has no answers.",
        ),
        (
            f'<question type="multichoice">{TEXT}<answer fraction="0"><text>a</text>'
            '</answer><answer fraction="-50"><text>b</text></answer></question>',
            "No answer of this multiple-choice question earns marks.",
        ),
        (
            f'<question type="multichoice">{TEXT}<answer fraction="lots"><text>a</text>'
            "</answer></question>",
            "An answer's grade “lots” is not a number.",
        ),
        (
            f'<question type="multichoice">{TEXT}<answer fraction="1e999"><text>a'
            "</text></answer></question>",
            "An answer's grade 1e999% is not between -100% and 100%.",
        ),
        (
            f'<question type="shortanswer">{TEXT}<answer fraction="0"><text>a</text>'
            "</answer></question>",
            "No answer of this short-answer question earns marks.",
        ),
        (
            f'<question type="truefalse">{TEXT}<answer fraction="0"><text>true</text>'
            '</answer><answer fraction="0"><text>false</text></answer></question>',
            "Neither “true” nor “false” earns the marks in this question.",
        ),
        (
            f'<question type="matching">{TEXT}<subquestion><text>A</text><answer>'
            "<text>a</text></answer></subquestion></question>",
            "A matching question needs at least two pairs; this one has 1.",
        ),
        (
            '<question type="truefalse"><answer fraction="100"><text>true</text>'
            "</answer></question>",
            "This question has no question text.",
        ),
        ("<question>" + TEXT + "</question>", "This question does not say its type."),
        (
            f'<question type="ordering">{TEXT}</question>',
            "Moodle's “ordering” questions have no equivalent in PurgeQuiz.",
        ),
    ],
)
def test_bad_questions_are_skipped_with_their_line_and_reason(question, reason):
    good = (
        f'<question type="truefalse">{TEXT}<answer fraction="100"><text>true</text>'
        "</answer></question>"
    )
    parsed = moodle_xml.parse(wrap(good, question, good))
    assert [item.line for item in parsed.items] == [2, 4]
    assert [(s.line, s.reason) for s in parsed.skipped] == [(3, reason)]
    assert isinstance(parsed.skipped[0], Skipped)


def test_html_is_sanitised_and_plain_text_is_kept_as_written():
    data = wrap(
        '<question type="truefalse"><questiontext format="html"><text><![CDATA['
        '<p onclick="steal()">Hi<script>alert(1)</script></p>]]></text>'
        '</questiontext><answer fraction="100"><text>true</text></answer></question>',
        '<question type="truefalse"><questiontext format="plain_text"><text>'
        "<![CDATA[a <b> & c]]></text></questiontext>"
        '<answer fraction="100"><text>true</text></answer></question>',
    )
    html, plain = moodle_xml.parse(data).items
    assert html.prompt == "<p>Hi</p>"
    assert plain.prompt == "a <b> & c"
    assert plain.prompt_format == PLAIN


def test_html_written_without_cdata_is_kept_as_markup():
    data = wrap(
        '<question type="truefalse"><questiontext format="html"><text>Is <b>this</b>'
        ' bold?</text></questiontext><answer fraction="100"><text>true</text>'
        "</answer></question>"
    )
    (item,) = moodle_xml.parse(data).items
    assert item.prompt == "Is <b>this</b> bold?"


def test_markup_nested_without_end_is_skipped_not_a_crash():
    deep = "<b>" * 40_000 + "x" + "</b>" * 40_000
    question = (
        f'<question type="truefalse"><questiontext><text>{deep}</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>'
    )
    parsed = moodle_xml.parse(wrap(question))
    assert parsed.items == []
    assert [(s.line, s.reason) for s in parsed.skipped] == [
        (2, "This question's text nests its tags too deeply to read.")
    ]


def test_random_and_hostile_bytes_never_raise_anything_else():
    rng = random.Random(20261203)
    seeds = [
        moodle_xml.write(round_trip_items()),
        fixture("xmlformat_test_questions.xml"),
        BOMB,
        EXTERNAL,
    ]
    alphabet = b"<>/=\"' &;![]?-:#x\n\tquizquestiontextanswerfraction\xc3\xa9\x00\xff"
    outcomes, messages = {"parsed": 0, "refused": 0}, []
    for _ in range(400):
        choice = rng.random()
        if choice < 0.25:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        elif choice < 0.5:
            data = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 300)))
        else:
            seed = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 8)):
                at = rng.randrange(len(seed))
                action = rng.random()
                if action < 0.4:
                    del seed[at : at + rng.randrange(1, 40)]
                elif action < 0.7:
                    seed[at:at] = bytes(rng.choice(alphabet) for _ in range(5))
                else:
                    seed[at] = rng.randrange(256)
            data = bytes(seed)
        try:
            parsed = moodle_xml.parse(data)
        except InterchangeError as error:
            messages.append(error.message)
            outcomes["refused"] += 1
        else:
            assert all(isinstance(item, Item) for item in parsed.items)
            outcomes["parsed"] += 1
    assert outcomes["parsed"] > 0
    assert outcomes["refused"] > 0
    assert all(messages)
