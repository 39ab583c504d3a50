"""Moodle's GIFT format: questions a teacher writes in a text file, read into
items and written back (pure).

A question is a run of lines ending at a blank line: an optional
``::title::``, the text, and one answer block in braces::

    ::Capital:: The capital of France is {=Paris ~Lyon ~Nice}.
    Grant is buried in Grant's tomb.{FALSE#He is.#Yes, he is entombed.}
    Who's buried in Grant's tomb?{=no one =nobody}
    Match the capitals.{=Canada -> Ottawa =Italy -> Rome}

Reading follows Moodle's own reader (qformat_gift), so a file Moodle
imports reads the same here: the kind is chosen as Moodle chooses it, a
block inside the text leaves kinds.BLANK where it was (the "missing word"
form), ``#`` starts an answer's feedback and ``####`` the general feedback,
``[html]`` or ``[markdown]`` at the start of a text says its format. Where
Moodle would import something strange without a word (an answer block never
closed, ``{~}``, a weight of %abc%), this reader refuses the file with the
line to fix. Numerical, essay and description questions are reported in
Parsed.skipped: PurgeQuiz has no kind for them. Two small liberties: the
lines of a question keep their indentation (Moodle's file import trims each
line, which flattens the code in a <pre>), and {true} is read as {TRUE}.

What an item keeps of the formats: the prompt's (Item.prompt_format; a text
with no marker is Moodle's "moodle" format). A marker on an answer or a
feedback only says whether that text is HTML, to be sanitised; the marker
itself is not kept. Accepted answers and the right side of matching pairs
are plain text in Moodle (they have no format) and are never sanitised: the
page showing them escapes them.
"""

from __future__ import annotations

from quizzes import kinds
from quizzes.interchange import gift_lexer as lexer
from quizzes.interchange.gift_lexer import WHITESPACE, finish, take_format, trim
from quizzes.interchange.items import (
    FORMATS,
    HTML,
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

CATEGORY = "$CATEGORY:"
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

SKIPPED = {
    "description": "This text has no answer block {…}, so it is a description "
    "(Moodle shows it between questions); PurgeQuiz has no such item and left it out.",
    "essay": "This is an essay question ({} with nothing inside): PurgeQuiz cannot "
    "mark an essay, so it was left out.",
    "numerical": "This is a numerical question ({#…}): PurgeQuiz has no numerical "
    "questions yet, so it was left out.",
}


def parse_bytes(data: bytes) -> Parsed:
    """The questions of a GIFT file as uploaded (see items.decode)."""
    return parse(decode(data, what="The GIFT file"))


def parse(text: str) -> Parsed:
    """The questions of a GIFT text, in file order, each with its line;
    InterchangeError (with the line to fix) if the text is not GIFT."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        line = text[: error.start].count("\n") + 1
        raise InterchangeError("The file has a broken character.", line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parsed, category = Parsed(), ""
    for block in lexer.blocks(text):
        lines = block.text.split("\n")
        first = next((i for i, line in enumerate(lines) if trim(line)), None)
        if first is not None and trim(lines[first]).startswith(CATEGORY):
            # A category line sets the category of the questions after it.
            # (Moodle takes the whole block for the path; a question written
            # right under the line, with no blank line between, is read here.)
            category = trim(trim(lines[first])[len(CATEGORY) :])
            lines[first] = ""
            first = next((i for i, line in enumerate(lines) if trim(line)), None)
        if first is None:
            continue
        reader = _Question("\n".join(lines[first:]), block.line + first)
        found = reader.read()
        if isinstance(found, Item):
            found.category = category
            found.key, found.tags = lexer.comment_tags(block.comments)
            parsed.items.append(found)
        else:
            parsed.skipped.append(found)
    if not parsed.items and not parsed.skipped:
        raise InterchangeError(
            "No question was found in this file: a GIFT question is its text "
            "followed by its answers in braces, like "
            "“2 + 2 = {=4 ~3 ~5}”. Lines starting with // are comments."
        )
    return parsed


class _Question:
    """One question's text (comment lines blanked), read as Moodle reads it.
    Every position is a position in ``raw``, so that a problem names its
    line."""

    def __init__(self, raw: str, line: int):
        self.raw, self.mask, self.first_line = raw, lexer.mask(raw), line

    def line(self, at: int) -> int:
        return self.first_line + self.raw.count("\n", 0, at)

    def fail(self, message: str, at: int):
        raise InterchangeError(message, self.line(at))

    def read(self) -> Item | Skipped:
        raw, mask = self.raw, self.mask
        start = begin = len(raw) - len(raw.lstrip(WHITESPACE))
        title = ""
        if mask.startswith("::", start):
            end = mask.find("::", start + 2)
            if end == -1:
                self.fail(
                    "This title starts with :: but is never closed: write "
                    "::title:: before the question (or \\:\\: for two colons).",
                    start,
                )
            title = trim(lexer.unescape(raw[start + 2 : end]))
            start = end + 2
        opening, closing = self._braces(start)
        if opening == -1:
            return Skipped(self.line(begin), "description", SKIPPED["description"])
        after = raw[closing + 1 :]
        # A block inside the text leaves a gap: Moodle's "missing word" form.
        gap = kinds.BLANK if trim(after) else ""
        text_format, prompt = take_format(raw[start:opening] + gap + after, MOODLE)
        item = Item(
            kind="",
            prompt=finish(prompt, text_format),
            line=self.line(begin),
            title=title,
            prompt_format=text_format,
        )
        answers_end = mask.rfind("####", opening + 1, closing)
        if answers_end == -1:
            answers_end = closing
        else:
            explanation_format, explanation = take_format(
                raw[answers_end + 4 : closing], text_format
            )
            item.explanation = finish(explanation, explanation_format)
        first = opening + 1
        while first < answers_end and raw[first] in WHITESPACE:
            first += 1
        last = answers_end
        while last > first and raw[last - 1] in WHITESPACE:
            last -= 1
        answers = mask[first:last]
        if not answers:
            return Skipped(self.line(begin), "essay", SKIPPED["essay"])
        if answers.startswith("#"):
            return Skipped(self.line(begin), "numerical", SKIPPED["numerical"])
        if "~" in answers:
            self._choices(item, first, last, opening)
        elif "=" in answers and "->" in answers:
            self._pairs(item, first, last, opening)
        else:
            hash_at = answers.find("#")
            head = answers[:hash_at] if hash_at > 0 else answers
            if "=" in head:
                self._accepted(item, first, last, opening)
            else:
                self._true_false(item, first, last)
        return item

    def _braces(self, start: int) -> tuple[int, int]:
        """Where the one answer block opens and closes (-1, -1 if there is
        none), or InterchangeError for a brace out of place."""
        mask = self.mask
        opening, closing = mask.find("{", start), mask.find("}", start)
        if opening == closing == -1:
            return -1, -1
        if closing != -1 and (opening == -1 or closing < opening):
            self.fail(
                "This } closes no answer block: delete it, or write \\} for a "
                "brace in the text.",
                closing,
            )
        if closing == -1:
            self.fail(
                "This { is never closed: end the answers with }, or write \\{ "
                "for a brace in the text. (A blank line ends a question.)",
                opening,
            )
        inner = mask.find("{", opening + 1, closing)
        if inner != -1:
            self.fail(
                "This { opens inside another answer block: close the first "
                "one with }, or write \\{ for a brace in the text.",
                inner,
            )
        stray = mask.find("}", closing + 1)
        second = mask.find("{", closing + 1)
        if stray != -1 and (second == -1 or stray < second):
            self.fail(
                "This } closes no answer block: delete it, or write \\} for a "
                "brace in the text.",
                stray,
            )
        if second != -1:
            self.fail(
                "A question has one answer block {…}; this is a second one. "
                "Split it into two questions (with a blank line between), or "
                "write \\{ and \\} for braces in the text.",
                second,
            )
        return opening, closing

    def _pieces(self, first: int, last: int, marks: str) -> list[tuple[str, int, int]]:
        """The answers between ``first`` and ``last``, each starting at one of
        ``marks`` (= or ~): (its mark, where its text starts, where it ends).
        Text before the first mark is an answer with no mark, as in Moodle."""
        cuts = [at for at in range(first, last) if self.mask[at] in marks]
        found = []
        if not cuts or trim(self.raw[first : cuts[0]]):
            found.append(("", first, cuts[0] if cuts else last))
        for at, end in zip(cuts, [*cuts[1:], last], strict=True):
            found.append((self.mask[at], at + 1, end))
        return found

    def _split_feedback(self, start: int, end: int) -> tuple[str, str]:
        hash_at = self.mask.find("#", start, end)
        if hash_at == -1:
            return self.raw[start:end], ""
        return self.raw[start:hash_at], self.raw[hash_at + 1 : end]

    def _text(self, raw: str, default_format: str, at: int, what: str) -> str:
        text_format, text = take_format(raw, default_format)
        if not trim(lexer.unescape(text)):
            self.fail(what, at)
        return finish(text, text_format)

    def _feedback(self, raw: str, default_format: str) -> str:
        feedback_format, feedback = take_format(raw, default_format)
        return finish(feedback, feedback_format)

    def _weighed(self, start: int, end: int, default: float) -> tuple[float, int]:
        """An answer's fraction and where its text starts, past its weight."""
        body = self.raw[start:end]
        fraction, rest = lexer.take_weight(body, default, self.line(start))
        return fraction, end - len(rest)

    def _choices(self, item: Item, first: int, last: int, opening: int) -> None:
        empty = (
            "An answer here is empty: write its text after the = or ~, or "
            "delete the mark (write \\~ or \\= for the character itself)."
        )
        for mark, start, end in self._pieces(first, last, "~="):
            if mark == "=":
                fraction = 1.0  # in a choice question = is right and takes no weight
            else:
                fraction, start = self._weighed(start, end, 0.0)
            text, feedback = self._split_feedback(start, end)
            item.answers.append(
                Answer(
                    self._text(text, item.prompt_format, start, empty),
                    fraction,
                    self._feedback(feedback, item.prompt_format),
                )
            )
        if len(item.answers) < 2:
            self.fail(
                "A multiple-choice question needs at least two answers "
                "(=right ~wrong).",
                opening,
            )
        right = [answer for answer in item.answers if answer.is_correct]
        if not right:
            self.fail(
                "This multiple-choice question has no right answer: mark it "
                "with = instead of ~, or give right answers a weight "
                "above 0 (~%50%).",
                opening,
            )
        # Moodle's rule: an = makes it a one-answer question; without one,
        # students tick every answer that applies (weights add up).
        single = "=" in self.mask[first:last] and len(right) == 1
        item.kind = kinds.SINGLE if single else kinds.MULTIPLE

    def _accepted(self, item: Item, first: int, last: int, opening: int) -> None:
        item.kind = kinds.CLOZE
        empty = (
            "An accepted answer here is empty: write it after the =, or "
            "delete the = (write \\= for the character itself)."
        )
        for _mark, start, end in self._pieces(first, last, "="):
            fraction, start = self._weighed(start, end, 1.0)
            text, feedback = self._split_feedback(start, end)
            text_format, text = take_format(text, item.prompt_format)
            if not trim(lexer.unescape(text)):
                self.fail(empty, start)
            item.answers.append(
                Answer(
                    trim(lexer.unescape(text)),
                    fraction,
                    self._feedback(feedback, item.prompt_format),
                )
            )
        if not any(answer.is_correct for answer in item.answers):
            self.fail(
                "None of these answers earns a mark: write at least one as "
                "=answer (or with a weight above 0, like =%50%answer).",
                opening,
            )

    def _pairs(self, item: Item, first: int, last: int, opening: int) -> None:
        item.kind = kinds.MATCHING
        for _mark, start, end in self._pieces(first, last, "="):
            arrow = self.mask.find("->", start, end)
            if arrow == -1:
                self.fail(
                    "This matching pair has no ->: write each pair as "
                    "=item -> its match.",
                    start,
                )
            left_format, left = take_format(self.raw[start:arrow], item.prompt_format)
            right = trim(lexer.unescape(self.raw[arrow + 2 : end]))
            if not right:
                self.fail(
                    "This matching pair has nothing after ->: write its match there.",
                    arrow,
                )
            item.pairs.append(Pair(finish(left, left_format), right))
        if len(item.pairs) < 2:
            self.fail(
                "A matching question needs at least two pairs "
                "(=item -> match =item -> match).",
                opening,
            )

    def _true_false(self, item: Item, first: int, last: int) -> None:
        item.kind = kinds.TRUE_FALSE
        cuts = [at for at in range(first, last) if self.mask[at] == "#"][:2]
        bounds = [first - 1, *cuts, last]
        bits = [self.raw[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False)]
        answer = trim(lexer.unescape(bits[0]))
        # Moodle takes T, TRUE, F and FALSE in capitals only (a lower-case
        # {true} becomes a short answer "true"); any case is taken here.
        if answer.upper() not in TRUE_FALSE:
            shown = " ".join(answer.split())
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            self.fail(
                f"“{{{shown}}}” is not an answer block GIFT knows: write {{T}} "
                "or {F} for true or false, {=answer} for a short answer, or "
                "{=right ~wrong} for choices.",
                first,
            )
        item.is_true = TRUE_FALSE[answer.upper()]
        bits += [""] * (3 - len(bits))
        # Moodle's order: the feedback for a wrong answer, then for a right one.
        wrong = self._feedback(bits[1], item.prompt_format)
        right = self._feedback(bits[2], item.prompt_format)
        item.true_feedback, item.false_feedback = (
            (right, wrong) if item.is_true else (wrong, right)
        )


# Writing


def write(items: list[Item]) -> str:
    """GIFT text that ``parse`` reads back into the same items (and Moodle
    imports), a blank line after each question; a $CATEGORY line wherever
    the category changes. GIFT has no place for an item's section, passage
    or source: they are not written."""
    out, category = [], ""
    for item in items:
        if item.category != category:
            category = item.category
            out.append(f"{CATEGORY} {' '.join(category.split())}\n")
        out.append(_write_item(item))
    return "\n".join(out)


def _write_item(item: Item) -> str:
    text_format = item.prompt_format if item.prompt_format in FORMATS else PLAIN
    tags = lexer.write_comment_tags(item.key, item.tags)
    head = f"{tags}\n" if tags else ""
    if item.title:
        head += f"::{lexer.escape(item.title)}::"
    if text_format != MOODLE or item.prompt.startswith(("[", "/")):
        # An explicit marker also keeps a text starting with [ or // from
        # being read as a marker or a comment.
        head += f"[{text_format}]"
    answers = _write_answers(item, text_format)
    prompt = lexer.escape(item.prompt)
    gap = prompt.find(kinds.BLANK)
    if gap != -1 and trim(prompt[gap + len(kinds.BLANK) :]):
        # The missing-word form: the block where the gap is, on one line.
        block = "{" + " ".join(answers) + "}"
        return f"{head}{prompt[:gap]}{block}{prompt[gap + len(kinds.BLANK) :]}\n"
    # A gap at the very end stays written out: a block there leaves none.
    if item.kind == kinds.TRUE_FALSE:
        return f"{head}{prompt}{{{answers[0]}}}\n"
    return f"{head}{prompt}{{\n" + "".join(f"\t{line}\n" for line in answers) + "}\n"


def _write_answers(item: Item, text_format: str) -> list[str]:
    """The answers of the block, one a line (a true/false block is one)."""

    def text(value: str, *, sanitised: bool = True) -> str:
        return _write_text(value, text_format, sanitised=sanitised)

    def feedback(value: str) -> str:
        return f"#{text(value)}" if value else ""

    explanation = f"####{text(item.explanation)}" if item.explanation else ""
    if item.kind == kinds.TRUE_FALSE:
        if item.is_true is None:
            raise InterchangeError(_unwritable(item, "says neither true nor false"))
        right, wrong = (
            (item.true_feedback, item.false_feedback)
            if item.is_true
            else (item.false_feedback, item.true_feedback)
        )
        answer = "TRUE" if item.is_true else "FALSE"
        if wrong or right:
            answer += f"#{text(wrong)}" + (f"#{text(right)}" if right else "")
        return [answer + explanation]
    lines = []
    if item.kind in kinds.CHOICE_KINDS:
        right = [answer for answer in item.answers if answer.is_correct]
        single = (
            item.kind == kinds.SINGLE and len(right) == 1 and right[0].fraction == 1
        )
        for answer in item.answers:
            if single and answer is right[0]:
                mark = "="
            elif answer.fraction == 0 and not answer.text.startswith("%"):
                mark = "~"
            else:
                mark = "~" + lexer.write_weight(answer.fraction)
            lines.append(mark + text(answer.text) + feedback(answer.feedback))
    elif item.kind == kinds.CLOZE:
        for answer in item.answers:
            weight = lexer.write_weight(answer.fraction)
            if answer.fraction == 1 and not answer.text.startswith("%"):
                weight = ""
            accepted = text(answer.text, sanitised=False)
            lines.append(f"={weight}{accepted}{feedback(answer.feedback)}")
    elif item.kind == kinds.MATCHING:
        for pair in item.pairs:
            right = lexer.escape(pair.right, arrows=True)
            lines.append(f"={text(pair.left)} -> {right}")
    else:
        raise InterchangeError(_unwritable(item, f"is of the kind “{item.kind}”"))
    if not lines:
        raise InterchangeError(_unwritable(item, "has no answers"))
    if explanation:
        lines.append(explanation)
    return lines


def _write_text(text: str, text_format: str, *, sanitised: bool) -> str:
    """An answer's or a feedback's text, with a marker only where the
    question's format would read it wrong: [plain] for a text of an HTML
    question that is not HTML (sanitising would change it), the question's
    own marker for a text that starts with [."""
    written = lexer.escape(text, arrows=True)
    if text_format == HTML and sanitised and sanitise_html(text) != text:
        return f"[{PLAIN}]{written}"
    if text.startswith("["):
        return f"[{text_format}]{written}"
    return written


def _unwritable(item: Item, why: str) -> str:
    name = item.title or " ".join(item.prompt.split())[:60]
    return f"The question “{name}” {why}: it cannot be written as GIFT."
