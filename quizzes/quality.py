"""The automatic question-quality rules, as checks that can fail (pure).

``check(essay, drafts)`` returns every ``Violation`` of the rules in
``RULES`` (the shared spec of issue 9, in its order) for one essay's drafts;
``check_quiz_balance`` applies the true/false balance rule to one quiz.

The checks read only what the generator hands out: the ``ParsedEssay`` (its
title, sections and claims) and the ``QuestionDraft`` data (kind, key, prompt,
explanation, choices, answers, pairs). They never call the generator's own
helpers, so a generator bug cannot hide itself by being shared with its
judge. "Content lemma" and "comparable" are defined here as the spec says:

- a content lemma is the simplemma lemma, casefolded, of a word of at least
  4 letters whose wordfreq Zipf frequency in English is under 5.5;
- comparable text is casefolded, punctuation turned to spaces, spaces
  collapsed; "contains" compares comparable texts as whole words.

A violation names the draft by its ``generator_key``; a claim-level one
(``not_a_sentence``, ``coverage``) by ``claim:<claim key>``, an essay-level
one (``tf_balance``, ``reused_distractors``) by ``essay:<builder>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import simplemma
from wordfreq import zipf_frequency

from quizzes.essays import ParsedClaim, ParsedEssay, ParsedSection
from quizzes.generation import drafts as draft_limits
from quizzes.generation.drafts import QuestionDraft
from quizzes.kinds import BLANK, CLOZE, MATCHING, MULTIPLE, SINGLE, TRUE_FALSE

RULES: tuple[str, ...] = (
    "topic_blank",
    "false_kind",
    "dangling",
    "section_giveaway",
    "guessable_cloze",
    "not_a_sentence",
    "markup",
    "distractor_true",
    "stray_blank",
    "bad_multiple",
    "tf_balance",
    "coverage",
    "bounds",
    "reused_distractors",
)

EVERYDAY_ZIPF = 5.5  # at or above: an everyday word, never a content lemma
TOPIC_SHARE = 0.15  # of the question-source claims, for an answer to be a topic
TOPIC_MIN_CLAIMS = 10
TF_MIN, TF_LOW, TF_HIGH = 5, 0.4, 0.6
MAX_PROMPT = 600
MAX_DRAFTS_PER_CLAIM = getattr(draft_limits, "MAX_DRAFTS_PER_CLAIM", 6)
MIN_SENTENCE_WORDS = 4
MAX_CHOICE_WORDS = 6
REUSE_MIN = 4

PRONOUNS = (
    "He|She|They|This|These|Those|That|Such|His|Her|Their|Its"  # as the spec lists
)
_PRONOUN_START = re.compile(rf"^\W*(?:{PRONOUNS})\b")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_RULE_LINE = re.compile(r"[=\-#*_~]{3,}")
_LIST_MARKER = re.compile(r"^(?:\d+|[A-Za-z])[.)](?:\s|$)")
_INSTRUCTION = re.compile(r"^(?:(?:See|Refer|Click|Visit|Type|Run|Press)\b|Note:)")
_SWAP = re.compile(r'\("(.+?)", not "(.+?)"\)')
_YEAR = re.compile(r"\d{4}")
_DECADE = re.compile(r"(?:\d{4}|['’]\d0)['’]?s")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\w)[^*\n]*?(?<=\w)\*(?![\w*])"  # *word*
    r"|(?<![\w_])_(?=[^\W_])[^_\n]*?(?<=[^\W_])_(?![\w_])"  # _word_
)
_HYPHEN_SPLIT = re.compile(r"\w- [a-z]")
_STOP = frozenset(
    ("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "in")
    + ("is", "of", "on", "or", "than", "that", "the", "to", "was", "were", "with")
)
_GLUE = re.compile(r"[\w./-]")


@dataclass(frozen=True)
class Violation:
    rule: str  # one of RULES
    generator_key: str  # the draft, or claim:<key> / essay:<builder>
    message: str  # for a person: what is wrong, quoting the text


# --- words -----------------------------------------------------------------


def comparable(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.casefold()).split())


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words (comparable)."""
    needle = comparable(needle)
    return bool(needle) and f" {needle} " in f" {comparable(haystack)} "


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str | None:
    folded = word.casefold()
    if len(folded) < 4 or zipf_frequency(folded, "en") >= EVERYDAY_ZIPF:
        return None
    return simplemma.lemmatize(folded, "en").casefold()


def content_lemmas(text: str) -> set[str]:
    words = re.findall(r"[^\W\d_]+", text)
    return {lemma for word in words if (lemma := _lemma(word))}


def _short(text: str, size: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 3] + "..."


# --- the essay as the rules see it ------------------------------------------


class _Essay:
    def __init__(self, essay: ParsedEssay):
        self.essay = essay
        self.claims = essay.claims
        self.sources = [
            (i, c) for i, c in enumerate(self.claims) if c.is_question_source
        ]
        # claim index -> its section
        self.section_of = [
            s for s, sec in enumerate(essay.sections) for _ in sec.claims
        ]
        self.claim_texts = [
            f" {comparable(text)} "
            for claim in self.claims
            for text in {claim.text, claim.question_text}
        ]

    def claim(self, draft: QuestionDraft) -> ParsedClaim | None:
        index = draft.claim_index
        ok = index is not None and 0 <= index < len(self.claims)
        return self.claims[index] if ok else None

    def section(self, draft: QuestionDraft) -> ParsedSection | None:
        ok = self.claim(draft) is not None
        return self.essay.sections[self.section_of[draft.claim_index]] if ok else None

    def says(self, statement: str) -> bool:
        wanted = f" {comparable(statement)} "
        return any(wanted in text for text in self.claim_texts)


def _correct(draft: QuestionDraft) -> list[str]:
    return [choice.text for choice in draft.choices if choice.is_correct]


def _wrong(draft: QuestionDraft) -> list[str]:
    return [choice.text for choice in draft.choices if not choice.is_correct]


def _blank_sides(prompt: str) -> tuple[str, str]:
    before, _, after = prompt.partition(BLANK)
    return before, after


# --- the rules, one function each --------------------------------------------


def _topic_blank(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    claims = [claim.question_text for _, claim in essay.sources]
    counted = len(claims) >= TOPIC_MIN_CLAIMS
    for draft in drafts:
        if draft.kind != CLOZE:
            continue
        for answer in draft.accepted_answers:
            if contains(essay.essay.title, answer):
                yield Violation(
                    "topic_blank",
                    draft.generator_key,
                    f'the answer "{answer}" is in the essay\'s title',
                )
                break
            share = sum(contains(c, answer) for c in claims) / max(len(claims), 1)
            if counted and share >= TOPIC_SHARE:
                yield Violation(
                    "topic_blank",
                    draft.generator_key,
                    f'the answer "{answer}" is the topic: it is in {share:.0%} '
                    f"of the claims",
                )
                break


def _term_kind(term: str) -> str:
    if _YEAR.fullmatch(term) and 1000 <= int(term) <= 2100:
        return "year"
    if _DECADE.fullmatch(term):
        return "decade"
    if re.search(r"\d", term):
        return "number"
    return "capitalised word" if term[:1].isupper() else "lower-case word"


def _false_kind(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    headings = {section.heading for section in essay.essay.sections}
    for draft in drafts:
        if draft.kind != TRUE_FALSE or draft.is_true is not False:
            continue
        swaps = _SWAP.findall(draft.explanation)
        if not swaps:
            yield Violation(
                "false_kind",
                draft.generator_key,
                'the explanation does not say which term was swapped ("X", not "Y")',
            )
            continue
        said, swapped = swaps[-1]
        if {said, swapped} <= headings:
            pass  # said under another heading: a heading for a heading
        elif _term_kind(said) != _term_kind(swapped):
            yield Violation(
                "false_kind",
                draft.generator_key,
                f'"{swapped}" ({_term_kind(swapped)}) swapped for "{said}" '
                f"({_term_kind(said)})",
            )
        if essay.says(draft.prompt):
            yield Violation(
                "false_kind",
                draft.generator_key,
                f"false_still_true: the essay says the false statement "
                f'"{_short(draft.prompt)}"',
            )


def _dangling(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    for draft in drafts:
        claim = essay.claim(draft)
        if claim and not claim.context and _PRONOUN_START.match(claim.question_text):
            yield Violation(
                "dangling",
                draft.generator_key,
                f"the claim starts with a pronoun and has no context: "
                f'"{_short(claim.question_text)}"',
            )


def _shared(one: str, other: str) -> set[str]:
    return content_lemmas(one) & content_lemmas(other)


def _section_giveaway(
    essay: _Essay, drafts: list[QuestionDraft]
) -> Iterator[Violation]:
    for draft in drafts:
        pairs: list[tuple[str, str]] = []
        claim = essay.claim(draft)
        if draft.builder == "which_section" and claim:
            pairs = [(claim.question_text, heading) for heading in _correct(draft)]
        elif draft.builder == "section_summary":
            section = essay.section(draft)
            heading = section.heading if section else ""
            pairs = [(heading, text) for text in _correct(draft)]
        elif draft.kind == MATCHING:
            pairs = [(pair.left, pair.right) for pair in draft.pairs]
        for one, other in pairs:
            if shared := _shared(one, other):
                yield Violation(
                    "section_giveaway",
                    draft.generator_key,
                    f'"{_short(one, 60)}" and "{_short(other, 60)}" share '
                    f"{', '.join(sorted(shared))}",
                )


def _longer_name(essay: _Essay, before: str, after: str, answer: str) -> str:
    """The name the blank is part of: a capitalised word right beside it
    that with the answer is found in the essay. A sentence's first word
    counts only if it is not an everyday word ("In", "The")."""
    names = []
    found = re.search(r"(?:^|(\S*)\s)([A-Z][\w'’-]*) $", before)
    if found and answer[:1].isupper():
        first = not found.group(1) or re.search(r"[.!?:]$", found.group(1))
        if not first or _lemma(found.group(2)):
            names.append(f"{found.group(2)} {answer}")
    found = re.match(r" ([A-Z][\w'’-]*)\b", after)
    if found and answer.split()[-1][:1].isupper():
        names.append(f"{answer} {found.group(1)}")
    for name in names:
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", essay.essay.body):
            return name
    return ""


def _guessable_cloze(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    for draft in drafts:
        if draft.kind != CLOZE or not draft.accepted_answers:
            continue
        answer = draft.accepted_answers[0]
        before, after = _blank_sides(draft.prompt)
        if shared := content_lemmas(answer) & content_lemmas(f"{before} {after}"):
            yield Violation(
                "guessable_cloze",
                draft.generator_key,
                f'the prompt also says {", ".join(sorted(shared))} (answer "{answer}")',
            )
        elif name := _longer_name(essay, before, after, answer):
            yield Violation(
                "guessable_cloze",
                draft.generator_key,
                f'the blank is part of the name "{name}"',
            )


def sentence_problem(text: str) -> str:
    """Why a claim's question text is not a sentence a question can stand
    on, or "" when it is one."""
    text = text.strip()
    if len(text.split()) < MIN_SENTENCE_WORDS:
        return f"fewer than {MIN_SENTENCE_WORDS} words"
    if not _SENTENCE_END.search(text):
        return "does not end with . ! or ?"
    if _RULE_LINE.search(text):
        return "contains a run of = - # * _ ~"
    if _LIST_MARKER.match(text):
        return "starts with a list marker"
    if _INSTRUCTION.match(text):
        return "starts with an instruction"
    if text.startswith("("):
        return 'starts with "("'
    return ""


def _not_a_sentence(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    for _, claim in essay.sources:
        if problem := sentence_problem(claim.question_text):
            yield Violation(
                "not_a_sentence",
                f"claim:{claim.key}",
                f'{problem}: "{_short(claim.question_text)}"',
            )


def markup_problem(text: str) -> str:
    """The markup or stray character left in a text shown to a student, or
    "" when there is none. A cloze's blank is not markup."""
    text = text.replace(BLANK, "gap")
    found = ""
    if "`" in text:
        found = "a backtick"
    elif "**" in text or "__" in text:
        found = "** or __"
    elif _EMPHASIS.search(text):
        found = "*emphasis* or _emphasis_"
    elif "](" in text:
        found = "a link ]("
    elif re.search(r"</?[A-Za-z]", text):
        found = "an HTML tag"
    elif re.search(r"(?m)^[ \t]*#", text):
        found = "a # at the start of a line"
    elif unbalanced := _unbalanced(text):
        found = f"unbalanced {unbalanced}"
    elif _HYPHEN_SPLIT.search(text):
        found = "a word split by a line-end hyphen"
    elif odd := _invisible(text):
        found = f"the character U+{ord(odd):04X}"
    return found


def _unbalanced(text: str) -> str:
    for opening, closing in ("()", "[]", "{}", "“”"):
        if text.count(opening) != text.count(closing):
            return opening + closing
    if text.count('"') % 2:
        return 'double quotes "'
    return ""


def _invisible(text: str) -> str:
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char != "\n") or category in {"Cf", "Co"}:
            return char
    return ""


def _shown_texts(draft: QuestionDraft) -> list[tuple[str, str]]:
    return (
        [("prompt", draft.prompt)]
        + [("choice", choice.text) for choice in draft.choices]
        + [("answer", answer) for answer in draft.accepted_answers]
        + [("pair", text) for pair in draft.pairs for text in (pair.left, pair.right)]
    )


def _markup(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    for draft in drafts:
        for part, text in _shown_texts(draft):
            if problem := markup_problem(text):
                yield Violation(
                    "markup",
                    draft.generator_key,
                    f'{problem} in the {part} "{_short(text)}"',
                )
                break


def _distractor_true(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    for draft in drafts:
        claim = essay.claim(draft)
        if draft.kind not in (SINGLE, MULTIPLE) or claim is None:
            continue
        if draft.builder == "section_summary":
            section = essay.section(draft)
            own = {comparable(t) for c in section.claims for t in (c.text, c.shown)}
            for text in _wrong(draft):
                if comparable(text) in own:
                    yield Violation(
                        "distractor_true",
                        draft.generator_key,
                        f'the wrong choice "{_short(text)}" is a claim of the '
                        f"correct section",
                    )
            continue
        for text in _wrong(draft):
            if contains(claim.text, text) or contains(claim.question_text, text):
                yield Violation(
                    "distractor_true",
                    draft.generator_key,
                    f'the wrong choice "{_short(text)}" is in the claim itself',
                )


def _unit_after(after: str) -> bool:
    word = re.match(r"\s+([^\W\d_]+)", after)
    return bool(word) and word.group(1).casefold() not in _STOP


def _stray_blank(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    for draft in drafts:
        if draft.kind != CLOZE or not draft.accepted_answers:
            continue
        answer = draft.accepted_answers[0]
        before, after = _blank_sides(draft.prompt)
        problem = ""
        if re.fullmatch(r"\d{1,2}", answer) and not _unit_after(after):
            problem = f'a bare number "{answer}" with no unit after the blank'
        elif re.search(r"\d+\.\d+", answer):
            problem = f'a version number "{answer}"'
        elif (before and _GLUE.match(before[-1])) or (
            after
            and (
                re.match(r"[\w/-]", after)
                or (after[0] == "." and len(after) > 1 and re.match(r"\w", after[1]))
            )
        ):
            problem = f'the blank is glued to the text around it ("{answer}")'
        if problem:
            yield Violation("stray_blank", draft.generator_key, problem)


def _bad_multiple(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    for draft in drafts:
        claim = essay.claim(draft)
        if draft.kind != MULTIPLE:
            continue
        problems = []
        for text in _correct(draft):
            if claim is None or not (
                contains(claim.text, text) or contains(claim.question_text, text)
            ):
                problems.append(f'the correct "{_short(text, 40)}" is not in the claim')
        for choice in draft.choices:
            words = choice.text.split()
            if len(words) > MAX_CHOICE_WORDS:
                problems.append(f'"{_short(choice.text, 40)}" has {len(words)} words')
            elif words and words[0].casefold() in {"and", "or", "but"}:
                problems.append(f'"{_short(choice.text, 40)}" starts with {words[0]}')
        if len({bool(re.search(r"\d", c.text)) for c in draft.choices}) > 1:
            problems.append("the choices mix numbers and words")
        for problem in problems:
            yield Violation("bad_multiple", draft.generator_key, problem)


def check_quiz_balance(
    is_true_values: list[bool], key: str = "quiz"
) -> list[Violation]:
    """Rule 11 for one quiz (or one essay): the true share of its true/false
    questions within 40-60 % when there are at least 5 of them."""
    count = len(is_true_values)
    if count < TF_MIN:
        return []
    share = sum(bool(value) for value in is_true_values) / count
    if TF_LOW <= share <= TF_HIGH:
        return []
    return [
        Violation(
            "tf_balance",
            key,
            f"{share:.0%} of {count} true/false questions are true (40-60 % wanted)",
        )
    ]


def _tf_balance(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    values = [d.is_true is True for d in drafts if d.kind == TRUE_FALSE]
    yield from check_quiz_balance(values, key="essay:true_false")


def _coverage(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    covered = {draft.claim_index for draft in drafts}
    for index, claim in essay.sources:
        if index not in covered:
            yield Violation(
                "coverage",
                f"claim:{claim.key}",
                f'no question for "{_short(claim.question_text)}"',
            )


def _bounds(essay: _Essay, drafts: list[QuestionDraft]) -> Iterator[Violation]:
    per_claim: Counter[int] = Counter()
    first: dict[int, str] = {}
    for draft in drafts:
        if len(draft.prompt) > MAX_PROMPT:
            yield Violation(
                "bounds",
                draft.generator_key,
                f"the prompt has {len(draft.prompt)} characters (at most {MAX_PROMPT})",
            )
        if draft.claim_index is not None:
            per_claim[draft.claim_index] += 1
            first.setdefault(draft.claim_index, draft.generator_key)
    for index, count in per_claim.items():
        if count > MAX_DRAFTS_PER_CLAIM:
            yield Violation(
                "bounds",
                first[index],
                f"{count} drafts for one claim (at most {MAX_DRAFTS_PER_CLAIM})",
            )


def _reused_distractors(
    essay: _Essay, drafts: list[QuestionDraft]
) -> Iterator[Violation]:
    sets: dict[str, list[frozenset[str]]] = defaultdict(list)
    for draft in drafts:
        if draft.builder in ("section_summary", "which_section"):
            sets[draft.builder].append(frozenset(map(comparable, _wrong(draft))))
    for builder in ("section_summary", "which_section"):
        found = sets.get(builder, [])
        if len(found) < REUSE_MIN:
            continue
        wrong, count = Counter(found).most_common(1)[0]
        if count * 2 > len(found):
            yield Violation(
                "reused_distractors",
                f"essay:{builder}",
                f"{count} of {len(found)} {builder} questions have the same wrong "
                f"choices ({'; '.join(sorted(_short(w, 30) for w in wrong))})",
            )


_CHECKS = (
    _topic_blank,
    _false_kind,
    _dangling,
    _section_giveaway,
    _guessable_cloze,
    _not_a_sentence,
    _markup,
    _distractor_true,
    _stray_blank,
    _bad_multiple,
    _tf_balance,
    _coverage,
    _bounds,
    _reused_distractors,
)


def check(essay: ParsedEssay, drafts: list[QuestionDraft]) -> list[Violation]:
    """Every violation of the rules by one essay's drafts, rule by rule in
    the order of RULES, each rule's in the order of the drafts."""
    seen = _Essay(essay)
    return [v for rule in _CHECKS for v in rule(seen, list(drafts))]
