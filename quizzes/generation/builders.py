"""One claim -> its questions; the essay -> its matching questions."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import wraps
from itertools import islice, pairwise

from quizzes.essays import ParsedClaim
from quizzes.generation.clozes import (
    HYPHENS,
    clozes,
    dangling,
    doubts,
    embedded,
    in_context,
)
from quizzes.generation.context import MAX_LOOKS, EssayContext, Source
from quizzes.generation.drafts import (
    MAX_CHOICE_WORDS,
    MAX_DISTRACTORS,
    MAX_MATCHING_PAIRS,
    MAX_PROMPT_CHARS,
    SUMMARY_WORDS,
    VARIED_HEADINGS,
    ChoiceDraft,
    PairDraft,
    QuestionDraft,
)
from quizzes.generation.statements import (
    false_statement,
    sectioned,
    statement_choice,
    true_statement,
)
from quizzes.generation.terms import which_term
from quizzes.generation.text import (
    Enumeration,
    comparable,
    contains,
    digest,
    plural_share,
    shuffled,
    single_choice,
    wordset,
)
from quizzes.generation.topics import (
    shared_content,
    zipf,
)
from quizzes.generation.truefalse import quote
from quizzes.kinds import BLANK, MATCHING, MULTIPLE
from quizzes.references import leans_back

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
            or re.search(rf"\w[{HYPHENS}] ", item)
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
    # "a single line number, a regular expression": a word before the first
    # item belongs to it alone.
    cut = re.match(r"\s+(and|or)\b", text[enumeration.end :]) or re.search(
        r"\b(?:single|double|new|same|other|only|whole)\s+$",
        text[: enumeration.start],
    )
    mixed = "number" in kinds and len(kinds) > 1
    # "Historically, sys user and group owned ...": an adverb opening the
    # sentence is no item, and the list is misread.
    adverb = any(
        " " not in item and item.lower().endswith("ly") for item in enumeration.items
    )
    return _well_split(enumeration.items) and not cut and not mixed and not adverb


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


# Words before a list that say what it lists ("Their ideas about _____"); a
# sentence that opens with its list is a scrap of one ("Invalid command,
# invalid syntax ... or a GNU sed extension command used with --posix").
FRAME_WORDS = 2


def _enumeration_questions(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    text = source.text
    drafts = []
    if dangling(source):
        return drafts
    for enumeration in source.enumerations:
        correct = list(enumeration.items)
        if not _whole_list(text, enumeration):
            continue
        gap = text[: enumeration.start] + BLANK + text[enumeration.end :]
        if any(contains(gap, item) for item in correct):
            continue
        if len(text[: enumeration.start].split()) < FRAME_WORDS:
            continue  # "_____ used with '--posix'.": what is the list of?
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
            f"{_quoted(source, gap)} Select all that apply."
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
                choices=shuffled(choices, key),
                warnings=doubts(
                    source, "few distractors of the same kind" if few else ""
                ),
            )
        )
    return drafts


def _quoted(source: Source, gap: str) -> str:
    """The sentence with its gap in quotes, after its context if it has one."""
    return in_context(source, gap) if source.context else f'"{embedded(gap)}"'


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
    asks about those sections instead. No heading the claim's section sits
    under, or that sits under it, is a wrong choice: the text says the claim
    under that one too."""
    heading = source.heading
    if not heading or dangling(source) or comparable(source.text) in essay.scraps:
        return []
    nested = essay.nested_headings.get(comparable(heading), 0)
    choosable = len(essay.headings) - nested  # the claim's own and the others
    if choosable < 3:
        return []
    if not source.context and leans_back(source.claim.question_text):
        return []
    said = f"{source.context} {source.text}"
    if contains(said, heading) or shared_content(said, heading):
        return []  # a heading word in the claim gives the section away
    key = f"which_section:{source.key}"
    # With four sections two of the other three, so the wrong choices vary.
    wanted = MAX_DISTRACTORS if choosable > 4 else 2
    others = essay.heading_ring.walk(key, avoid=comparable(heading))
    # A heading that shares a word with the claim could be defended as its
    # section too.
    fair = (
        other
        for other in others
        if not shared_content(said, other) and not essay.nested(heading, other)
    )
    distractors = list(islice(fair, wanted))
    if len(distractors) < 2:
        return []
    statement = (
        f'After "{embedded(source.context)}", the essay says: "{embedded(source.text)}"'
        if source.context
        else f'"{embedded(source.text)}"'
    )
    prompt = f"Under which heading does the text say this? {statement}"
    if len(prompt) > MAX_PROMPT_CHARS:
        return []
    return [
        single_choice(
            key,
            prompt,
            f'The essay makes this point under "{heading}": "{source.text}"',
            source.index,
            heading,
            ((other, "") for other in distractors),
            doubts(source, _sections_note(essay)),
        )
    ]


_MARKUP = re.compile(r"`|\*\*|__|\]\(|\{\{|<[a-zA-Z]")


def _presentable(essay: EssayContext, text: str) -> bool:
    """A claim fit to be a wrong choice: a sentence without markup that can
    be read on its own (not "He believed ...")."""
    return (
        bool(re.search(r"[.!?][\"”')\]]*$", text))
        and not _MARKUP.search(text)
        and not leans_back(text)
        and comparable(text) not in essay.needs_context
        and comparable(text) not in essay.scraps
    )


def _alike_in_length(text: str, answer: str) -> bool:
    """A wrong choice of about the answer's length: the one long sentence
    among short ones is the answer."""
    return 0.5 <= len(text) / max(len(answer), 1) <= 2.0


def _section_summary(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """Which of some claims belongs to a section: wrong choices are claims of
    other sections, picked round the ring from this claim's own place so two
    claims seldom get the same ones; never of a section this one sits under
    or that sits under it (the text says those under this heading too)."""
    heading = source.heading
    if not heading or dangling(source) or shared_content(heading, source.text):
        return []
    if comparable(source.text) in essay.scraps:
        return []
    if source.context or leans_back(source.claim.question_text):
        return []  # shown alone among other sentences, it must read alone
    elsewhere = essay.headed_claims - len(essay.by_heading[heading])
    elsewhere -= essay.nested_claims.get(comparable(heading), 0)
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
        for text in islice(others, MAX_LOOKS)
        if comparable(text) != said
        and not essay.nested(heading, essay.heading_said[comparable(text)])
        and _presentable(essay, text)
        and not shared_content(heading, text)
        and _alike_in_length(text, source.text)
    )
    # One wrong claim from each other section, when there are enough: three
    # from one section are told apart from the answer by their common topic.
    nested = essay.nested_headings.get(comparable(heading), 0)
    spread = len(essay.headings) - nested > wanted
    distractors: list[str] = []
    sections: set[str] = set()
    for text in fair:
        section = essay.heading_said[comparable(text)]
        if spread and section in sections:
            continue
        sections.add(section)
        distractors.append(text)
        if len(distractors) == wanted:
            break
    if len(distractors) < 2:
        return []
    said = (
        (text, f'The essay says this under "{essay.heading_said[comparable(text)]}".')
        for text in distractors
    )
    few = "few distractors" if len(distractors) < MAX_DISTRACTORS else ""
    return [
        single_choice(
            key,
            f'Which of these does the text say under "{heading}"?',
            f'Under "{heading}" the essay says: "{source.text}"',
            source.index,
            source.text,
            said,
            doubts(source, _sections_note(essay), few),
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
    give its heading away; of those, one that reads on its own ("Donations
    to it ..." does not) and is whole if there is one, the earliest first."""
    fair = [
        source
        for source in sources
        if not contains(source.text, heading)
        and not shared_content(heading, summarise(source.text))
    ]
    # One that reads alone, whole rather than cut short, where there is one.
    return min(
        fair,
        key=lambda source: (
            bool(source.context or leans_back(source.text)),
            summarise(source.text).endswith("..."),
        ),
        default=None,
    )


def matching(essay: EssayContext) -> list[QuestionDraft]:
    """Headings matched to what the text says under them. A heading with a
    heading under it among those matched is left out (the innermost are
    kept): the sentence of "Overview" is said under "Running sed" too, so a
    question with both would have two right answers."""
    found = [
        (heading, chosen)
        for heading in essay.headings
        if (chosen := _summary_for(heading, essay.by_heading.get(heading, [])))
    ]
    matched = {comparable(heading) for heading, _ in found}
    rows: list[tuple[str, ParsedClaim]] = []
    summaries: set[str] = set()
    for heading, chosen in found:
        outer = bool(essay.inner(heading) & matched)
        if comparable(summarise(chosen.text)) not in summaries and not outer:
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
                prompt="Match each heading to what the text says under it.",
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


Builder = Callable[[EssayContext, Source], list[QuestionDraft]]


def _once(build: Builder) -> Builder:
    """The builder, remembering each claim's drafts in the essay's context:
    the statements' plan asks whether another builder covers a claim, and
    generate() asks again for the drafts themselves."""

    @wraps(build)
    def once(essay: EssayContext, source: Source) -> list[QuestionDraft]:
        return essay.once((build, source.index), lambda: build(essay, source))

    return once


def section_quota(size: int) -> int:
    """How many claims of a section of ``size`` claims get each kind of
    section question: a few that tell their section best, not every one (a
    question per claim on where it stood is a test of the layout)."""
    return 1 if size < 8 else 2


def _picked(essay: EssayContext, build: Builder, source: Source) -> list[QuestionDraft]:
    """``build``'s drafts for the claim when it is among the first
    section_quota claims of its section, in the order that tells the section
    best, that ``build`` makes something of; section_summary skips the claims
    which_section took, so one claim is not asked about its section twice."""
    heading = source.heading
    if not heading:
        return []
    return essay.once((build, heading), lambda: _picks(essay, build, heading)).get(
        source.index, []
    )


def _picks(
    essay: EssayContext, build: Builder, heading: str
) -> dict[int, list[QuestionDraft]]:
    taken: set[int] = set()
    if build is _section_summary:  # which_section picks first
        which = essay.once(
            (_which_section, heading), lambda: _picks(essay, _which_section, heading)
        )
        taken = set(which)
    members = sorted(
        essay.by_heading[heading], key=lambda m: essay.section_order[m.index]
    )
    quota = section_quota(len(members))
    picks: dict[int, list[QuestionDraft]] = {}
    for member in members:
        if len(picks) >= quota:
            break
        if member.index not in taken and (drafts := build(essay, member)):
            picks[member.index] = drafts
    return picks


def _quota(build: Builder) -> Builder:
    @wraps(build)
    def quota(essay: EssayContext, source: Source) -> list[QuestionDraft]:
        return _picked(essay, build, source)

    return quota


def section_question(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """A section question of the claim, whatever its section's quota: which
    sentence is said under its heading, else which heading (statements' plan
    asks, for a claim that would otherwise tip the true/false balance)."""
    if len(essay.headings) < VARIED_HEADINGS:
        return []  # few headings: every such question offers the same ones
    # Which sentence is said under a heading before which heading a
    # sentence is under: teachers found the second guessed from a topical
    # heading more often.
    return essay.once(
        ("section question", source.index),
        lambda: (
            _new_wrong_set(essay, _section_summary(essay, source))
            or _new_wrong_set(essay, _which_section(essay, source))
        ),
    )


def _new_wrong_set(
    essay: EssayContext, drafts: list[QuestionDraft]
) -> list[QuestionDraft]:
    """The drafts, if their wrong choices are not those of another section
    question asked this way (one set over and over would be learnt)."""
    used: set[frozenset[str]] = essay.once(("wrong sets",), set)
    for draft in drafts:
        wrong = frozenset(c.text for c in draft.choices if not c.is_correct)
        if wrong in used:
            return []
        used.add(wrong)
    return drafts


def section_fallback(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """The section question of a claim the plan asks that way (one that no
    other builder, its section's quota included, asks)."""
    return section_question(essay, source) if sectioned(essay, source) else []


PER_CLAIM: tuple[Builder, ...] = (
    true_statement,
    false_statement,
    statement_choice,
    *map(_once, (clozes, _enumeration_questions)),
    which_term,  # remembers its drafts itself: the statements ask it too
    *map(_quota, (_which_section, _section_summary)),
    section_fallback,
)
