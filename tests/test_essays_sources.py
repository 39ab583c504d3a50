"""Lines of real documents that parse() keeps in the body but does not ask
about: sentences with a hole where markup was removed, references, licences,
pointers, option descriptions and table rows."""

import pytest

from quizzes.essays import parse
from quizzes.sentences import broken, not_a_statement


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
    ],
)
def test_statements_that_look_like_those_lines_are_still_asked(sentence):
    assert not not_a_statement(sentence)
    assert not broken(sentence)
    assert asked(sentence) == {sentence: True}
