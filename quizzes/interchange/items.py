"""Questions as plain data on their way in or out of PurgeQuiz (pure: no
database, no Django models).

Each format module (``gift``, ``moodle_xml``, ``csv_rows``, ``anki``)
parses a file into ``Item``s or writes ``Item``s into a file;
``quizzes.services.interchange`` turns items into questions (in one
transaction) and questions into items. An item holds what any of the
formats can carry, so that nothing the other side can hold is lost on the
way: each answer's weight and feedback, the general feedback, a title, the
format of the question's text, the passage it comes from.

The kinds are ``quizzes.kinds``' (single, multiple, true_false, cloze,
matching). A fill-in-the-blank (cloze) question marks its gap with
``kinds.BLANK``; one whose file gave no gap (a GIFT short answer) has none,
and the service adds it at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The formats of a question's text, as Moodle names them (FORMAT_MOODLE,
# FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN). HTML arrives sanitised
# (``sanitise_html``): a format module never hands on raw HTML.
MOODLE, HTML, PLAIN, MARKDOWN = "moodle", "html", "plain", "markdown"
FORMATS = (MOODLE, HTML, PLAIN, MARKDOWN)

# The most a file to import may weigh: a teacher's question bank, not a dump.
MAX_BYTES = 1_000_000


@dataclass
class Answer:
    """A choice (single, multiple) or an accepted answer (cloze).

    ``fraction`` is the share of the question's mark the answer earns, from
    -1 to 1 (Moodle's fraction; GIFT's ``%50%`` is 0.5, ``=`` is 1, ``~``
    is 0): a single-choice question's right answer has 1, a multiple-answer
    question's right answers share 1 between them and its wrong ones may
    take marks away.
    """

    text: str
    fraction: float = 0.0
    feedback: str = ""

    @property
    def is_correct(self) -> bool:
        return self.fraction > 0


@dataclass
class Pair:
    """A matching pair: the item on the left, its match on the right."""

    left: str
    right: str


@dataclass
class Item:
    kind: str
    prompt: str
    line: int = 0  # where the question starts in its file (1-based), for messages
    title: str = ""  # GIFT's ::title::, Moodle's name
    prompt_format: str = PLAIN
    explanation: str = ""  # the general feedback, shown once answered
    answers: list[Answer] = field(default_factory=list)
    is_true: bool | None = None  # true_false only
    true_feedback: str = ""  # true_false: shown to the answer "true"
    false_feedback: str = ""  # true_false: shown to the answer "false"
    pairs: list[Pair] = field(default_factory=list)
    category: str = ""  # GIFT's $CATEGORY, Moodle's category path
    section: str = ""  # the essay's section it belongs to (a label or heading)
    passage: str = ""  # the essay's passage it was made from (its claim)
    source: str = ""  # where the passage comes from (the essay's title)
    key: str = ""  # a stable identity across exports (our question's id)
    tags: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """A question of a kind PurgeQuiz has no equivalent of (numerical,
    essay, description), reported rather than dropped."""

    line: int
    kind: str
    reason: str


@dataclass
class Parsed:
    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class InterchangeError(ValueError):
    """A file refused, with a message for a teacher and the line at fault."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


def decode(data: bytes, *, what: str = "The file") -> str:
    """A file's text, or InterchangeError saying why not: empty, over
    MAX_BYTES, binary, or not UTF-8 (naming the line). A UTF-8 byte-order
    mark and Windows line ends are taken away."""
    if not data or not data.strip():
        raise InterchangeError(f"{what} is empty.")
    if len(data) > MAX_BYTES:
        raise InterchangeError(
            f"{what} is {len(data) / 1e6:.1f} MB; the most is "
            f"{MAX_BYTES / 1e6:.0f} MB. Split it into smaller files."
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InterchangeError(f"{what} is not a text file.", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InterchangeError(
            f"{what} is not UTF-8 text. Save it as UTF-8 and try again.", line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# The markup a question's text may keep: what a teacher writes in a quiz
# (emphasis, lists, line breaks, links, tables, code), never scripts,
# styles, frames, forms or event handlers.
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "i", "li", "ol", "p",
    "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_html(html: str) -> str:
    """HTML with only ALLOWED_TAGS and ALLOWED_ATTRIBUTES left, by nh3
    (the Ammonia sanitiser): what is left is safe to show as HTML."""
    import nh3

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
