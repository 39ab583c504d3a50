import pytest

from quizzes.essays import MAX_ESSAY_BYTES, EssayError, decode, parse

SEED_HEADINGS = [
    "",
    "",
    "Consolidation of Power",
    "Ideological Differences",
    "Historical Tensions",
    "Foreign Threats",
    "Fear of Spies and Sabotage",
    "",
    "",
]

MARKDOWN_ESSAY = """# How Plants Make Food

Plants make their own food. This page explains how.

## Light

Leaves catch sunlight with chlorophyll.
The light splits water into hydrogen and oxygen.

Oxygen leaves the plant through the stomata.

## Sugar
Carbon dioxide and hydrogen become glucose.
"""


def claim_texts(text: str) -> list[str]:
    return [claim.text for claim in parse(text).claims]


def assert_offsets_match(essay) -> None:
    for section in essay.sections:
        for claim in section.claims:
            assert essay.body[claim.start : claim.end] == claim.text
            assert section.start <= claim.start < claim.end <= section.end


def test_seed_essay_has_its_sections_and_headings(seed_text):
    essay = parse(seed_text)

    assert essay.title == ""
    assert [section.heading for section in essay.sections] == SEED_HEADINGS
    assert len(essay.claims) == 17
    assert_offsets_match(essay)


def test_seed_section_span_includes_its_heading(seed_text):
    essay = parse(seed_text)
    section = essay.sections[2]

    assert essay.body[section.start : section.end].startswith(
        "Consolidation of Power: Stalin wanted"
    )
    assert section.claims[0].text.startswith("Stalin wanted")


def test_sentence_ending_with_colon_is_a_list_intro_not_a_heading(seed_text):
    essay = parse(seed_text)
    intro = essay.sections[1]

    assert intro.heading == ""
    assert intro.claims[0].text.startswith("There are several factors")
    assert intro.claims[0].is_question_source is False
    assert all(c.is_question_source for c in essay.claims if c is not intro.claims[0])


def test_seed_body_keeps_paragraphs_apart(seed_text):
    body = parse(seed_text).body

    assert body.count("\n\n") == 8
    assert body.startswith("Stalin's Great Purge, also known as the Great Terror")


def test_line_endings_bom_and_trailing_spaces_are_normalised():
    essay = parse(
        "\ufeffThe first line is here.   \r\n\r\nA second one.\rA third one.  "
    )

    assert essay.body == "The first line is here.\n\nA second one. A third one."
    assert claim_texts(essay.body) == [
        "The first line is here.",
        "A second one.",
        "A third one.",
    ]


def test_hard_wrapped_lines_in_a_block_are_joined():
    text = "The king was\nbankrupt in 1788.\n\nHis ministers\nresigned."

    essay = parse(text)

    assert essay.body == "The king was bankrupt in 1788.\n\nHis ministers resigned."
    assert [section.heading for section in essay.sections] == ["", ""]


def test_markdown_headings_make_title_and_sections():
    essay = parse(MARKDOWN_ESSAY)

    assert essay.title == "How Plants Make Food"
    assert "How Plants Make Food" not in essay.body
    assert [section.heading for section in essay.sections] == ["", "Light", "Sugar"]
    light = essay.sections[1]
    assert essay.body[light.start : light.end].startswith("## Light")
    assert [claim.text for claim in light.claims] == [
        "Leaves catch sunlight with chlorophyll.",
        "The light splits water into hydrogen and oxygen.",
        "Oxygen leaves the plant through the stomata.",
    ]
    assert_offsets_match(essay)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Cause one: the harvest failed that year.",
        "Economic crisis: the treasury was empty.",
        "Fear of Spies and Sabotage: foreign agents were everywhere.",
    ],
)
def test_short_title_before_a_colon_is_a_heading(paragraph):
    section = parse(paragraph).sections[0]

    assert section.heading == paragraph.split(":")[0]
    assert section.claims[0].text == paragraph.split(": ")[1]


@pytest.mark.parametrize(
    "paragraph",
    [
        "There are several factors that could have played a role in this: many.",
        "The king said this: nobody listened.",
        "Our answer is simple: the harvest failed.",
        "The time was 10:30 when the crowd arrived.",
    ],
)
def test_a_sentence_with_a_colon_is_not_a_heading(paragraph):
    assert parse(paragraph).sections[0].heading == ""


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Troops came from the U.S. and the U.K. in 1918. They stayed.",
            ["Troops came from the U.S. and the U.K. in 1918.", "They stayed."],
        ),
        (
            "Dr. Smith met Mr. Jones and Mrs. Brown on St. Giles Street. It rained.",
            [
                "Dr. Smith met Mr. Jones and Mrs. Brown on St. Giles Street.",
                "It rained.",
            ],
        ),
        (
            "J. V. Stalin led the party. Rivals, e.g. Trotsky, i.e. the left, fled.",
            [
                "J. V. Stalin led the party.",
                "Rivals, e.g. Trotsky, i.e. the left, fled.",
            ],
        ),
        (
            "Prices rose 3.5 times vs. wages. See No. 5 for details.",
            ["Prices rose 3.5 times vs. wages.", "See No. 5 for details."],
        ),
        (
            "Bread, salt, etc. were taxed. The people starved.",
            ["Bread, salt, etc. were taxed.", "The people starved."],
        ),
        (
            'The king called it "treason." Then he left.',
            ['The king called it "treason."', "Then he left."],
        ),
        (
            'Rebels were labelled "enemies." by the press (in 1937.) and arrested.',
            ['Rebels were labelled "enemies." by the press (in 1937.) and arrested.'],
        ),
        (
            "The harvest failed that year. Why? Nobody knows! A last one",
            [
                "The harvest failed that year.",
                "Why?",
                "Nobody knows!",
                "A last one",
            ],
        ),
    ],
)
def test_sentences_are_split_at_real_ends_only(text, sentences):
    assert claim_texts(text) == sentences


def test_list_items_are_claims_and_the_intro_is_not_a_question_source():
    text = (
        "The causes were:\n- rising bread prices\n- a huge\n  royal debt\n"
        "1. New ideas spread through the cities."
    )

    essay = parse(text)

    # Items without a full stop are fragments: claims, but not asked about.
    assert [(c.text, c.is_question_source) for c in essay.claims] == [
        ("The causes were:", False),
        ("rising bread prices", False),
        ("a huge royal debt", False),
        ("New ideas spread through the cities.", True),
    ]
    assert essay.body == (
        "The causes were:\n- rising bread prices\n- a huge royal debt\n"
        "1. New ideas spread through the cities."
    )
    assert_offsets_match(essay)


def test_list_in_blank_line_essay_stays_in_its_paragraph():
    text = (
        "The intro sentence is here.\n\nThree causes:\n* debt\n* hunger\n* ideas\n\n"
        "The end is here."
    )

    essay = parse(text)

    assert len(essay.sections) == 3
    assert [c.text for c in essay.sections[1].claims] == [
        "Three causes:",
        "debt",
        "hunger",
        "ideas",
    ]


def test_claim_keys_follow_the_text_not_the_position():
    first = parse("Alpha is the first. Beta is the second.")
    second = parse("A new opening line.\n\nBeta is the second.  Alpha  is the first.")

    keys = {c.text: c.key for c in first.claims}
    assert {c.text: c.key for c in second.claims if c.text in keys} == keys


def test_repeated_sentence_gets_its_own_key():
    essay = parse("It rained all day. It rained all day.")

    assert len({claim.key for claim in essay.claims}) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t\n  ", "empty"),
        ("... !!! 1234. 5.", "no sentences"),
        ("# Title\n\n## Part one\n\n## Part two", "no sentences"),
    ],
)
def test_text_that_cannot_be_an_essay_is_refused(text, message):
    with pytest.raises(EssayError, match=message):
        parse(text)


def test_too_long_text_is_refused():
    with pytest.raises(EssayError, match="too long"):
        parse("A sentence. " * (MAX_ESSAY_BYTES // 10))


def test_decode_reads_utf8_with_or_without_bom():
    assert decode("Café é.".encode()) == "Café é."
    assert decode("\ufeffCafé.".encode()) == "Café."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("Caf\u00e9".encode("latin-1"), "not UTF-8"),
        (b"a" * (MAX_ESSAY_BYTES + 1), "too long"),
    ],
)
def test_decode_refuses_what_is_not_an_essay_file(data, message):
    with pytest.raises(EssayError, match=message):
        decode(data)


def test_a_setext_title_ending_in_etc_is_a_heading():
    """ "Timing guarantees, races, etc." over as many dashes stands alone: a
    heading, not the last line of a paragraph over a rule."""
    text = (
        "Triggers\n========\n\nA trigger is named by the package that wants it.\n\n"
        "Timing guarantees, races, etc.\n------------------------------\n\n"
        "Activating a trigger has no immediate effect on the system.\n\n"
        "The last line of this paragraph ends with a stop.\n"
        "---------\n\nThe next paragraph says something else entirely.\n"
    )
    headings = [section.heading for section in parse(text).sections]

    assert "Timing guarantees, races, etc." in headings
    assert not any(h.startswith("The last line") for h in headings)
