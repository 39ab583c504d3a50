"""A manual page as rendered text: headings at column 0, subsection titles
indented three spaces, the body seven. Each subsection is a section of its
own; a heading over subsections only is no section."""

from pathlib import Path

from quizzes.essays import parse
from quizzes.generation import generate
from quizzes.headings import title_line

ESSAYS = Path(__file__).parent / "data" / "essays"

MAN_PAGE = """\
demo(7)            Miscellaneous Information Manual            demo(7)

NAME
       demo - a made-up manual page

DESCRIPTION
       The demo tool reads text files. It writes a short summary of each
       file to the terminal.

   Reading files
       The tool opens each file in turn and reads it line by line. A file
       that cannot be opened is skipped with a warning.

   Summary levels
       The tool prints one of three levels of detail:

       Level 1  The names of the files.

       Level 2  The names and the number of lines.

       At level 3 the tool also prints the longest line of each file.

OPTIONS
   Common options
       Every option has a long name. Most options also have a short name
       of one letter.

   Rare options
       A few options only matter for very large files. They change how
       much memory the tool uses.
"""

# Prose indented four spaces throughout, and plain prose with a quotation
# indented under a short line: no subsections, parsed as before.
INDENTED_PROSE = """\
    The French Revolution began in 1789. It ended the rule of the kings.

    Causes

    The harvest of 1788 failed. Bread prices rose across the country.

    The Terror

    The new republic executed thousands of people. Robespierre led the
    Committee of Public Safety.
"""

QUOTED = """\
The French Revolution began in 1789. It ended the rule of the kings.

Causes

The harvest of 1788 failed. Bread prices rose across the country. A
traveller wrote down what he heard in the markets.

Arthur Young
    The people of France are hungry for bread and for new ideas alike

    And they will not wait much longer for either

The Terror

The new republic executed thousands of people. Robespierre led the
Committee of Public Safety.
"""


def outline(text: str) -> list[tuple[str, int, int]]:
    """Each section's heading, claims and claims asked about."""
    return [
        (s.heading, len(s.claims), sum(c.is_question_source for c in s.claims))
        for s in parse(text).sections
    ]


def test_each_subsection_of_a_manual_is_a_section():
    assert outline(MAN_PAGE) == [
        ("", 1, 0),  # NAME's "demo - a made-up manual page"
        ("", 1, 0),
        ("DESCRIPTION", 2, 2),
        ("Reading files", 2, 2),
        # Over a list's intro with no full stop: the indent makes it a title.
        ("Summary levels", 4, 1),
        ("Common options", 2, 2),
        ("Rare options", 2, 2),
    ]


def test_a_heading_over_subsections_only_is_not_a_section_nor_a_choice():
    essay = parse(MAN_PAGE)
    assert "OPTIONS" in essay.body  # kept in the text the student reads
    assert "OPTIONS" not in [s.heading for s in essay.sections]
    for section in essay.sections:
        for claim in section.claims:
            assert essay.body[claim.start : claim.end] == claim.text
    asked = {s.heading for s in essay.sections if s.heading}
    choices = [
        choice.text
        for draft in generate(essay)
        if draft.builder == "which_section"
        for choice in draft.choices
    ]
    assert choices
    assert set(choices) <= asked


def test_title_line_over_a_list_intro_needs_the_indent():
    intro = "As not all systems support it, ISO 10646-1 specifies three levels:"
    assert not title_line("Implementation levels", intro)
    assert title_line("Implementation levels", intro, indented=True)
    # Still a title only: not a sentence, nor over a lower-case line.
    assert not title_line("Levels are defined.", intro, indented=True)
    assert not title_line("NAME", "unicode - universal character set", True)


def test_unicode_manual_keeps_implementation_levels_apart():
    essay = parse((ESSAYS / "unicode.txt").read_text(encoding="utf-8"))
    sections = {s.heading: s for s in essay.sections}
    assert [s.heading for s in essay.sections if s.heading] == [
        "DESCRIPTION",
        "Combining characters",
        "Implementation levels",
        "Unicode under Linux",
        "Private Use Areas (PUA)",
        "Literature",
    ]
    levels = [c.text for c in sections["Implementation levels"].claims]
    assert any(text.startswith("The Unicode 3.0 Standard") for text in levels)
    combining = " ".join(c.text for c in sections["Combining characters"].claims)
    assert "Unicode 3.0" not in combining


def test_git_tutorial_headings_over_a_list_intro_are_sections():
    essay = parse((ESSAYS / "gittutorial.txt").read_text(encoding="utf-8"))
    headings = [s.heading for s in essay.sections]
    assert headings.index("IMPORTING A NEW PROJECT") + 1 == headings.index(
        "MAKING CHANGES"
    )


def test_indented_prose_and_a_quotation_are_unchanged():
    assert outline(INDENTED_PROSE) == [("", 2, 2), ("", 2, 2), ("", 2, 2)]
    assert outline(QUOTED) == [("", 2, 2), ("Causes", 4, 3), ("The Terror", 2, 2)]
