"""Moodle XML quiz files: the questions a teacher exports from a Moodle
question bank, read into ``Item``s, and our questions written out for
Moodle to import (pure: no database, no Django).

The shape follows Moodle's own exporter (``question/format/xml/format.php``):
one ``<question>`` per question inside ``<quiz>``, a ``<question
type="category">`` before the questions of each category, every text in a
``<text>`` element (in CDATA when it holds markup), answers weighted by a
``fraction`` in percent (100, 50, -33.33333).

Reading is defended: the file goes through defusedxml with DTDs, entities
and external references forbidden, so an XML bomb or an entity pointing at
a file on the server is refused before anything is expanded. A Moodle
export never has a DTD, so refusing every DTD costs a teacher nothing.

What is refused and what is skipped: a file that cannot be read as a whole
(not UTF-8, too big, not well-formed XML, a DTD or entities, not a
``<quiz>``, no questions at all) raises ``InterchangeError`` naming the
line. A single question that PurgeQuiz cannot hold is put in
``Parsed.skipped`` with its line and the reason, and the rest of the file
is read: a question of a type we have no equivalent of (numerical, essay,
description, calculated, embedded-answers cloze, drag and drop, random),
and a question of our types with bad content (no question text, a choice
question with no answers or none that earns marks, a short answer that no
answer earns marks for, a true/false question whose answers give neither
side the marks, a matching question with fewer than two pairs). One broken
question in a bank of three hundred should not stop the other 299; the
teacher sees the list and mends those few in Moodle.

Our question's passage and source travel in the general feedback ("From
the essay “Source”: passage"), where a Moodle student sees them once
answered; reading splits them off again, so a round trip keeps them.

Not carried, because our questions have no place for them: embedded files
and images (``<file>``, the old ``<image>``), hints, the combined feedback
(correct, partly correct, incorrect), a short answer's case sensitivity
and ``*`` wildcards (read as written), a question's mark and penalty, and
our item's essay section. A matching question's extra wrong answer (a
subquestion without text) travels as a pair with nothing on the left.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser

from quizzes import kinds
from quizzes.interchange.items import (
    HTML,
    MARKDOWN,
    MOODLE,
    PLAIN,
    Answer,
    InterchangeError,
    Item,
    Pair,
    Parsed,
    Skipped,
    decode,
    sanitise_html,
)

# Our text formats and the names Moodle writes in format="..." attributes.
FORMAT_NAMES = {
    HTML: "html",
    MOODLE: "moodle_auto_format",
    PLAIN: "plain_text",
    MARKDOWN: "markdown",
}
FORMATS_BY_NAME = {name: ours for ours, name in FORMAT_NAMES.items()}
# Moodle's old wiki format is plain text with a few conventions; any other
# name Moodle itself reads as HTML (qformat_xml::trans_format).
FORMATS_BY_NAME["wiki_like"] = PLAIN
# Formats whose text Moodle shows as HTML: what we read in them is
# sanitised, since Moodle's auto-format keeps a teacher's markup too.
MARKUP_FORMATS = {HTML, MOODLE}
# Moodle keeps true/false and short answers as plain text.
PLAIN_ATTR = 'format="plain_text"'

# Moodle's question type for each of our kinds.
TYPES = {
    kinds.SINGLE: "multichoice",
    kinds.MULTIPLE: "multichoice",
    kinds.TRUE_FALSE: "truefalse",
    kinds.CLOZE: "shortanswer",
    kinds.MATCHING: "matching",
}
# Moodle's default penalty (the share lost per wrong try in an adaptive
# quiz): a true/false question has only one wrong try, so all of it.
PENALTIES = {"truefalse": "1"}
DEFAULT_PENALTY = "0.3333333"

# Why the question types we have no equivalent of are left out, in a
# teacher's words.
UNSUPPORTED = {
    "numerical": "Numerical questions (a number within a tolerance) have no "
    "equivalent in PurgeQuiz.",
    "essay": "Essay questions are marked by hand; PurgeQuiz has none.",
    "description": "A description is text with nothing to answer.",
    "calculated": "Calculated questions draw their numbers from a formula; "
    "PurgeQuiz has none.",
    "cloze": "Embedded-answers (Cloze) questions hold several gaps of "
    "different kinds in one text; PurgeQuiz's fill-in-the-blank has one. "
    "Split it into short-answer questions in Moodle and export again.",
    "ddwtos": "Drag-and-drop questions have no equivalent in PurgeQuiz.",
    "gapselect": "Select-missing-words questions have no equivalent in PurgeQuiz.",
    "random": "A random question picks one from a category when the quiz "
    "runs: export that category's questions instead.",
}
UNSUPPORTED["calculatedsimple"] = UNSUPPORTED["calculatedmulti"] = UNSUPPORTED[
    "calculated"
]
UNSUPPORTED["multianswer"] = UNSUPPORTED["cloze"]
UNSUPPORTED["ddimageortext"] = UNSUPPORTED["ddmarker"] = UNSUPPORTED["ddwtos"]
UNSUPPORTED["randomsamatch"] = UNSUPPORTED["random"]

# Characters XML 1.0 cannot carry, even escaped (control characters, lone
# surrogates): a text pasted from a word processor may hold one.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PASSAGE_PLAIN = re.compile(
    r"(?:\A|\n\n)From the essay(?: “(?P<source>[^\n]*?)”)?: (?P<passage>.+)\Z",
    re.DOTALL,
)
PASSAGE_HTML = re.compile(
    r"(?:\A|\n)<p>From the essay(?: <em>(?P<source>[^<]*)</em>)?: "
    r"(?P<passage>[^<]*)</p>\Z"
)
NAME_WORDS = 8
AGAIN = "export it again from Moodle (Question bank, Export, Moodle XML format)"


# Writing


def write(items: list[Item], *, category: str = "") -> bytes:
    """A Moodle XML quiz file of these questions, ready for Moodle's import.

    ``category`` (a Moodle path such as ``$course$/top/Essays``) is where
    the questions go; an item's own category wins over it. A category
    question is written before the first question and wherever the
    category changes, as Moodle's exporter does.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    current = ""
    for item in items:
        wanted = item.category or category
        if wanted and wanted != current:
            lines += _category_lines(wanted)
            current = wanted
        lines += _question_lines(item)
    lines.append("</quiz>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _category_lines(path: str) -> list[str]:
    return [
        '  <question type="category">',
        "    <category>",
        f"      {_text(path)}",
        "    </category>",
        '    <info format="moodle_auto_format">',
        "      <text></text>",
        "    </info>",
        "    <idnumber></idnumber>",
        "  </question>",
        "",
    ]


def _question_lines(item: Item) -> list[str]:
    qtype = TYPES.get(item.kind)
    if qtype is None:
        raise InterchangeError(f"“{item.kind}” is not a kind of question.")
    fmt = _format_attr(item.prompt_format)
    lines = [
        f'  <question type="{qtype}">',
        "    <name>",
        f"      {_text(item.title or default_name(item.prompt, item.prompt_format))}",
        "    </name>",
        f"    <questiontext {fmt}>",
        f"      {_text(item.prompt)}",
        "    </questiontext>",
        f"    <generalfeedback {fmt}>",
        f"      {_text(_general_feedback(item))}",
        "    </generalfeedback>",
        "    <defaultgrade>1</defaultgrade>",
        f"    <penalty>{PENALTIES.get(qtype, DEFAULT_PENALTY)}</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{_escape(item.key)}</idnumber>",
    ]
    if qtype == "multichoice":
        single = "true" if item.kind == kinds.SINGLE else "false"
        lines += [
            f"    <single>{single}</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
            "    <showstandardinstruction>0</showstandardinstruction>",
            *_combined_feedback_lines(fmt),
        ]
        for answer in item.answers:
            lines += _answer_lines(answer, fmt, fmt)
    elif qtype == "truefalse":
        true_marks = 1.0 if item.is_true else 0.0
        for text, fraction, feedback in (
            ("true", true_marks, item.true_feedback),
            ("false", 1.0 - true_marks, item.false_feedback),
        ):
            lines += _answer_lines(Answer(text, fraction, feedback), PLAIN_ATTR, fmt)
    elif qtype == "shortanswer":
        lines.append("    <usecase>0</usecase>")
        for answer in item.answers:
            lines += _answer_lines(answer, PLAIN_ATTR, fmt)
    else:
        lines += ["    <shuffleanswers>true</shuffleanswers>"]
        lines += _combined_feedback_lines(fmt)
        for pair in item.pairs:
            lines += [
                f"    <subquestion {fmt}>",
                f"      {_text(pair.left)}",
                "      <answer>",
                f"        {_text(pair.right)}",
                "      </answer>",
                "    </subquestion>",
            ]
    if item.tags:
        lines.append("    <tags>")
        lines += [f"      <tag>{_text(tag)}</tag>" for tag in item.tags]
        lines.append("    </tags>")
    return [*lines, "  </question>", ""]


def _format_attr(fmt: str) -> str:
    return f'format="{FORMAT_NAMES.get(fmt, "html")}"'


def _combined_feedback_lines(fmt: str) -> list[str]:
    lines = []
    for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        lines += [f"    <{name} {fmt}>", "      <text></text>", f"    </{name}>"]
    return lines


def _answer_lines(answer: Answer, answer_fmt: str, feedback_fmt: str) -> list[str]:
    return [
        f'    <answer fraction="{percent(answer.fraction)}" {answer_fmt}>',
        f"      {_text(answer.text)}",
        f"      <feedback {feedback_fmt}>",
        f"        {_text(answer.feedback)}",
        "      </feedback>",
        "    </answer>",
    ]


def percent(fraction: float) -> str:
    """A fraction as Moodle writes it: 1 -> "100", -1/3 -> "-33.33333"."""
    written = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if written == "-0" else written


def _general_feedback(item: Item) -> str:
    """The explanation, then where the question comes from, if it does."""
    if not item.passage:
        return item.explanation
    if item.prompt_format in MARKUP_FORMATS:
        source = f" <em>{html.escape(item.source)}</em>" if item.source else ""
        line = f"<p>From the essay{source}: {html.escape(item.passage)}</p>"
        return f"{item.explanation}\n{line}" if item.explanation else line
    source = f" “{item.source}”" if item.source else ""
    line = f"From the essay{source}: {item.passage}"
    return f"{item.explanation}\n\n{line}" if item.explanation else line


def _escape(text: str) -> str:
    """Text safe inside an element, in CDATA when it holds markup, as
    Moodle's ``xml_escape`` writes it (a "]]>" splits the CDATA in two)."""
    text = NOT_XML.sub("", text)
    if not any(char in text for char in "<>&\"'"):
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(text: str) -> str:
    return f"<text>{_escape(text)}</text>"


def default_name(prompt: str, fmt: str = PLAIN) -> str:
    """A question's name when it has no title: its prompt's first words, as
    Moodle's question bank lists a question by its name."""
    if fmt in MARKUP_FORMATS:
        prompt = html.unescape(re.sub(r"<[^>]*>", " ", prompt))
    words = prompt.replace(kinds.BLANK, "…").split()
    name = " ".join(words[:NAME_WORDS])
    if len(words) > NAME_WORDS:
        name += "…"
    return name or "Question"


# Reading


class _LineTreeBuilder:
    """An ElementTree builder that notes the line each element starts on:
    ElementTree's elements carry no line, a teacher's message needs one."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.expat = None

    def start(self, tag, attrs):
        element = self.builder.start(tag, attrs)
        self.lines[id(element)] = self.expat.CurrentLineNumber
        return element

    def end(self, tag):
        return self.builder.end(tag)

    def data(self, data):
        self.builder.data(data)

    def close(self):
        return self.builder.close()


def parse(data: bytes) -> Parsed:
    """The questions of a Moodle XML file, and those left out with why.

    Raises ``InterchangeError`` for a file that cannot be read at all (see
    the module's docstring); a question of another type, or one with bad
    content, goes into ``Parsed.skipped``.
    """
    text = decode(data)
    root, lines = _tree(text)
    if root.tag != "quiz":
        raise InterchangeError(
            f"This is not a Moodle XML quiz file: it starts with <{root.tag}>, "
            f"where Moodle writes <quiz>. In Moodle, {AGAIN}.",
            lines.get(id(root)),
        )
    questions = root.findall("question")
    if not questions:
        raise InterchangeError(f"The file holds no questions. In Moodle, {AGAIN}.")
    parsed, category = Parsed(), ""
    for question in questions:
        line = lines.get(id(question), 0)
        qtype = (question.get("type") or "").strip()
        try:
            if qtype == "category":
                category = _inner(question.find("category"))
                continue
            item = _item(question, qtype, line)
        except _Skip as skip:
            parsed.skipped.append(Skipped(line, qtype, str(skip)))
            continue
        item.category = category
        parsed.items.append(item)
    return parsed


def _tree(text: str) -> tuple[ET.Element, dict[int, int]]:
    """The file's element tree, read with DTDs and entities forbidden."""
    target = _LineTreeBuilder()
    parser = DefusedXMLParser(
        target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    target.expat = parser.parser
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException as error:
        raise _refused(text, error) from None
    except ET.ParseError as error:
        reason = re.sub(r":? line \d+, column \d+$", "", str(error))
        raise InterchangeError(
            f"This is not well-formed XML ({reason}), so no Moodle could read "
            f"it either. If you edited the file, check the tags here; if not, "
            f"{AGAIN}.",
            error.position[0],
        ) from None
    except (ValueError, LookupError) as error:  # an encoding expat cannot use
        raise InterchangeError(
            f"This file cannot be read as XML ({error}). In Moodle, {AGAIN}."
        ) from None
    return root, target.lines


def _refused(text: str, error: DefusedXmlException) -> InterchangeError:
    """Why a file with a DTD or entities is refused, in a teacher's words."""
    start = text.find("<!DOCTYPE")
    line = text.count("\n", 0, start) + 1 if start >= 0 else None
    if isinstance(error, DTDForbidden) and "<!ENTITY" not in text:
        return InterchangeError(
            "This file starts with a document type declaration (<!DOCTYPE>), "
            f"which Moodle never writes and PurgeQuiz does not read: {AGAIN}.",
            line,
        )
    return InterchangeError(
        "This file declares XML entities, which PurgeQuiz does not read (they "
        "can make a file expand without end or reach into the server's files): "
        f"{AGAIN}.",
        line,
    )


class _Skip(Exception):
    """A question left out, with the reason a teacher reads."""


def _inner(element: ET.Element | None) -> str:
    """The text of an element's <text> (or of the element itself, as very
    old exports write it), stripped as Moodle strips it. Markup written
    without CDATA is kept as markup, not dropped."""
    if element is None:
        return ""
    found = element.find("text")
    if found is None:
        if len(element):
            return ""
        found = element
    try:
        inner = "".join(ET.tostring(child, encoding="unicode") for child in found)
    except RecursionError:  # thousands of nested tags: no teacher wrote that
        raise _Skip("This question's text nests its tags too deeply to read.") from None
    return ((found.text or "") + inner).strip()


def _format(element: ET.Element | None, default: str) -> str:
    if element is None or element.get("format") is None:
        return default
    return FORMATS_BY_NAME.get(element.get("format", "").strip(), HTML)


def _clean(text: str, fmt: str, prompt_fmt: str) -> str:
    """A text of the question, sanitised if it will be shown as HTML."""
    if fmt in MARKUP_FORMATS or prompt_fmt in MARKUP_FORMATS:
        return sanitise_html(text)
    return text


def _item(question: ET.Element, qtype: str, line: int) -> Item:
    if qtype not in ("multichoice", "truefalse", "shortanswer", "matching", "match"):
        if not qtype:
            raise _Skip("This question does not say its type.")
        raise _Skip(
            UNSUPPORTED.get(
                qtype, f"Moodle's “{qtype}” questions have no equivalent in PurgeQuiz."
            )
        )
    element = question.find("questiontext")
    fmt = _format(element, HTML)
    prompt = _clean(_inner(element), fmt, fmt)
    if not prompt:
        raise _Skip("This question has no question text.")
    item = Item(kind="", prompt=prompt, line=line, prompt_format=fmt)
    name = _inner(question.find("name"))
    item.title = "" if name == default_name(prompt, fmt) else name
    feedback = question.find("generalfeedback")
    item.explanation, item.passage, item.source = _split_passage(
        _inner(feedback), _format(feedback, fmt), fmt
    )
    item.key = _inner(question.find("idnumber"))
    item.tags = [
        tag for tag in (_inner(t) for t in question.findall("tags/tag")) if tag
    ]
    if qtype == "multichoice":
        _read_choices(question, item)
    elif qtype == "truefalse":
        _read_true_false(question, item)
    elif qtype == "shortanswer":
        _read_short_answer(question, item)
    else:
        _read_pairs(question, item)
    return item


def _split_passage(text: str, fmt: str, prompt_fmt: str) -> tuple[str, str, str]:
    """(explanation, passage, source) of a general feedback we wrote."""
    pattern = PASSAGE_HTML if fmt in MARKUP_FORMATS else PASSAGE_PLAIN
    found = pattern.search(text)
    if found is None:
        return _clean(text, fmt, prompt_fmt), "", ""
    passage, source = found["passage"], found["source"] or ""
    if fmt in MARKUP_FORMATS:
        passage, source = html.unescape(passage), html.unescape(source)
    explanation = _clean(text[: found.start()].strip(), fmt, prompt_fmt)
    return explanation, passage.strip(), source


def _fraction(answer: ET.Element) -> float:
    """An answer's share of the marks, from -1 to 1 (Moodle writes percent)."""
    written = (answer.get("fraction") or "0").strip()
    try:
        value = float(written)
    except ValueError:
        raise _Skip(f"An answer's grade “{written}” is not a number.") from None
    if not math.isfinite(value) or not -100 <= value <= 100:
        raise _Skip(f"An answer's grade {written}% is not between -100% and 100%.")
    return round(value / 100, 7)


def _answers(question: ET.Element, item: Item, *, markup: bool) -> list[Answer]:
    """The question's answers with text; blank ones dropped, as Moodle does."""
    found = []
    for element in question.findall("answer"):
        text = _inner(element)
        if markup:
            text = _clean(
                text, _format(element, item.prompt_format), item.prompt_format
            )
        feedback = element.find("feedback")
        found.append(
            Answer(
                text,
                _fraction(element),
                _clean(
                    _inner(feedback),
                    _format(feedback, item.prompt_format),
                    item.prompt_format,
                ),
            )
        )
    return [answer for answer in found if answer.text]


def _read_choices(question: ET.Element, item: Item) -> None:
    single = (question.findtext("single") or "true").strip()
    # Moodle reads "false", "0" and an empty element as not single.
    item.kind = kinds.MULTIPLE if single in ("false", "0", "") else kinds.SINGLE
    item.answers = _answers(question, item, markup=True)
    if not item.answers:
        raise _Skip("This multiple-choice question has no answers.")
    if not any(answer.is_correct for answer in item.answers):
        raise _Skip("No answer of this multiple-choice question earns marks.")


def _read_true_false(question: ET.Element, item: Item) -> None:
    item.kind = kinds.TRUE_FALSE
    sides: dict[str, Answer] = {}
    for answer in _answers(question, item, markup=False):
        word = answer.text.lower()
        # Very old exports wrote the words in the teacher's language, true first.
        side = word if word in ("true", "false") else ("false" if sides else "true")
        sides.setdefault(side, answer)
    true, false = sides.get("true"), sides.get("false")
    if true is not None and true.fraction == 1:
        item.is_true = True
    elif false is not None and false.fraction == 1:
        item.is_true = False
    else:
        raise _Skip("Neither “true” nor “false” earns the marks in this question.")
    item.true_feedback = true.feedback if true else ""
    item.false_feedback = false.feedback if false else ""


def _read_short_answer(question: ET.Element, item: Item) -> None:
    item.kind = kinds.CLOZE
    item.answers = _answers(question, item, markup=False)
    if not any(answer.is_correct for answer in item.answers):
        raise _Skip("No answer of this short-answer question earns marks.")


def _read_pairs(question: ET.Element, item: Item) -> None:
    item.kind = kinds.MATCHING
    for sub in question.findall("subquestion"):
        left = _clean(_inner(sub), _format(sub, item.prompt_format), item.prompt_format)
        right = _inner(sub.find("answer"))
        # A subquestion without text is an extra wrong match (a distractor).
        if right:
            item.pairs.append(Pair(left, right))
    matched = sum(bool(pair.left) for pair in item.pairs)
    if matched < 2:
        raise _Skip(
            f"A matching question needs at least two pairs; this one has {matched}."
        )
