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
wrong choices are other terms of the same list. A sentence that names its
own term ("Users in the uucp group may run uucico.") is said of another term
of the list instead: a false statement of the same kind by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from wordfreq import zipf_frequency

from quizzes.essays import ParsedClaim
from quizzes.generation.context import MAX_LOOKS, EssayContext, Source
from quizzes.generation.drafts import MAX_DISTRACTORS, QuestionDraft
from quizzes.generation.text import contains, digest, embedded, single_choice
from quizzes.generation.topics import shared_content
from quizzes.kinds import BLANK

# A list is a run of at least this many terms, each over its own text.
MIN_TERMS = 4
# A sentence longer than this is no description to pick a term by.
DESCRIPTION_CHARS = 320
# ... each with no more than this many sentences: more is prose under a line.
MAX_ENTRY_SOURCES = 4
_TERM_LINE = re.compile(r"^(?:\S+\s+){0,3}\S+$")
_STOP = re.compile(r"[.!?,;:]$")
_ASK = "Which of these does the text describe as follows?"


@dataclass(frozen=True)
class Entry:
    term: str
    sources: tuple[Source, ...]  # the question sources under the term, in order
    listed: int  # which list of the essay (its number)


def _is_term(text: str) -> bool:
    """A term line: a few words, no stop, no command or code ("$ git log")."""
    # Inside quotes a term may be written as code ("‘--in-place[=SUFFIX]’").
    bare = re.sub(r"‘[^‘’]*’", "‘’", text)
    return (
        bool(_TERM_LINE.match(text))
        and not _STOP.search(text)
        and not re.search(r"^[$#>]|[=(){}<>|]|-{3}", bare)  # "--- Footnotes ---"
        and text.count("‘") == text.count("’")  # no half of a wrapped line
    )


def _new_paragraph(essay: EssayContext, last: Source, claim: ParsedClaim) -> bool:
    return "\n\n" in essay.body[last.claim.end : claim.start]


def entries(essay: EssayContext) -> list[Entry]:
    """The entries of the essay's definition lists, in text order."""
    return essay.once(("entries",), lambda: _entries(essay))


def _entries(essay: EssayContext) -> list[Entry]:
    # Each list: its terms, each with the question sources under it. A new
    # titled section starts a new list; a paragraph after an entry's own
    # ("Other groups have no associated user.") belongs to no entry; more
    # than MAX_ENTRY_SOURCES sentences under a line are prose, no list.
    runs: list[list[tuple[str, list[Source]]]] = [[]]
    heading = None
    under: list[Source] | None = None  # the sources of the entry being read
    prose: list[Source] = []  # the paragraph being read after an entry's own
    for index, claim in enumerate(essay.claims):
        source = essay.by_index.get(index)
        if source and source.heading and source.heading != heading:
            heading = source.heading
            runs.append([])
            under = None
        if not claim.is_question_source and _is_term(claim.text):
            under, prose = [], []
            runs[-1].append((claim.text, under))
        elif source and under is not None:
            if under and _new_paragraph(essay, under[-1], claim):
                under = None
            elif len(under) == MAX_ENTRY_SOURCES:
                runs[-1].pop()
                runs.append([])
                under = None
            else:
                under.append(source)
        elif source and runs[-1]:
            if prose and _new_paragraph(essay, prose[-1], claim):
                prose = []
            prose.append(source)
            if len(prose) > MAX_ENTRY_SOURCES:
                runs.append([])  # a paragraph of prose after the list
    found = []
    for number, run in enumerate(runs):
        described = [(term, sources) for term, sources in run if sources]
        if len({term for term, _ in described}) >= MIN_TERMS:
            found += [
                Entry(term, tuple(sources), number) for term, sources in described
            ]
    return found


def entry_of(essay: EssayContext, source: Source) -> Entry | None:
    """The entry a question source is under, if any."""
    by_source = essay.once(
        ("entry of",),
        lambda: {s.index: e for e in entries(essay) for s in e.sources},
    )
    return by_source.get(source.index)


def names_of(term: str) -> list[str]:
    """The names a term line gives: "‘-b’ ‘--binary’" -> -b, --binary."""
    return [n for n in (part.strip("‘’'\"`,") for part in term.split()) if n]


def _blanked(description: str, term: str) -> str:
    """The description with the term's own names blanked ("_____ is
    (typically) the superuser."), so that it asks for the term."""
    for name in sorted(names_of(term), key=len, reverse=True):
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
    """The shape of a term's first description under its own blank."""

    def shape() -> frozenset[str]:
        entry = next(e for e in entries(essay) if e.term == term)
        return _shape(_blanked(entry.sources[0].claim.question_text, term))

    return essay.once(("term shape", term), shape)


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
        or _spelled_out(description, term)
        or _abbreviated(description, term)
        or bool(shared_content(description, term))
    )


def _abbreviated(description: str, term: str) -> bool:
    """Whether the term is a short form of a word of the description ("src"
    of "source code", "sys" of "system") or that word with a prefix ("buffer
    minimally" for "--unbuffered")."""
    for name in names_of(term):
        bare = re.sub(r"^-*(?:un|non-?|no-)?", "", name.casefold())
        for word in re.findall(r"[^\W\d_]{3,}", description.casefold()):
            if len(bare) >= 5 and word[:5] == bare[:5]:
                return True
            if 2 <= len(bare) <= 4 and word[0] == bare[0] and _in_order(bare, word):
                return True
    return False


def _in_order(letters: str, word: str) -> bool:
    """Whether the letters come in the word in this order ("src" in "source")."""
    rest = iter(word)
    return all(letter in rest for letter in letters)


def _spelled_out(description: str, term: str) -> bool:
    """Whether a run of the description's words spells the term by their
    initials ("dip" in "Dialup IP access", "nfs" in "Network File System")."""
    target = _squashed(term)
    if not 2 <= len(target) <= 6:
        return False
    words = re.findall(r"[^\W\d_][\w-]*", description)
    for first in range(len(words)):
        for size in range(2, 5):
            run = words[first : first + size]
            if len(run) < size:
                break
            initials = "".join(word[0] for word in run).casefold()
            mixed = "".join(w if w.isupper() else w[0] for w in run).casefold()
            if target in (initials, mixed):
                return True
    return False


def which_term(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    """Which term of a definition list the text describes so: each sentence
    under a term asks for it ("Members of this group can reconfigure the
    modem." -> dialout)."""
    return essay.once(("which term", source.index), lambda: _which_term(essay, source))


def _which_term(essay: EssayContext, source: Source) -> list[QuestionDraft]:
    entry = entry_of(essay, source)
    if entry is None:
        return []
    said = source.claim.question_text
    description = _blanked(said, entry.term)
    if BLANK in description:
        # The text names the term in what it says of it ("Members of this
        # group may run any command ... when using sudo"): a gap there is
        # filled by what the rest of the sentence tells any reader.
        return []
    if len(description) > DESCRIPTION_CHARS or _tells(description, entry.term):
        return []
    others = sorted(
        {
            other.term
            for other in entries(essay)
            if other.listed == entry.listed and other.term != entry.term
        },
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
    otherwise = "The text describes this one otherwise."
    return [
        single_choice(
            f"which_term:{source.key}",
            f'{_ASK} "{embedded(description)}"',
            f'Under "{entry.term}" the text says: "{said}"',
            source.index,
            entry.term,
            ((term, otherwise) for term in wrong),
        )
    ]


def asked_by_term(essay: EssayContext, source: Source) -> bool:
    """Whether a "which term?" question asks the sentence: then it is no
    true/false statement nor a wrong choice on its own ("Full and direct
    access to serial ports." has no subject; the term question asks it the
    other way round)."""
    return bool(which_term(essay, source))


def said_of_another(
    essay: EssayContext, source: Source, skip: frozenset[str] = frozenset()
) -> tuple[str, str, str] | None:
    """A sentence of a definition list that names its own term ("The shell
    of user sync is /bin/sync.") said of another term of the list ("... of
    user games ..."): false by the list, and of the same kind by it. Only
    where the sentence names the term once: "Many games are sgid to games"
    has no one word to change. (statement, the name, the other name);
    ``skip``: digests of words a false statement already changed."""
    entry = entry_of(essay, source)
    if entry is None or digest(entry.term) in skip:
        return None
    text = source.text
    found = [
        match
        for name in names_of(entry.term)
        for match in re.finditer(
            rf"(?<![\w/.*-]){re.escape(name)}(?![\w/*-]|\.\w)", text
        )
    ]
    if len(found) != 1:
        return None
    match = found[0]
    if digest(match.group()) in skip:
        return None  # the first false statement changed it already
    quoted = [q for q in re.finditer(r"‘[^‘’]*’", text) if q.start() < match.start()]
    if (
        quoted
        and quoted[-1].end() > match.end()
        and quoted[-1].group() != f"‘{match.group()}’"
    ):
        return None  # "‘sort -z’": another command's option, not this one
    framed = _named_as_such(text, match.start(), match.end())
    if not (framed or _coined(match.group())):
        return None  # "access to a tape drive": the word, not the group
    others = sorted(
        (
            other.term
            for other in entries(essay)
            if other.listed == entry.listed
            and len(names_of(other.term)) == 1
            and (framed or _coined(other.term))
        ),
        key=lambda term: digest("entry swap", source.key, term),
    )
    for other in islice(others, MAX_LOOKS):
        # The bare name: "--posix" into "‘-z’", not "‘--posix’".
        name = names_of(other)[0]
        if other == entry.term or contains(text, name):
            continue
        statement = text[: match.start()] + name + text[match.end() :]
        if essay.says(statement):
            continue
        if match.group().casefold() in statement.casefold():
            return None  # "user cdrom is /bin/sync": the rest names it
        return statement, match.group(), name
    return None


def _in_a_longer_quote(text: str, match: re.Match[str]) -> bool:
    return any(
        quote.start() < match.start()
        and match.end() < quote.end() - 1
        or (quote.start() < match.start() - 1 and match.end() < quote.end())
        for quote in re.finditer(r"‘[^‘’]*’", text)
    )


_NAMING_BEFORE = re.compile(r"\b(?:user|group|setgid|sgid|setuid|suid)\s+$", re.I)
_NAMING_AFTER = re.compile(r"^(?:\s+(?:user|group|account|uid|gid)\b|['’])", re.I)


def _named_as_such(text: str, start: int, end: int) -> bool:
    """Whether the words round a name say it is one ("user sync", "the
    mail group", "'bin'"), not the everyday word it also is."""
    return bool(_NAMING_BEFORE.search(text[:start]) or _NAMING_AFTER.match(text[end:]))


def _coined(name: str) -> bool:
    """A name no English sentence uses as a word: "uucp", "www-data"."""
    return bool(re.search(r"[\d_-]", name)) or zipf_frequency(name, "en") < 3.0
