"""Sections in the text's outline: each section's level and the headings it
sits under, and section questions that never offer a heading (or a sentence
of a section) on the path of the claim's own section as a wrong choice: the
text says a claim of "Overview" under "Running sed" too."""

from dataclasses import replace
from pathlib import Path

import pytest

from quizzes.essays import parse
from quizzes.generation import generate
from quizzes.generation.context import EssayContext
from quizzes.generation.text import comparable
from tests.test_essays_subsections import MAN_PAGE

ESSAYS = Path(__file__).parent / "data" / "essays"
SEED = Path(__file__).parent.parent / "quizzes" / "data" / "great_purge.txt"

MARKDOWN = """\
# Plants

Plants grow in most places on land. They need water and light.

## Leaves

Leaves catch the light of the sun. Most leaves are green.

### Colour

The green colour comes from chlorophyll. In autumn the chlorophyll fades.

## Roots

Roots take up water from the soil. They also hold the plant in place.
"""

SETEXT_AND_INLINE = """\
The French Revolution began in 1789. It ended the rule of the kings.

Causes
======

The harvest of 1788 failed. Bread prices rose across the country.

Debt
----

The king had borrowed heavily. The interest took half of the budget.

Ideas: Writers questioned the rule of kings. Their books sold widely.

An untitled paragraph follows the ideas. It has no heading of its own.
"""


def levels(text: str) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(s.heading, s.level, s.parents) for s in parse(text).sections]


def corpus_text(name: str) -> str:
    return (ESSAYS / name).read_text(encoding="utf-8")


def test_markdown_levels_count_the_hashes_below_the_title():
    essay = parse(MARKDOWN)
    assert essay.title == "Plants"
    assert levels(MARKDOWN) == [
        ("", 0, ()),
        ("Leaves", 1, ()),
        ("Colour", 2, ("Leaves",)),
        ("Roots", 1, ()),
    ]


def test_setext_underlines_and_inline_headings():
    # "===" over "---"; a "Heading: body" paragraph sits under the heading
    # before it; an untitled paragraph has level 0.
    assert levels(SETEXT_AND_INLINE) == [
        ("", 0, ()),
        ("Causes", 1, ()),
        ("Debt", 2, ("Causes",)),
        ("Ideas", 3, ("Causes", "Debt")),
        ("", 0, ("Causes", "Debt")),
    ]


def test_numbered_headings_nest_by_their_number():
    # "2.1 Overview" is underlined with "===" and "2 Running sed" with "***"
    # (a rule, dropped): the numbers tell the depth. "3 sed scripts" heads
    # only a menu, so is no heading, but "3.1" is still not under "2".
    found = levels(corpus_text("sed_manual.txt"))
    assert found == [
        ("Introduction", 1, ()),
        ("Running sed", 1, ()),
        ("Overview", 2, ("Running sed",)),
        ("Command-Line Options", 2, ("Running sed",)),
        ("Exit status", 2, ("Running sed",)),
        ("‘sed’ script overview", 2, ()),
    ]


def test_a_manual_page_nests_its_indented_subsections():
    assert levels(MAN_PAGE) == [
        ("", 0, ()),
        ("", 0, ()),
        ("DESCRIPTION", 1, ()),
        ("Reading files", 2, ("DESCRIPTION",)),
        ("Summary levels", 2, ("DESCRIPTION",)),
        # Under OPTIONS, which heads no text of its own and is no section.
        ("Common options", 2, ("OPTIONS",)),
        ("Rare options", 2, ("OPTIONS",)),
    ]
    headed = [s for s in levels(corpus_text("unicode.txt")) if s[0]]
    assert headed == [
        ("DESCRIPTION", 1, ()),
        ("Combining characters", 2, ("DESCRIPTION",)),
        ("Implementation levels", 2, ("DESCRIPTION",)),
        ("Unicode under Linux", 2, ("DESCRIPTION",)),
        ("Private Use Areas (PUA)", 2, ("DESCRIPTION",)),
        ("Literature", 1, ()),
    ]


def test_levels_change_no_offsets():
    for text in (MARKDOWN, SETEXT_AND_INLINE, MAN_PAGE, corpus_text("sed_manual.txt")):
        essay = parse(text)
        for claim in essay.claims:
            assert essay.body[claim.start : claim.end] == claim.text


def test_the_context_knows_each_headings_ancestors_and_descendants():
    context = EssayContext(parse(corpus_text("http_overview.md")))
    related = context.related_headings
    components = "Components of HTTP-based systems"
    assert related[components] == {
        "Client: the user-agent",
        "The Web server",
        "Proxies",
    }
    assert related["Proxies"] == {components}
    # The parent with no sentence of its own is still on its children's path.
    assert related["HTTP is simple"] == {"Basic aspects of HTTP"}
    assert related["HTTP flow"] == frozenset()
    assert context.nested("Proxies", components)
    assert context.nested(components, "Proxies")
    assert not context.nested("Proxies", "The Web server")  # siblings


NESTED = ["sed_manual.txt", "http_overview.md", "unicode.txt"]


def nested_texts() -> list[str]:
    return [corpus_text(name) for name in NESTED] + [MAN_PAGE, MARKDOWN]


@pytest.mark.parametrize("text", nested_texts(), ids=[*NESTED, "MAN_PAGE", "MARKDOWN"])
def test_which_section_offers_no_heading_on_the_claims_path(text):
    essay = parse(text)
    context = EssayContext(essay)
    heading_of = [s.heading for s in essay.sections for _ in s.claims]
    for draft in generate(essay):
        if draft.builder != "which_section":
            continue
        (right,) = [c.text for c in draft.choices if c.is_correct]
        wrong = [c.text for c in draft.choices if not c.is_correct]
        assert right == heading_of[draft.claim_index]
        assert not any(context.nested(right, other) for other in wrong), draft


@pytest.mark.parametrize("text", nested_texts(), ids=[*NESTED, "MAN_PAGE", "MARKDOWN"])
def test_section_summary_takes_no_sentence_from_the_path(text):
    essay = parse(text)
    context = EssayContext(essay)
    section_of = {
        comparable(claim.question_text): section.heading
        for section in essay.sections
        for claim in section.claims
    }
    for draft in generate(essay):
        if draft.builder != "section_summary":
            continue
        heading = draft.prompt.split('"')[1]
        for choice in draft.choices:
            if not choice.is_correct:
                other = section_of[comparable(choice.text)]
                assert not context.nested(heading, other), (heading, choice.text)


@pytest.mark.parametrize("text", nested_texts(), ids=[*NESTED, "MAN_PAGE", "MARKDOWN"])
def test_matching_never_pairs_a_heading_with_one_under_it(text):
    essay = parse(text)
    context = EssayContext(essay)
    for draft in generate(essay):
        if draft.builder == "matching":
            lefts = [pair.left for pair in draft.pairs]
            assert not any(context.nested(a, b) for a in lefts for b in lefts)


def test_questions_are_still_made_for_nested_sections():
    drafts = generate(parse(corpus_text("http_overview.md")))
    builders = {draft.builder for draft in drafts}
    assert {"which_section", "section_summary", "matching"} <= builders


@pytest.mark.parametrize("text", nested_texts(), ids=[*NESTED, "MAN_PAGE", "MARKDOWN"])
def test_every_claim_still_gets_a_question(text):
    essay = parse(text)
    asked = {draft.claim_index for draft in generate(essay)}
    sources = {i for i, c in enumerate(essay.claims) if c.is_question_source}
    assert sources <= asked


def test_a_flat_essays_drafts_do_not_change():
    """The seed's "Heading: body" paragraphs are all level 1 with nothing
    above them: its drafts are those of an essay without an outline."""
    essay = parse(SEED.read_text(encoding="utf-8"))
    assert {s.level for s in essay.sections if s.heading} == {1}
    assert all(not s.parents for s in essay.sections)
    flat = replace(
        essay,
        sections=tuple(replace(s, level=0, parents=()) for s in essay.sections),
    )
    drafts = generate(essay)
    assert [d.generator_key for d in drafts] == [
        d.generator_key for d in generate(flat)
    ]
    assert drafts == generate(flat)
    assert {"which_section", "section_summary", "matching"} <= {
        d.builder for d in drafts
    }
