"""Lines of real documents that parse() keeps in the body but does not ask
about: sentences with a hole where markup was removed, references, licences,
pointers, option descriptions and table rows."""

import pytest

from quizzes.essays import parse
from quizzes.headings import back_matter
from quizzes.sentences import broken, join_lines, not_a_statement


def asked(text: str) -> dict[str, bool]:
    essay = parse(text)
    return {c.question_text: c.is_question_source for c in essay.claims}


@pytest.mark.parametrize(
    "sentence",
    [
        "The total volume of the eruption was at least . It was huge.",
        "The magma had a temperature of about. It cooled slowly.",
        "Volunteers joined the project in 2007., the books were many by then.",
        "The river is {{convert|40|km}} long and very wide at its mouth.",
        "The crowd cheered loudly ,, and then it left the square.",
        "![A single Web document composed from many servers.](pic.svg)",
        "These pumices fell up to to east, against the prevailing wind.",
    ],
)
def test_a_sentence_with_a_hole_left_by_removed_markup_is_not_asked(sentence):
    first = sentence.split(". ")[0] + "."
    assert broken(sentence) or broken(first)
    text = f"Rivers carry water to the sea every day.\n\n{sentence}"
    found = asked(text)
    assert found["Rivers carry water to the sea every day."]
    assert not any(
        source for shown, source in found.items() if shown.startswith(sentence[:12])
    )


def test_a_faq_question_heading_its_answer_is_not_asked():
    found = asked(
        "I have made a change with a bug and it is in the main branch. "
        "How should I undo it?\n\nGit revert makes a new commit that undoes it."
    )

    assert found["Git revert makes a new commit that undoes it."]
    assert not found["I have made a change with a bug and it is in the main branch."]


def test_a_footnote_mark_after_the_stop_is_not_shown():
    found = asked("Sed sends its output to this file instead of the screen.(1).")

    assert found == {"Sed sends its output to this file instead of the screen.": True}


def test_a_template_that_keeps_its_word_is_shown_with_it_and_asked():
    text = (
        'Between the client and the server there are {{Glossary("Proxy_server", '
        '"proxies")}}, which act as {{Glossary("TCP")}} gateways.'
    )
    found = asked(text)
    shown = (
        "Between the client and the server there are proxies, "
        "which act as TCP gateways."
    )
    assert found == {shown: True}


@pytest.mark.parametrize(
    "sentence",
    [
        "Addison-Wesley, Reading, MA, 1991, ISBN 0-201-61633-5.",
        "Copyright 2005 David Mandelberg and other writers.",
        "The book was written by Smith et al. in a hurry.",
        "This document is distributed WITHOUT ANY WARRANTY of any kind.",
        "You can find it at gittutorial-2(7).",
        "You can see git-var(1) for details on the order.",
        "gitcvs-migration(7): Git for CVS users.",
        "See also the chapter on file triggers below.",
        "Print a usage message briefly summarizing these options, then exit.",
        "Specify the default line-wrap length for the command.",
        "Level 3 All UCS characters are supported.",
    ],
)
def test_references_licences_pointers_options_and_table_rows_are_not_asked(sentence):
    assert not_a_statement(sentence)
    found = asked(f"Rivers carry water to the sea every day.\n\n{sentence}")
    assert found["Rivers carry water to the sea every day."]
    assert not [s for s, source in found.items() if source and s != next(iter(found))]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 14 July 1789 a crowd stormed the Bastille in Paris.",
        "In 1937 Stalin ordered the arrest of many officers.",
        "Use of force was common in the civil war.",
        "Set theory is a branch of mathematics about collections.",
        "Project Gutenberg only releases works that are out of copyright.",
        "For details, the crowd used e.g., sticks and stones.",
        "Other print systems (rlpr, lprng, ...) work the same way.",
        "Output goes to the standard output of the program.",
        "Open source software is written by many volunteers.",
        "Print media declined quickly in the last two decades.",
    ],
)
def test_statements_that_look_like_those_lines_are_still_asked(sentence):
    assert not not_a_statement(sentence)
    assert not broken(sentence)
    assert asked(sentence) == {sentence: True}


# --- what a sentence refers to ---------------------------------------------------


def claim(essay, starting: str):
    return next(c for c in essay.claims if c.text.startswith(starting))


@pytest.mark.parametrize(
    "second",
    [
        "But there are other ways to refer to commits.",
        "However, the usual way is to use git revert.",
        "Also, this group was set up for the project.",
        "The reason is that Git cannot know which changes are precious.",
        "For example, the current maintainer uses his full name.",
        "Traditionally this job is taken by a printer daemon.",
        "It owns spool and configuration files on the system.",
    ],
)
def test_a_sentence_going_on_from_the_one_before_carries_it_as_context(second):
    first = "Git names every commit with a long hexadecimal hash."
    essay = parse(f"Commits\n\n{first} {second}")

    assert claim(essay, second[:12]).context == first
    assert claim(essay, second[:12]).is_question_source


def test_a_word_that_only_adds_is_dropped_from_what_a_question_shows():
    essay = parse(
        "Volunteers typed the first books. Also in 2000, a foundation was set up."
    )

    also = claim(essay, "Also")
    assert also.question_text == "In 2000, a foundation was set up."
    assert not also.context


def test_a_first_sentence_going_on_from_nothing_is_not_asked():
    essay = parse(
        "Commits\n\nHowever, there are other ways to refer to commits.\n\n"
        "Tags\n\nThey name a release of the project for good."
    )

    assert not claim(essay, "However").is_question_source
    assert claim(essay, "They").context == "Tags"  # a pronoun: the heading


def test_a_dummy_it_and_the_text_itself_need_no_sentence_before():
    essay = parse(
        "Git keeps history. It is not defined in what order hooks run. "
        "Part two of this tutorial explains the object database."
    )

    assert not any(c.context for c in essay.claims)


def test_the_sentence_before_is_the_one_just_before_not_an_earlier_one():
    # A hard-wrapped list item is one item; its sentences follow each other.
    text = (
        "Concepts\n--------\n\nWe currently envisage three kinds of triggers:\n"
        " * Explicit triggers.  These can be activated by any program\n"
        "   by running dpkg-trigger.\n"
        " * File triggers.  These are activated automatically by dpkg\n"
        "   when a matching file is installed.  They may also be explicitly\n"
        "   activated by running dpkg-trigger.\n"
    )
    essay = parse(text)

    they = claim(essay, "They may")
    assert they.context == (
        "These are activated automatically by dpkg when a matching file is installed."
    )


def test_a_sentence_after_a_fragment_is_not_asked():
    essay = parse(
        "The pumice fell far away.\n\nby passing a list as the second argument.\n\n"
        "This will be attempted at the end of each run."
    )

    assert not claim(essay, "This will").is_question_source


def test_an_untitled_paragraph_goes_on_from_the_paragraph_before():
    essay = parse(
        "Groups\n\nThe groups of a system are listed here for reference.\n\n"
        "scanner\n        Users in this group can use scanners on the system.\n"
    )

    assert claim(essay, "Users").context == "scanner"


# --- back matter and man-page headings ----------------------------------------


MANUAL = """DESCRIPTION
       The UCS standard describes a character set for all the world's scripts.

   Literature
       •  The Unicode Standard, Version 3.0.  The Unicode Consortium,
          Addison-Wesley, Reading, MA, 2000.

          This is the official specification of the standard.

SEE ALSO
       locale(1), charsets(7)
"""


def test_a_back_matter_section_is_its_own_section_and_not_asked_about():
    essay = parse(MANUAL)

    assert [s.heading for s in essay.sections][:2] == ["DESCRIPTION", "Literature"]
    literature = essay.sections[1]
    assert literature.claims
    assert not any(c.is_question_source for c in literature.claims)
    assert essay.sections[0].claims[0].is_question_source


@pytest.mark.parametrize(
    ("heading", "back"),
    [
        ("References", True),
        ("SEE ALSO", True),
        ("Copyright © 2001-2022 Colin Watson", True),
        ("3. Bibliography", True),
        ("Causes of the war", False),
        ("Helping hands", False),
    ],
)
def test_back_matter_headings(heading, back):
    assert back_matter(heading) is back


# --- word breaks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (
            ["Documentation/ad\u2010", "min-guide/unicode.rst"],
            "Documentation/admin-guide/unicode.rst",
        ),
        (["we add ac\u2010", "cents to letters"], "we add accents to letters"),
        (["reference-", "counting"], "reference-counting"),
        (["it is up-", "to-date"], "it is up-to-date"),
        (["a self-", "contained unit"], "a self-contained unit"),
    ],
)
def test_a_word_broken_at_a_line_end_is_joined(lines, joined):
    assert join_lines(lines) == joined


def test_an_option_term_is_the_context_of_the_sentence_under_it():
    essay = parse(
        "Options\n\nSed has many options for its users.\n\n"
        "‘--follow-symlinks’\n     This option is available only on some platforms.\n"
    )

    assert claim(essay, "This option").context == "‘--follow-symlinks’"
