"""One sentence at a time: where sentences end, is one a sentence to ask
about, and what a question shows of it (pure: no ORM).

``essays.parse`` finds the paragraphs; this module splits and judges their
sentences. Everything is a function of one sentence, so the cost per claim
does not grow with the essay.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

MIN_WORDS = 4


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_wordset = wordset


MAX_SENTENCE_CHARS = 400

# --- is it a sentence? -------------------------------------------------------

# A lower-case first word this common ("by", "when") continues a sentence.
EVERYDAY_OPENER = 5.0
_FINAL = re.compile(r"[.!?][)\]}\"'”’»]*$")
_RULE = re.compile(r"[=\-#*_~]{3,}")
# "3.", "2.1)", "a)", "B." open a list item, not a sentence (a sentence that
# starts with an initial, "J. V. Stalin ...", is given up with them).
LIST_LABEL = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]|[A-Za-z][.)]|\(\w{1,3}\))(?=\s|$)"
)
# An instruction, or a scenario ("Suppose that Alice ..."): nothing true or false.
_INSTRUCTION = re.compile(
    r"^(?:See|Refer|Click|Visit|Type|Run|Press|Suppose|Imagine|Assume|Let's)\b|^Note:"
)
_LETTERS = re.compile(r"[^\W\d_]+")
_ALNUM = re.compile(r"[^\W_]")


# Sentences about the text itself, which teach nothing of its subject.
_SIGNPOST = re.compile(
    r"\b(?:next|previous|following|last) (?:chapter|section|part)s?\b|"
    r"\bwork in progress\b|\bwe have (?:already )?seen\b|"
    r"\bas (?:mentioned|noted|discussed|described|shown) (?:above|below|earlier)\b|"
    r"\b(?:is|are) (?:discussed|described|explained|covered) (?:below|later)\b|"
    # About an example or a listing the question cannot show.
    r"^the following (?:examples?|commands?|script|program|output)\b|"
    r"\bas follows[.:]?$|\b(?:processing|given|shown) the above\b|"
    # "This page explains how.": the text about itself.
    r"^this (?:page|document|tutorial|chapter|section|article|guide|manual|"
    r"essay) (?:explains|describes|shows|covers|introduces|is about)\b",
    re.IGNORECASE,
)
# A reader's question or story ("I've made a mistake in the last commit."),
# not something the text teaches.
_FIRST_PERSON = re.compile(r"^(?:I|I['’](?:ve|m|d|ll)|My)\b")


@lru_cache(maxsize=2**16)  # the parser, references and builders ask of one text
def is_sentence(text: str) -> bool:
    """A sentence a question can be made of: four words or more, a final
    stop, no rule of dashes, no list label, instruction, aside or signpost
    ("discussed in the next chapter")."""
    text = text.strip()
    if _SIGNPOST.search(text):
        return False
    # Words as a reader counts them: "www.iso.ch" is one.
    few = sum(bool(_ALNUM.search(token)) for token in text.split()) < MIN_WORDS
    if few or not _FINAL.search(text):
        return False
    if _RULE.search(text) or LIST_LABEL.match(text) or _INSTRUCTION.match(text):
        return False
    if _FIRST_PERSON.match(text) or _label_list(text) or _GLOSS.match(text):
        return False
    if not (text[0].isalnum() or text[0] in "\"'“‘«(["):
        return False  # ", Project Gutenberg reached ...": a piece of a sentence
    first = text.split(" ", 1)[0]
    if first[:1].islower() and _cut_opener(first):
        # "by running dpkg-trigger ...": the rest of a sentence cut by a line
        # break, not one; a command may open one ("sed is a stream editor").
        return False
    if text.startswith(("(", "[", "{", "#", "//", "/*")):
        return False  # an aside ("(See below.)", "[Editor's note.]"), a comment
    return not code_like(text)


# "‘42’ is the command option.": a gloss on an example's part, meaningless
# without the example.
# "‘42’ is the exit code." (one or more in a row): glosses on an example.
_GLOSS = re.compile(
    r"^(?:[‘'\"“`][^‘’'\"“”`]{1,20}[’'\"”`] is (?:the|a|an) (?:\S+\s+){0,3}\S+\.\s*)+$"
)


def _label_list(text: str) -> bool:
    """ "Timing guarantees, races, etc.": a heading or a list of labels, each
    a few words, no statement."""
    if not re.search(r"\betc\.?$", text):
        return False
    return all(len(part.split()) <= 4 for part in text.split(","))


def _cut_opener(first: str) -> bool:
    """A lowercase first word that opens no sentence: an everyday word, a
    verb whose subject was cut off above it ("allows you to browse ...",
    "searches for ..."), or a label ("merge-base: Clarify ...")."""
    if first.endswith(":"):
        return True
    frequency = zipf_frequency(first, "en")
    verb = first.isalpha() and len(first) > 3 and first.endswith("s")
    return frequency >= EVERYDAY_OPENER or (verb and frequency >= 3.0)


_SYMBOL = re.compile(r"[^\w\s.,;:'’‘\"“”%!?()\-–—]")
_NOT_PLAIN = re.compile(r"[^A-Za-z .,;:'’‘\"“”!?()\-–—]")


def code_like(text: str) -> bool:
    """Mostly symbols: code, a formula or a table row, not prose."""
    if not _NOT_PLAIN.search(text):
        return False  # only letters, spaces and punctuation: prose
    chars = len(text) - text.count(" ")
    letters = len(text) - len(_LETTERS.sub("", text))
    return letters < 0.3 * chars or len(_SYMBOL.findall(text)) > 0.15 * chars


# --- what a question shows -----------------------------------------------------

_TAG = re.compile(
    r"</?(?:a|abbr|b|big|blockquote|br|cite|code|del|dfn|div|em|font|h[1-6]|hr|"
    r"i|img|ins|kbd|li|mark|ol|p|pre|q|s|samp|small|span|strong|sub|sup|table|"
    r"td|th|tr|tt|u|ul|var|script|style|iframe|object|embed|svg|form|input|"
    r"button|textarea|select|option|label|nav|header|footer|section|article|"
    r"aside|main|figure|figcaption|caption|thead|tbody|dl|dt|dd|center|strike|"
    r"html|head|body|title|meta|link)(?:\s[^<>]*)?/?>"
)
_LEFT_TAG = re.compile(r"<[A-Za-z]")
_MARKUP = [
    # Wiki and MDN templates: {{Glossary("TCP")}} -> TCP, {{Glossary("Cache",
    # "caches")}} -> caches; others go (and their sentence is not asked about).
    (
        re.compile(
            r"\{\{\s*[\w-]+\(\s*[\"']([^\"'}]*)[\"']"
            r"(?:\s*,\s*[\"']([^\"'}]*)[\"'])?[^}]*\)\s*\}\}"
        ),
        lambda m: m.group(2) or m.group(1),
    ),
    (re.compile(r"\{\{[^{}]*\}\}"), ""),
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # `code`
    # Texinfo's cross references: "(*note sed addresses::)" goes, "described
    # in *note Reporting Bugs::" keeps the title.
    (re.compile(r"\s*\(\*[Nn]ote [^()]*\)"), ""),
    (re.compile(r"\*[Nn]ote\s+([^:()]+)::"), r"\1"),
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url), images
    # HTML tags (<b>, </a>, <br/>); a placeholder such as <I> or <file> is
    # no tag, and a sentence with one is not asked about (see shown_of).
    (_TAG, ""),
    # Footnote marks: [1], [12], [a], [note 3], [citation needed].
    (re.compile(r"\[(?:\d{1,3}|[a-z]|note \d{1,3}|[a-z]+ needed)\]"), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **strong**
    # *emphasis*, but not a quoted asterisk: "a ‘*’ ... one or more ‘*’".
    (re.compile(r"(?<![\w*‘'\"])\*(?=[^\s’'\"])([^*]+?)(?<=\S)\*(?![\w*’'\"])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"), r"\1"),
]
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?)\]}])")
_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”"}


def clean(text: str) -> str:
    """The sentence without markup: emphasis, code marks, links, tags and
    footnote marks go, their words stay."""
    if not re.search(r"[`*_\[<&{]", text):
        return text
    text = html.unescape(text)  # "&lt;b&gt;" is a tag too
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    text = _SPACE_BEFORE.sub(r"\1", " ".join(text.split()))
    return text


_BRACKETS = re.compile(r"[()\[\]{}“”\"]")


def _unbalanced(text: str) -> bool:
    if not _BRACKETS.search(text):
        return False
    # Counting is enough: brackets closed in the wrong order are rare in prose.
    return (
        any(text.count(o) != text.count(c) for o, c in _PAIRS.items())
        or text.count('"') % 2 == 1
    )


_STRAY_END = re.compile(r"([.!?]?)[\"”)\]}]([.!?]?)$")


def balanced(text: str) -> str | None:
    """The text with a stray opening or closing mark at either end dropped
    (left over where a quotation spans two sentences), or None when it is
    unbalanced inside."""
    if not _unbalanced(text):
        return text
    head = text[1:].lstrip() if text[:1] in '"“([{' else text
    candidates = [head]
    for candidate in (text, head):
        tail = _STRAY_END.search(candidate)
        if tail:
            candidates.append(candidate[: tail.start()] + (tail[1] or tail[2]))
    return next((c for c in candidates if not _unbalanced(c)), None)


_KEPT_TEMPLATE = _MARKUP[0][0]
# A template with arguments held words: {{convert|40|km}}, {{lang|fr|oui}}
# ({{Note}} alone held none).
_TEMPLATE = re.compile(r"\{\{[^{}|()]*[|(][^{}]*\}\}")
# Where markup removal (here or before the text was pasted) dropped a word:
# "was at least .", "in 2007.,", "of about." -- a sentence with a hole.
# Three patterns, each searched only where it can match, since every
# sentence of an essay is checked.
_HOLE_MARKS = re.compile(
    r"\s[.,;:](?![\w./])|[,;]\s*(?:[,;:]|\.(?!\.\.))|:\s*[.,;](?!\w)"
    r"|(?:\d|[^\W\d_]{4})\.\s*[,;:]|\w\.\.(?![./\w])"
)
_HOLE_END = re.compile(
    r"\b(?:about|of|the|than|at least|nearly)[.,;:!?]+[\"'”’)]*$", re.IGNORECASE
)
_HOLE_WORDS = re.compile(
    r"\b(to|of|the|an?|and|in|on|at|by|for|from|with)\s+\1\b"  # "up to to"
    # "a height of during", "volumes of on Lombok", "as far as from": a
    # quantity that was there is gone.
    r"|\b(?:of|about|nearly|approximately|around|than|as far as)\s+"
    r"(?:during|on|at|from|by|and|or|with|into)\b"
    # "a volume of was attributed", "In away from Samalas": the same.
    r"|\bof\s+(?:was|were|is|are|has|had)\b|\b(?:in|at|of|on|as)\s+away\b"
    r"|\b(?:with|over|under|within|crossed|deposited|covered|spanned|measured|"
    r"reached)\s+(?:of|during)\b"
    # "In Lake Logung it is thick.": the measure before the adjective went.
    r"|\b(?:it|they) (?:is|was|are|were) (?:thick|wide|long|deep|high|tall)\.$",
    re.IGNORECASE,
)


# What every mark-hole has: two marks together, or a mark after a space.
_TWO_MARKS = re.compile(r"[.,;:]\s*[.,;:]|\s[.,;:]")


@lru_cache(maxsize=2**14)  # a claim's text and what it shows are often one
def _holed(text: str) -> bool:
    return bool(
        (_TWO_MARKS.search(text) and _HOLE_MARKS.search(text))
        or _HOLE_END.search(text, max(0, len(text) - 24))
        or _HOLE_WORDS.search(text)
    )


def broken(text: str) -> bool:
    """Whether the sentence lost words where markup was removed: a template
    with arguments other than {{Glossary("word")}} went, or a stop or comma
    stands where a word (a number, a quantity) used to be."""
    if text.startswith("!["):
        return True  # an image's caption: what a picture shows, no statement
    return bool(_TEMPLATE.search(_KEPT_TEMPLATE.sub("", text)) or _holed(text))


# A manual's option described in the imperative ("Print a usage message
# ..."): no statement that can be true or false.
_IMPERATIVES = _wordset(
    "print display show use set add remove delete create make specify enable "
    "disable read write output suppress execute exit edit open save install "
    "configure check try"
)
# ... unless the first word is a noun: "Use of force", "Set theory is".
_NOT_IMPERATIVE_NEXT = _wordset(
    "of is are was were has have had can could will would may might must "
    "should does did goes means makes takes gives comes shows needs"
)
_IMPERATIVE_OBJECTS = _wordset(
    "a an the this these that those all any each every some out up it them its "
    "your their whether if what which how one two"
)
_IMPERATIVE_OPENERS = frozenset(word.capitalize() for word in _IMPERATIVES)
_NOT_STATEMENT = re.compile(
    # Bibliography and copyright lines: "Addison-Wesley, Reading, MA, 1991".
    r"\bISBN\b|©|\bCopyright\s+(?:\(c\)|\d{4})|(?i:\ball rights reserved\b)"
    r"|\bet al\.|,\s[A-Z]{2},\s(?:1[5-9]|20)\d\d\b"
    # Licence boilerplate.
    r"|General Public License|WITHOUT ANY WARRANTY|MERCHANTABILITY"
    r"|\bredistribute it\b|Free Software Foundation"
    # Pointers: "See also ...", "You can find it at gittutorial-2(7).",
    # "gitcvs-migration(7): Git for CVS users."
    r"|^See also\b|^(?:You (?:can|may|should) )?(?i:see|find|read|consult)\b.*"
    r"\w\(\d\w{0,3}\)|^\S+\(\d\w{0,3}\):"
)
# A table row: "Level 3 All UCS characters are supported." (not a date: "On
# 14 July 1789 ...", "In 1937 Stalin ...").
_TABLE_ROW = re.compile(r"^([A-Z][a-z]+) \d+ ([A-Z][a-z]*)")
_NUMBER_LEADS = _wordset(
    "on until till around about circa between through over under below above "
    "nearly almost only just some all about page chapter figure"
)
_MONTHS = _wordset(
    "january february march april may june july august september october "
    "november december"
)


def not_a_statement(text: str) -> bool:
    """A reference, licence, pointer, table row or option description: a line
    of a text, but no statement a question can ask about."""
    if _NOT_STATEMENT.search(text):
        return True
    row = _TABLE_ROW.match(text)
    if (
        row
        and row[1].lower() not in SENTENCE_OPENERS | _NUMBER_LEADS
        and row[2].lower() not in _MONTHS
    ):
        return True
    words = text.split(maxsplit=3)
    if len(words) < 3 or words[0] not in _IMPERATIVE_OPENERS:
        return False
    if any(word.lower() in _NOT_IMPERATIVE_NEXT for word in words[1:3]):
        return False
    # "Print the input", "Use ‘-i’ to ...", "Check that ...": an order; not
    # "Open source software is ..." nor "Print media declined ...".
    second = words[1]
    return (
        words[0] == "Use"
        or second.lower() in _IMPERATIVE_OBJECTS
        or not second[:1].isalpha()
    )


_FOOTNOTE_END = re.compile(r"([.!?])\(\d{1,2}\)[.!?]?$")


def shown_of(text: str) -> tuple[str, bool]:
    """(what a question shows, whether the sentence can be asked about)."""
    # A manual's footnote mark after the stop: "to standard output.(1)."
    shown = _FOOTNOTE_END.sub(r"\1", clean(text))
    fixed = balanced(shown)
    if fixed is None or _LEFT_TAG.search(fixed) or broken(text) or broken(fixed):
        return shown, False
    return fixed, is_sentence(fixed) and not not_a_statement(fixed)


def long_pieces(text: str) -> list[tuple[int, int]]:
    """Spans of a sentence too long to ask about, cut after "; ", ": " or a
    dash and packed into pieces of at most MAX_SENTENCE_CHARS."""
    cuts = [m.end() for m in re.finditer(r"[;:] |\s[—–-]\s", text)]
    pieces, start, last_cut = [], 0, 0
    for cut in [*cuts, len(text)]:
        if cut - start > MAX_SENTENCE_CHARS and last_cut > start:
            pieces.append((start, last_cut))
            start = last_cut
        last_cut = cut
    pieces.append((start, len(text)))
    return [(a, b - (len(text[a:b]) - len(text[a:b].rstrip()))) for a, b in pieces]


def as_sentence(piece: str) -> str:
    """A piece of a long sentence written as a sentence of its own."""
    piece = re.sub(r"\s*(?:[;:,]|[—–-])$", "", piece.strip())
    if not _FINAL.search(piece):
        piece += "."
    return piece[:1].upper() + piece[1:]


# --- lines and lists -----------------------------------------------------------


KNOWN_WORD = 3.5  # zipf: a word English writes whole
LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)[-\u2010]$")  # "-" or a Unicode hyphen


def join_lines(lines: list[str]) -> str:
    """Hard-wrapped lines as one line; a word hyphenated at a line end is put
    back together ("communi-" "cation"), keeping the hyphen of a compound
    ("reference-" "counting"); wordfreq knows which is English."""
    text = lines[0] if lines else ""
    for line in lines[1:]:
        split = LINE_END_HYPHEN.search(text)
        if split and line[:1].islower() and not text.endswith("--"):
            head = split.group(1)
            tail = re.match(r"[^\W\d_]*", line).group()
            # A known word ("communication", "admin"), else whichever English
            # uses more ("reference-counting"); wordfreq counts "ad-min" as
            # the words "ad" and "min", so a known whole word wins.
            known = zipf_frequency((head + tail).lower(), "en")
            hyphened = zipf_frequency(f"{head}-{tail}", "en")
            whole = known >= KNOWN_WORD or known > hyphened
            text = (text[:-1] if whole else text) + line
        else:
            text += " " + line
    return text


MAX_LISTED_ITEMS = 8


def listed(intro: str, items: list[str]) -> str:
    """A list's intro and its short items as one sentence ("The causes were:
    debt, hunger, and ideas."), or "" when the items are not short phrases."""
    if not 2 <= len(items) <= MAX_LISTED_ITEMS or any(
        len(item.split()) > MAX_LISTED_ITEMS or re.search(r"[,;.!?:]", item)
        for item in items
    ):
        return ""
    head = ", ".join(items[:-1]) + ("," if len(items) > 2 else "")
    shown = f"{intro} {head} and {items[-1]}."
    return shown if is_sentence(shown) and len(shown) <= MAX_SENTENCE_CHARS else ""


# --- invisible characters ---------------------------------------------------


def _invisible_class() -> str:
    """A regex class of control (Cc but newline, tab and carriage return),
    format (Cf: zero-width space, right-to-left override, soft hyphen) and
    private-use (Co) characters; astral ones listed, the BMP scanned."""
    ranges: list[list[int]] = []
    for point in range(0x10000):
        if chr(point) in "\n\t\r":
            continue
        if unicodedata.category(chr(point)) in ("Cc", "Cf", "Co"):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    astral = (
        "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
        "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
        "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
    )
    bmp = "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
        for a, b in ranges
    )
    return f"[{bmp}{astral}]"


INVISIBLE = re.compile(_invisible_class())
ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- sentences -----------------------------------------------------------------

_END = re.compile(r"[.!?]+[)\]\"'”’»]*(?=\s|$)")
_OPENERS = "\"'“‘«(["
# Abbreviations that never end a sentence (a name or a number follows).
_ABBREVIATIONS = _wordset(
    "e.g i.e cf dr mr mrs ms messrs prof st vs gen col lt capt sgt rev fig "
    "vol pp approx ca c p jr sr mt"
)
# Abbreviations that end a sentence only when a typical sentence opener follows.
_AMBIGUOUS = _wordset("etc no inc ltd co")
SENTENCE_OPENERS = _wordset(
    "a an after although and as at before but by despite during for from he "
    "her his however i in it its many most on one our she since some such "
    "that the their there these they this those thus to we when where while "
    "with yet"
)
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


def _ends_sentence(text: str, end: re.Match[str]) -> bool:
    rest = text[end.end() :].lstrip().lstrip(_OPENERS)
    if not rest:
        return True
    if rest[0].islower():
        # 'called "opposition." to ...', "e.g. the army": the sentence goes on.
        return False
    if end.group() != ".":
        return True
    word = text[: end.start()].rsplit(" ", 1)[-1].lstrip(_OPENERS)
    lower = word.lower()
    opener = rest.split(" ", 1)[0].strip(",;:").lower() in SENTENCE_OPENERS
    if lower in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
        return False  # "Dr. Smith", "J. V. Stalin"
    if lower == "no" and rest[0].isdigit():
        return False  # "No. 5"
    if lower in _AMBIGUOUS or _ACRONYM.match(word):
        return opener  # "the U.S. Congress" vs "in the U.S. The war ..."
    return True


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a one-line paragraph, trimmed."""
    found = []
    start = 0
    for end in _END.finditer(text):
        if _ends_sentence(text, end):
            found.append((start, end.end()))
            start = end.end()
    found.append((start, len(text)))
    trimmed = []
    for first, last in found:
        chunk = text[first:last]
        first += len(chunk) - len(chunk.lstrip())
        last -= len(chunk) - len(chunk.rstrip())
        # Only spans with a letter are sentences: "3." or "--" are not claims.
        if first < last and re.search(r"[^\W\d_]", text[first:last]):
            trimmed.append((first, last))
    return trimmed
