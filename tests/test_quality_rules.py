"""Each automatic quality rule (quizzes/quality.py) on small hand-made drafts:
one that passes, one that the rule flags."""

import pytest

from quizzes import quality
from quizzes.essays import ParsedClaim, ParsedEssay, ParsedSection
from quizzes.generation.drafts import ChoiceDraft, PairDraft, QuestionDraft
from quizzes.kinds import BLANK, CLOZE, MATCHING, MULTIPLE, SINGLE, TRUE_FALSE

CLAIMS = {
    "Early Presses": [
        "In Mainz, Johannes Gutenberg built a printing press around 1450.",
        "The press used movable metal type made of lead, tin, and antimony.",
    ],
    "Later Changes": [
        "By the 1800s steam power drove the presses.",
        "Newspapers reached millions of readers every day.",
    ],
}


def make_essay(claims=None, title="The Printing Press", context="") -> ParsedEssay:
    sections, body, count = [], "", 0
    for heading, texts in (claims or CLAIMS).items():
        parsed = []
        for text in texts:
            start = len(body)
            body += text + " "
            parsed.append(
                ParsedClaim(
                    text, start, start + len(text), key=f"c{count}", context=context
                )
            )
            count += 1
        sections.append(ParsedSection(heading, 0, len(body), tuple(parsed)))
    return ParsedEssay(title, body, tuple(sections))


ESSAY = make_essay()


def cloze(index, prompt, *answers):
    return QuestionDraft(f"cloze:c{index}:{answers[0]}", CLOZE, prompt, "", index,
                         accepted_answers=answers)  # fmt: skip


def statement(index, prompt, is_true, explanation=""):
    key = f"tf_{'true' if is_true else 'false'}:c{index}:{prompt[:12]}"
    return QuestionDraft(key, TRUE_FALSE, prompt, explanation, index, is_true=is_true)


def choice_question(builder, index, correct, wrong, kind=SINGLE, prompt="Which?"):
    choices = tuple(ChoiceDraft(text, True) for text in correct) + tuple(
        ChoiceDraft(text, False) for text in wrong
    )
    return QuestionDraft(f"{builder}:c{index}", kind, prompt, "", index, choices)


def matching(*pairs):
    return QuestionDraft(
        "matching:x", MATCHING, "Match them.", "", None,
        pairs=tuple(PairDraft(left, right) for left, right in pairs),
    )  # fmt: skip


def flagged(rule, drafts, essay=ESSAY):
    return [v for v in quality.check(essay, drafts) if v.rule == rule]


def test_rules_are_the_fourteen_of_the_spec_in_order():
    assert len(quality.RULES) == 14
    assert quality.RULES[0] == "topic_blank"
    assert quality.RULES[-1] == "reused_distractors"
    violations = quality.check(ESSAY, [])
    assert {v.rule for v in violations} <= set(quality.RULES)


# 1 topic_blank


def test_topic_blank_flags_a_title_word_and_passes_another_term():
    title = cloze(0, f"In Mainz, Johannes Gutenberg built a {BLANK} around 1450.",
                  "printing press")  # fmt: skip
    place = cloze(0, f"In {BLANK}, Johannes Gutenberg built a printing press.", "Mainz")
    assert flagged("topic_blank", [title])
    assert not flagged("topic_blank", [place])


def test_topic_blank_flags_a_name_in_many_claims_of_a_long_essay():
    many = {"Part": [f"Claim {n} says Mainz grew in year {n}." for n in range(2)]}
    many["Part"] += [f"Claim {n} says nothing of that town." for n in range(2, 10)]
    essay = make_essay(many, title="")
    draft = cloze(0, f"Claim 0 says {BLANK} grew in year 0.", "Mainz")
    assert flagged("topic_blank", [draft], essay)  # in 2 of 10 claims: 20 %
    short = make_essay({"Part": many["Part"][:9]}, title="")
    assert not flagged("topic_blank", [draft], short)  # under 10 claims


# 2 false_kind


def test_false_kind_passes_a_swap_of_two_capitalised_words():
    prompt = "In Lyon, Johannes Gutenberg built a printing press around 1450."
    explanation = 'False: the essay says "..." ("Mainz", not "Lyon").'
    draft = statement(0, prompt, False, explanation)
    assert not flagged("false_kind", [draft])


@pytest.mark.parametrize(
    ("said", "swapped"),
    [("Mainz", "1800s"), ("1450", "1800s"), ("1450", "12"), ("Mainz", "steam")],
)
def test_false_kind_flags_a_swap_of_terms_of_different_kinds(said, swapped):
    prompt = f"In {swapped}, Johannes Gutenberg built a printing press."
    explanation = f'False: the essay says "..." ("{said}", not "{swapped}").'
    assert flagged("false_kind", [statement(0, prompt, False, explanation)])


def test_false_kind_flags_a_false_statement_the_essay_makes_and_a_missing_swap():
    still_true = statement(2, "Newspapers reached millions of readers every day.",
                           False, '("thousands", not "millions")')  # fmt: skip
    [violation] = flagged("false_kind", [still_true])
    assert "false_still_true" in violation.message
    assert flagged("false_kind", [statement(0, "Something else.", False, "False.")])


# 3 dangling


def test_dangling_flags_a_pronoun_start_without_context():
    claims = {"Part": ["They spread quickly across Europe in a few decades."]}
    draft = statement(0, "They spread quickly across Europe in a few decades.", True)
    assert flagged("dangling", [draft], make_essay(claims))
    with_context = make_essay(claims, context="Presses were cheap to build.")
    assert not flagged("dangling", [draft], with_context)
    assert not flagged("dangling", [statement(0, "In Mainz, ...", True)])


# 4 section_giveaway


def test_section_giveaway_flags_a_heading_sharing_a_content_word():
    gives = choice_question("which_section", 0, ["Early Presses"], ["Later Changes"])
    fair = choice_question("which_section", 3, ["Later Changes"], ["Early Presses"])
    assert flagged("section_giveaway", [gives])  # "press" in both
    assert not flagged("section_giveaway", [fair])


def test_section_giveaway_in_summaries_and_matching():
    summary = choice_question("section_summary", 0, [CLAIMS["Later Changes"][0]], [])
    essay = make_essay({"Steam Presses": CLAIMS["Later Changes"]})
    assert flagged("section_giveaway", [summary], essay)
    fair = choice_question("section_summary", 2, [CLAIMS["Later Changes"][0]], [])
    assert not flagged("section_giveaway", [fair])
    assert flagged("section_giveaway", [matching(("Steam", "steam power drove"))])
    assert not flagged("section_giveaway", [matching(("Later Changes", "Newspapers"))])


# 5 guessable_cloze


def test_guessable_cloze_flags_an_answer_the_prompt_repeats():
    fair = cloze(1, f"The press used movable {BLANK} made of lead, tin, and antimony.",
                 "metal type")  # fmt: skip
    repeats = cloze(1, f"The press used {BLANK} made of lead; such type was new.",
                    "movable metal type")  # fmt: skip
    assert not flagged("guessable_cloze", [fair])
    assert flagged("guessable_cloze", [repeats])


def test_guessable_cloze_flags_a_blank_inside_a_longer_name():
    inside = cloze(0, f"In Mainz, Johannes {BLANK} built a printing press.",
                   "Gutenberg")  # fmt: skip
    prompt = f"In Mainz, Johannes Gutenberg built a printing press around {BLANK}."
    year = cloze(0, prompt, "1450")
    [violation] = flagged("guessable_cloze", [inside])
    assert "Johannes Gutenberg" in violation.message
    assert not flagged("guessable_cloze", [year])
    first = cloze(0, f"Johannes {BLANK} built a printing press.", "Gutenberg")
    assert flagged("guessable_cloze", [first])  # a name's first word starts it
    place = cloze(0, f"In {BLANK}, Johannes Gutenberg built a press.", "Mainz")
    assert not flagged("guessable_cloze", [place])  # "In" is no name


# 6 not_a_sentence


@pytest.mark.parametrize(
    "text",
    [
        "Too short here.",
        "This sentence never really ends",
        "Early Presses ====",
        "1. Open the file in the editor.",
        "b) the second item of a list.",
        "See the manual for the details.",
        "Note: the press is heavy to move.",
        "(This is an aside about presses.)",
    ],
)
def test_not_a_sentence_flags_fragments(text):
    assert quality.sentence_problem(text)
    assert flagged("not_a_sentence", [], make_essay({"Part": [text]}))


@pytest.mark.parametrize(
    "text",
    [
        "The press used movable metal type.",
        'He said: "It works!"',
        "U.S. forces came ashore.",
    ],
)
def test_not_a_sentence_passes_sentences(text):
    assert not quality.sentence_problem(text)


# 7 markup


@pytest.mark.parametrize(
    "text",
    [
        "Run `git log` now.",
        "The **press** was new.",
        "The *press* was new.",
        "The _press_ was new.",
        "The *movable type* press was new.",
        "See [the docs](/docs) here.",
        "The <b>press</b> was new.",
        "# Title\nThe press.",
        "The press (built in 1450 was new.",
        "The press [1 was new.",
        "He said “yes and left.",
        'He said "yes and left.',
        "see git- config for it.",
        "The press\u200b was new.",
        "The press\twas new.",
    ],
)
def test_markup_flags_leftover_markup(text):
    assert quality.markup_problem(text)
    draft = choice_question("enumeration", 1, ["lead"], [text], kind=MULTIPLE)
    assert flagged("markup", [draft])


@pytest.mark.parametrize(
    "text",
    [
        'He said "yes" (twice) [1] and {left}.',
        f"The press used movable {BLANK} made of lead.",
        "A well-known press, 2 * 3 = 6.",
        "If it has no ‘*’, then a ‘*’ is added to snake_case_names.",
    ],
)
def test_markup_passes_plain_text(text):
    assert not quality.markup_problem(text)


# 8 distractor_true


def test_distractor_true_flags_a_wrong_choice_the_claim_says():
    says = choice_question("which_section", 0, ["Early Presses"], ["Mainz", "Steam"])
    fair = choice_question("which_section", 0, ["Early Presses"], ["Later Changes"])
    assert flagged("distractor_true", [says])
    assert not flagged("distractor_true", [fair])


def test_distractor_true_for_summaries_is_a_claim_of_the_same_section():
    same = choice_question("section_summary", 0, [CLAIMS["Early Presses"][0]],
                           [CLAIMS["Early Presses"][1]])  # fmt: skip
    other = choice_question("section_summary", 0, [CLAIMS["Early Presses"][0]],
                            [CLAIMS["Later Changes"][1]])  # fmt: skip
    assert flagged("distractor_true", [same])
    assert not flagged("distractor_true", [other])


# 9 stray_blank


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        (f"The press was one of {BLANK} in Mainz.", "12"),
        (f"Servers speak HTTP {BLANK} today.", "1.1"),
        (f"Servers speak HTTP/{BLANK} today.", "one"),
        (f"Servers speak {BLANK}/1.1 today.", "HTTP"),
        (f"Open the {BLANK}.txt file.", "notes"),
    ],
)
def test_stray_blank_flags_numbers_versions_and_glued_blanks(prompt, answer):
    assert flagged("stray_blank", [cloze(0, prompt, answer)])


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        (f"The press had {BLANK} parts.", "12"),
        (f"The press was built around {BLANK}.", "1450"),
        (f"Gutenberg worked in {BLANK}, a city.", "Mainz"),
    ],
)
def test_stray_blank_passes_ordinary_blanks(prompt, answer):
    assert not flagged("stray_blank", [cloze(0, prompt, answer)])


# 10 bad_multiple


def test_bad_multiple_passes_a_list_from_the_claim():
    draft = choice_question("enumeration", 1, ["lead", "tin", "antimony"],
                            ["copper", "iron"], kind=MULTIPLE)  # fmt: skip
    assert not flagged("bad_multiple", [draft])


@pytest.mark.parametrize(
    ("correct", "wrong"),
    [
        (["lead", "gold"], ["iron"]),
        (["lead", "tin"], ["a metal that was far too soft to use"]),
        (["lead", "tin"], ["and iron"]),
        (["lead", "tin"], ["1450"]),
    ],
)
def test_bad_multiple_flags_bad_choices(correct, wrong):
    draft = choice_question("enumeration", 1, correct, wrong, kind=MULTIPLE)
    assert flagged("bad_multiple", [draft])


# 11 tf_balance


def test_tf_balance_for_an_essay_and_a_quiz():
    assert quality.check_quiz_balance([True] * 5)
    assert quality.check_quiz_balance([False] * 4 + [True])
    assert not quality.check_quiz_balance([True, True, False, False, True])
    assert not quality.check_quiz_balance([True] * 4)  # too few to count
    trues = [statement(i % 4, f"Claim {i}.", True) for i in range(5)]
    assert flagged("tf_balance", trues)
    falses = [statement(i % 4, f"Other {i}.", False) for i in range(5)]
    assert not flagged("tf_balance", trues + falses)


# 12 coverage


def test_coverage_flags_a_claim_without_a_question():
    drafts = [statement(index, f"Claim {index}.", True) for index in range(4)]
    assert not flagged("coverage", drafts)
    [violation] = flagged("coverage", drafts[:3])
    assert violation.generator_key == "claim:c3"


# 13 bounds


def test_bounds_flags_a_long_prompt_and_too_many_drafts_for_a_claim():
    assert flagged("bounds", [statement(0, "x" * 601, True)])
    assert not flagged("bounds", [statement(0, "x" * 600, True)])
    limit = quality.MAX_DRAFTS_PER_CLAIM
    drafts = [statement(0, f"Claim {n}.", True) for n in range(limit + 1)]
    assert flagged("bounds", drafts)
    assert not flagged("bounds", drafts[:limit])


# 14 reused_distractors


def test_reused_distractors_flags_the_same_wrong_choices_again_and_again():
    same = [choice_question("which_section", i, ["A"], ["B", "C"]) for i in range(3)]
    other = [choice_question("which_section", 3, ["B"], ["A", "C"])]
    assert flagged("reused_distractors", same + other)  # 3 of 4
    mixed = same[:2] + other + [choice_question("which_section", 2, ["C"], ["A", "B"])]
    assert not flagged("reused_distractors", mixed)  # 2 of 4
    assert not flagged("reused_distractors", same)  # fewer than 4
