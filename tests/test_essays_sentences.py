"""What parse() makes a question source of, and what a question shows of it:
headings in the shapes real documents use, non-sentences, markup, pronouns,
and the texts the importer refuses."""

import time

import pytest

from quizzes.essays import MAX_ESSAY_BYTES, EssayError, parse
from quizzes.sentences import MAX_SENTENCE_CHARS, balanced, broken, is_sentence
from tests.test_layout import APP, imported


def assert_offsets_match(essay) -> None:
    for section in essay.sections:
        for claim in section.claims:
            assert essay.body[claim.start : claim.end] == claim.text
            assert section.start <= claim.start < claim.end <= section.end


def sources(essay) -> list[str]:
    return [c.question_text for c in essay.claims if c.is_question_source]


def claim(essay, starting: str):
    return next(c for c in essay.claims if c.text.startswith(starting))


# --- headings ------------------------------------------------------------------

SETEXT = """Photosynthesis
==============

Plants make their own food from light.

Light reactions
---------------
Leaves catch sunlight with chlorophyll. The light splits water into gases.

Sugar
-----

Carbon dioxide and hydrogen become glucose in the leaf.
"""


def test_setext_headings_make_title_and_sections_and_the_underline_is_no_text():
    essay = parse(SETEXT)

    assert essay.title == "Photosynthesis"
    assert [s.heading for s in essay.sections] == ["", "Light reactions", "Sugar"]
    assert all("--" not in c.text and "==" not in c.text for c in essay.claims)
    assert essay.sections[1].claims[0].text == "Leaves catch sunlight with chlorophyll."
    assert essay.body[essay.sections[2].start :].startswith("Sugar\n-----\n\n")
    assert_offsets_match(essay)


def test_heading_numbers_are_left_out_of_the_heading():
    essay = parse(
        "## 2.1 Early life\n\nThe boy grew up in a small village.\n\n"
        "3. Later life\n-------------\n\nThe man moved to the capital city."
    )

    assert [s.heading for s in essay.sections] == ["Early life", "Later life"]
    assert "## 2.1 Early life" in essay.body


def test_setext_headings_in_one_line_per_paragraph_form():
    text = (
        "Early life\n----------\nThe boy grew up in a small village by the sea.\n"
        "Later life\n----------\nThe man moved to the capital and became a judge."
    )

    essay = parse(text)

    assert [s.heading for s in essay.sections] == ["Early life", "Later life"]
    assert sources(essay) == [
        "The boy grew up in a small village by the sea.",
        "The man moved to the capital and became a judge.",
    ]
    assert_offsets_match(essay)


@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_a_short_line_over_a_paragraph_is_its_heading(separator):
    lines = [
        "The French Revolution",
        "Background",
        "France was bankrupt in 1788 after many wars.",
        "2. Causes",
        "Bread prices rose sharply in the cities of France.",
        "2.1 New ideas",
        "New ideas about rights spread through the salons of Paris.",
    ]

    essay = parse(separator.join(lines))

    assert essay.title == "The French Revolution"
    assert [s.heading for s in essay.sections] == ["Background", "Causes", "New ideas"]
    assert [c.text for c in essay.claims] == lines[2::2]
    assert "2. Causes" in essay.body
    assert_offsets_match(essay)


@pytest.mark.parametrize(
    "text",
    [
        # A hard-wrapped sentence: the next line goes on in lower case.
        "The king was\nbankrupt in 1788.\n\nThe ministers resigned in the spring.",
        # A line ending with a small word is half a sentence.
        "The harvest failed and\n\nBread prices rose sharply in the cities.",
        # Over ten words is no title.
        "One two three four five six seven eight nine ten eleven\n\n"
        "Bread prices rose sharply in the cities.",
        # A file name is no title.
        "Michael_Hart_at_the_Conference.jpg\n\nBread prices rose in the cities.",
    ],
)
def test_a_line_that_is_not_a_title_makes_no_heading(text):
    assert {s.heading for s in parse(text).sections} == {""}


def test_heading_colon_body_paragraphs_keep_working(seed_text):
    headings = [s.heading for s in parse(seed_text).sections]

    assert headings.count("") == 4
    assert "Consolidation of Power" in headings


def test_a_note_is_not_a_heading_and_not_asked_about():
    essay = parse(
        "Note: the archive closes at five every day.\n\n"
        "The archive holds letters from the war years."
    )

    assert [s.heading for s in essay.sections] == ["", ""]
    assert sources(essay) == ["The archive holds letters from the war years."]


def test_a_heading_after_an_inline_title_shows_a_capital():
    essay = parse("Causes: the harvest failed in the north that year.")

    assert essay.sections[0].heading == "Causes"
    assert essay.claims[0].question_text == "The harvest failed in the north that year."


# --- non-sentences ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Too short here.",
        "A line without a final stop",
        "The result ===== was shown here.",
        "3. The first step of the method.",
        "a) The first item of the list.",
        "B. The second item of the list.",
        "Available from ⟨http://www.iso.ch/⟩.",
        "See the documentation for the details.",
        "Refer to chapter two for the proof.",
        "Click the button to start the engine.",
        "Note: the results may vary a lot.",
        "(This is an aside about the method.)",
        "[This is an editor's note here.]",
        "####### F",
        "x = f(y) + {z: 2} * [a, b];",
    ],
)
def test_what_is_not_a_sentence(text):
    assert not is_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        "The NKVD arrested 1,500,000 people in 1937 and 1938.",
        'He called it "treason."',
        "Why did the harvest fail?",
        "The king (Louis XVI) was bankrupt in 1788.",
    ],
)
def test_what_is_a_sentence(text):
    assert is_sentence(text)


def test_fragments_stay_claims_but_are_not_asked_about():
    essay = parse(
        "The king was bankrupt in 1788 after many wars. See the appendix for "
        "the numbers. (The figures are estimates from that time.) Why did the "
        "wars cost so much? , the treasury said in 1789. ####### F"
    )

    assert [(c.text, c.is_question_source) for c in essay.claims] == [
        ("The king was bankrupt in 1788 after many wars.", True),
        ("See the appendix for the numbers.", False),
        ("(The figures are estimates from that time.)", False),
        ("Why did the wars cost so much?", False),
        (", the treasury said in 1789.", False),
        ("####### F", False),
    ]


def test_a_list_of_short_items_is_asked_about_through_its_intro():
    essay = parse(
        "The revolution had three causes:\n- rising bread prices\n- a royal debt\n"
        "- new ideas\n\nThe king was bankrupt in 1788 after many wars."
    )

    intro = essay.claims[0]
    assert intro.text == "The revolution had three causes:"
    assert intro.question_text == (
        "The revolution had three causes: rising bread prices, a royal debt, "
        "and new ideas."
    )
    assert intro.is_question_source
    assert not any(c.is_question_source for c in essay.claims[1:4])


@pytest.mark.parametrize(
    "items",
    [
        ["only one item here"],
        ["The harvest failed in the north.", "The king was bankrupt."],
        ["caching (public, or private)", "filtering"],
    ],
)
def test_a_list_of_sentences_or_long_items_leaves_its_intro_alone(items):
    text = "The causes were these:\n" + "\n".join(f"- {i}" for i in items)
    text += "\n\nThe king was bankrupt in 1788 after many wars."

    assert not parse(text).claims[0].is_question_source


def test_a_list_label_goes_into_the_marker():
    essay = parse(
        "The steps were these:\n\na) The soil is dug over in the autumn.\n"
        "b) The seed is sown in the spring."
    )

    assert sources(essay) == [
        "The soil is dug over in the autumn.",
        "The seed is sown in the spring.",
    ]
    assert "a) The soil" in essay.body
    assert_offsets_match(essay)


def test_code_blocks_and_prompts_are_kept_in_the_body_but_are_no_claims():
    text = (
        "Python frees memory that is no longer used.\n\n"
        "    x = [1, 2, 3]\n    del x\n\n"
        "$ python -m gc --help\n>>> import gc\n\n"
        "```\nprint('The collector runs now and then.')\n\nmore()\n```\n\n"
        "The collector runs now and then."
    )

    essay = parse(text)

    assert [c.text for c in essay.claims] == [
        "Python frees memory that is no longer used.",
        "The collector runs now and then.",
    ]
    assert "del x" in essay.body
    assert ">>> import gc" in essay.body
    assert_offsets_match(essay)


MANUAL = """GREP(1)            User Commands            GREP(1)

NAME
       grep - print lines that match patterns

DESCRIPTION
       The grep program searches each input file for lines that match a
       pattern. It prints each matching line to the standard output.

       For example:

           $ grep -i hello file.txt   # print the lines with "hello"
                                      # in any case
           # a comment in the example
           grep -c hello file.txt

EXIT STATUS
       Normally the exit status is 0 if a line is selected and 1 otherwise.
"""


def test_a_manual_page_reads_as_sections_of_prose_with_code_apart():
    essay = parse(MANUAL)

    assert [s.heading for s in essay.sections if s.heading] == [
        "DESCRIPTION",
        "EXIT STATUS",
    ]
    assert sources(essay) == [
        "The grep program searches each input file for lines that match a pattern.",
        "It prints each matching line to the standard output.",
        "Normally the exit status is 0 if a line is selected and 1 otherwise.",
    ]
    assert not any("grep -" in c.text or "comment" in c.text for c in essay.claims)
    assert "# in any case" in essay.body
    assert_offsets_match(essay)


def test_a_quotation_block_is_read_as_prose_without_its_marks():
    essay = parse(
        "The speech ended with these words.\n\n> We shall fight on the beaches,\n"
        "> and we shall never surrender.\n\n>>> print('code')"
    )

    assert sources(essay) == [
        "The speech ended with these words.",
        "We shall fight on the beaches, and we shall never surrender.",
    ]


def test_an_indented_list_continuation_is_not_code():
    text = (
        "The causes were these:\n\n- The harvest failed in the north.\n\n"
        "    The price of bread rose as a result."
    )

    assert "The price of bread rose as a result." in sources(parse(text))


# --- markup ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Python uses *reference counting* to free memory.",
            "Python uses reference counting to free memory.",
        ),
        (
            "The **cycle** collector runs _now and then_.",
            "The cycle collector runs now and then.",
        ),
        (
            "The `gc` module finds cycles of objects.",
            "The gc module finds cycles of objects.",
        ),
        (
            "The [manual](https://docs.python.org) explains it well.",
            "The manual explains it well.",
        ),
        (
            "The <b>cycle</b> collector runs<br/> now and then.",
            "The cycle collector runs now and then.",
        ),
        ("The collector was added in 2000.[1]", "The collector was added in 2000."),
        (
            "The collector was added in 2000 [citation needed].",
            "The collector was added in 2000.",
        ),
        (
            "Salt &amp; pepper were taxed by the king.",
            "Salt & pepper were taxed by the king.",
        ),
        (
            'HTTP is a {{Glossary("protocol")}} for fetching {{Note}}resources.',
            "HTTP is a protocol for fetching resources.",
        ),
        (
            "The command reads a range of lines (*note sed addresses::).",
            "The command reads a range of lines.",
        ),
        (
            "The N command described in *note Reporting Bugs:: breaks it.",
            "The N command described in Reporting Bugs breaks it.",
        ),
    ],
)
def test_markup_is_cleaned_from_what_a_question_shows(text, shown):
    [only] = parse(text).claims

    assert only.text == text  # the passage keeps what was written
    assert only.shown == shown
    assert only.is_question_source


@pytest.mark.parametrize("blank", ["", "\n"])
def test_a_word_split_at_a_line_end_is_joined(blank):
    # One line per paragraph, hard-wrapped, or blank-line separated.
    essay = parse(
        "Memory is freed by the reference-\ncounting machinery of the interpreter.\n"
        + blank
        + "It keeps a communi-\ncation channel open all the ty\u2010\npographical time."
    )

    assert essay.body == (
        "Memory is freed by the reference-counting machinery of the interpreter.\n\n"
        "It keeps a communication channel open all the typographical time."
    )


def test_a_stray_quote_at_an_end_is_dropped_and_an_unbalanced_inside_is_not_asked():
    essay = parse(
        'The speaker went on for an hour. "The war is over, he said. '
        "The crowd (all of them cheered loudly at the news."
    )

    assert claim(essay, '"The war').question_text == "The war is over, he said."
    assert claim(essay, '"The war').is_question_source
    assert not claim(essay, "The crowd").is_question_source


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ('The crowd left the square."', "The crowd left the square."),
        ("The crowd left the square.)", "The crowd left the square."),
        ("(The crowd left the square.", "The crowd left the square."),
        ("“The crowd left the square.", "The crowd left the square."),
        ("The crowd left the square”.", "The crowd left the square."),
        ('The crowd said "go" and left.', 'The crowd said "go" and left.'),
        ("The crowd left (the square.", None),
        ('The crowd "left the square.', None),
    ],
)
def test_a_stray_mark_at_an_end_is_dropped(text, fixed):
    assert balanced(text) == fixed


# --- pronouns --------------------------------------------------------------------


def test_a_pronoun_is_replaced_by_the_one_person_the_sentence_before_is_about():
    essay = parse(
        "Joseph Stalin ruled the Soviet Union from 1924. He ordered the arrest "
        "of many officials. His fear of rivals grew every year."
    )

    assert [c.question_text for c in essay.claims] == [
        "Joseph Stalin ruled the Soviet Union from 1924.",
        "Joseph Stalin ordered the arrest of many officials.",
        "Joseph Stalin's fear of rivals grew every year.",
    ]
    assert essay.claims[1].text == "He ordered the arrest of many officials."
    assert not any(c.context for c in essay.claims)


@pytest.mark.parametrize(
    ("before", "shown"),
    [
        ("Marie Curie studied radium in Paris.", "Marie Curie won the prize twice."),
        ("The Soviet Union feared spies in 1937.", ""),
        ("While Lenin was ill, Stalin gained power.", ""),
    ],
)
def test_a_pronoun_is_replaced_only_by_a_person_who_is_the_subject(before, shown):
    essay = parse(f"{before} She won the prize twice.")

    second = essay.claims[1]
    assert second.shown == shown
    assert second.context == ("" if shown else before)


def test_a_pronoun_with_two_possible_people_gets_the_sentence_before_as_context():
    essay = parse(
        "The generals met Stalin in Moscow and Kiev. "
        "He ordered their arrest soon after the meeting."
    )

    second = essay.claims[1]
    assert second.shown == ""
    assert second.context == "The generals met Stalin in Moscow and Kiev."
    assert second.is_question_source


def test_this_and_these_get_the_sentence_before_as_context(seed_text):
    essay = parse(seed_text)

    belief = claim(essay, "This belief")
    assert belief.context.startswith("Stalin believed that foreign powers")
    assert claim(essay, "This led").context.startswith("Stalin was fearful")
    assert claim(essay, "He aimed").question_text.startswith("Stalin aimed")


def test_a_first_sentence_leaning_on_nothing_uses_the_heading_or_is_not_asked():
    headed = parse("Causes: They arrived in the spring of that year.")
    bare = parse(
        "They arrived in the spring of that year.\n\n"
        "The harvest failed in the north that year."
    )

    assert headed.claims[0].context == "Causes"
    assert headed.claims[0].is_question_source
    assert not bare.claims[0].is_question_source
    assert bare.claims[1].is_question_source


# --- the seed essay ------------------------------------------------------------------


def test_every_content_sentence_of_the_seed_is_a_question_source(seed_text):
    essay = parse(seed_text)

    not_asked = [c.text for c in essay.claims if not c.is_question_source]
    assert not_asked == [
        "There are several factors that could have played a role in the "
        "initiation of the Great Purge:"
    ]
    assert len(sources(essay)) == 16


def test_parsing_a_long_essay_stays_fast(seed_text):
    text = "\n".join([seed_text] * (MAX_ESSAY_BYTES // len(seed_text.encode()) - 1))
    started = time.perf_counter()
    essay = parse(text)
    elapsed = time.perf_counter() - started

    assert len(essay.claims) > 7000
    assert elapsed < 5, elapsed


# --- refusals ------------------------------------------------------------------------


def test_control_and_invisible_characters_are_stripped():
    essay = parse("The king was \u202ebankrupt in 1788\u200b after \x07many wars.\x1b")

    assert essay.body == "The king was bankrupt in 1788 after many wars."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("The king was bankrupt in 1788." + "\x1b" * 40, "control or invisible"),
        ("\n".join(["word"] * 10_000), "one or two words"),
        ("\n\n".join(["Word"] * 300), "one or two words"),
        ("and then the war went on " * 8000, "short enough"),
        ("####### F", "no sentences"),
        (
            "\n".join(
                ["A heading line of words here"] * 350
                + ["The king was bankrupt in 1788 after many wars."] * 10
            ),
            "most of its paragraphs",
        ),
    ],
)
def test_text_that_is_not_prose_is_refused(text, message):
    with pytest.raises(EssayError, match=message):
        parse(text)


@pytest.mark.parametrize("mark", ["; ", ": "])
def test_a_long_run_is_split_at_semicolons_into_sentences(mark):
    part = "the war went on in the north for many long years with great losses"
    text = mark.join([part] * 12) + "."

    essay = parse(text)

    assert len(essay.claims) > 1
    assert all(len(c.question_text) <= MAX_SENTENCE_CHARS for c in essay.claims)
    assert all(c.is_question_source for c in essay.claims)
    assert all(c.question_text[0].isupper() for c in essay.claims)
    assert all(c.question_text.endswith(".") for c in essay.claims)
    assert_offsets_match(essay)


@pytest.mark.parametrize("name", ["headings.py", "references.py", "sentences.py"])
def test_the_parser_helpers_are_pure(name):
    assert not {n for n in imported(APP / name) if n.split(".")[0] == "django"}


def test_a_placeholder_in_angle_brackets_is_no_tag_and_its_sentence_is_not_asked():
    essay = parse(
        "When a package activates a trigger, <I> is added to the awaited list.\n\n"
        "The <b>trigger</b> is processed later by the interested package."
    )
    placeholder, tagged = essay.claims

    assert not placeholder.is_question_source
    assert tagged.is_question_source
    assert tagged.question_text == (
        "The trigger is processed later by the interested package."
    )


def test_a_piece_opening_on_an_everyday_lower_case_word_is_no_sentence():
    assert not is_sentence("by running dpkg-trigger (at any time, from a script).")
    assert not is_sentence("when a matching file is installed as part of it.")
    assert is_sentence("sed is a stream editor for filtering text.")


@pytest.mark.parametrize(
    "text",
    [
        "The details of the protocol are discussed in the next chapter.",
        "This manual is a work in progress and will change.",
        "We have already seen how the index stores a snapshot.",
    ],
)
def test_a_signpost_about_the_text_itself_is_no_sentence(text):
    assert not is_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        "The eruption column reached a height of during the last stage.",
        "These flows reached volumes of on Lombok and thicknesses of as far as it.",
    ],
)
def test_a_sentence_whose_quantity_was_stripped_is_not_asked(text):
    assert (
        not parse(f"Eruption: {text}\n\nLater: The lake rose again in 1320.")
        .claims[0]
        .is_question_source
    )


@pytest.mark.parametrize(
    "text",
    [
        "merge-base: Clarify the comments on post processing.",  # a log line
        "allows you to browse any commits from the last two weeks.",  # cut
        "searches for all occurrences of hello in the tree.",
        "I’ve made a mistake in the last commit.",  # a reader's question
        "The following example deletes lines 30 to 35 in the input.",
        "You can place it under Git revision control as follows.",
        "This page explains how plants make food.",  # the text about itself
        "Timing guarantees, races, etc.",  # a heading of labels
        "Suppose that Alice has started a new project with a Git repository.",
    ],
)
def test_pieces_questions_and_examples_are_not_sentences(text):
    assert not is_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        "sed is a stream editor that filters text.",
        "ssh-agent is setgid to _ssh to prevent attacks.",
        "The following events led to the war in 1914.",
    ],
)
def test_a_command_or_following_events_open_a_sentence(text):
    assert is_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        "Pyroclastic flows crossed of the Bali Sea.",
        "In Lake Logung away from Samalas on Java it is thick.",
        "A volume of was attributed to this eruption.",
        "It supplied its phreatomagmatic phase with of water.",
        "Tephra was found as far as away from Samalas.",
    ],
)
def test_a_quantity_removed_with_its_template_leaves_a_hole(text):
    assert broken(text)
    assert not broken("The wall is very thick and the towers are tall.")


@pytest.mark.parametrize(
    "opener", ["If so,", "If that's the case,", "On the other hand,"]
)
def test_a_sentence_going_on_from_the_one_before_carries_it(opener):
    essay = parse(
        "Setup\n\nGit asks for a password over HTTPS each time. "
        f"{opener} a credential helper can store it for you."
    )
    second = essay.claims[-1]

    assert second.context == "Git asks for a password over HTTPS each time."


def test_a_quoted_asterisk_is_no_emphasis():
    text = "If the suffix has no ‘*’, it is added; with a ‘*’ each one is replaced."
    [only] = parse(text).claims

    assert only.question_text == text
