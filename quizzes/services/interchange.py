"""Questions in and out of files (GIFT, Moodle XML, CSV, Anki): the formats'
plain data (quizzes.interchange.items) saved as questions, and questions
turned back into it.

An import is one transaction: every question is checked first (the kinds'
rules, the database's lengths), and one refused question refuses the file,
naming its line, with nothing written. Imported questions are drafts: a
teacher reviews them before students see them, as they review generated
ones. What our questions cannot hold is said in the report, never dropped
in silence: the questions of kinds we do not have (numerical, essay), and
the parts of a file we keep no place for (categories).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.text import slugify

from quizzes import kinds
from quizzes.interchange import items as ix
from quizzes.models import AcceptedAnswer, Choice, Essay, MatchPair, Question

IMPORTED_TITLE = "Imported questions"


@dataclass
class ImportReport:
    essay: Essay
    essay_created: bool
    created: int
    skipped: list[ix.Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        done = "would import" if self.dry_run else "imported"
        text = (
            f"{self.created} question{'s' * (self.created != 1)} {done} into "
            f"“{self.essay.title}” as drafts"
        )
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text + "."

    def lines(self) -> list[str]:
        """The summary, then each skipped question and each note."""
        found = [self.summary()]
        found += [
            f"Line {s.line}: skipped ({s.kind}): {s.reason}" for s in self.skipped
        ]
        return found + self.notes


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a dry run back."""


def questions_import(
    *,
    parsed: ix.Parsed,
    essay: Essay | None = None,
    title: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Save the parsed questions as drafts of `essay`, or of a new essay
    titled `title` (default "Imported questions"). Raises InterchangeError
    (with the line) when a question cannot be saved; nothing is written then,
    nor on a dry run."""
    if not parsed.items:
        raise ix.InterchangeError(
            "The file holds no question PurgeQuiz can import"
            + (
                f" ({len(parsed.skipped)} of kinds it does not have)."
                if parsed.skipped
                else "."
            )
        )
    drafts = [_draft(item) for item in parsed.items]
    report = None
    try:
        with transaction.atomic():
            created = essay is None
            if created:
                essay = _new_essay(title or IMPORTED_TITLE)
            for draft in drafts:
                _save(essay, draft)
            report = ImportReport(
                essay=essay,
                essay_created=created,
                created=len(drafts),
                skipped=list(parsed.skipped),
                notes=_notes(parsed.items),
                dry_run=dry_run,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _new_essay(title: str) -> Essay:
    """An essay of imported questions: no text of its own, a unique slug."""
    title = " ".join(title.split())[:200] or IMPORTED_TITLE
    base = slugify(title)[:180] or "imported-questions"
    slug, n = base, 1
    while Essay.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Essay.objects.create(title=title, slug=slug, body="")


# The database's lengths, checked before anything is written.
_LIMITS = {
    "choice": Choice._meta.get_field("text").max_length,
    "choice feedback": Choice._meta.get_field("feedback").max_length,
    "accepted answer": AcceptedAnswer._meta.get_field("text").max_length,
    "answer feedback": AcceptedAnswer._meta.get_field("feedback").max_length,
    "left": MatchPair._meta.get_field("left").max_length,
    "right": MatchPair._meta.get_field("right").max_length,
    "title": Question._meta.get_field("title").max_length,
}


def _draft(item: ix.Item) -> ix.Item:
    """The item with its texts as our questions keep them (as_text), checked
    against the kinds' rules and the database's lengths (InterchangeError
    with its line if not)."""

    def text(value: str) -> str:
        return as_text(value, item.prompt_format)

    prompt = text(item.prompt).strip()
    if item.kind == kinds.CLOZE and kinds.BLANK not in prompt:
        prompt = f"{prompt} {kinds.BLANK}"  # a short answer: the gap at the end
    draft = replace(
        item,
        prompt=prompt,
        prompt_format=ix.PLAIN,
        title=item.title.strip(),
        explanation=text(item.explanation),
        true_feedback=text(item.true_feedback),
        false_feedback=text(item.false_feedback),
        answers=[
            ix.Answer(text(a.text).strip(), a.fraction, text(a.feedback))
            for a in item.answers
        ],
    )
    texts = [a.text for a in draft.answers]
    choices = texts if item.kind in kinds.CHOICE_KINDS else []
    accepted = texts if item.kind == kinds.CLOZE else []
    best = max((a.fraction for a in draft.answers), default=0)
    problems = kinds.problems(
        kinds.Draft(
            kind=item.kind,
            prompt=prompt,
            is_true=item.is_true,
            choices=[(a.text, _is_correct(item.kind, a, best)) for a in draft.answers]
            if choices
            else [],
            accepted_answers=accepted,
            pairs=[(p.left, p.right) for p in item.pairs],
        )
    )
    if problems:
        raise ix.InterchangeError(_question_says(item, problems[0].message), item.line)
    feedback = [a.feedback for a in draft.answers]
    for name, values in (
        ("choice", choices),
        ("choice feedback", feedback if choices else []),
        ("accepted answer", accepted),
        ("answer feedback", feedback if accepted else []),
        ("left", [p.left for p in item.pairs]),
        ("right", [p.right for p in item.pairs]),
        ("title", [draft.title]),
    ):
        for value in values:
            if len(value) > _LIMITS[name]:
                raise ix.InterchangeError(
                    _question_says(
                        item,
                        f"a {name} is {len(value)} characters long; "
                        f"the most is {_LIMITS[name]}.",
                    ),
                    item.line,
                )
    seen = [" ".join(t.split()).casefold() for t in accepted]
    if len(set(seen)) != len(seen):
        raise ix.InterchangeError(
            _question_says(item, "an accepted answer is there twice."), item.line
        )
    return draft


def _question_says(item: ix.Item, message: str) -> str:
    name = f"“{item.title}”" if item.title else "This question"
    return f"{name}: {message[0].lower()}{message[1:]}"


def _is_correct(kind: str, answer: ix.Answer, best: float) -> bool:
    """A single choice is right when it earns the whole mark (or the most
    any does); a multiple answer when it earns anything."""
    if kind == kinds.SINGLE:
        return answer.fraction > 0 and answer.fraction >= min(best, 1.0)
    return answer.fraction > 0


def _weights(item: ix.Item) -> list[float | None]:
    """Each choice's weight in percent, or None where the even rule
    (grading._weighted) gives the same: most questions keep no weights."""
    fractions = [a.fraction for a in item.answers]
    right = [f for f in fractions if f > 0]
    if item.kind == kinds.SINGLE:
        even = [1.0 if f == max(fractions) and f > 0 else 0.0 for f in fractions]
    else:
        share = 1 / len(right) if right else 0
        even = [share if f > 0 else -share for f in fractions]
    if all(abs(f - e) < 1e-4 for f, e in zip(fractions, even, strict=True)):
        return [None] * len(fractions)
    return [round(f * 100, 5) for f in fractions]


def _save(essay: Essay, draft: ix.Item) -> Question:
    """One checked item (_draft) saved as a draft question with its parts."""
    question = Question.objects.create(
        essay=essay,
        kind=draft.kind,
        status=Question.Status.DRAFT,
        origin=Question.Origin.AUTHORED,
        prompt=draft.prompt,
        is_true=draft.is_true if draft.kind == kinds.TRUE_FALSE else None,
        explanation=draft.explanation,
        title=draft.title,
        true_feedback=draft.true_feedback,
        false_feedback=draft.false_feedback,
    )
    best = max((a.fraction for a in draft.answers), default=0)
    if draft.kind in kinds.CHOICE_KINDS:
        Choice.objects.bulk_create(
            Choice(
                question=question,
                text=a.text,
                is_correct=_is_correct(draft.kind, a, best),
                feedback=a.feedback,
                order=n,
                weight=weight,
            )
            for n, (a, weight) in enumerate(
                zip(draft.answers, _weights(draft), strict=True)
            )
        )
    elif draft.kind == kinds.CLOZE:
        AcceptedAnswer.objects.bulk_create(
            AcceptedAnswer(
                question=question,
                text=a.text,
                weight=round(max(0.0, min(1.0, a.fraction)) * 100, 5),
                feedback=a.feedback,
            )
            for a in draft.answers
        )
    elif draft.kind == kinds.MATCHING:
        MatchPair.objects.bulk_create(
            MatchPair(question=question, left=p.left, right=p.right, order=n)
            for n, p in enumerate(draft.pairs)
        )
    return question


def _notes(items: list[ix.Item]) -> list[str]:
    """What the file held that the questions keep no place for."""
    notes = []
    categories = sorted({item.category for item in items if item.category})
    if categories:
        notes.append(
            "Moodle categories are not kept (the questions all went into one "
            "essay): " + ", ".join(categories)
        )
    sections = sorted({item.section for item in items if item.section})
    if sections:
        notes.append(
            "Sections are not kept: an imported question has no passage of the "
            "essay, so it belongs to the essay as a whole (its deck's “Other "
            "questions”): " + ", ".join(sections)
        )
    formatted = sum(
        item.prompt_format in (ix.HTML, ix.MOODLE) and "<" in item.prompt
        for item in items
    )
    if formatted:
        notes.append(
            f"{formatted} question{'s' * (formatted != 1)} had formatted text, "
            "kept as plain text (PurgeQuiz shows questions as text)."
        )
    return notes


_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d)\s*/?\s*>", re.IGNORECASE)


def as_text(text: str, text_format: str = ix.PLAIN) -> str:
    """A text as our questions keep it (plain, escaped wherever shown): HTML
    and Moodle's auto-format lose their tags (line breaks kept), after the
    sanitiser; plain and markdown text stay as written."""
    if text_format not in (ix.HTML, ix.MOODLE) or "<" not in text:
        return text
    import nh3

    text = _BREAKS.sub("\n", ix.sanitise_html(text))
    text = html.unescape(nh3.clean(text, tags=set()))
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


# --- Questions out -------------------------------------------------------------


def questions_items(questions) -> list[ix.Item]:
    """The questions as the formats' plain data, in the order given: two
    queries for the parts, one for the claims' sections, whatever the
    number of questions."""
    questions = list(
        questions.select_related("essay", "claim__section").prefetch_related(
            "choices", "accepted_answers", "pairs"
        )
    )
    return [_item(question) for question in questions]


def _item(question: Question) -> ix.Item:
    kind = question.kind
    item = ix.Item(
        kind=kind,
        prompt=question.prompt,
        title=question.title,
        explanation=question.explanation,
        is_true=question.is_true,
        true_feedback=question.true_feedback,
        false_feedback=question.false_feedback,
        key=str(question.pk),
        source=question.essay.title,
        passage=question.claim.text if question.claim else "",
        section=_section_label(question),
    )
    if kind in kinds.CHOICE_KINDS:
        choices = list(question.choices.all())
        right = sum(c.is_correct for c in choices) or 1
        for c in choices:
            if c.weight is not None:
                fraction = c.weight / 100
            elif kind == kinds.SINGLE:
                fraction = 1.0 if c.is_correct else 0.0
            else:
                fraction = (1 if c.is_correct else -1) / right
            item.answers.append(ix.Answer(c.text, round(fraction, 7), c.feedback))
    elif kind == kinds.CLOZE:
        item.answers = [
            ix.Answer(a.text, a.weight / 100, a.feedback)
            for a in question.accepted_answers.all()
        ]
    elif kind == kinds.MATCHING:
        item.pairs = [ix.Pair(p.left, p.right) for p in question.pairs.all()]
    return item


def _section_label(question: Question) -> str:
    section = question.claim.section if question.claim else None
    if section is None:
        return ""
    return section.heading or f"Section {section.order}"


# --- Anki ----------------------------------------------------------------------


def deck_package(*, essay: Essay, student=None, section: int | None = None) -> bytes:
    """The essay's published questions (or one section's: its ``order``) as
    an Anki package (quizzes.interchange.anki); with a `student`, their
    cards carry their schedule. InterchangeError when there is nothing to
    export."""
    from django.utils import timezone

    from quizzes.interchange import anki
    from quizzes.models import Card

    questions = Question.objects.published().filter(essay=essay).in_essay_order()
    if student is not None:
        # A card's back is a quiz's answer: held back as in the deck.
        from quizzes.selectors.queue import held_back

        questions = questions.exclude(held_back(student, "pk"))
    name = essay.title
    if section is not None:
        questions = questions.filter(claim__section__order=section)
        label = essay.sections.filter(order=section).first()
        name = (
            f"{essay.title}::{label.heading or f'Section {section}'}" if label else name
        )
    items = questions_items(questions)
    schedules = None
    if student is not None:
        states = {
            Card.State.LEARNING: anki.LEARNING,
            Card.State.REVIEW: anki.REVIEW,
            Card.State.RELEARNING: anki.RELEARNING,
        }
        here = timezone.get_current_timezone()
        schedules = {}
        cards = Card.objects.filter(student=student, question__in=questions)
        for card in cards.order_by():
            new = card.last_review is None
            interval = 0
            if not new and card.state == Card.State.REVIEW:
                interval = max(1, (card.due - card.last_review).days)
            schedules[str(card.question_id)] = anki.Schedule(
                due=card.due.astimezone(here),
                interval=interval,
                stability=card.stability,
                difficulty=card.difficulty,
                reps=card.reps,
                lapses=card.lapses,
                state=anki.NEW if new else states[card.state],
                last_review=card.last_review,
            )
    return anki.build_package(
        deck_name=name, items=items, deck_key=f"essay-{essay.pk}", schedules=schedules
    )
