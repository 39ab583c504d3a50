"""An essay's questions as an Anki package (.apkg), written by genanki (pure).

A student who reviews on Anki (phone, desktop) takes the essay's cards with
them: one note per question, on two note types of our own with fixed ids, so
that every export lands on the same note types instead of piling up copies:

- "PurgeQuiz" (Front, Back, Passage, Source) for single, multiple,
  true/false and matching questions: the front asks, the back answers, and
  the passage the question was made from and its source follow in smaller
  type, so that the card sends the student back to the essay.
- "PurgeQuiz cloze" (Text, Back Extra, Passage, Source) for fill-in-the-blank
  questions: the gap (``kinds.BLANK``) becomes ``{{c1::first accepted
  answer}}``; the other accepted answers go in Back Extra.

Notes have a GUID made from the deck's key and the question's key, and the
deck an id made from the deck's key: exporting again and importing updates
the notes already there rather than adding copies. Anki updates a note only
when the package's note is newer than its own (its default), which is why
``now`` stamps every note. Anki's importer finds the deck by its name, not its
id: after an essay is renamed, its updated notes' cards stay in the deck of
the old name and the new name's deck is created empty (the student moves or
renames it in Anki).

Text a person typed is HTML-escaped; a prompt (and its explanation) whose
format is HTML is kept as it is, since it was sanitised on its way in
(``items.sanitise_html``). Markdown and Moodle text are escaped too: shown as
typed, never as markup.

Schedules: what travels, and what does not
------------------------------------------
genanki writes new cards only. Given ``schedules`` (a student's FSRS state per
question key), the package's collection is changed before it is zipped: each
card gets Anki's scheduling columns and, when stability and difficulty are
known, its FSRS memory state in ``cards.data`` (``{"s": stability, "d":
difficulty, "lrt": last review in seconds}``: ``s`` and ``d`` as Anki reads
them since 23.10, ``lrt`` since its newer versions, which older ones ignore).
Anki takes them in only when the package is imported with scheduling
(``with_scheduling``; the import dialog's "Import any learning progress").

- Review cards (type 2, queue 2): ``due`` is a day number counted from the
  collection's creation day. The package's collection counts days in UTC from
  its creation (``creationOffset`` 0, rollover 4 am), and Anki's importer
  moves review days by the difference between the two collections' day
  counts, so the card comes due on the calendar day of ``Schedule.due`` (in
  the timezone that datetime carries: pass the student's own) with the same
  interval. Where the student's Anki starts its day at another hour than 4 am,
  the import may land a day off during the hours between the two.
- Learning and relearning cards (type 1 or 3): a step shorter than a day
  (``due`` less than a day after ``last_review``) waits in Anki's intraday
  queue (queue 1) until the exact time of ``Schedule.due``; a longer one in
  the day-learning queue (queue 3) until its day. Anki's remaining-steps count
  is not in a Schedule: it is set to one step, so "Good" graduates the card.
- Reps and lapses travel as they are; the ease factor, which FSRS has no use
  for, is set to Anki's default 250 % for review and relearning cards so
  that a student on Anki's older SM-2 scheduler gets a sane card.
- The review history (Anki's revlog) does not travel: a Schedule holds only
  the state, and Anki's FSRS optimiser works from the history, not the state.
- Whether Anki schedules the card with FSRS at all is the student's setting
  in Anki (the deck's preset); with FSRS off the memory state waits unused.
- Anki never changes a card it already has: importing a package again
  updates the notes' text but leaves the cards' scheduling as the student's
  Anki has it (its importer adds only cards it lacks).
- New cards keep the questions' order.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import genanki

from quizzes import kinds
from quizzes.interchange.items import HTML, InterchangeError, Item

NEW, LEARNING, REVIEW, RELEARNING = "new", "learning", "review", "relearning"
STATES = (NEW, LEARNING, REVIEW, RELEARNING)


@dataclass
class Schedule:
    """A student's FSRS state of one card, as PurgeQuiz schedules it."""

    due: datetime  # aware; its calendar day (in its timezone) is the due day
    interval: int = 0  # days until the next review, after the last one
    stability: float | None = None  # FSRS: days until recall falls to 90 %
    difficulty: float | None = None  # FSRS: 1 (easy) to 10 (hard)
    reps: int = 0
    lapses: int = 0
    state: str = NEW  # NEW, LEARNING, REVIEW or RELEARNING
    last_review: datetime | None = None


def _stable_id(*parts: str) -> int:
    """An id Anki accepts (a positive 31-bit number, genanki's range) that
    stays the same for the same parts on every export."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left;
  color: black; background-color: white; max-width: 40em; margin: auto; }
.nightMode .card { color: white; background-color: #222; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
.explanation { margin-top: 1em; }
.passage, .source { font-size: 14px; color: #555; margin-top: 1em; }
.nightMode .passage, .nightMode .source { color: #aaa; }
.source { font-style: italic; }
"""

# Shown under the answer when the question has them.
PASSAGE_AND_SOURCE = (
    '{{#Passage}}<div class="passage">{{Passage}}</div>{{/Passage}}\n'
    '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
)

BASIC_MODEL = genanki.Model(
    _stable_id("purgequiz", "note type", "basic"),
    "PurgeQuiz",
    fields=[{"name": name} for name in ("Front", "Back", "Passage", "Source")],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}\n<hr id="answer">\n{{Back}}\n' + PASSAGE_AND_SOURCE,
        }
    ],
    css=CSS,
)

CLOZE_MODEL = genanki.Model(
    _stable_id("purgequiz", "note type", "cloze"),
    "PurgeQuiz cloze",
    model_type=genanki.Model.CLOZE,
    fields=[{"name": name} for name in ("Text", "Back Extra", "Passage", "Source")],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}\n<br>\n{{Back Extra}}\n" + PASSAGE_AND_SOURCE,
        }
    ],
    css=CSS,
)


def build_package(
    *,
    deck_name: str,
    items: list[Item],
    deck_key: str,
    schedules: dict[str, Schedule] | None = None,
    now: datetime | None = None,
) -> bytes:
    """The .apkg file of a deck of ``items``, as bytes.

    ``deck_key`` names the deck for good (an essay's id): the deck's id and
    the notes' GUIDs come from it, so a later export updates this one.
    ``schedules`` (by ``Item.key``) carry a student's progress (see the
    module's docstring for what travels); ``now`` stamps the notes (the
    current time when not given).
    """
    if not items:
        raise InterchangeError(
            f"“{deck_name}” has no questions to export: an empty deck is not "
            "exported. Add or publish questions first."
        )
    keys = [item.key for item in items if item.key]
    if len(set(keys)) != len(keys):
        repeated = next(key for key in keys if keys.count(key) > 1)
        raise InterchangeError(
            f"Two questions share the key “{repeated}”: in Anki one would "
            "overwrite the other."
        )
    now = now or datetime.now(UTC)
    deck = genanki.Deck(_stable_id("purgequiz", "deck", deck_key), deck_name)
    deck_tags = _deck_tags(deck_name, deck_key)
    guids = {}
    for position, item in enumerate(items):
        note = _note(item, deck_key, deck_tags, position)
        deck.add_note(note)
        guids[note.guid] = item.key
    return _write(genanki.Package(deck), now, guids, schedules or {})


# Notes ---------------------------------------------------------------------


def _note(item: Item, deck_key: str, deck_tags: list[str], position: int):
    fields = _fields(item)
    guid = (
        genanki.guid_for("purgequiz", deck_key, item.key)
        if item.key
        # Without a key the text is the identity: an edited question
        # arrives as a new note.
        else genanki.guid_for("purgequiz", deck_key, item.kind, item.prompt)
    )
    return genanki.Note(
        model=CLOZE_MODEL if item.kind == kinds.CLOZE else BASIC_MODEL,
        fields=[*fields, _text(item.passage), _text(item.source)],
        tags=deck_tags + _item_tags(item),
        guid=guid,
        due=position,  # new cards come in the questions' order
    )


def _fields(item: Item) -> tuple[str, str]:
    """The first two fields of the item's note: Front and Back, or the cloze's
    Text and Back Extra."""
    prompt = _prompt(item)
    explanation = _explained(item)
    if item.kind in kinds.CHOICE_KINDS:
        choices = "".join(f"<li>{_text(answer.text)}</li>" for answer in item.answers)
        right = [answer for answer in item.answers if answer.is_correct]
        back = "".join(
            f"<li>{_text(answer.text)}{_feedback(answer.feedback)}</li>"
            for answer in right
        )
        return (
            f'{prompt}\n<ol type="A">{choices}</ol>',
            f"<ul>{back}</ul>{explanation}",
        )
    if item.kind == kinds.TRUE_FALSE:
        if item.is_true is None:
            raise _missing(item, "whether the statement is true or false")
        feedback = item.true_feedback if item.is_true else item.false_feedback
        return (
            f"{prompt}\n<p><b>True or false?</b></p>",
            f"<p><b>{'True' if item.is_true else 'False'}</b>"
            f"{_feedback(feedback)}</p>{explanation}",
        )
    if item.kind == kinds.MATCHING:
        lefts = "".join(f"<li>{_text(pair.left)}</li>" for pair in item.pairs)
        rows = "".join(
            f"<tr><td>{_text(pair.left)}</td><td>→</td><td>{_text(pair.right)}</td></tr>"
            for pair in item.pairs
        )
        return (
            f"{prompt}\n<ul>{lefts}</ul>",
            f"<table>{rows}</table>{explanation}",
        )
    if item.kind == kinds.CLOZE:
        accepted = [answer.text for answer in item.answers if answer.text.strip()]
        if not accepted:
            raise _missing(item, "an accepted answer")
        gap = "{{c1::" + _cloze_safe(_text(accepted[0])) + "}}"
        if kinds.BLANK in prompt:
            text = prompt.replace(kinds.BLANK, gap)
        else:
            text = f"{prompt} {gap}"
        others = ", ".join(_text(answer) for answer in accepted[1:])
        also = f"<p>Also accepted: {others}</p>" if others else ""
        return text, f"{also}{explanation}"
    raise InterchangeError(
        f"“{kinds.label(item.kind)}” questions cannot go to Anki.", item.line or None
    )


def _missing(item: Item, what: str) -> InterchangeError:
    return InterchangeError(
        f"The {kinds.label(item.kind).lower()} question “{item.prompt[:60]}” "
        f"lacks {what}.",
        item.line or None,
    )


def _text(text: str) -> str:
    """Plain text as HTML: escaped, its line breaks kept."""
    return html.escape(text.strip()).replace("\n", "<br>")


def _prompt(item: Item) -> str:
    if item.prompt_format == HTML:
        return item.prompt.strip()
    return _text(item.prompt)


def _explained(item: Item) -> str:
    if not item.explanation.strip():
        return ""
    if item.prompt_format == HTML:
        explanation = item.explanation.strip()
    else:
        explanation = _text(item.explanation)
    return f'<div class="explanation">{explanation}</div>'


def _feedback(feedback: str) -> str:
    return f" <i>({_text(feedback)})</i>" if feedback.strip() else ""


def _cloze_safe(answer: str) -> str:
    """An answer that cannot end the cloze early or start a hint: its colons
    and closing braces as character references (shown the same)."""
    return answer.replace(":", "&#58;").replace("}", "&#125;")


# Tags ----------------------------------------------------------------------


def _deck_tags(deck_name: str, deck_key: str) -> list[str]:
    slug = _slug(deck_name) or _slug(deck_key)
    return [f"purgequiz::essay::{slug}"] if slug else []


def _item_tags(item: Item) -> list[str]:
    tags = []
    if label := _tag(item.section):
        tags.append(f"purgequiz::section::{label}")
    tags += [tag for tag in map(_tag, item.tags) if tag]
    return list(dict.fromkeys(tags))


def _slug(text: str) -> str:
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def _tag(text: str) -> str:
    """A tag Anki keeps whole: no spaces (they separate tags), no quotes."""
    return re.sub(r"[\s\"]+", "_", text.strip())


# Writing the package -------------------------------------------------------


def _write(
    package: genanki.Package,
    now: datetime,
    guids: dict[str, str],
    schedules: dict[str, Schedule],
) -> bytes:
    """The package zipped the way genanki's ``write_to_file`` zips it, but
    from a collection in a directory of our own, removed afterwards (genanki's
    own temporary file is never deleted) and changed before zipping when
    there are schedules."""
    timestamp = now.timestamp()
    with tempfile.TemporaryDirectory(prefix="purgequiz-anki-") as directory:
        path = Path(directory) / "collection.anki2"
        connection = sqlite3.connect(path)
        try:
            # A file zipped and thrown away: no waiting on the disk.
            connection.execute("PRAGMA synchronous = OFF")
            cursor = connection.cursor()
            package.write_to_db(
                cursor, timestamp, itertools.count(int(timestamp * 1000))
            )
            if schedules:
                _schedule(cursor, guids, schedules)
            connection.commit()
        finally:
            connection.close()
        collection = path.read_bytes()
    # Stamped with ``now``, not the file's time: the same export gives the
    # same bytes.
    stamp = now.astimezone(UTC).timetuple()[:6]
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("collection.anki2", stamp), collection)
        archive.writestr(zipfile.ZipInfo("media", stamp), "{}")
    return buffer.getvalue()


def _schedule(
    cursor: sqlite3.Cursor, guids: dict[str, str], schedules: dict[str, Schedule]
) -> None:
    """Give the cards of scheduled items their state (the module's docstring
    says how)."""
    (crt, conf) = cursor.execute("SELECT crt, conf FROM col").fetchone()
    # Day numbers counted in UTC from the creation day, with Anki's v2
    # scheduler and its current day handling, so that the importer can move
    # them exactly onto the student's collection.
    conf = json.loads(conf) | {"schedVer": 2, "creationOffset": 0, "rollover": 4}
    cursor.execute("UPDATE col SET conf = ?", (json.dumps(conf),))
    created = datetime.fromtimestamp(crt, UTC).date()
    rows = cursor.execute(
        "SELECT cards.id, notes.guid FROM cards JOIN notes ON notes.id = cards.nid"
    ).fetchall()
    for card_id, guid in rows:
        schedule = schedules.get(guids.get(guid, ""))
        if schedule is None:
            continue
        if schedule.state not in STATES:
            raise InterchangeError(
                f"“{schedule.state}” is not a card state (one of {', '.join(STATES)})."
            )
        if schedule.state == NEW:
            continue
        cursor.execute(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, "
            "reps = ?, lapses = ?, left = ?, data = ? WHERE id = ?",
            (*_columns(schedule, created), _card_data(schedule), card_id),
        )


def _columns(schedule: Schedule, created: date) -> tuple[int, ...]:
    """type, queue, due, ivl, factor, reps, lapses, left: Anki's columns."""
    day = (schedule.due.date() - created).days
    reps, lapses = schedule.reps, schedule.lapses
    if schedule.state == REVIEW:
        return (2, 2, day, max(1, schedule.interval), 2500, reps, lapses, 0)
    card_type, interval, factor = (
        (1, 0, 0)
        if schedule.state == LEARNING
        else (3, max(1, schedule.interval), 2500)
    )
    step = schedule.due - (schedule.last_review or schedule.due)
    if step < timedelta(days=1):
        queue, due = 1, int(schedule.due.timestamp())
    else:
        queue, due = 3, day
    return (card_type, queue, due, interval, factor, reps, lapses, 1)


def _card_data(schedule: Schedule) -> str:
    data: dict[str, float | int] = {}
    if schedule.stability is not None and schedule.difficulty is not None:
        # Anki keeps stability to 4 places and difficulty to 3.
        data |= {
            "s": round(schedule.stability, 4),
            "d": round(schedule.difficulty, 3),
        }
    if schedule.last_review is not None:
        data["lrt"] = int(schedule.last_review.timestamp())
    return json.dumps(data) if data else ""
