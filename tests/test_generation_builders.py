"""Clozes, multiple-answer, section and matching questions a careful teacher
would publish: the rules the builders keep, each on a small essay."""

from dataclasses import replace

import pytest

from quizzes import generation
from quizzes.essays import ParsedEssay, parse
from quizzes.generation import BLANK, generate
from quizzes.generation.builders import item_kind, section_quota
from quizzes.generation.drafts import MAX_DRAFTS_PER_CLAIM, QuestionDraft
from quizzes.generation.topics import content_lemmas, shared_content
from quizzes.quality import TF_MIN


def drafts_of(text: str, builder: str | None = None) -> list[QuestionDraft]:
    return [d for d in generate(parse(text)) if builder in {None, d.builder}]


def cloze_answers(text: str) -> set[str]:
    """What the cloze builder blanks, before generate() keeps a blank on a
    name only for a claim nothing else asks (see test_generation_giveaways)."""
    from quizzes.generation.clozes import clozes
    from quizzes.generation.context import EssayContext

    essay = EssayContext(parse(text))
    return {d.accepted_answers[0] for s in essay.sources for d in clozes(essay, s)}


def with_context(essay: ParsedEssay, claim_index: int, context: str) -> ParsedEssay:
    """The essay with one claim marked as needing the sentence before it."""
    sections, seen = [], 0
    for section in essay.sections:
        claims = []
        for claim in section.claims:
            claims.append(
                replace(claim, context=context) if seen == claim_index else claim
            )
            seen += 1
        sections.append(replace(section, claims=tuple(claims)))
    return replace(essay, sections=tuple(sections))


# --- words ----------------------------------------------------------------------


def test_content_lemmas_leave_out_everyday_and_short_words():
    assert content_lemmas("The purges were very cruel, a great shame.") == {
        "purge",
        "cruel",
        "shame",
    }


def test_a_word_family_counts_as_shared_content():
    assert shared_content("pride in one's nation", "Nationalism") == ["nationalism"]
    assert shared_content("The purges spread.", "Purge") == ["purge"]
    assert shared_content("pride in one's country", "Nationalism") == []


def test_a_family_is_known_through_its_endings_and_a_negating_prefix():
    """Judges saw "ideology" give away "Ideological Differences" and
    "treated equally" give away "Social Inequality"."""
    said = "Stalin's ideology"
    assert shared_content(said, "Ideological Differences") == ["ideological"]
    assert shared_content("all treated equally", "Social Inequality") == ["inequality"]
    # Alike at the start is not one family.
    assert shared_content("a private key", "Privileged users") == []
    assert shared_content("more information", "Formation of rocks") == []


# --- clozes: rule 1, never the topic ---------------------------------------------

KEPLER = "\n\n".join(
    [
        "Kepler studied the orbit of Mars for many years.",
        "Kepler worked in Prague for the emperor Rudolf II.",
        "Tycho Brahe left Kepler his careful observations in 1601.",
        "Kepler published the Astronomia Nova in 1609.",
        "The book stated that planets move in ellipses.",
        "A second law says that a planet sweeps equal areas in equal times.",
        "Galileo read the book but never accepted the ellipses.",
        "The third law followed in the Harmonices Mundi of 1619.",
        "Newton later explained the laws by gravitation.",
        "The Rudolphine Tables appeared in 1627 and served sailors.",
        "The tables were far better than those of Copernicus.",
    ]
)


def test_a_name_in_many_claims_is_the_topic_and_never_the_blank():
    answers = cloze_answers(KEPLER)

    assert "Kepler" not in answers  # in 4 of 11 claims
    assert {"Prague", "Rudolphine Tables", "Copernicus"} <= answers


def test_a_name_in_the_title_is_never_the_blank():
    text = (
        "# The Reign of Terror\n\nThe Terror began in the spring.\n\n"
        "Danton opposed Robespierre in the Convention."
    )
    answers = cloze_answers(text)

    assert "Terror" not in answers
    assert "Convention" in answers


def test_a_name_built_on_the_topic_is_the_topic_too():
    text = "\n\n".join(
        ["The Purge began in Leningrad after 1934."] * 1
        + [f"The Purge reached the town of Town{n}a in 1937." for n in range(5)]
        + [f"Peasants of Village{n}b feared arrest." for n in range(5)]
        + ["Stalin's Great Purge ended in 1938 with Yezhov's fall."]
    )

    assert not {"Purge", "Great Purge"} & cloze_answers(text)


# --- clozes: rule 5, not guessable ------------------------------------------------


def test_cloze_whose_word_is_elsewhere_in_the_prompt_is_dropped():
    answers = cloze_answers(
        "Members of the Jacobin Club admired Jacobin ideas in Lyon.\n\n"
        "The Girondins met in Bordeaux."
    )

    assert "Jacobin Club" not in answers
    assert "Lyon" in answers


def test_blank_beside_a_capitalised_word_is_part_of_a_longer_name():
    text = (
        "In Lyon, Danton's Cordeliers Club met weekly.\n\n"
        "Robespierre feared Danton in 1794."
    )
    prompts = [d.prompt for d in drafts_of(text, "cloze")]

    assert not any(f"Danton's {BLANK}" in prompt for prompt in prompts)
    assert any(BLANK in prompt and "Cordeliers Club" in prompt for prompt in prompts)


def test_blank_inside_a_quoted_phrase_is_dropped_but_a_quoted_term_kept():
    text = (
        'Robespierre said "the Republic of virtue must defend itself by Terror" '
        "in a speech.\n\n"
        'Writers such as Voltaire questioned the "divine right" of kings.'
    )
    answers = cloze_answers(text)

    assert not {"Republic", "Terror"} & answers
    assert "divine right" in answers


# --- clozes: rule 9, no stray token -----------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "blank", "kept"),
    [
        ("Python 3.11 was released by the Foundation in 2022.", "3.11", "2022"),
        ("The crowd waited 12 hours outside the Bastille in Paris.", None, "12"),
        ("Chapter 12 of the report describes the Bastille.", "12", "Bastille"),
        ("Builds read config.Debug set by the Makefile here.", "Debug", "Makefile"),
        (
            "The nl_langinfo(CODESET) call is kept in Unix.",
            "CODESET",
            "Unix",
        ),
        ("Plane 15 (Supplemen‐ tary Area) is kept for Unix.", "Supplemen", "Unix"),
    ],
)
def test_no_stray_token_is_blanked(sentence, blank, kept):
    answers = cloze_answers(f"{sentence}\n\nThe Bastille fell in Paris in 1789.")

    assert blank not in answers
    assert kept in answers


def test_a_word_capitalised_only_at_the_sentence_start_is_no_name():
    text = (
        "Combining characters follow the base letter in Unicode.\n\n"
        "Level 1 has no Combining characters at all.\n\n"
        "Some fonts draw combining marks badly on Windows."
    )
    answers = cloze_answers(text)

    assert "Combining" not in answers
    assert "Unicode" in answers


def test_leading_preposition_is_not_part_of_a_name():
    answers = cloze_answers(
        "Private areas (PUA) In the Basic Multilingual Plane are kept for users."
    )

    assert "In the Basic Multilingual Plane" not in answers
    assert "Basic Multilingual Plane" in answers


def test_clozes_prefer_the_rarer_term_and_never_blank_a_common_word():
    text = (
        'Tycho Brahe measured the "position" of Mars from Uraniborg in 1580.\n\n'
        "Kepler used them."
    )
    from quizzes.generation.clozes import clozes as build
    from quizzes.generation.context import EssayContext

    essay = EssayContext(parse(text))
    clozes = build(essay, essay.sources[0])

    assert [d.accepted_answers[0] for d in clozes] == ["1580", "Uraniborg"]
    # generate() keeps the blank on the name only where nothing else asks.
    assert [d.accepted_answers[0] for d in drafts_of(text, "cloze")] == ["1580"]
    common = parse('Kepler sought "order" in orbits.\n\nTycho watched Mars.')
    assert not [d for d in generate(common) if d.accepted_answers == ("order",)]


def test_a_claim_needing_context_shows_it_in_cloze_and_section_prompts():
    essay = parse(
        "Causes: Tycho Brahe observed Mars for twenty years. "
        "His tables reached Prague in 1601.\n\n"
        "Results: Kepler found ellipses in 1609. Newton explained them.\n\n"
        "Legacy: Sailors used the Rudolphine Tables at sea."
    )
    essay = with_context(essay, 1, "Tycho Brahe observed Mars for twenty years.")
    drafts = [d for d in generate(essay) if d.claim_index == 1]
    shown = [d for d in drafts if d.builder in {"cloze", "which_section"}]

    assert {d.builder for d in shown} == {"cloze", "which_section"}
    for draft in shown:
        assert draft.prompt.index("Tycho Brahe observed") < draft.prompt.index("tables")
        assert "the claim needs its context" in draft.warnings


# --- multiple answer: rule 10 ------------------------------------------------------


def test_list_without_oxford_comma_gives_a_question():
    text = (
        "The army took bread, salt and flour from the villages.\n\n"
        "Merchants sold wine, cheese and meat in the market.\n\n"
        "Farmers grew wheat, barley and rye near the river."
    )
    (first, *_) = drafts_of(text, "enumeration")

    assert {c.text for c in first.choices if c.is_correct} == {"bread", "salt", "flour"}


def test_distractors_are_of_the_items_kind_and_not_said_by_the_claim():
    text = (
        "The rebels captured Lyon, Marseille, and Toulon in the summer.\n\n"
        "The army sent cannons, muskets, and horses to Toulon.\n\n"
        "Envoys came from Nantes, Bordeaux, and Rouen.\n\n"
        "Peasants hid grain, bread, and wine from soldiers in Lyon and Brest."
    )
    drafts = {
        frozenset(c.text for c in d.choices if c.is_correct): d
        for d in drafts_of(text, "enumeration")
    }
    towns = drafts[frozenset({"Lyon", "Marseille", "Toulon"})]
    wrong = {c.text for c in towns.choices if not c.is_correct}

    assert wrong == {"Nantes", "Bordeaux", "Rouen"}
    food = drafts.get(frozenset({"grain", "bread", "wine"}))
    if food:
        assert "Lyon" not in {c.text for c in food.choices}


def test_items_are_kinds():
    assert item_kind("Marie Antoinette") == "name"
    assert item_kind("Declaration of Rights") == "name"
    assert item_kind("military leaders") == "plural"
    assert item_kind("desire for absolute power") == "singular"
    assert item_kind("3 million people") == "number"


def test_few_distractors_of_the_kind_are_a_warning():
    text = (
        "The rebels captured Lyon, Marseille, and Toulon.\n\n"
        "Envoys came from Nantes, Bordeaux, and the coast.\n\n"
        "Peasants hid grain, bread, and wine."
    )
    towns = next(
        d
        for d in drafts_of(text, "enumeration")
        if "Lyon" in {c.text for c in d.choices}
    )
    wrong = [c.text for c in towns.choices if not c.is_correct]

    assert set(wrong) == {"Nantes", "Bordeaux"}
    assert "few distractors of the same kind" in towns.warnings


# --- sections and matching: rules 4 and 14 ----------------------------------------

NATIONS = """\
Nationalism: Pride in one's nation grew after 1815. Poets wrote in the
language of the people.

Liberalism: Merchants asked for written constitutions. They wanted a free
press and elected assemblies.

Socialism: Workers formed unions in the factory towns. Strikes spread
through the mining valleys.
"""


def test_section_questions_never_share_a_word_with_their_answer():
    drafts = generate(parse(NATIONS))
    nation = [d for d in drafts if d.claim_index == 0]

    assert not {d.builder for d in nation} & {"which_section", "section_summary"}
    for draft in drafts:
        correct = [c.text for c in draft.choices if c.is_correct]
        if draft.builder == "which_section":
            assert not shared_content(draft.prompt, correct[0])
        if draft.builder == "section_summary":
            heading = draft.prompt.split('"')[1]
            assert not shared_content(heading, correct[0])
    (matching,) = [d for d in drafts if d.kind == "matching"]
    for pair in matching.pairs:
        assert not shared_content(pair.left, pair.right)
    assert matching.pairs[0].right.startswith("Poets wrote")


def test_two_sections_give_section_summaries_with_varied_wrong_choices():
    first = " ".join(f"Farmers in Valley{n}a grew oats in year {n}." for n in range(6))
    second = " ".join(f"Sailors from Port{n}b sold fish in year {n}." for n in range(6))
    essay = parse(f"Farming: {first}\n\nTrade: {second}")
    drafts = generate(essay)

    assert not [d for d in drafts if d.builder == "which_section"]
    summaries = [d for d in drafts if d.builder == "section_summary"]
    assert len(summaries) == 2  # one per section, not one per claim
    wrong_sets = [
        frozenset(c.text for c in d.choices if not c.is_correct) for d in summaries
    ]
    assert wrong_sets[0] != wrong_sets[1]
    assert all("only two sections to choose from" in d.warnings for d in summaries)


def test_section_questions_go_to_the_claims_that_tell_their_section():
    """A few section questions per section, on claims whose content words the
    rest of the section uses and no other section does (asked "where does
    this belong?", a student who knows the section answers it); the rest of
    a section's claims are asked about in other ways."""
    farming = [
        f"The {animal} stayed near the {place} all year."
        for animal, place in zip(
            [
                "goats",
                "pigs",
                "geese",
                "hens",
                "ducks",
                "sheep",
                "mules",
                "oxen",
                "ponies",
                "bees",
            ],
            [
                "barn",
                "river",
                "hedge",
                "well",
                "pond",
                "fold",
                "gate",
                "yard",
                "mill",
                "hive",
            ],
            strict=True,
        )
    ]
    farming[7] = "The ploughmen sowed barley on the hillside."
    farming[3] = "Ploughmen sowed barley in wet autumns too."
    trade = [f"Merchant{n} sold cloth in Bristol." for n in range(4)]
    mining = [f"Miner{n} dug tin in Cornwall." for n in range(4)]
    essay = parse(
        f"Farming: {' '.join(farming)}\n\nTrade: {' '.join(trade)}\n\n"
        f"Mining: {' '.join(mining)}"
    )
    drafts = generate(essay)
    asked: dict[str, list[int]] = {"which_section": [], "section_summary": []}
    for draft in drafts:
        if draft.builder in asked:
            asked[draft.builder].append(draft.claim_index)

    in_farming = {i for i in asked["which_section"] if i < 10}
    assert len(in_farming) == section_quota(10) == 2
    assert in_farming == {3, 7}  # barley and ploughmen: only Farming says them
    assert len([i for i in asked["section_summary"] if i < 10]) <= 2
    assert not set(asked["which_section"]) & set(asked["section_summary"])
    # Every claim still has a question.
    assert {d.claim_index for d in drafts} >= set(range(len(essay.claims)))


def test_three_sections_never_let_one_section_have_most_which_section_questions():
    big = " ".join(f"Farmers in Valley{n}a grew oats in year {n}." for n in range(8))
    essay = parse(
        f"Farming: {big}\n\nTrade: Sailors sold fish at Dover.\n\n"
        "Industry: Miners dug coal in Wales."
    )
    questions = [d for d in generate(essay) if d.builder == "which_section"]
    farming = [d for d in questions if d.claim_index < 8]

    assert questions
    assert len(farming) * 2 <= len(questions)


def test_a_distractor_heading_sharing_a_word_with_the_claim_is_not_offered():
    essay = parse(
        "Foreign Threats: Generals feared invasion from the west.\n\n"
        "Spies: Stalin feared foreign agents in the factories.\n\n"
        "Economy: Output of steel rose quickly.\n\n"
        "Culture: Writers praised the five-year plans.\n\n"
        "Army: Officers were shot in 1937."
    )
    (spies,) = [
        d
        for d in generate(essay)
        if d.builder == "which_section" and "foreign agents" in d.prompt
    ]

    assert "Foreign Threats" not in {c.text for c in spies.choices}


# --- bounds and coverage: rules 12 and 13 -------------------------------------------


def test_no_claim_gets_more_than_the_most_drafts():
    essay = parse(
        "Causes: In 1788 the Crown of France owed Genoa, Venice, and Holland "
        "about 4,000 million livres, as Necker told Louis XVI in the 1780s.\n\n"
        "Ideas: Voltaire, Rousseau, and Diderot wrote in the 1750s.\n\n"
        "Hunger: Bread, salt, and flour cost more in 1789.\n\n"
        "War: Austria, Prussia, and Britain fought France in 1792."
    )
    drafts = generate(essay)
    per_claim = [
        [d.builder for d in drafts if d.claim_index == i]
        for i in range(len(essay.claims))
    ]

    assert max(map(len, per_claim)) <= MAX_DRAFTS_PER_CLAIM
    crowded = max(per_claim, key=len)
    assert crowded[0] == "tf_true"
    assert {"cloze", "which_section"} <= set(crowded)


def test_best_drafts_keeps_each_builders_best_first():
    drafts = [
        QuestionDraft(f"{builder}:k:{n}", "single", "p", "e", 0)
        for builder, n in [
            ("tf_true", 0),
            ("cloze", 0),
            ("cloze", 1),
            ("enumeration", 0),
            ("enumeration", 1),
            ("enumeration", 2),
            ("which_section", 0),
            ("section_summary", 0),
        ]
    ]
    kept = generation.best_drafts(drafts)

    assert [d.generator_key for d in kept] == [
        "tf_true:k:0",
        "cloze:k:0",
        "cloze:k:1",
        "enumeration:k:0",
        "which_section:k:0",
        "section_summary:k:0",
    ]


def test_every_claim_keeps_a_draft_when_no_builder_makes_one(monkeypatch):
    monkeypatch.setattr(generation, "PER_CLAIM", (lambda essay, source: [],))
    essay = parse(
        "Kepler found that the planets move in ellipses.\n\n"
        "Newton explained the ellipses by gravity."
    )
    drafts = generate(essay)

    assert [d.claim_index for d in drafts] == [0, 1]
    assert all(d.is_true for d in drafts)


def test_no_prompt_is_longer_than_600_characters():
    # Just under the longest sentence the parser keeps (400 characters).
    long = "Kepler, " + ", ".join(f"Astronomer{n}x" for n in range(25)) + " met."
    for draft in drafts_of(f"Causes: {long}\n\nResults: Newton won.\n\nEnd: Halley."):
        if draft.builder != "tf_true":
            assert len(draft.prompt) <= 600


@pytest.mark.parametrize(
    "sentence",
    [
        # The list is cut short: "odds and ends" is one thing.
        "It explains the object database, the index file, and a few other "
        "odds and ends that you need.",
        # A clause, not a list: the first "and" is inside the opening phrase.
        "Between the Web browser and the server, numerous computers and "
        "machines relay the messages.",
        # Pieces of clauses and tokens are no choices.
        "If no ‘-e’, ‘-f’, ‘--expression’, or ‘--file’ options are given, sed stops.",
        "The flows altered eastern Lombok, extending the shore, burying river "
        "valleys, and filling lakes.",
        "Resources include text content, layout instructions, images, and more.",
        # "a single" belongs to the first item, "of lines" to the last.
        "An address can be a single line number, a regular expression, or a "
        "range of lines.",
    ],
)
def test_badly_split_lists_give_no_multiple_answer_question(sentence):
    text = (
        f"{sentence}\n\nMerchants sold wine, cheese, and meat.\n\n"
        "Farmers grew wheat, barley, and rye."
    )
    drafts = generate(parse(text))

    assert not [d for d in drafts if d.kind == "multiple" and d.claim_index == 0]


def test_most_section_questions_never_offer_the_same_wrong_choices():
    """Headings that share words with the claims leave one set of wrong
    choices: no more than half of the questions may offer it."""
    big = " ".join(f"Farmers in Valley{n}a grew oats in year {n}." for n in range(8))
    essay = parse(
        f"Farming: {big}\n\nTrade: Sailors sold fish at Dover.\n\n"
        "Oats and Farmers: Millers ground oats in Kent.\n\n"
        "Industry: Miners dug coal in Wales."
    )
    questions = [d for d in generate(essay) if d.builder == "which_section"]
    sets = [frozenset(c.text for c in d.choices if not c.is_correct) for d in questions]

    assert questions
    assert len(questions) < 4 or max(map(sets.count, sets)) * 2 <= len(questions)


def test_a_claim_opening_on_a_pronoun_without_context_gets_only_statements():
    # The parser gives such a claim its context or its antecedent; a claim
    # that still opens on a pronoun alone (from another parser) gets only
    # statements.
    parsed = parse(
        "Causes: Tycho Brahe observed Mars for twenty years. "
        "His tables reached Prague in 1601.\n\n"
        "Results: Kepler found ellipses in 1609. They puzzled Galileo in Padua.\n\n"
        "Legacy: Sailors used the Rudolphine Tables at sea.\n\n"
        "Critics: Galileo doubted ellipses in Florence."
    )
    dangling = {1, 3}
    numbers = iter(range(len(parsed.claims)))
    essay = replace(
        parsed,
        sections=tuple(
            replace(
                section,
                claims=tuple(
                    replace(claim, shown="", context="")
                    if next(numbers) in dangling
                    else claim
                    for claim in section.claims
                ),
            )
            for section in parsed.sections
        ),
    )
    drafts = generate(essay)

    assert {d.builder for d in drafts if d.claim_index in dangling} <= {
        "tf_true",
        "tf_false",
    }
    for draft in drafts:
        if draft.builder == "section_summary":
            wrong = [c.text for c in draft.choices if not c.is_correct]
            assert not [text for text in wrong if text.startswith(("His", "They"))]


def test_no_cloze_of_a_capitals_heading_run_into_the_text_nor_of_a_non_sentence():
    text = (
        "DESCRIPTION This tutorial explains how to import a project into Git.\n\n"
        "SEE ALSO The Git User Manual covers Linux too.\n\n"
        "$ git log --since=Monday\n\n"
        "The GNU C library follows ISO C99 closely."
    )
    answers = cloze_answers(text)

    assert not {"DESCRIPTION This", "SEE ALSO", "Monday"} & answers
    assert "GNU C" in answers or "ISO C99" in answers


def test_a_year_after_an_opening_preposition_is_still_a_blank():
    answers = cloze_answers(
        "In 1789 the Estates-General met at Versailles.\n\n"
        "By 1788 the Crown was close to bankruptcy in France."
    )

    assert {"1789", "1788"} <= answers


@pytest.mark.parametrize(
    ("sentence", "blank"),
    [
        ("How do I ignore changes to a tracked file in Git?", "How"),
        ("How should I change the token I’ve saved in Keychain?", "I’ve"),
        ('Pick a locale in Linux, e.g. "LANG=en_GB.UTF-8".', "LANG=en_GB.UTF-8"),
        ("Both GNU sed and *BSD seds accept it in Linux.", "BSD"),
        ("$ echo | sed 'Q42' in Linux ; echo $?", "Linux"),
    ],
)
def test_no_cloze_of_a_question_word_a_contraction_code_or_a_command(sentence, blank):
    answers = cloze_answers(f"{sentence}\n\nThe Bastille fell in Paris in 1789.")

    assert blank not in answers
    assert "Bastille" in answers


def test_a_quoted_sentence_keeps_its_own_quotations_in_single_quotes():
    essay = parse(
        'Ideas: Voltaire questioned the "divine right" of kings in Paris.\n\n'
        "Money: The Crown owed Genoa money in 1788.\n\n"
        "Hunger: Bread cost more in Lyon in 1789.\n\n"
        "War: Austria fought France in 1792."
    )
    (question,) = [
        d
        for d in generate(essay)
        if d.builder == "which_section" and "Voltaire" in d.prompt
    ]

    assert "‘divine right’" in question.prompt
    assert question.prompt.count('"') == 2


def test_a_large_number_is_accepted_in_words_too():
    drafts = drafts_of(
        "Results: The NKVD arrested 1,500,000 people in the purge of 1937. "
        "The Gulag grew larger than ever before in the camps.\n\n"
        "Memory: Nikita Khrushchev denounced Joseph Stalin in a speech of 1956."
    )
    answers = next(
        d.accepted_answers for d in drafts if "1,500,000" in d.accepted_answers
    )

    assert "1.5 million" in answers
    assert "1500000" in answers


def test_no_list_is_read_from_an_opening_adverb():
    drafts = drafts_of(
        "Owners: Historically, sys user and group owned the kernel sources.\n\n"
        "Mail: Mailboxes in the spool are owned by the mail group and its users."
    )

    assert not [d for d in drafts if d.builder == "enumeration"]


def test_no_blank_on_a_name_used_as_an_adjective():
    drafts = drafts_of(
        "People: Italian volunteer Pietro Di Miceli built the first website "
        "of the project in 1994.\n\n"
        "Books: The volunteers scanned and proofread thousands of old books."
    )
    blanked = {a for d in drafts if d.kind == "cloze" for a in d.accepted_answers}

    assert "Italian" not in blanked


def test_no_blank_on_a_year_beside_another():
    drafts = drafts_of(
        "Results: The NKVD arrested many officers in 1937 and 1938 across the land.\n\n"
        "Memory: Nikita Khrushchev denounced Joseph Stalin in a speech of 1956."
    )
    blanked = {a for d in drafts if d.kind == "cloze" for a in d.accepted_answers}

    assert not blanked & {"1937", "1938"}
    assert "1956" in blanked


def test_a_back_matter_heading_is_never_offered_as_a_part_of_the_essay():
    drafts = drafts_of(
        "Causes: The harvest failed in the north that year.\n\n"
        "Results: The price of bread doubled in every town.\n\n"
        "Memory: Historians still argue about the famine today.\n\n"
        "Copyright\n\nCopyright © 2001 Jane Roe. All rights reserved."
    )
    offered = {
        c.text for d in drafts if d.builder == "which_section" for c in d.choices
    }

    assert offered
    assert "Copyright" not in offered


def test_section_summary_offers_one_wrong_claim_per_section_of_like_length():
    essay = parse(
        "\n\n".join(
            f"{heading}: {a} {b}"
            for heading, a, b in [
                (
                    "Farming",
                    "The farmers sowed barley in spring.",
                    "The harvest of 1788 failed.",
                ),
                (
                    "Trade",
                    "The merchants sold cloth in Lyon.",
                    "Tolls rose on every river.",
                ),
                (
                    "Taxes",
                    "The peasants paid the taille each year.",
                    "The clergy paid almost nothing.",
                ),
                (
                    "Ideas",
                    "Writers mocked the court in pamphlets.",
                    "Salons spread the new ideas.",
                ),
                (
                    "War",
                    "The army lost battles in Canada.",
                    "The navy cost a fortune in ships.",
                ),
            ]
        )
    )
    summaries = [d for d in generate(essay) if d.builder == "section_summary"]

    assert summaries
    for draft in summaries:
        right = next(c.text for c in draft.choices if c.is_correct)
        wrong = [c for c in draft.choices if not c.is_correct]
        places = [c.feedback for c in wrong]
        assert len(set(places)) == len(places)  # each from another section
        for choice in wrong:
            assert 0.5 <= len(choice.text) / len(right) <= 2.0


def test_no_blank_on_an_item_of_a_list_of_three():
    drafts = drafts_of(
        "Mail: The server is commonly used by IMAP, POP, and SMTP programs.\n\n"
        "Users: The daemon runs as user mail since the release of 2004."
    )
    blanked = {a for d in drafts if d.kind == "cloze" for a in d.accepted_answers}

    assert not blanked & {"IMAP", "POP", "SMTP"}


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("Hart founded Project Gutenberg (PG) in a small lab in 1971.", "PG"),
        ("The first plane is the BMP (Basic Multilingual Plane) of the code.", "BMP"),
        ("Hart died on 6 September 2011 at his home in Urbana.", "6"),
        ("Lines end with a zero byte (the ASCII NUL character) in this mode.", "ASCII"),
        ("The phases P1 and P2 lasted between twelve and fifteen hours.", "P2"),
        ("Many early users of the Internet read the texts on a screen.", "Internet"),
        (
            "Eruptions of comparable size include the Kurile eruption (in "
            "Kamchatka), the Mazama eruption in Oregon, and the Minoan eruption.",
            "Mazama",
        ),
    ],
)
def test_a_blank_its_neighbours_or_every_reader_tell_is_not_made(text, given):
    """An acronym beside its words, a detail in brackets, a day of the month,
    a label, a word every reader knows: the blank is guessed, not known."""
    assert given not in cloze_answers(f"{text}\n\nThe Girondins met in Bordeaux.")


def test_claims_beyond_the_balance_are_asked_where_they_stand():
    """A claim no other question covers would be a true statement; where
    that would tip the true/false balance, it is asked under which heading
    the text says it (in a text of enough headings for the wrong ones to
    vary), each such question with wrong choices of its own."""
    headings = ["Rivers", "Mountains", "Forests", "Deserts", "Islands", "Lakes"]
    lines = [
        "People there were happy for many years.",
        "Children played near the old houses every day.",
        "Most families kept a small garden behind the house.",
        "The roads were long and the winters were hard.",
    ]
    colours = ["red", "blue", "green", "black", "white", "brown"]
    text = "\n\n".join(
        f"{heading}: "
        + " ".join(f"{line[:-1]} in the {colour} town." for line in lines)
        for heading, colour in zip(headings, colours, strict=True)
    )
    drafts = generate(parse(text))
    wrong_sets = [
        frozenset(c.text for c in d.choices if not c.is_correct)
        for d in drafts
        if d.builder == "which_section"
    ]

    assert len(wrong_sets) > len(headings) * section_quota(len(lines))
    assert len(set(wrong_sets)) * 2 >= len(wrong_sets)
    # Not 24 true statements: a true/false question or two at most.
    assert len([d for d in drafts if d.kind == "true_false"]) < TF_MIN
    assert {d.claim_index for d in drafts} >= set(range(len(headings) * len(lines)))
