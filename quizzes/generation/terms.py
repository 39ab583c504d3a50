"""Definition lists -> "which term is this?" questions (pure: no ORM).

A manual or a glossary lists terms, each over the text that says what it is:

       dialout
              Full and direct access to serial ports. Members of this
              group can reconfigure the modem, dial anywhere, etc.

The parser keeps the term line as a claim that is no question source (see
``references._TERM``) and the text under it as the claims that follow. Asked
on its own, "Full and direct access to serial ports." has no subject; asked
the other way round it is a question a student who read the list answers and
one who did not cannot: which of these terms does the text describe so? The
wrong choices are other terms of the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from quizzes.generation.context import EssayContext, Source
from quizzes.generation.drafts import MAX_DISTRACTORS, ChoiceDraft, QuestionDraft
from quizzes.generation.text import digest, embedded, shuffled
from quizzes.generation.topics import shared_content
from quizzes.kinds import BLANK, SINGLE

# A list is a run of at least this many terms, each over its own text.
MIN_TERMS = 4
# A sentence longer than this is no description to pick a term by.
DESCRIPTION_CHARS = 320
# ... each with no more than this many sentences: more is prose under a line.
MAX_ENTRY_SOURCES = 4
_TERM_LINE = re.compile(r"^(?:\S+\s+){0,3}\S+$")
_STOP = re.compile(r"[.!?,;:]$")
_ASK = "Which of these does the text describe as follows?"
_ASK_GAP = "Which of these fills the gap in what the text says of it?"


@dataclass(frozen=True)
class Entry:
    term: str
    sources: tuple[Source, ...]  # the question sources under the term, in order
    listed: int  # which list of the essay (its number)


def _new_paragraph(essay: EssayContext, last: Source, claim) -> bool:
    return "\n\n" in essay.body[last.claim.end : claim.start]


def _is_term(text: str) -> bool:
    """A term line: a few words, no stop, no command or code ("$ git log")."""
    return (
        bool(_TERM_LINE.match(text))
        and not _STOP.search(text)
        and not re.search(r"^[$#>]|[=(){}<>|]", text)
        and text.count("‘") == text.count("’")  # no half of a wrapped line
    )


def entries(essay: EssayContext) -> dict[int, Entry]:
    """The entries of the essay's definition lists, by the index of their
    first question source. Computed once per essay."""
    found = essay.built.get(("terms",))
    if found is not None:
        return found
    by_index = {source.index: source for source in essay.sources}
    heading_of = {source.index: source.heading for source in essay.sources}
    runs: list[list[tuple[str, list[Source]]]] = [[]]
    heading = None
    for index, claim in enumerate(essay.claims):
        if index in heading_of and heading_of[index] and heading_of[index] != heading:
            heading = heading_of[index]
            runs.append([])  # a new titled section: a new list, if any
        if not claim.is_question_source and _is_term(claim.text):
            runs[-1].append((claim.text, []))
        elif index in by_index and runs[-1]:
            described = runs[-1][-1][1]
            if described and _new_paragraph(essay, described[-1], claim):
                # "Other groups have no associated user.": the text goes on
                # after the entry, it is no more of it.
                runs[-1].append(("", []))
                continue
            described.append(by_index[index])
            if len(described) > MAX_ENTRY_SOURCES:
                runs[-1].pop()  # prose under a line, no definition list
                runs.append([])
    found = {}
    for number, run in enumerate(runs):
        described = [(term, sources) for term, sources in run if term and sources]
        if len({term for term, _ in described}) < MIN_TERMS:
            continue
        for term, sources in described:
            found[sources[0].index] = Entry(term, tuple(sources), number)
    essay.built[("terms",)] = found
    return found


def _names(term: str) -> list[str]:
    """The names a term line gives: "‘-b’ ‘--binary’" -> -b, --binary."""
    return [n for n in (part.strip("‘’'\"`,") for part in term.split()) if n]


def _blanked(description: str, term: str) -> str:
    """The description with the term's own names blanked ("_____ is
    (typically) the superuser."), so that it asks for the term."""
    for name in sorted(_names(term), key=len, reverse=True):
        pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
        description = re.sub(pattern, BLANK, description, flags=re.IGNORECASE)
    # "an _____ group" would tell a vowel from a consonant.
    return re.sub(rf"\b([Aa])n? {BLANK}", rf"\1(n) {BLANK}", description)


def _shape(description: str) -> frozenset[str]:
    """A description's words but its blank and the word after it."""
    words = re.sub(rf"{BLANK}\W*\w*", " ", description).casefold().split()
    return frozenset(words)


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two descriptions mostly in the same words."""
    return len(a & b) >= 0.7 * max(len(a | b), 1)


def _shape_of(essay: EssayContext, term: str) -> frozenset[str]:
    """The shape of each description of a term under its own blank."""
    shapes = essay.built.setdefault(("term shapes",), {})
    if term not in shapes:
        entry = next(e for e in entries(essay).values() if e.term == term)
        said = entry.sources[0].claim.question_text
        shapes[term] = _shape(_blanked(said, term))
    return shapes[term]


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def _tells(description: str, term: str) -> bool:
    """Whether the description names the term, written any way ("cdrom" in
    "a CD-ROM drive"), or shares a content word with it."""
    squashed = _squashed(description.replace(BLANK, " "))
    words = [w for w in re.split(r"[\W_]+", term) if len(w) >= 3]
    # "saned" by "Added by sane-utils": a word of the description opens
    # like the term.
    opens = any(
        len(word) >= 4
        and re.search(rf"(?<![\w]){re.escape(word[:4])}", description, re.I)
        for word in words
    )
    return (
        _squashed(term) in squashed
        or any(_squashed(word) in squashed for word in words)
        or opens
        or bool(shared_content(description, term))
    )


def _entry_of(essay: EssayContext) -> dict[int, Entry]:
    """Each question source under a term, with its entry."""
    found = essay.built.get(("entry of",))
    if found is None:
        found = {
            source.index: entry
            for entry in entries(essay).values()
            for source in entry.sources
        }
        essay.built[("entry of",)] = found
    return found


def which_term(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """Which term of a definition list the text describes so: each sentence
    under a term asks for it ("Members of this group can reconfigure the
    modem." -> dialout)."""
    entry = _entry_of(essay).get(source.index)
    if entry is None:
        return []
    said = source.claim.question_text
    description = _blanked(said, entry.term)
    if len(description) > DESCRIPTION_CHARS or _tells(description, entry.term):
        return []
    others = sorted(
        (
            other.term
            for other in entries(essay).values()
            if other.listed == entry.listed and other.term != entry.term
        ),
        key=lambda term: digest("term", source.key, term),
    )
    # A term the description names is its own answer too ("sudo" in "run
    # any command ... when using sudo"), and so is one described in the same
    # words ("access to a _____ drive": cdrom, floppy, tape): never offered
    # as wrong ones.
    shape = _shape(description)
    fair = (
        term
        for term in others
        if not _tells(description, term) and not _alike(_shape_of(essay, term), shape)
    )
    wrong = list(islice(fair, MAX_DISTRACTORS))
    if len(wrong) < 2:
        return []
    key = f"which_term:{source.key}"
    shown = embedded(description)
    choices = [ChoiceDraft(entry.term, True)] + [
        ChoiceDraft(term, False, "The text describes this one otherwise.")
        for term in wrong
    ]
    return [
        QuestionDraft(
            generator_key=key,
            kind=SINGLE,
            prompt=f'{_ASK_GAP if BLANK in description else _ASK} "{shown}"',
            explanation=f'Under "{entry.term}" the text says: "{said}"',
            claim_index=source.index,
            choices=shuffled(choices, key),
        )
    ]


def asked_by_term(essay: EssayContext, source: Source) -> bool:
    """Whether a "which term?" question asks the sentence: then it is no
    true/false statement nor a wrong choice on its own ("Full and direct
    access to serial ports." has no subject; the term question asks it the
    other way round)."""
    key = ("asked by term", source.index)
    if key not in essay.built:
        essay.built[key] = bool(which_term(essay, source))
    return essay.built[key]
