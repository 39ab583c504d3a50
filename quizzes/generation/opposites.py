"""A sentence made false by its opposite: one word for its antonym ("before"
for "after", "input" for "output") or a negation taken away ("cannot" ->
"can"). A statement falsified this way stays grammatical and means
something: the opposite of what the text says, not a random word in place of
another. A negation is only taken away here; generation/negation.py adds one,
only to claims no other false statement can be made of, so that "not" in a
statement seldom tells that it is false (over the corpus 23 true statements
and 38 false ones have a "not")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Quantities and comparisons (many/few, more/less, same/different, early/
# late) are left out too: a teacher found the swapped statement often still
# defensible ("few packages", "no effect on local services") or unidiomatic.
# Rise/fall is a noun as often as a verb ("pumice falls"), and rose/fell
# a time of day as often as a price ("bakers rose before dawn").
# First/last ("the last response", "that first command"), cheap/expensive
# and absolute/relative made statements still true or self-contradictory.
# Public/private, support/oppose and start/stop read as nonsense more often
# than as a plausible slip ("the general private", "platforms that oppose
# symbolic links", "Alice has stopped a new project"): left out as well.
# Earlier/later ("as we saw earlier"), automatic/manual ("scanned
# manually before scanners existed") and majority/minority ("The minority
# of ...") read as slips of grammar or time, not of fact.
# Valid/invalid ("Git will erase a valid password"), won/lost ("they
# will be won") and forward/backward ("backward
# compatible") read as nonsense more often than as a slip of fact.
# Directions and inside/outside: a text names more than one ("flows
# crossed west to the Gili Islands" beside "north and east of Lombok"),
# and "outside the syntax" is a figure, not a place.
# Above/below is mostly the text's own "see above"; true/false an
# adjective ("hide their true IP address" -> "false IP address").
# Always/never, before/after and gained/lost mostly made statements that
# the rest of the sentence contradicts ("will always be assigned ... and is
# reserved for private usage", "a river network developed on the deposits
# before the eruption", "no information is gained"): left out.
# Verbs whose opposite takes another construction ("adds X to" / "removes X
# from", "allows X to" / "prevents X from") are left out: the swap would
# show itself by its grammar.
_PAIRS = """
larger smaller | bigger smaller |
higher lower | increase decrease | increased decreased |
increases decreases | increasing decreasing | minimum maximum |
input output | inputs outputs | enabled disabled | accept reject | accepts rejects |
accepted rejected | success failure | succeeds fails | succeeded failed |
strong weak | stronger weaker | strongest weakest |
victory defeat |
legal illegal | possible impossible | necessary unnecessary |
visible invisible | faster slower | fast slow | hot cold | warmer cooler |
upward downward | imports exports | buy sell | bought sold |
opened closed | upper lower |
read-only writable | cheaper dearer |
longer shorter | longest shortest | wide narrow | wider narrower |
deep shallow | deeper shallower | success failure |
ascending descending | inner outer |
internal external |
maximum minimum | growth decline |
strengthened weakened | increase reduce | permitted forbidden |
agreed refused | accepted refused |
"""

# "does not pay" -> "does pay" reads as a correction; those are left alone.
_NEGATIONS = {
    "cannot": "can",
    "can not": "can",
    "can't": "can",
    # "Packages do not await triggers" -> "Packages await triggers".
    "do not": "",
    "don't": "",
    "is not": "is",
    "isn't": "is",
    "are not": "are",
    "aren't": "are",
    "was not": "was",
    "wasn't": "was",
    "were not": "were",
    "weren't": "were",
    "will not": "will",
    "won't": "will",
    "must not": "must",
    "should not": "should",
}


def _opposites() -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in _PAIRS.split("|"):
        words = pair.split()
        if len(words) != 2:
            continue
        a, b = words
        # "impossible" -> "possible" takes a negation away; "possible" ->
        # "impossible" would add one, and a negated word would tell the
        # false statements, as "not" would.
        if b != a and b.endswith(a) and b[: -len(a)] in _NEGATING_PREFIXES:
            found.setdefault(b, a)
            continue
        found.setdefault(a, b)
        found.setdefault(b, a)
    return found


_NEGATING_PREFIXES = frozenset({"un", "in", "im", "il", "ir", "dis", "non"})


OPPOSITES = _opposites()
_CLAUSE_OPENERS = frozenset({"before", "after"})
_NEGATED = re.compile(r"(?:n['’]t|\bnot|\bnever|\bno)\s+$", re.IGNORECASE)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|can|could|will|would|may|might|must|"
    r"do|does|did|should)\b",
    re.IGNORECASE,
)


def _clause(text: str) -> bool:
    """Whether a sentence opens on a clause ("After they have met, ..."),
    not a phrase ("After 1900, ..."): a verb before its first comma."""
    return bool(_FINITE.search(text.split(",", 1)[0]))


_WORDS = re.compile(
    r"(?<![\w'’-])("
    + "|".join(
        re.escape(word)
        for word in sorted([*_NEGATIONS, *OPPOSITES], key=len, reverse=True)
    )
    + r")(?![\w'’-])",
    re.IGNORECASE,
)


# Set phrases whose word has no opposite there: "as opposed to" is no
# "as supported to".
_IDIOMS = re.compile(
    r"\bas opposed to\b|\bmore or less\b|\bsooner or later\b|\bfirst and "
    r"foremost\b|\blast but not least\b|\bat (?:the )?(?:latest|earliest)\b|"
    r"\bno less than\b|\bno more than\b|\ball the same\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Opposite:
    start: int
    end: int
    old: str
    new: str


def _cased(new: str, old: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def opposites(text: str) -> list[Opposite]:
    """Each word of the text that has an opposite, with it, in text order;
    taken-away negations first (they are the plainest falsehoods)."""
    found = []
    fixed = [(m.start(), m.end()) for m in _IDIOMS.finditer(text)]
    for match in _WORDS.finditer(text):
        if any(a <= match.start(1) < b for a, b in fixed):
            continue
        old = match.group(1)
        lower = " ".join(old.lower().replace("’", "'").split())
        new = _NEGATIONS[lower] if lower in _NEGATIONS else OPPOSITES.get(lower)
        if new is None or (not new and match.start(1) == 0):
            continue
        if match.start(1) == 0 and lower in _CLAUSE_OPENERS and _clause(text):
            continue  # "After a client and server can exchange ...": "Before"
            # turns the whole sentence's logic, not one fact
        if _NEGATED.search(text, max(0, match.start(1) - 12), match.start(1)):
            continue  # "doesn't always" -> "doesn't never": a double negative
        if re.match(r"\s+than ever\b", text[match.end(1) :]):
            continue  # "grew smaller than ever before" is no plausible slip
        if new or lower in _NEGATIONS:
            found.append(Opposite(match.start(1), match.end(1), old, _cased(new, old)))
    return sorted(found, key=lambda o: (o.old.lower() not in _NEGATIONS, o.start))


def put_opposite(text: str, opposite: Opposite) -> str:
    if not opposite.new:  # a "do not" taken away
        return text[: opposite.start].rstrip() + text[opposite.end :]
    return text[: opposite.start] + opposite.new + text[opposite.end :]
