"""What a swappable term names, as the essay itself shows it: a person, an
organisation, a place, a country, an event, a work or idea, a year, a
decade, a number of some unit. A false statement swaps a term only for one
of the same kind, so "Lenin used the Purge" may stand for "Stalin used the
Purge", never "The Communist Party used the Purge".

The evidence is generic: a name's own words (a title such as "General", a
head noun such as "Party" or "War"), the words around it wherever the essay
uses it ("X said", "X, who", "near X", "during the X"), each hint counted
once per name, and how common its word is in English ("July", "Revolution"
alone are no names). The word lists are small closed classes, never words
of one essay. A name with less than two points of evidence, or as much for
two kinds, is "other" and is never swapped."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import simplemma
from wordfreq import zipf_frequency

from quizzes.generation.text import Term, comparable, unit_of, wordset

PERSON = "person"
ORGANISATION = "organisation"
PLACE = "place"
COUNTRY = "country"
EVENT = "event"
WORK = "work"  # a work, law or idea: "the Declaration of Independence", "Marxism"
YEAR = "year"
DECADE = "decade"
NUMBER = "number"  # with its unit: "number:million"
OTHER = "other"  # unknown: never swapped

_HONORIFICS = wordset(
    "mr mrs ms miss dr sir dame lord lady king queen prince princess emperor "
    "empress tsar czar tsarina pope saint president general colonel captain "
    "major admiral marshal lieutenant sergeant professor prof chancellor premier "
    "senator governor judge bishop archbishop cardinal father brother sister "
    "rev reverend duke duchess count countess baron earl"
)
_ORGANISATION_NOUNS = wordset(
    "party union army navy committee bureau company university council assembly "
    "parliament congress senate church government ministry department agency "
    "court bank corporation inc ltd institute society league association "
    "organisation organization federation commission board police guard front "
    "crown academy school college foundation office service services forces "
    "corps brigade division regiment legion cabinet administration "
    "politburo directorate club group team firm"
)
_PLACE_NOUNS = wordset(
    "river mountain mountains mount lake sea ocean island islands city town "
    "village valley street road avenue square bay gulf desert province county "
    "coast peninsula strait canal "
    "region district forest plain plains hills park bridge palace castle"
)
# A country is a place of its own: "west of the United States" is no slip
# for "west of Lombok".
_COUNTRY_NOUNS = wordset(
    "state states republic kingdom empire emirates commonwealth confederation "
    "principality duchy sultanate caliphate country"
)
_EVENT_NOUNS = wordset(
    "war wars revolution purge terror crisis battle siege revolt rebellion "
    "uprising depression famine massacre genocide election reformation "
    "renaissance age era period dynasty invasion campaign offensive conquest "
    "coup strike riot riots movement trial trials crusade olympics games "
    "conference summit plague pandemic epidemic"
)
_WORK_NOUNS = wordset(
    "act law treaty declaration constitution manifesto theory principle code "
    "bill charter report book novel poem play song album film doctrine plan "
    "pact accord agreement convention programme program protocol"
)
_COMPASS = wordset(
    "north south east west northern southern eastern western central upper lower"
)
_MONTHS_AND_DAYS = wordset(
    "january february march april may june july august september october "
    "november december monday tuesday wednesday thursday friday saturday sunday"
)
_CONNECTORS = wordset("of the de du la von van for and")
_ROMAN = re.compile(r"^[IVXLC]+$")

# What people do: "X said", "X ordered", "X, who". Lemmas, after the name.
_PERSON_VERBS = wordset(
    "say write argue believe want order fear seek aim think die marry question "
    "claim decide insist tell ask hope refuse promise admit explain remember "
    "love hate feel speak bear resign reply urge wish"
)
_EVENT_VERBS = wordset("occur happen last erupt")
# "The war began in 1939", "broke out", "took place"; but "Chain began to
# study" is a person: these count only before one of _EVENT_AFTER.
_EVENT_VERBS_IF = wordset("begin end break take start continue")
_EVENT_AFTER = wordset("in on at out place during after before when with")
# Spatial words only: "in X", "to X" and "from X" come before anything.
_PLACE_BEFORE = re.compile(
    r"\b(at|near|across|throughout|around|outside|inside|via|"
    r"(?:north|south|east|west)(?:-?(?:north|south|east|west))*(?:ern)?(?: of)?)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_EVENT_BEFORE = re.compile(
    r"\b(during|after|before|since|until|following)\s+(?:the\s+)?$", re.IGNORECASE
)
_PERSON_BEFORE = re.compile(
    r"\b(time|times|days|reign|death|rule|life|birth|wife|husband|son|daughter|"
    r"widow|successor|predecessor)\s+of\s+$",
    re.IGNORECASE,
)
_ADVERBS = wordset("also then later never soon still once first")
_CONJOINED_AFTER = re.compile(r"(?:,?\s+(?:and|or)\s+(?:[A-Z][\w'’-]*\s*)+)")
_NEXT_WORDS = re.compile(r"[\s,]*(\w+)(?:\s+(\w+))?(?:\s+(\w+))?")
_PRONOUN = re.compile(r"\b(he|his|him|himself|she|her|herself)\b", re.IGNORECASE)
_PERSON_LEAD = re.compile(r"^(He|She|His|Her)\b")

_GLUED = re.compile(r"[-–—/.:]\w")
_GLUED_BEFORE = re.compile(r"\w[-–—/.:]$")

UNIT_MAX = 6.2  # zipf: "in", "and" follow numbers too, but are no units
COMMON = 4.5  # zipf: a word this common alone is an everyday word, no name


@lru_cache(maxsize=2**14)
def _lemma(word: str) -> str:
    return simplemma.lemmatize(word.casefold(), lang="en")


def head_of(name: str) -> str:
    """The noun a name is built on: "Party" in "the Communist Party", "Bank" in
    "Bank of England", "War" in "World War II"."""
    words = re.findall(r"[\w'’]+", name)
    lead = []
    for word in words:
        if word.casefold() in {"of", "de", "du", "von", "van", "for"}:
            break
        lead.append(word)
    lead = [w for w in lead if not _ROMAN.match(w)] or lead
    return lead[-1].casefold() if lead else ""


def intrinsic_kind(name: str) -> Counter[str]:
    """Votes from a name's own words."""
    votes: Counter[str] = Counter()
    words = re.findall(r"[\w'’-]+", name)
    if not words:
        return votes
    lowered = [word.casefold() for word in words]
    head = head_of(name)
    for nouns, kind in (
        (_ORGANISATION_NOUNS, ORGANISATION),
        (_PLACE_NOUNS, PLACE),
        (_COUNTRY_NOUNS, COUNTRY),
        (_EVENT_NOUNS, EVENT),
        (_WORK_NOUNS, WORK),
    ):
        if head in nouns:
            # "the Labour Party"; alone, "the Revolution" is barely a name.
            votes[kind] += 3 if len(words) > 1 else 1
    if lowered[0].rstrip(".") in _HONORIFICS and len(words) > 1:
        votes[PERSON] += 3
    if len(words) == 2 and _ROMAN.match(words[-1]) and not votes:
        votes[PERSON] += 2  # "Louis XVI"
    if len(words) == 1 and lowered[0].endswith("ism"):
        votes[WORK] += 3
    demonym = lowered[-1].endswith(("an", "ish", "ese", "ic"))  # "East Asian"
    if len(words) > 1 and lowered[0] in _COMPASS and not votes and not demonym:
        votes[PLACE] += 2  # "North America"
    if (
        2 <= len(words) <= 3
        and not votes
        and all(w[0].isupper() and w not in _CONNECTORS for w in words)
        and all(zipf_frequency(w, "en") < COMMON for w in lowered)
    ):
        votes[PERSON] += 1  # "Marie Antoinette": rare words, no head noun
    return votes


def _after(text: str, term: Term) -> str:
    """The text after a name, past a list of names it heads ("Voltaire and
    Rousseau questioned")."""
    after = text[term.end :]
    if after.startswith(("'s", "’s")):
        return ""
    joined = _CONJOINED_AFTER.match(after)
    return after[joined.end() - 1 :] if joined else after


def context_votes(text: str, term: Term, next_text: str = "") -> dict[str, tuple]:
    """Cues from the words around one use of a name: {cue: (kind, weight)}.
    A cue counts once per name however often it recurs ("in X" ten times is
    still one hint of a place)."""
    cues: dict[str, tuple[str, int]] = {}
    before = text[: term.start]
    after = _after(text, term)
    words = _NEXT_WORDS.match(after)
    following = [w for w in (words.groups() if words else ()) if w]
    if following and following[0].casefold() == "who":
        cues["who"] = (PERSON, 2)
    verbs = following[:2]
    if following and following[0].casefold() in _ADVERBS:
        verbs = following[1:3]
    if verbs and not after.startswith((",", ";", ":", ".")):
        lemma = _lemma(verbs[0])
        then = verbs[1].casefold() if len(verbs) > 1 else ""
        if lemma in _PERSON_VERBS:
            cues[f"verb {lemma}"] = (PERSON, 2)
        elif lemma in _EVENT_VERBS or (
            lemma in _EVENT_VERBS_IF and (not then or then in _EVENT_AFTER)
        ):
            cues[f"verb {lemma}"] = (EVENT, 2)
    # The cues before a name end just before it: the words far back are
    # no cue, and searching them costs a long sentence's length each time.
    near = (text, max(0, term.start - 40), term.start)
    if found := _PERSON_BEFORE.search(*near):
        cues[f"of {found.group(1).casefold()}"] = (PERSON, 2)
    if found := _PLACE_BEFORE.search(*near):
        cues[f"prep {found.group(1).casefold()}"] = (PLACE, 1)
    if found := _EVENT_BEFORE.search(*near):
        cues[f"prep {found.group(1).casefold()}"] = (EVENT, 1)
    if not before.strip() and _PRONOUN.search(text[term.end :]):
        cues["his"] = (PERSON, 1)  # "Stalin used the Purge to ... his policies"
    if not before.strip() and _PERSON_LEAD.match(next_text):
        cues["he next"] = (PERSON, 1)  # "Stalin wanted ... . He aimed ..."
    return cues


def classify_names(
    uses: Iterable[tuple[str, Term, str]], lowercase: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Each proper name (comparable) -> its kind, from all its uses: (claim
    text, the term, the next claim's text). ``lowercase``: the words the
    essay also writes in lower case ("git add" makes "Git" no person)."""
    first: dict[str, str] = {}
    cues: dict[str, dict[str, tuple[str, int]]] = {}
    uses = list(dict.fromkeys(uses))  # a repeated sentence votes once anyway
    known = {comparable(term.text) for _, term, _ in uses}
    cores: dict[str, str] = {}
    for text, term, next_text in uses:
        core_ = core(text, term, known)
        name = comparable(core_.text)
        cores[comparable(term.text)] = name
        first.setdefault(name, core_.text)
        cues.setdefault(name, {}).update(context_votes(text, core_, next_text))
    kinds = {}
    for name, found in cues.items():
        votes = intrinsic_kind(first[name])
        for kind, weight in found.values():
            votes[kind] += weight
        if not _may_be_person(first[name]) or lowercase & set(name.split()):
            votes.pop(PERSON, None)
        kinds[name] = decide(name, votes)
    return {name: kinds[core] for name, core in cores.items()}


def core(text: str, term: Term, known: Iterable[str]) -> Term:
    """A name without the everyday word that opens its sentence, when the
    rest is a name the essay uses too: "Under Stalin" is Stalin, but "New
    York" stays."""
    head, _, rest = term.text.partition(" ")
    if (
        rest
        and not text[: term.start].strip()
        and zipf_frequency(head, "en") >= 5
        and comparable(rest) in known
    ):
        return Term(rest, term.kind, term.end - len(rest), term.end)
    return term


def _may_be_person(name: str) -> bool:
    """No person's name has digits, underscores or (but for a numeral: "Louis
    XVI") a word in capitals, nor ends in a plural ("Proofreaders")."""
    words = re.findall(r"[\w'’-]+", name)
    if not words or any(ch.isdigit() or ch == "_" for ch in name):
        return False
    if any(w.isupper() and len(w) > 1 and not _ROMAN.match(w) for w in words):
        return False
    last = words[-1].casefold()
    return not (last.endswith("s") and _lemma(last) != last)


def decide(name: str, votes: Counter[str]) -> str:
    words = name.split()
    if len(words) == 1 and words[0] in _MONTHS_AND_DAYS:
        return OTHER
    if all(zipf_frequency(word, "en") >= 6 for word in words):
        return OTHER  # "The", "And Then": no name at all
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < 2:
        return OTHER
    if len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
        return OTHER  # evidence both ways
    kind, score = ranked[0]
    if len(words) == 1 and zipf_frequency(words[0], "en") >= COMMON and score < 3:
        return OTHER  # "Revolution", "Crown": an everyday word, weak evidence
    return kind


_OF_A_NAME = re.compile(r"['’]s\s+[A-Z]")
_CAPITALS = re.compile(r"['’]s((?:\s+[A-Z][\w'’-]*)+)")
_BUILDINGS = wordset("hospital cathedral chapel abbey land hall house tower")


def _names_a_place(after: str) -> bool:
    """Whether "'s" and the capitalised words after it end in an
    organisation's or place's noun: "'s Hospital", "'s Bay Company"."""
    found = _CAPITALS.match(after)
    head = found.group(1).split()[-1].casefold() if found else ""
    nouns = _ORGANISATION_NOUNS | _PLACE_NOUNS | _COUNTRY_NOUNS | _BUILDINGS
    return head in nouns


def fine_kind(text: str, term: Term, names: dict[str, str]) -> str:
    """A term's kind in its claim: a year, a decade, a number of a unit
    ("number:million"), the kind of a name, or other."""
    glued_before = _GLUED_BEFORE.search(text, max(0, term.start - 2), term.start)
    if _GLUED.match(text[term.end :]) or glued_before:
        return OTHER  # part of a code, a range or a version: "02110-1301"
    if term.kind in {YEAR, DECADE}:
        return term.kind
    if term.kind == "number":
        unit = unit_of(text, term)
        # A unit is a word in lower case, not a function word: "14 July",
        # "4,000 million", but not "Level 1 In addition".
        word = text[term.end :].split(maxsplit=1)[:1]
        lower = bool(word) and word[0][:1].islower()
        if lower and unit.isalpha() and zipf_frequency(unit, "en") < UNIT_MAX:
            return f"{NUMBER}:{unit}"
        return OTHER
    if term.kind in {"proper", "alias", "heading"}:
        if _OF_A_NAME.match(text[term.end :]) and _names_a_place(text[term.end :]):
            return OTHER  # "St Mary" in "St Mary's Hospital": part of a name
        return names.get(comparable(term.text), OTHER)
    return OTHER
