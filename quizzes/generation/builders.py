"""One claim -> its questions; the essay -> its matching questions."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import islice, pairwise

from quizzes.essays import ParsedClaim
from quizzes.generation.context import (
    MAX_LOOKS,
    EssayContext,
    Source,
    distinct,
    is_adjective,
)
from quizzes.generation.drafts import (
    MAX_CHOICE_WORDS,
    MAX_CLOZES_PER_CLAIM,
    MAX_DISTRACTORS,
    MAX_MATCHING_PAIRS,
    MAX_PROMPT_CHARS,
    SUMMARY_WORDS,
    ChoiceDraft,
    PairDraft,
    QuestionDraft,
)
from quizzes.generation.statements import false_statement, quote, true_statement
from quizzes.generation.text import (
    Enumeration,
    Term,
    comparable,
    contains,
    digest,
    is_sentence_start,
    plural_share,
    unit_of,
    wordset,
)
from quizzes.generation.topics import (
    is_common_answer,
    rarity,
    shared_content,
    zipf,
)
from quizzes.kinds import BLANK, CLOZE, MATCHING, MULTIPLE, SINGLE


def _shuffled(choices: list[ChoiceDraft], salt: str) -> tuple[ChoiceDraft, ...]:
    # Ordered by a hash so the correct answer is not always first, and the
    # order survives a re-import. Salted apart from the hash that picked the
    # distractors: sorting by that one again put the answer last half the time.
    return tuple(sorted(choices, key=lambda choice: digest("order", salt, choice.text)))


def _accepted_answers(text: str, term: Term) -> tuple[str, ...]:
    answers = [term.text]
    if text[: term.start].lower().endswith("the ") and not is_adjective(text, term):
        answers.append(f"the {term.text}")
    if term.kind == "decade":
        bare = term.text.replace("'", "").replace("’", "")
        answers += [bare, bare[:-1] + "'s", f"the {bare}"]
    if term.kind == "number" and "," in term.text:
        answers.append(term.text.replace(",", ""))
    return tuple(distinct(answers))


def _in_context(source: Source, sentence: str) -> str:
    """The sentence a question shows, after the one it needs to be understood."""
    if not source.context:
        return sentence
    return f'"{source.context}" Then: "{sentence}"'


_DANGLING = re.compile(
    r"(He|She|They|This|These|Those|That|Such|His|Her|Their|Its|It)\b"
)


def _dangling(source: Source) -> bool:
    """A claim that opens on a pronoun ("He aimed ...") with no context to
    say who, or no sentence at all ("$ git log"): no question of it but the
    statements can be fair."""
    if _not_a_sentence(source.text):
        return True
    return not source.context and bool(_DANGLING.match(source.text))


def _doubts(source: Source, *doubts: str) -> tuple[str, ...]:
    found = [doubt for doubt in doubts if doubt]
    if source.context:
        found.append("the claim needs its context")
    return tuple(found)


_QUOTE_SPAN = re.compile(r"[\"“][^\"“”]*[\"”]")
_NAME_BEFORE = re.compile(r"([^\W\d_][\w'’-]*?)(?:['’]s)? $")
_NAME_AFTER = re.compile(r"(?:['’]s)? ([^\W\d_][\w'’-]*)")
_HYPHENS = "-‐‑"  # a line-end hyphen may be any of them
_GLUED_BEFORE = re.compile(rf"[{_HYPHENS}\w./:]$|\w\($")
_GLUED_AFTER = re.compile(rf"[{_HYPHENS}\w/]|[.:]\w")
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
    before = _NAME_BEFORE.search(text[: term.start])
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
    beside = [word for word in beside if word.lower() not in _LITTLE_WORDS]
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
    return len(word) == 1 or (not word.isupper() and word.lower() in essay.lower_words)


def _shouting(term: Term) -> bool:
    """A heading in capitals run into the text ("DESCRIPTION This", "SEE
    ALSO"): capitalised words of everyday English, no acronym."""
    if term.kind != "proper":
        return False
    caps = [word for word in term.text.split() if word.isupper() and len(word) > 1]
    long_word = any(len(word) >= 5 and zipf(word) >= 4.0 for word in caps)
    everyday_run = len(caps) >= 2 and all(zipf(word) >= 4.5 for word in caps)
    return long_word or everyday_run


_UNFIT_START = re.compile(
    r"([\w]{1,2}[.)]\s|\(|(See|Refer|Click|Visit|Type|Run|Press)\b|Note:)"
)


def _not_a_sentence(text: str) -> bool:
    """What the brief's not_a_sentence rule would flag: too short, no end
    punctuation, a rule of ===, a list marker or an instruction first."""
    return (
        len(text.split()) < 4
        or not re.search(r"[.!?][\"”'’)\]]*$", text)
        or bool(re.search(r"([=\-#*_~])\1\1", text))
        or bool(_UNFIT_START.match(text))
    )


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


def _cloze(essay: EssayContext, source: Source, term: Term) -> QuestionDraft | None:
    text = source.text
    answers = _accepted_answers(text, term)
    if any(essay.is_topic(answer) for answer in answers):
        return None  # the essay's topic: every student knows it
    if _stray(text, term) or _part_of_a_name(essay, text, term):
        return None
    if _not_a_name(essay, text, term) or _shouting(term):
        return None
    prompt = _in_context(source, text[: term.start] + BLANK + text[term.end :])
    if len(prompt) > MAX_PROMPT_CHARS:
        return None
    if any(contains(prompt, answer) for answer in answers):
        return None  # the term also appears elsewhere in the prompt
    if shared_content(prompt, term.text):
        return None  # "the _____ of the nation": "Nationalism"
    common = is_common_answer(term.text)
    return QuestionDraft(
        generator_key=f"cloze:{source.key}:{digest(term.text)}",
        kind=CLOZE,
        prompt=prompt,
        explanation=quote(source.claim),
        claim_index=source.index,
        accepted_answers=answers,
        warnings=_doubts(source, "the blank is a common word" if common else ""),
    )


def _clozes(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    drafts: list[QuestionDraft] = []
    if _dangling(source):
        return drafts
    for term in sorted(source.terms, key=_cloze_rank):
        if draft := _cloze(essay, source, term):
            drafts.append(draft)
            if len(drafts) == MAX_CLOZES_PER_CLAIM:
                break
    return drafts


_JOINERS = frozenset({"and", "or", "but", "nor"})


_CATCH_ALLS = wordset("others etc etcetera")
# An item opening with one of these is a clause: "If no ‘-e’".
_SUBORDINATORS = wordset(
    "if when while because although unless since though whereas where whether"
)
_ITEM_MARKUP = re.compile(r"[<>`|{}\[\]=]|\w[—–]\w")


def _well_split(items: tuple[str, ...]) -> bool:
    """Every item one thing: at most MAX_CHOICE_WORDS words, no "and"/"or"
        left in it ("espionage and sabotage" is two), no word split at a line end
        ("ty- pographical"), no markup, neither opening nor closing on an everyday
        little word ("then add any newly", "and more") or a participle ("burying
    river valleys"): a piece of a clause."""
    for item in items:
        words = item.split()
        edges = {words[0], words[-1]} if words else set()
        if (
            len(words) > MAX_CHOICE_WORDS
            or _JOINERS.intersection(item.lower().split())
            or re.search(rf"\w[{_HYPHENS}] ", item)
            or _ITEM_MARKUP.search(item)
            or any(edge.islower() and zipf(edge) >= 6.0 for edge in edges)
            or words[-1].lower() in _CATCH_ALLS
            or words[0].lower() in _SUBORDINATORS
            or (len(words) > 1 and words[0].islower() and words[0].endswith("ing"))
        ):
            return False
    return True


def _whole_list(text: str, enumeration: Enumeration) -> bool:
    """Items split well and of one kind, the list not cut short ("odds" of
    "odds and ends"), no number among words ("1 Invalid command")."""
    kinds = {item_kind(item) for item in enumeration.items}
    cut = re.match(r"\s+(and|or)\b", text[enumeration.end :])
    mixed = "number" in kinds and len(kinds) > 1
    return _well_split(enumeration.items) and not cut and not mixed


def item_kind(item: str) -> str:
    """number, name, plural or singular: a distractor is of its list's kind."""
    if item[:1].isdigit():
        return "number"
    if item[:1] in "\"'‘“":
        return "quoted"  # a token: ‘triggers-pending’
    words = [word for word in item.split() if word.lower() not in _CONNECTORS]
    if words and all(word[:1].isupper() for word in words):
        return "name"
    last = words[-1].lower() if words else ""
    return "plural" if last.endswith("s") and not last.endswith("ss") else "singular"


_CONNECTORS = wordset("of the de du la von van for and")


def _list_kind(items: tuple[str, ...]) -> str:
    kinds = [item_kind(item) for item in items]
    return max(kinds, key=lambda kind: (kinds.count(kind), -kinds.index(kind)))


def _distractors(
    essay: EssayContext, source: Source, enumeration: Enumeration
) -> list[str]:
    """Items of the essay's other lists, of this list's kind, that the claim
    (or the sentence before it) does not itself say."""
    kind = _list_kind(enumeration.items)
    said = f"{source.context} {source.text}"
    seen = {comparable(item) for item in enumeration.items}
    items = (item for other in _alike(essay, enumeration) for item in other.items)
    found: list[str] = []
    for item in islice(items, MAX_LOOKS):
        if comparable(item) in seen or contains(said, item) or item_kind(item) != kind:
            continue
        if not _well_split((item,)):
            continue
        seen.add(comparable(item))
        found.append(item)
        if len(found) == MAX_DISTRACTORS:
            break
    return found


def _enumeration_questions(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    text = source.text
    drafts = []
    if _dangling(source):
        return drafts
    for enumeration in source.enumerations:
        correct = list(enumeration.items)
        if not _whole_list(text, enumeration):
            continue
        gap = text[: enumeration.start] + BLANK + text[enumeration.end :]
        if any(contains(gap, item) for item in correct):
            continue
        distractors = _distractors(essay, source, enumeration)
        if len(distractors) < 2:
            continue  # one wrong choice among the right ones tests little
        key = f"enumeration:{source.key}:{digest(*correct)}"
        choices = [ChoiceDraft(item, True) for item in correct]
        choices += [
            ChoiceDraft(item, False, "The essay does not list this here.")
            for item in distractors
        ]
        prompt = (
            "According to the essay, which of these fill the gap? "
            f"{_quoted(_in_context(source, gap))} Select all that apply."
        )
        if len(prompt) > MAX_PROMPT_CHARS:
            continue
        few = len(distractors) < MAX_DISTRACTORS
        drafts.append(
            QuestionDraft(
                generator_key=key,
                kind=MULTIPLE,
                prompt=prompt,
                explanation=quote(source.claim),
                claim_index=source.index,
                choices=_shuffled(choices, key),
                warnings=_doubts(
                    source, "few distractors of the same kind" if few else ""
                ),
            )
        )
    return drafts


def _quoted(shown: str) -> str:
    """A sentence in quotes, unless it already comes as quoted parts."""
    return shown if shown.startswith('"') and shown.endswith('"') else f'"{shown}"'


def _alike(essay: EssayContext, enumeration: Enumeration) -> Iterator[Enumeration]:
    """The essay's other lists, those with the closest share of plurals first."""
    pool = essay.enumeration_pool
    share = plural_share(enumeration.items)
    above = bisect_left(pool, share, key=lambda entry: entry[0])
    below = above - 1
    while below >= 0 or above < len(pool):
        closer_below = above == len(pool) or (
            below >= 0 and share - pool[below][0] <= pool[above][0] - share
        )
        if closer_below:
            other, below = pool[below][2], below - 1
        else:
            other, above = pool[above][2], above + 1
        if other is not enumeration:
            yield other


def _sections_note(essay: EssayContext) -> str:
    count = len(essay.headings)
    return f"only {_NUMBERS[count]} sections to choose from" if count < 4 else ""


_NUMBERS = {2: "two", 3: "three"}


def _which_section(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """The claim's section among others. Not with only two sections: every
    question would offer the same two headings, a coin toss; section_summary
    asks about those sections instead."""
    heading = source.heading
    if not heading or len(essay.headings) < 3 or _dangling(source):
        return []
    if essay.position_in_section[source.index] >= essay.which_section_limit[heading]:
        return []
    said = f"{source.context} {source.text}"
    if contains(said, heading) or shared_content(said, heading):
        return []  # a heading word in the claim gives the section away
    key = f"which_section:{source.key}"
    # With four sections two of the other three, so the wrong choices vary.
    wanted = MAX_DISTRACTORS if len(essay.headings) > 4 else 2
    others = essay.heading_ring.walk(key, avoid=comparable(heading))
    # A heading that shares a word with the claim could be defended as its
    # section too.
    fair = (other for other in others if not shared_content(said, other))
    distractors = list(islice(fair, wanted))
    if len(distractors) < 2:
        return []
    choices = [ChoiceDraft(heading, True)]
    choices += [ChoiceDraft(other, False) for other in distractors]
    statement = (
        f'After "{source.context}", the essay says: "{source.text}"'
        if source.context
        else f'"{source.text}"'
    )
    prompt = (
        f"In which part of the essay's argument does this statement belong? {statement}"
    )
    if len(prompt) > MAX_PROMPT_CHARS:
        return []
    return [
        QuestionDraft(
            generator_key=key,
            kind=SINGLE,
            prompt=prompt,
            explanation=f'The essay makes this point under "{heading}": '
            f'"{source.text}"',
            claim_index=source.index,
            choices=_shuffled(choices, key),
            warnings=_doubts(source, _sections_note(essay)),
        )
    ]


_MARKUP = re.compile(r"`|\*\*|__|\]\(|\{\{|<[a-zA-Z]")


def _presentable(essay: EssayContext, text: str) -> bool:
    """A claim fit to be a wrong choice: a sentence without markup that can
    be read on its own (not "He believed ...")."""
    return (
        bool(re.search(r"[.!?][\"”')\]]*$", text))
        and not _MARKUP.search(text)
        and not _DANGLING.match(text)
        and comparable(text) not in essay.needs_context
    )


def _section_summary(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """Which of some claims belongs to a section: wrong choices are claims of
    other sections, picked round the ring from this claim's own place so two
    claims seldom get the same ones."""
    heading = source.heading
    if not heading or _dangling(source) or shared_content(heading, source.text):
        return []
    elsewhere = essay.headed_claims - len(essay.by_heading[heading])
    wanted = MAX_DISTRACTORS if elsewhere > MAX_DISTRACTORS else elsewhere - 1
    if wanted < 2:
        return []
    key = f"section_summary:{source.key}"
    said = comparable(source.text)
    others = essay.claim_ring.walk(key, avoid=comparable(heading))
    # A claim of another section that shares a word with the heading would
    # look as if it belonged there.
    fair = (
        text
        for text in others
        if comparable(text) != said
        and _presentable(essay, text)
        and not shared_content(heading, text)
    )
    distractors = list(islice(fair, wanted))
    if len(distractors) < 2:
        return []
    choices = [ChoiceDraft(source.text, True)]
    choices += [
        ChoiceDraft(
            text,
            False,
            f'The essay says this under "{essay.heading_said[comparable(text)]}".',
        )
        for text in distractors
    ]
    few = "few distractors" if len(distractors) < MAX_DISTRACTORS else ""
    return [
        QuestionDraft(
            generator_key=key,
            kind=SINGLE,
            prompt=f'Which statement belongs to "{heading}" in the essay?',
            explanation=f'Under "{heading}" the essay says: "{source.text}"',
            claim_index=source.index,
            choices=_shuffled(choices, key),
            warnings=_doubts(source, _sections_note(essay), few),
        )
    ]


# --- the essay -> questions ---------------------------------------------------


def summarise(text: str, max_words: int = SUMMARY_WORDS) -> str:
    """A one-line version of a sentence: cut at a clause boundary if it is long."""
    text = text.rstrip(".!?:")
    words = text.split()
    if len(words) <= max_words:
        return text
    cut = " ".join(words[:max_words])
    clause = max(cut.rfind(","), cut.rfind(";"))
    if clause > 0 and len(cut[:clause].split()) >= max_words // 2:
        cut = cut[:clause]
    return cut.rstrip(",;: ") + "..."


def _summary_for(heading: str, sources: list[Source]) -> Source | None:
    """The claim that best sums a section up for matching: one that does not
    give its heading away and stands on its own, the earliest first."""
    fair = [
        source
        for source in sources
        if not contains(source.text, heading)
        and not shared_content(heading, summarise(source.text))
    ]
    return min(
        fair,
        key=lambda source: (bool(_DANGLING.match(source.text)), bool(source.context)),
        default=None,
    )


def matching(essay: EssayContext) -> list[QuestionDraft]:
    rows: list[tuple[str, ParsedClaim]] = []
    summaries: set[str] = set()
    for heading in essay.headings:
        chosen = _summary_for(heading, essay.by_heading.get(heading, []))
        if chosen and comparable(summarise(chosen.text)) not in summaries:
            rows.append((heading, chosen.claim))
            summaries.add(comparable(summarise(chosen.text)))
    drafts = []
    for chunk in _chunks(rows):
        headings = [heading for heading, _ in chunk]
        passages = "; ".join(f'"{h}": "{claim.question_text}"' for h, claim in chunk)
        pairs = tuple(
            PairDraft(h, summarise(claim.question_text)) for h, claim in chunk
        )
        cut = any(pair.right.endswith("...") for pair in pairs)
        drafts.append(
            QuestionDraft(
                generator_key=f"matching:{digest(*sorted(map(comparable, headings)))}",
                kind=MATCHING,
                prompt="Match each part of the essay's argument to what it says.",
                explanation=f"The essay's sections say: {passages}",
                claim_index=None,
                pairs=pairs,
                warnings=("some summaries are cut short",) if cut else (),
            )
        )
    return drafts


def _chunks(rows: list) -> list[list]:
    """Rows split into even groups of at most MAX_MATCHING_PAIRS, each >= 3."""
    if len(rows) < 3:
        return []
    count = -(-len(rows) // MAX_MATCHING_PAIRS)
    bounds = [round(i * len(rows) / count) for i in range(count + 1)]
    return [rows[a:b] for a, b in pairwise(bounds)]


PER_CLAIM: tuple[Callable[[EssayContext, Source], list[QuestionDraft]], ...] = (
    true_statement,
    false_statement,
    _clozes,
    _enumeration_questions,
    _which_section,
    _section_summary,
)
