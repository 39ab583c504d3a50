"""Questions a teacher judged guessable or defensible, and the rules that
keep them out: each case here was a draft a judge marked bad."""

from pathlib import Path

from quizzes.essays import parse
from quizzes.generation import generate
from quizzes.generation.numbers import year_told
from quizzes.generation.text import Term

DATA = Path(__file__).parent / "data" / "essays"


def drafts_of(text: str) -> list:
    return generate(parse(text))


def _year(text: str, year: str) -> Term:
    start = text.index(year)
    return Term(year, "year", start, start + len(year))


def test_a_year_that_says_so_far_or_stands_near_another_is_not_swapped():
    as_of = "As of 2017, the delivery of free CDs has been discontinued."
    near = "The eruption occurred in 1257, resulting in the climate changes of 1258."
    far = "In 1789 the Estates-General met for the first time since 1614."

    assert year_told(as_of, _year(as_of, "2017"))  # stays true of 2011
    assert year_told(near, _year(near, "1258"))
    assert year_told(near, _year(near, "1257"))
    assert not year_told(far, _year(far, "1789"))


def test_no_opposite_in_a_sentence_that_gives_its_own_reason():
    text = (
        "Increasing this value will increase the memory used on every push, "
        "since the entire buffer is allocated regardless.\n\n"
        "The valley flooded in 1921 after the long rains.\n\n"
        "Larger files are copied to the server first."
    )
    falses = [d.prompt for d in drafts_of(text) if d.is_true is False]

    assert not [p for p in falses if "decrease" in p or "Decreasing" in p]


def test_a_list_the_sentence_opens_with_is_no_gap_to_fill():
    text = (
        "Exit status 1 means an invalid command, invalid syntax, or an invalid "
        "regular expression.\n\n"
        "Invalid command, invalid syntax, invalid regular expression or a GNU "
        "extension command used with --posix.\n\n"
        "Their ideas about liberty, equality, and popular sovereignty spread "
        "quickly."
    )
    lists = [d for d in drafts_of(text) if d.builder == "enumeration"]

    assert all(not d.prompt.split('"', 1)[1].startswith("_____") for d in lists)


def test_no_cloze_of_a_name_every_reader_knows_or_an_example_label():
    text = (
        "There were tensions in the Soviet leadership, dating back to the time "
        "of Lenin.\n\n"
        "Stalin removed rivals within the Communist Party.\n\n"
        'The "experimental" branch is the one you just created.\n\n'
        "Volcanic tephra covered parts of Sumbawa."
    )
    answers = {d.accepted_answers[0] for d in drafts_of(text) if d.kind == "cloze"}

    assert not {"Lenin", "Communist Party", "experimental"} & answers
    assert "Sumbawa" in answers


def test_an_untitled_text_is_about_the_name_it_opens_with():
    """ "The _____ ended the old regime": in a text that opens "The French
    Revolution transformed France", the Revolution is its topic."""
    sentences = [
        "The French Revolution transformed France in the late 1780s.",
        *(f"Event number {n} happened in town {n} of the province." for n in range(9)),
        "The Revolution ended the old regime in the 1790s.",
    ]
    drafts = drafts_of("\n\n".join(sentences))
    answers = {d.accepted_answers[0] for d in drafts if d.kind == "cloze"}

    assert "Revolution" not in answers


def test_a_regnal_number_is_no_answer_on_its_own():
    text = "Louis XVI could not raise new taxes without the Estates-General."
    drafts = [d for d in drafts_of(text) if d.kind == "cloze"]

    assert drafts
    assert all("XVI" not in d.accepted_answers for d in drafts)


def test_no_cloze_of_one_name_in_a_row_of_names():
    text = "On MS-DOS, Windows, Cygwin text files end their lines with CR and LF."
    answers = {d.accepted_answers[0] for d in drafts_of(text) if d.kind == "cloze"}

    assert not {"MS-DOS", "Windows", "Cygwin"} & answers


def test_a_term_its_description_spells_by_initials_is_not_asked():
    from quizzes.generation.terms import _spelled_out

    assert _spelled_out("Dialup IP access to the system.", "dip")
    assert _spelled_out("Used by the Network File System.", "nfs")
    assert not _spelled_out("Members can use the modem.", "dialout")


def test_a_sentence_that_contrasts_with_the_one_before_leans_back():
    from quizzes.references import leans_back

    assert leans_back("The ability to relax it, by contrast, came later.")
    assert leans_back("With the latter, you can pick your own viewer.")
    assert leans_back("Alternatively, the water came from aquifers.")
    assert not leans_back("The water came from aquifers under the crater.")


def test_earlier_later_and_automatic_manual_are_no_opposites():
    from quizzes.generation.opposites import opposites

    assert not opposites("As we saw earlier, the books were scanned manually.")
    assert not opposites("The majority of the books are in English.")


def test_the_wrong_statements_offered_least_come_first():
    from collections import Counter

    from quizzes.generation.context import EssayContext
    from quizzes.generation.statements import CHOICE_SPREAD, _wrong_statements

    essay = EssayContext(parse("The river flooded the valley in the year 1921."))
    source = essay.sources[0]
    wrong = sorted(
        (f"{n}", f"Statement number {n} is false in this text.", f"said {n}")
        for n in range(5)
    )
    used = Counter({statement: CHOICE_SPREAD for _, statement, _ in wrong[:3]})

    picked = _wrong_statements(source, wrong, used)

    assert set(picked) == {wrong[3][1], wrong[4][1]}


def test_an_example_given_in_passing_leans_back():
    from quizzes.references import leans_back

    assert leans_back("The SOCKS protocol, for example, operates at a higher level.")


def test_a_term_that_abbreviates_a_word_of_its_description_is_not_asked():
    from quizzes.generation.terms import _abbreviated

    assert _abbreviated("Members can write to the source code tree.", "src")
    assert _abbreviated("Buffer the input and output minimally.", "‘-u’ ‘--unbuffered’")
    assert not _abbreviated("Members can reconfigure the modem.", "dialout")


def test_directions_and_inside_outside_are_no_opposites():
    from quizzes.generation.opposites import opposites

    assert not opposites("The flows crossed west to the islands.")
    assert not opposites("Programs outside the syntax run.")


def test_a_heading_statement_quotes_the_sentence_before_as_one_passage():
    from quizzes.generation.context import EssayContext
    from quizzes.generation.misplaced import heading_statement

    headings = ["Rivers", "Mountains", "Forests", "Deserts", "Islands"]
    text = "\n\n".join(
        f"{h}\n\nThe town of {h[:3]}ton kept old records in its hall. "
        f"These records were burnt in the great fire of the town."
        for h in headings
    )
    essay = EssayContext(parse(text))
    leaning = next(s for s in essay.sources if s.context)
    draft = heading_statement(essay, leaning)

    assert draft
    assert draft.prompt.startswith("Under ")
    assert f'the text says: "{leaning.context} {leaning.text}"' in draft.prompt
    assert "after" not in draft.prompt


def test_a_sentence_that_points_back_inside_carries_the_one_before():
    essay = parse(
        "The http.postBuffer option sets the size of the buffer Git uses. "
        "Increasing this value will increase the memory used on every push."
    )

    assert essay.claims[1].context == essay.claims[0].question_text


def test_everyday_sentences_are_the_first_asked_otherwise_than_true():
    """Where true statements would tip the balance, the claims in everyday
    words ("Plants make their own food.") are the ones asked another way:
    a student may know them without the text."""
    headings = ["Roots", "Leaves", "Flowers", "Seeds", "Stems"]
    text = "\n\n".join(
        f"# {h}\n\nPlants make their own food in the {h.lower()}. "
        f"The {h.lower()} of Welwitschia persist for centuries in Namib sand."
        for h in headings
    )
    essay = parse(text)
    true = {d.claim_index for d in generate(essay) if d.builder == "tf_true"}
    everyday = {i for i, c in enumerate(essay.claims) if c.text.startswith("Plants")}
    specific = {i for i, c in enumerate(essay.claims) if "Welwitschia" in c.text}

    assert len(true & specific) >= 4
    assert len(true & everyday) <= 1


def test_no_opposite_of_a_comparison_with_ever_before():
    from quizzes.generation.opposites import opposites

    assert not opposites("The camp system grew larger than ever before.")


def test_a_gloss_on_a_part_of_an_example_is_no_sentence_to_ask():
    from quizzes.sentences import is_sentence

    assert not is_sentence("‘42’ is the command option.")
    assert not is_sentence("‘q’ is the quit command.")
    assert is_sentence("‘sed’ is a stream editor that filters text in a pipeline.")


def test_a_negation_taken_away_is_named_in_the_explanation():
    text = (
        "Packages in the config-files state do not await triggers from "
        "other packages.\n\nEach package has a list of pending triggers."
    )
    falses = [d for d in drafts_of(text) if d.builder == "tf_false"]

    assert falses
    assert all("(left out)" not in d.explanation for d in falses)
    assert any('("do not await", not "await")' in d.explanation for d in falses)


def test_a_blank_on_a_name_is_kept_only_where_nothing_else_asks():
    """Teachers judged half the blanks on names guessable or trivia: a claim
    keeps one only when it has no other question."""
    text = (
        "Tycho Brahe measured the position of Mars from Uraniborg in 1580.\n\n"
        "Kepler later worked with the measurements at Benatky castle."
    )
    drafts = drafts_of(text)
    first = [
        d.accepted_answers[0]
        for d in drafts
        if d.claim_index == 0 and d.kind == "cloze"
    ]
    second = [d for d in drafts if d.claim_index == 1]

    assert first == ["1580"]
    assert second  # still asked


def test_a_term_line_written_as_code_starts_its_own_entry():
    """ "‘-i[SUFFIX]’" is a term line too: the sentences under it are not
    asked as if they described the option above."""
    from quizzes.generation.terms import _is_term

    assert _is_term("‘-i[SUFFIX]’ ‘--in-place[=SUFFIX]’")
    assert _is_term("‘-e SCRIPT’ ‘--expression=SCRIPT’")
    assert not _is_term("---------- Footnotes ----------")
    assert not _is_term("x = 5")


def test_a_claim_that_is_only_a_list_gets_no_false_statement():
    """ "Bread riots, salt taxes, and flour shortages of 1789.": a scrap,
    no statement to call true or false, even with a year to swap."""
    text = (
        "# Hunger\n\nBread riots, salt taxes, and flour shortages of 1789.\n\n"
        "# War\n\nAustria declared war on France in 1792.\n\n"
        "# Terror\n\nThe Committee of Public Safety ruled France in 1794.\n\n"
        "# Empire\n\nNapoleon crowned himself emperor in 1804."
    )
    drafts = drafts_of(text)

    assert [d for d in drafts if d.is_true is False and d.claim_index != 0]
    assert not [d for d in drafts if d.is_true is False and d.claim_index == 0]


def test_a_word_every_heading_shares_gives_no_heading_statement_away():
    """ "Trigger processing should be idempotent." under "Details - triggered
    package" shares "trigger" with "Explicit triggers" and "File triggers"
    too: said under one of those it tells nothing; said under "Concepts"
    the shared word would tell it false."""
    from quizzes.generation.context import EssayContext
    from quizzes.generation.misplaced import heading_statement
    from quizzes.generation.topics import shared_content

    headings = [
        "Introduction",
        "Explicit triggers",
        "File triggers",
        "Triggered packages",
        "Overview table",
    ]
    names = ["alpha", "bravo", "charlie", "delta", "echo"]
    text = "# Triggers in dpkg\n\n" + "\n\n".join(
        f"## {h}\n\nA trigger called {n} is processed by dpkg at the end of a run."
        for h, n in zip(headings, names, strict=True)
    )
    essay = EssayContext(parse(text))
    for source in essay.sources:
        draft = heading_statement(essay, source)
        assert draft, source.text
        other = draft.prompt.split('"')[1]
        own = set(shared_content(source.text, source.heading))
        assert set(shared_content(source.text, other)) == own
        assert other != source.heading


def test_a_heading_statement_of_a_word_only_its_own_heading_has_is_refused():
    from quizzes.generation.context import EssayContext
    from quizzes.generation.misplaced import heading_statement

    headings = ["Rivers", "Mountains", "Forests", "Deserts", "Islands"]
    text = "# Atlas\n\n" + "\n\n".join(
        f"## {h}\n\nThe {h.lower()} of the region were mapped by Halvorsen in detail."
        for h in headings
    )
    essay = EssayContext(parse(text))
    assert not any(heading_statement(essay, s) for s in essay.sources)
    assert all(heading_statement(essay, s, loose=True) for s in essay.sources)


def test_a_long_sentence_before_is_cut_to_its_end_in_a_true_false_prompt():
    from quizzes.generation.drafts import MAX_PROMPT_CHARS
    from quizzes.generation.truefalse import tf_prompt

    context = "Cycles in the graph are prohibited " + "and loop again " * 40 + "end."
    prompt = tf_prompt("This leaves packages in reasonable states.", context)

    assert len(prompt) <= MAX_PROMPT_CHARS
    assert prompt.startswith('The essay says: "… ')
    assert 'again end." True or false: This leaves packages' in prompt


def test_everyday_sentences_are_asked_where_they_stand_rather_than_as_true():
    """ "More volunteers had joined the effort." is true to any reader: where
    a section question can ask it, it is asked that way."""
    from quizzes.generation.topics import rarity

    essay = parse((DATA / "project_gutenberg.txt").read_text())
    drafts = generate(essay)
    plain = "More volunteers had joined the effort."
    index = next(i for i, c in enumerate(essay.claims) if c.text == plain)
    asked = {d.builder for d in drafts if d.claim_index == index}

    assert rarity(plain) >= 4.0
    assert asked & {"which_section", "section_summary"}
    assert "tf_true" not in asked


def test_a_scrap_or_an_unframed_list_is_no_section_question_nor_choice():
    """ "q is the quit command" (a gloss on an example) and "Invalid command,
    invalid syntax, ... used with --posix." (an exit status's list) read as
    nothing on their own: no question of where they stand, no wrong choice."""
    drafts = generate(parse((DATA / "sed_manual.txt").read_text()))
    sectioned = [d for d in drafts if d.builder in ("which_section", "section_summary")]
    shown = [d.prompt for d in sectioned] + [
        c.text for d in sectioned for c in d.choices
    ]

    assert sectioned
    assert not [text for text in shown if text.startswith("Invalid command, invalid")]
    assert not [text for text in shown if "is the quit command" in text]
