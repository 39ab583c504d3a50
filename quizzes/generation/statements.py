"""One claim -> its true/false statements: the claim as the essay says it,
and a plausibly false version with one term swapped for another of its kind
(a person for a person, a year for a year: see generation/types.py) or one
word for its opposite (generation/opposites.py). The essay's own topic is
swapped out only when the statements cannot be balanced otherwise.

An essay's statements are planned together, once, so that about half are
true: a quiz of mostly true statements teaches a student to answer "true".
A claim with a false statement gets it and its true one; a claim without
gets a true one only if it would otherwise have no question at all."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import islice

import simplemma
from wordfreq import zipf_frequency

from quizzes.generation.context import MAX_LOOKS, EssayContext, Source
from quizzes.generation.drafts import (
    SWAP_CANDIDATES,
    QuestionDraft,
)
from quizzes.generation.misplaced import heading_statement
from quizzes.generation.negation import negated_statement
from quizzes.generation.nouns import (
    section_words,
)
from quizzes.generation.numbers import distance, in_a_pair, ranges, year_told
from quizzes.generation.opposites import opposites, put_opposite
from quizzes.generation.terms import asked_by_term, entry_of, said_of_another
from quizzes.generation.text import (
    HEDGES,
    Term,
    comparable,
    contains,
    digest,
    embedded,
    single_choice,
)
from quizzes.generation.topics import rarity
from quizzes.generation.truefalse import (
    ends_a_sentence,
    false_draft,
    quote,
    true_draft,
    warnings_of,
)
from quizzes.generation.types import (
    COUNTRY,
    DECADE,
    NUMBER,
    PERSON,
    PLACE,
    YEAR,
    core,
)
from quizzes.references import leans_back

FEW_SWAPS = "few terms of the same kind to swap"
MIN_POOL = 3  # same-kind candidates under this: the swap is flagged


def true_statement(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    if source.index not in _plan(essay).true:
        return []
    entry = entry_of(essay, source)
    # "Used by klogd, the kernel logger." says it of the term above it.
    about = entry.term if entry and not source.context else source.context
    return [true_draft(source, context=about)]


def false_statement(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    plan = _plan(essay)
    drafts = [plan.false.get(source.index), plan.second.get(source.index)]
    return [draft for draft in drafts if draft]


# --- the plan: which claims get which statements ------------------------------------


@dataclass(frozen=True)
class _Plan:
    false: dict[int, QuestionDraft]  # source index -> its false statement
    true: frozenset[int]  # the sources that get a true statement
    # Sources asked about as "which statement is true?" among false
    # statements of other claims, where another true statement would tip
    # the balance: source index -> the wrong statements.
    choice: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # A second false statement of a claim, where the balance needs it.
    second: dict[int, QuestionDraft] = field(default_factory=dict)
    # Sources asked where in the text they stand, beyond their section's
    # quota, where a true statement would tip the balance.
    sectioned: frozenset[int] = frozenset()


def _plan(essay: EssayContext) -> _Plan:
    """The essay's plan, made at its first statement."""
    return essay.once(("statements plan",), lambda: _make_plan(essay))


def _make_plan(essay: EssayContext) -> _Plan:
    """The plan; one that says a claim under another heading, then one that
    swaps the essay's topic ("the Soviet Union" in an essay on it), only
    when the statements could not be balanced without it."""
    plan = _plan_with(essay, topics=False, loose=False)
    trues, falses = len(plan.true), len(plan.false) + len(plan.second)
    # 55 % true at most: what the plan cannot see (a section question
    # dropped for repeating its wrong choices) may add a true statement.
    if trues + falses < TF_FEW or trues * 9 <= falses * 11:
        return plan
    # Last: the topic swapped, and heading statements also of claims that
    # share a word with their own heading (a student may guess those false
    # from that word alone).
    return _plan_with(essay, topics=True, loose=True)


# A sentence whose rarest word is this frequent in English says nothing a
# reader needs the text for ("Most releases are in English").
EVERYDAY_TRUE = 4.0
TF_FEW = 5  # fewer true/false questions than this are no pattern to learn


def _plan_with(essay: EssayContext, *, topics: bool, loose: bool) -> _Plan:
    from quizzes.generation.builders import section_question  # a cycle

    false = {}
    for source in essay.sources:
        if draft := _false_draft(essay, source, topics=topics):
            false[source.index] = draft
    # Each claim with a false statement gets its true one too, and so does a
    # claim that would otherwise have no question at all: each claim's share
    # is its own, so an edit elsewhere seldom changes it.
    needed = [
        source.index
        for source in essay.sources
        if source.index not in false and not _covered_otherwise(essay, source)
    ]
    paired = sorted(
        (source for source in essay.sources if source.index in false),
        key=lambda source: digest("tf_true", source.key),
    )
    # Too many of those needed ones: pairs give up their true statement, in
    # an order fixed by a hash, until no more than 60 % are true.
    # 55 % true at most (11 true for 9 false): the claims no builder covers
    # may still add a few.
    most = len(false) * 11 // 9
    # More needed than the false statements balance: a second false
    # statement of some claims (another word changed) makes room for the
    # true ones, rather than asking them as a choice among the same few
    # wrong statements over and over.
    second: dict[int, QuestionDraft] = {}
    for source in paired:
        if len(needed) + len(paired) <= most:
            break
        first = false[source.index].generator_key.rsplit(":", 1)[1]
        if draft := _false_draft(essay, source, frozenset({first}), topics=topics):
            second[source.index] = draft
            most = (len(false) + len(second)) * 11 // 9
    sources = essay.by_index
    # The needed ones that say most of what only this text says get the true
    # statements; the rest, in everyday words a reader may know without the
    # text ("Plants make their own food."), are asked otherwise first.
    ranked = sorted(
        needed,
        key=lambda index: (
            rarity(sources[index].text),
            digest("tf_true", sources[index].key),
        ),
    )
    wrong = _standalone_false(essay, false)
    # Still too many: some of the needed ones, everyday ones first, are said
    # with a "not" (it asks what the sentence says), then, only if that is
    # not enough, under another heading (it asks where): a false statement
    # that is the claim's one question. Not in a text of a few sentences,
    # whose claims are best asked as said.
    makers = [partial(heading_statement, essay, loose=loose)]
    if len(essay.sources) >= TF_FEW:
        makers.insert(0, partial(negated_statement, essay))
    for make in makers:
        for index in reversed(list(ranked)):
            if len(ranked) + len(paired) <= most:
                break
            if not loose and section_question(essay, sources[index]):
                continue  # "which heading?" asks it better, below
            if draft := make(sources[index]):
                false[index] = draft
                ranked.remove(index)
                most = (len(false) + len(second)) * 11 // 9
    # Those in everyday words only ("More volunteers had joined the
    # effort.") are asked where in the text they stand, where they can be:
    # a reader judges such a statement true without the text.
    sectioned = set()
    for index in [i for i in ranked if rarity(sources[i].text) >= EVERYDAY_TRUE]:
        if section_question(essay, sources[index]):
            sectioned.add(index)
            ranked.remove(index)
    kept = paired[max(0, len(ranked) + len(paired) - most) :]
    # Still too many: the rest of the needed ones are asked where in the
    # text they stand, when a section question can be made of them, or as
    # a choice among false statements of other claims (never one after its
    # context: the one choice going on from it would be the answer).
    choice = {}
    used: Counter[str] = Counter()  # how often each wrong statement is offered
    for index in ranked[most:]:
        source = sources[index]
        if section_question(essay, source):
            sectioned.add(index)
        elif picked := _wrong_statements(source, wrong, used):
            choice[index] = picked
            used.update(picked)
    asked = set(choice) | sectioned
    true = frozenset(ranked) - asked | {source.index for source in kept}
    return _Plan(false, true, choice, second, frozenset(sectioned))


def _standalone_false(
    essay: EssayContext, false: dict[int, QuestionDraft]
) -> list[tuple[str, str, str]]:
    """(hash, statement, what the essay says) of each false statement that
    reads without context, in hash order."""
    found = []
    for index, draft in false.items():
        source = essay.by_index[index]
        if source.context or len(draft.prompt) > CHOICE_CHARS:
            continue
        if leans_back(source.text) or asked_by_term(essay, source):
            continue
        if _LABELLED.match(source.text) or len(source.text.split()) < CHOICE_WORDS:
            continue  # "Send an HTTP message: ...", "The pathname must be relative."
        found.append((digest(draft.prompt), draft.prompt, source.text))
    return sorted(found)


def _wrong_statements(
    source: Source, wrong: list[tuple[str, str, str]], used: Counter[str]
) -> tuple[str, ...]:
    """Up to CHOICE_WRONG false statements of other claims, from this
    claim's place round the ring: those offered least so far first (one
    seen in question after question is learnt, not read)."""
    if len(source.text) > CHOICE_CHARS:
        return ()
    fewest = min((used[statement] for _, statement, _ in wrong), default=0)
    # Where a text has few false statements (a list of terms, each told by
    # its own description), the few come back: that is left to the teacher's
    # review, as a true statement more would tip the balance.
    # Of about the key's length first: the one long choice is the answer.
    spread = fewest + CHOICE_SPREAD
    return _wrong_from(source, wrong, used, spread, alike_only=True) or _wrong_from(
        source, wrong, used, None
    )


def _wrong_from(
    source: Source,
    wrong: list[tuple[str, str, str]],
    used: Counter[str],
    below: int | None,
    *,
    alike_only: bool = False,
) -> tuple[str, ...]:
    """The pick of _wrong_statements among those offered fewer than
    ``below`` times (None: any), of about the key's length if ``alike_only``."""
    at = bisect_left(wrong, (digest("choice", source.key), "", ""))
    alike: list[str] = []  # of about the key's length: the one long one is it
    others: list[str] = []
    for step in range(min(len(wrong), MAX_LOOKS)):
        _, statement, said = wrong[(at + step) % len(wrong)]
        if said == source.text or (below is not None and used[statement] >= below):
            continue
        ratio = len(statement) / max(len(source.text), 1)
        (alike if 0.5 <= ratio <= 2.0 else others).append(statement)
        if len(alike) == CHOICE_WRONG:
            break
    picked = (alike if alike_only else alike + others)[:CHOICE_WRONG]
    return tuple(picked) if len(picked) >= 2 else ()


def _choice_prompt(context: str) -> str:
    ask = "Which of these statements is true, according to the essay?"
    if not context:
        return ask
    if not ends_a_sentence(context):
        return f'About "{embedded(context)}": {ask}'  # a term, not a sentence
    return f'The essay says: "{embedded(context)}" {ask}'


CHOICE_CHARS = 450  # Choice.text holds 500; longer is no choice to read
CHOICE_WRONG = 3
CHOICE_SPREAD = 3  # a wrong statement is offered at most this often more than another
# A wrong choice has this many words at least: a shorter one is a scrap of
# a list or an option's description, meaningless on its own.
CHOICE_WORDS = 6
_LABELLED = re.compile(r"^[^.:!?]{1,40}:\s")


def statement_choice(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """Which statement is true: the claim among false statements of other
    claims, each checked false like a true/false question's."""
    wrong = _plan(essay).choice.get(source.index)
    if not wrong:
        return []
    changed = "The essay does not say this; a word is changed."
    return [
        single_choice(
            f"statement_choice:{source.key}",
            _choice_prompt(source.context),
            quote(source.claim),
            source.index,
            source.text,
            ((text, changed) for text in wrong),
            warnings_of(source),
        )
    ]


def _covered_otherwise(essay: EssayContext, source: Source) -> bool:
    """Whether another builder than the statements makes a question of it."""
    # builders imports this module: by the time a plan is made it is loaded.
    from quizzes.generation.builders import PER_CLAIM, section_fallback

    ours = {true_statement, false_statement, statement_choice, section_fallback}
    others = [b for b in PER_CLAIM if b not in ours]
    return any(build(essay, source) for build in others)


OPPOSITE_TRIES = 2

# --- false statements ------------------------------------------------------------

# Which terms are swapped first: a wrong year or number is plainly false;
# names come after. A person is never swapped for another: what one did,
# another in the same text often did too ("Lenin aimed to eliminate any
# opposition to his leadership"), and a teacher finds it defensible.
_ORDER = {YEAR: 0, DECADE: 0, NUMBER: 1, PLACE: 3, COUNTRY: 3}


def _swaps(essay: EssayContext, source: Source, term: Term) -> tuple[list[str], int]:
    """Terms of the same kind from elsewhere in the essay that make the claim
    false, closest first (see _distance), and how many the pool holds. Never a name
    for the same thing, nor one the claim's section already uses or the essay
    lists with the term (the Communist Party for the Soviet Union): the
    statement could stay true."""
    text = source.text
    pool = essay.kind_pool(text, term)
    if pool is None or term.kind == "alias" or pool not in essay.kind_rings:
        return [], 0  # an alias is swapped in for a name, never swapped out
    if pool[0] == PERSON or year_told(text, term):
        return [], 0
    named = pool[0] not in {YEAR, DECADE} and not pool[0].startswith(NUMBER)
    if named and HEDGES.search(text):
        # A hedged sentence ("may have", "some") could stay true with another
        # name in it; numbers and decades are still safe to swap.
        return [], 0
    avoid = essay.group_of(term.text)
    sizes = essay.kind_sizes[pool]
    available = sizes.total() - sizes[avoid]
    taken = essay.in_section[source.section]
    found: list[str] = []
    walk = essay.kind_rings[pool].walk(source.key + term.text, avoid=avoid)
    size = len(term.text.split())
    for other in islice(walk, MAX_LOOKS):
        group = essay.group_of(other)
        if comparable(other) in taken or group in taken or contains(text, other):
            continue
        if named and len(other.split()) != size:
            continue  # "west of Samalas", never "west of United States"
        found.append(other)
        if len(found) == SWAP_CANDIDATES:
            break
    return sorted(found, key=lambda other: distance(term.text, other)), available


def _heading_terms(essay: EssayContext, source: Source) -> list[Term]:
    text = source.text
    terms = []
    for heading, match in essay.headings_in(text):
        if comparable(heading) != comparable(source.heading):
            # Swapping in the claim's own heading would not make it false.
            terms.append(Term(match.group(), "heading", match.start(), match.end()))
    return terms


def _order(essay: EssayContext, source: Source, term: Term) -> int:
    pool = essay.kind_pool(source.text, term)
    kind = pool[0].split(":")[0] if pool else ""
    return _ORDER.get(kind, 4)


@lru_cache(maxsize=2**16)  # each claim is looked at by many swaps
def _content(text: str) -> frozenset[str]:
    """Lemmas of a text's less common words: what a claim says."""
    return frozenset(
        lemma for word in comparable(text).split() if (lemma := _content_word(word))
    )


@lru_cache(maxsize=2**16)
def _content_word(word: str) -> str:
    if len(word) >= 4 and word.isalpha() and zipf_frequency(word, "en") < 5.5:
        return simplemma.lemmatize(word, lang="en")
    return ""


def still_true(essay: EssayContext, source: Source, term: Term, other: str) -> bool:
    """Whether the essay may say the false statement after all: a claim
    contains it, or another claim names ``other`` with more than half of what
    the statement says besides ("Arrests peaked in 1937" makes "The Purge peaked
    in 1937" defensible)."""
    text = source.text
    statement = text[: term.start] + other + text[term.end :]
    if essay.says(statement):
        return True
    rest = _content(text[: term.start] + " " + text[term.end :])
    if not rest:
        return False
    own = comparable(text)
    # However many claims name it: the cost of a swap is not the essay's size.
    for claim in islice(essay.claims_saying(other), MAX_LOOKS):
        if claim != own and 2 * len(rest & _content(claim)) > len(rest):
            return True
    return False


def _false_draft(
    essay: EssayContext,
    source: Source,
    skip: frozenset[str] = frozenset(),
    *,
    topics: bool = False,
) -> QuestionDraft | None:
    """The claim's first false statement; ``skip``: the digests of words a
    false statement of it already changed, so a second changes another;
    ``topics``: whether the essay's topic names may be swapped. Made once
    for all the plan's passes (topics matter only to a claim that names one)."""
    if topics and not any(essay.is_topic(term.text) for term in source.terms):
        topics = False
    key = ("false draft", source.index, skip, topics)
    return essay.once(key, lambda: _make_false_draft(essay, source, skip, topics))


def _make_false_draft(
    essay: EssayContext, source: Source, skip: frozenset[str], topics: bool
) -> QuestionDraft | None:
    if asked_by_term(essay, source) or opens_with_list(source):
        return None
    if swap := said_of_another(essay, source, skip):
        return false_draft(source, *swap)
    text = source.text
    terms = list(source.terms) + _heading_terms(essay, source)
    terms.sort(key=lambda term: _order(essay, source, term))
    for term in terms:
        if digest(term.text) in skip or (not topics and essay.is_topic(term.text)):
            continue
        swaps, available = _swaps(essay, source, term)
        # Only the name after a sentence's opening word is swapped: "Under
        # Stalin, ..." becomes "Under Lenin, ...", never "Lenin, ...".
        term = core(text, term, essay.name_kinds)
        for other in swaps[:3]:
            whole = Term(other, term.kind, 0, len(other))
            other = core(other, whole, essay.name_kinds).text
            if term.text.islower():
                other = other.lower()
            statement = text[: term.start] + other + text[term.end :]
            if ranges(statement) != ranges(text):
                continue  # "between 1600 and 1300": the swap shows itself
            if in_a_pair(text, term):
                continue  # "in 1956 and 1938": the year beside it shows it
            if still_true(essay, source, term, other):
                continue
            few = (FEW_SWAPS,) if available < MIN_POOL else ()
            if digest(term.text) in skip:
                continue  # its core ("Lenin" of "Under Lenin") was changed
            return false_draft(source, statement, term.text, other, *few)
    return _opposite_statement(essay, source, skip)


def opens_with_list(source: Source) -> bool:
    """A claim that is a list with no frame ("Invalid command, invalid
    syntax, invalid regular expression or ... used with --posix."): a scrap,
    no statement to call true or false."""
    return any(e.start == 0 and len(e.items) >= 3 for e in source.enumerations)


# A sentence that gives its own reason or restates itself: an opposite in
# it contradicts the rest of the sentence.
_REASONED = re.compile(
    r"\b(?:since|because|hence|therefore|thus|so that|in other words|that is|"
    r"which means|as a result|resulting in|consequently|thereby|making it)\b|, so\b",
    re.IGNORECASE,
)


def _opposite_statement(
    essay: EssayContext, source: Source, skip: frozenset[str] = frozenset()
) -> QuestionDraft | None:
    """The sentence with one word for its opposite, or a negation taken
    away: "is overwritten before" -> "after", "cannot" -> "can"."""
    text = source.text
    if _REASONED.search(text):
        # "increasing it will increase the memory used, since the entire
        # buffer is allocated": the reason tells the changed word wrong.
        return None
    # If the section uses the opposite too ("not only internal threats but
    # external ones"), the swapped statement could be defended from it.
    used = section_words(essay, source.section)
    for opposite in opposites(text)[:OPPOSITE_TRIES]:
        if opposite.new.lower() in used or digest(opposite.old) in skip:
            continue
        term = Term(opposite.old, "opposite", opposite.start, opposite.end)
        if still_true(essay, source, term, opposite.new):
            continue
        statement = put_opposite(text, opposite)
        if essay.says(statement):
            continue
        named = None
        if not opposite.new:
            # "do not await" -> "await": the explanation names the word too.
            following = re.match(r"\s*([\w'’-]+)", text[opposite.end :])
            word = following.group(1) if following else ""
            named = (f"{opposite.old} {word}", word)
        return false_draft(source, statement, opposite.old, opposite.new, named=named)
    return None


def sectioned(essay: EssayContext, source: Source) -> bool:
    """Whether the plan asks the claim where in the text it stands."""
    return source.index in _plan(essay).sectioned
