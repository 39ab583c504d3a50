"""One claim -> its clozes: a key term of the sentence blanked, never the
essay's topic, a stray token or a word the rest of the prompt gives away."""

from __future__ import annotations

import re

from quizzes.generation import nouns
from quizzes.generation.context import EssayContext, Source, distinct
from quizzes.generation.drafts import (
    MAX_CLOZES_PER_CLAIM,
    MAX_PROMPT_CHARS,
    QuestionDraft,
)
from quizzes.generation.names import is_adjective
from quizzes.generation.nouns import blank_out, key_nouns, wrong_words
from quizzes.generation.numbers import in_a_pair
from quizzes.generation.text import (
    Term,
    comparable,
    contains,
    digest,
    embedded,
    is_sentence_start,
    single_choice,
    unit_of,
    wordset,
)
from quizzes.generation.topics import (
    EVERYDAY_ZIPF,
    is_common_answer,
    rarity,
    shared_content,
    zipf,
)
from quizzes.generation.truefalse import quote
from quizzes.generation.types import PERSON
from quizzes.kinds import BLANK, CLOZE
from quizzes.sentences import is_sentence

_REGNAL = re.compile(r"[IVXL]+")  # "Louis XVI" is never "XVI"


def _accepted_answers(
    text: str, term: Term, kinds: dict[str, str] | None = None
) -> tuple[str, ...]:
    answers = [term.text]
    words = term.text.split()
    person = kinds and kinds.get(comparable(term.text)) == PERSON
    if person and len(words) > 1 and not _REGNAL.fullmatch(words[-1]):
        answers.append(words[-1])  # "Nikita Khrushchev": "Khrushchev" too
    if text[: term.start].lower().endswith("the ") and not is_adjective(text, term):
        answers.append(f"the {term.text}")
    if term.kind == "decade":
        bare = term.text.replace("'", "").replace("’", "")
        answers += [bare, bare[:-1] + "'s", f"the {bare}"]
    if term.kind == "number" and "," in term.text:
        answers.append(term.text.replace(",", ""))
        value = int(term.text.replace(",", "")) if term.text[0].isdigit() else 0
        for size, word in ((10**9, "billion"), (10**6, "million")):
            if value >= size and value % (size // 10) == 0:
                answers.append(f"{value / size:g} {word}")  # "1.5 million"
                break
    return tuple(distinct(answers))


def in_context(source: Source, sentence: str) -> str:
    """The sentence a question shows, after the one it needs to be understood."""
    if not source.context:
        return sentence
    return f'"{embedded(source.context)}" Then: "{embedded(sentence)}"'


DANGLING = re.compile(
    r"(He|She|They|This|These|Those|That|Such|His|Her|Their|Its|It)\b"
)


def dangling(source: Source) -> bool:
    """A claim that opens on a pronoun ("He aimed ...") with no context to
    say who, or no sentence at all ("$ git log"): no question of it but the
    statements can be fair."""
    if not is_sentence(source.text):
        return True
    return not source.context and bool(DANGLING.match(source.text))


def doubts(source: Source, *doubts: str) -> tuple[str, ...]:
    found = [doubt for doubt in doubts if doubt]
    if source.context:
        found.append("the claim needs its context")
    return tuple(found)


_QUOTE_SPAN = re.compile(r"[\"“][^\"“”]*[\"”]")
_NAME_BEFORE = re.compile(r"([^\W\d_][\w'’-]*?)(?:['’]s)? $")
_NAME_AFTER = re.compile(r"(?:['’]s)? ([^\W\d_][\w'’-]*)")
HYPHENS = "-‐‑"  # a line-end hyphen may be any of them
_GLUED_BEFORE = re.compile(rf"[{HYPHENS}\w./:*$~@#]$|\w\($")
_GLUED_AFTER = re.compile(rf"[{HYPHENS}\w/*@#]|[.:]\w")
# An answer that is code: "LANG=en_GB.UTF-8", "file.py", "a/b".
_CODE = re.compile(r"[=_/\\<>{}$]|[^\W\d_]\.[^\W\d_]")
# What a small number counts must follow it: "15 times", "14 July".
_MONTHS = wordset(
    "january february march april may june july august september october "
    "november december"
)
_LITTLE_WORDS = wordset(
    "a an the in on at by for from to of with as after before since until "
    "during and or but if when while this that these those"
)
_DATE_WORDS = _MONTHS | wordset("bc ad bce ce")
_UNITS = _MONTHS | wordset(
    "people men women children feet million billion thousand hundred dozen "
    "percent per cent"
)
_UNIT_BREAKS = wordset("its his has was is as us this thus")


def _stray(text: str, term: Term) -> bool:
    """A token rather than an idea: part of an identifier (file.py,
    git-commit, f(x)), a version number, a list label, a bare small number."""
    before, after = text[max(term.start - 2, 0) : term.start], text[term.end :]
    if _GLUED_BEFORE.search(before) or _GLUED_AFTER.match(after):
        return True
    # "Michael S. Hart", "Foundation, Inc. was": an initial or an
    # abbreviation, the blank is part of something longer.
    initial = len(term.text.split()[-1]) <= 3
    if term.kind == "proper" and initial and re.match(r"\.\s", after):
        return True
    if _CODE.search(term.text):
        return True
    if re.search(r"\d+\.\d+", term.text):
        return True  # a version (3.11, "v2.5") more often than a measure
    if term.kind != "number":
        return False
    if before.endswith("(") or (
        is_sentence_start(text, term.start) and after[:1] in ".)"
    ):
        return True  # a list label: "(2)", "3."
    if re.fullmatch(r"\d{1,2}", term.text):
        unit = unit_of(text, term)
        counted = unit.endswith("s") and len(unit) > 2 and unit not in _UNIT_BREAKS
        return not (unit.isalpha() and (counted or unit in _UNITS))
    return False


def _part_of_a_name(essay: EssayContext, text: str, term: Term) -> bool:
    """Whether the blank sits beside a capitalised word it would make a longer
    name with ("the _____ Terror"), or inside a quoted phrase."""
    for quoted in _QUOTE_SPAN.finditer(text):
        inside = quoted.start() < term.start and term.end < quoted.end()
        whole = term.start == quoted.start() + 1 and term.end >= quoted.end() - 2
        if inside and not whole:
            return True
    # Only the words just before: a search of the whole text before the
    # blank costs the sentence's length for every term.
    before = _NAME_BEFORE.search(text, max(0, term.start - 80), term.start)
    after = _NAME_AFTER.match(text[term.end :])
    # A word that could be part of a name with the answer: capitalised, not
    # a little word ("In _____ the", "By _____"), not a sentence's opener
    # unless the essay capitalises it mid-sentence too.
    beside = []
    if before and before.group(1)[0].isupper():
        opener = is_sentence_start(text, before.start(1))
        if not opener or before.group(1) in essay.names:
            beside.append(before.group(1))
    if after and after.group(1)[0].isupper():
        beside.append(after.group(1))
    # "A" is a little word, but "a user, A U _____" has an initial there.
    initial = bool(before) and len(before.group(1)) == 1 and before.group(1).isupper()
    beside = [
        word
        for word in beside
        if word.lower() not in _LITTLE_WORDS or (initial and word == before.group(1))
    ]
    if term.kind in {"year", "decade", "number"}:
        # A date is no name: "14 July _____", "_____ BC".
        return any(word.lower() not in _DATE_WORDS for word in beside)
    return bool(beside)


def _not_a_name(essay: EssayContext, text: str, term: Term) -> bool:
    """One capitalised word that the essay also writes in lower case: an
    ordinary word opening a sentence or a heading run into the text
    ("Combining characters", "Some code points"), no name."""
    word = term.text
    if term.kind != "proper" or " " in word:
        return False
    # One letter is a label ("T", "E"); an acronym stays a name ("HTTP").
    if len(word) == 1 or re.search(r"\w['’]\w", word):
        return True  # "T", "I’ve"
    if word.isupper():
        return False  # an acronym stays a name: "HTTP"
    # An everyday word ("How", "Some") or one the essay writes in lower case.
    return zipf(word) >= EVERYDAY_ZIPF or word.lower() in essay.lower_words


def _shouting(term: Term) -> bool:
    """A heading in capitals run into the text ("DESCRIPTION This", "SEE
    ALSO"): capitalised words of everyday English, no acronym."""
    if term.kind != "proper":
        return False
    caps = [word for word in term.text.split() if word.isupper() and len(word) > 1]
    long_word = any(len(word) >= 5 and zipf(word) >= 4.0 for word in caps)
    everyday_run = len(caps) >= 2 and all(zipf(word) >= 4.5 for word in caps)
    return long_word or everyday_run


def _cloze_rank(term: Term) -> tuple[int, float, int]:
    """Quoted terms and aliases, then years and numbers, then names, the
    rarest in English first; a common word last."""
    if is_common_answer(term.text):
        tier = 3
    elif term.kind in {"quoted", "alias"}:
        tier = 0
    elif term.kind in {"year", "decade", "number"}:
        tier = 1
    else:
        tier = 2
    return tier, round(rarity(term.text), 1), term.start


_NOT_QUALIFIED = wordset(
    "here there now then also too again alone itself himself herself "
    "themselves today yesterday tomorrow"
)


def _qualifies(text: str, term: Term) -> bool:
    """A one-word name used before a noun ("Italian volunteer", "GNU sed")."""
    following = text[term.end :].split(maxsplit=1)
    word = following[0].strip(".,;:") if following else ""
    return (
        is_adjective(text, term)
        and word not in _NOT_QUALIFIED
        and not word.endswith("ly")
    )


def _initials(words: str) -> str:
    return "".join(word[0] for word in re.findall(r"[^\W\d_][\w'’-]*", words))


def _given_nearby(text: str, term: Term) -> bool:
    """A blank the words around it tell or that is a detail: inside an aside
    in brackets ("(the _____ 'NUL' character)"), an acronym beside what it
    stands for ("Project Gutenberg (_____)", "_____ (Basic Multilingual
    Plane)"), a day of the month ("6 _____ 2011" is the month's, "_____
    July" the day's), a label such as "P2" among P1, P3 and P4."""
    before, after = text[: term.start], text[term.end :]
    if before.count("(") > before.count(")"):
        return True
    word = term.text
    if word.isupper() and 2 <= len(word) <= 6:
        spelled = re.search(r"([^()]{3,80})\($", before.rstrip()) or re.match(
            r"\s*\(([^()]{3,80})\)", after
        )
        if spelled and word[:2] in _initials(spelled.group(1)).upper():
            return True
    if term.kind == "number" and re.fullmatch(r"\d{1,2}", word):
        nearby = f"{before[-12:]} {after[:12]}".lower().split()
        if any(w.strip(".,;") in _MONTHS for w in nearby):
            return True
    return bool(re.fullmatch(r"[A-Z]\d", word))


_LIST_OPENER = re.compile(r"\b(?:include|includes|included|including|such as|like)\b")


# Three names or more in a row: "for MS-DOS, Windows, Cygwin".
_NAME_LIST = re.compile(
    r"(?:[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)*,\s+){2,}(?:(?:and|or)\s+)?[A-Z][\w.-]*"
)


def _listed(text: str, term: Term) -> bool:
    """One item of a list the enumerations did not read ("include the Kurile
    eruption (in Kamchatka) ..., the Mount Mazama eruption ..., and ...",
    "for MS-DOS, Windows, Cygwin"): any of the others would do as well, and
    the blank tests a stray item."""
    for names in _NAME_LIST.finditer(text):
        if names.start() <= term.start and term.end <= names.end():
            return True
    openers = list(_LIST_OPENER.finditer(text, 0, term.start))
    return bool(openers) and text.count(",", openers[-1].end()) >= 2


# How common in English a name is when every reader knows it, whatever the
# text says (wordfreq's Zipf scale: 3 is once per million words).
KNOWN_PERSON = 3.4  # "Lenin", "Napoleon": "the time of _____" is guessed
KNOWN_ACRONYM = 4.2  # "DVD", "USA"
KNOWN_NAME = 4.6  # "Paris", "Europe", "Windows"
KNOWN_PHRASE = 4.2  # "Communist Party", "Soviet Union", "United States"
EXAMPLE_WORD = 3.5  # a quoted everyday word is an example's label


def _known_to_all(essay: EssayContext, text: str, term: Term) -> bool:
    """A name every reader knows ("Internet", "Paris", "the Communist Party",
    "Lenin"), or an everyday word quoted as an example's label (the
    "experimental" branch): the sentence around it tells it without the
    text."""
    word = term.text
    if term.kind == "quoted":
        return word.islower() and " " not in word and zipf(word) >= EXAMPLE_WORD
    if term.kind != "proper":
        return False
    pool = essay.kind_pool(text, term)
    if pool and pool[0] == PERSON:
        return zipf(word) >= KNOWN_PERSON
    if " " in word:
        return zipf(word) >= KNOWN_PHRASE
    # An acronym is a name only ("DVD"); a capitalised word may be an
    # everyday one made a name by the text ("the Convention"): only the most
    # frequent of those ("Paris", "Windows") are known to all.
    return zipf(word) >= (KNOWN_ACRONYM if word.isupper() else KNOWN_NAME)


def _cloze(essay: EssayContext, source: Source, term: Term) -> QuestionDraft | None:
    text = source.text
    answers = _accepted_answers(text, term, essay.name_kinds)
    if any(essay.is_topic(answer) for answer in answers):
        return None  # the essay's topic: every student knows it
    if _stray(text, term) or _part_of_a_name(essay, text, term):
        return None
    if in_a_pair(text, term):
        return None  # "_____ and 1938": the other year gives it away
    if _not_a_name(essay, text, term) or _shouting(term):
        return None
    if term.kind == "proper" and " " not in term.text and _qualifies(text, term):
        return None  # "_____ volunteer Pietro": a nationality, a brand, trivia
    if _given_nearby(text, term) or _listed(text, term):
        return None
    if _known_to_all(essay, text, term):
        return None
    prompt = in_context(source, text[: term.start] + BLANK + text[term.end :])
    if len(prompt) > MAX_PROMPT_CHARS:
        return None
    if any(contains(prompt, answer) for answer in answers):
        return None  # the term also appears elsewhere in the prompt
    if shared_content(prompt, term.text):
        return None  # "the _____ of the nation": "Nationalism"
    if is_common_answer(term.text):
        # "the _____ branch" -> "master": many words fit, and the one that
        # does is English more than the text; word_choice asks it instead.
        return None
    return QuestionDraft(
        generator_key=f"cloze:{source.key}:{digest(term.text)}",
        kind=CLOZE,
        prompt=prompt,
        explanation=quote(source.claim),
        claim_index=source.index,
        accepted_answers=answers,
        warnings=doubts(source),
    )


def _word_choice(
    essay: EssayContext, source: Source, term: Term
) -> QuestionDraft | None:
    """Which word completes the sentence: the key noun among others of the
    essay, so the blank has one answer even where other words could fit."""
    text = source.text
    if _stray(text, term):
        return None
    blanked = blank_out(text, term, BLANK)
    if contains(blanked, term.text) or shared_content(blanked, term.text):
        return None
    wrong = wrong_words(essay, source, term)
    if len(wrong) < 2:
        return None
    key = f"word_choice:{source.key}:{digest(term.text)}"
    few = len(wrong) < nouns.WORD_CHOICES
    prompt = f"Which word completes the sentence? {in_context(source, blanked)}"
    if not source.context:
        prompt = f'Which word completes the sentence? "{embedded(blanked)}"'
    if len(prompt) > MAX_PROMPT_CHARS:
        return None
    return single_choice(
        key,
        prompt,
        quote(source.claim),
        source.index,
        term.text,
        ((word, "The essay uses this word elsewhere, not here.") for word in wrong),
        doubts(source, "few words of the same kind" if few else ""),
    )


def clozes(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    drafts: list[QuestionDraft] = []
    if dangling(source):
        return drafts
    # An item of a list the sentence names ("IMAP, POP, and SMTP") is told
    # by its companions; the list has its own "select all" question.
    listed = [(e.start, e.end) for e in source.enumerations if len(e.items) >= 3]
    for term in sorted(source.terms, key=_cloze_rank):
        if any(start <= term.start and term.end <= end for start, end in listed):
            continue
        if draft := _cloze(essay, source, term):
            drafts.append(draft)
            if len(drafts) == MAX_CLOZES_PER_CLAIM:
                break
    if not drafts:
        # A sentence that names nothing still teaches a word: which of the
        # essay's words completes it.
        for term in key_nouns(essay, source.text):
            if draft := _word_choice(essay, source, term):
                return [draft]
    return drafts
