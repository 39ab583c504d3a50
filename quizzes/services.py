"""Writes: every function here is one transaction.

Importing an essay, recording a teacher's edit of a question, moving questions
between draft, published and retired; building quizzes and sitting them;
reviewing flashcards.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    F,
    Max,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.text import slugify

from quizzes import essays, generation, grading, progress, scheduling
from quizzes.essays import EssayError
from quizzes.models import (
    AcceptedAnswer,
    Attempt,
    Card,
    Choice,
    Claim,
    DeckSettings,
    Essay,
    MatchPair,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    Review,
    Section,
)

# --- essay import ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would have done)."""

    title: str
    slug: str
    essay_id: int | None  # None for a dry run: nothing was saved
    essay_created: bool
    dry_run: bool
    sections: int  # in the essay after the import
    claims: int
    claims_removed: int
    created: int  # new generated questions
    updated: int  # untouched drafts rewritten because the generator changed them
    unchanged: int  # untouched drafts the generator produced again as they were
    kept: int  # edited by a teacher, published or retired: left as they are
    retired: int  # generated questions the essay no longer gives
    skipped: int  # drafts too long for the database's columns
    quiz: str = ""  # the title of the essay's quiz, when the import published
    quiz_created: bool = False
    quiz_added: int = 0  # new questions appended to a quiz that was there

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        quiz = ""
        if self.quiz_created:
            quiz = f" Quiz “{self.quiz}” is ready."
        elif self.quiz:
            added = self.quiz_added
            quiz = (
                f" {added} new question{'' if added == 1 else 's'} added to quiz "
                f"“{self.quiz}”."
                if added
                else f" Quiz “{self.quiz}” left as it was."
            )
        return (
            f"{verb} “{self.title}” ({self.sections} sections, {self.claims} "
            f"claims): {self.created} questions created, {self.updated} updated, "
            f"{self.kept} kept, {self.retired} retired.{quiz}"
        )


def title_from_filename(stem: str) -> str:
    """ "great_purge" -> "Great Purge"."""
    words = stem.replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words)


def essay_slug(*, title: str, slug: str = "") -> str:
    """The slug an import of this title uses: the one given, else the title's."""
    max_length = Essay._meta.get_field("slug").max_length
    if slug:
        if slugify(slug) != slug or len(slug) > max_length:
            raise EssayError(
                f"“{slug}” cannot be a slug: use at most {max_length} lowercase "
                "letters, numbers and hyphens."
            )
        return slug
    return (
        slugify(title)[:max_length].strip("-") or f"essay-{essays.text_key(title)[:8]}"
    )


def essay_import(
    *,
    text: str,
    title: str = "",
    slug: str = "",
    fallback_title: str = "",
    publish: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Essay text -> essay, sections, claims and generated questions.

    The title is ``title``, else the text's ``# Title`` line, else
    ``fallback_title`` (e.g. from a file name). The slug identifies the essay:
    importing under an existing slug updates that essay in place, so a
    teacher's edits survive (see ``_questions_sync`` for the rules).

    Raises ``EssayError`` (with a message for a teacher) and writes nothing
    when the text cannot be an essay. ``dry_run`` does all the work, then
    rolls it back and returns the report.

    With ``publish``, new questions are published and the essay gets its
    "all sections" quiz (see ``quiz_create_for_essay``); a quiz that is
    already there only gains this import's new questions.
    """
    # Parsing and generating take seconds for a long essay: done before the
    # transaction, which on SQLite holds the database's write lock throughout.
    parsed = essays.parse(text)
    title = " ".join((title or parsed.title).split())
    fallback_title = " ".join(fallback_title.split())
    slug = essay_slug(title=title or fallback_title, slug=slug)
    drafts = generation.generate(parsed)
    with transaction.atomic():
        return _essay_save(
            parsed=parsed,
            drafts=drafts,
            slug=slug,
            title=title,
            fallback_title=fallback_title,
            publish=publish,
            dry_run=dry_run,
        )


def _essay_save(
    *,
    parsed: essays.ParsedEssay,
    drafts: list[generation.QuestionDraft],
    slug: str,
    title: str,
    fallback_title: str,
    publish: bool,
    dry_run: bool,
) -> ImportReport:
    """essay_import's writes, inside its transaction."""
    essay = Essay.objects.select_for_update().filter(slug=slug).first()
    created = essay is None
    if created:
        if not (title or fallback_title):
            raise EssayError("Give the essay a title.")
        essay = Essay(slug=slug, title=(title or fallback_title)[:200])
    elif title:
        # Only a title the teacher gave or the text carries replaces one that
        # may have been edited in the admin since the first import.
        essay.title = title[:200]
    essay.body = parsed.body
    essay.save()

    sections, stale_sections = _sections_sync(essay, parsed)
    claims, claims_removed = _claims_sync(essay, parsed, sections)
    # Only now that no claim points at them any more.
    Section.objects.filter(pk__in=[s.pk for s in stale_sections]).delete()
    counts, published = _questions_sync(essay, drafts, claims, publish=publish)
    # Publishing means students can start at once: the essay's quiz.
    quiz, quiz_created, quiz_added = (
        _essay_quiz_sync(essay=essay, new_questions=published)
        if publish
        else (None, False, 0)
    )

    if dry_run:
        transaction.set_rollback(True)
    return ImportReport(
        title=essay.title,
        slug=slug,
        essay_id=None if dry_run else essay.pk,
        essay_created=created,
        dry_run=dry_run,
        sections=len(sections),
        claims=len(claims),
        claims_removed=claims_removed,
        quiz=quiz.title if quiz else "",
        quiz_created=quiz_created,
        quiz_added=quiz_added,
        **counts,
    )


def _sections_sync(
    essay: Essay, parsed: essays.ParsedEssay
) -> tuple[list[Section], list[Section]]:
    """Sections matched by order, updated in place or created; returns them
    and the extra ones, which essay_import deletes once the claims moved."""
    existing = {s.order: s for s in Section.objects.filter(essay=essay)}
    sections, changed = [], []
    for order, parsed_section in enumerate(parsed.sections):
        section = existing.pop(order, None) or Section(essay=essay, order=order)
        heading = parsed_section.heading[:200]
        values = (heading, parsed_section.start, parsed_section.end)
        if section.pk and values != (section.heading, section.start, section.end):
            changed.append(section)
        section.heading, section.start, section.end = values
        sections.append(section)
    # Only what changed: rewriting every row of a long essay takes seconds.
    Section.objects.bulk_update(changed, ["heading", "start", "end"])
    Section.objects.bulk_create([s for s in sections if not s.pk])
    return sections, list(existing.values())


def _claims_sync(
    essay: Essay, parsed: essays.ParsedEssay, sections: list[Section]
) -> tuple[list[Claim], int]:
    """Claims matched by key; the list returned is in essay order, so
    ``claims[draft.claim_index]`` is a draft's claim."""
    parsed_claims = [
        (section, claim)
        for section, parsed_section in zip(sections, parsed.sections, strict=True)
        for claim in parsed_section.claims
    ]
    keys = [claim.key for _, claim in parsed_claims]
    if not all(keys) or len(set(keys)) != len(keys):
        keys = essays.claim_keys([claim.text for _, claim in parsed_claims])

    existing = {c.key: c for c in Claim.objects.filter(essay=essay)}
    wanted = set(keys)
    gone = [c.pk for key, c in existing.items() if key not in wanted]
    # Their questions keep existing with claim = NULL (on_delete=SET_NULL).
    Claim.objects.filter(pk__in=gone).delete()

    fields = ["section", "order", "text", "start", "end", "is_question_source"]
    attnames = [Claim._meta.get_field(name).attname for name in fields]
    claims, changed, moved = [], [], []
    for order, ((section, parsed_claim), key) in enumerate(
        zip(parsed_claims, keys, strict=True)
    ):
        claim = existing.get(key) or Claim(essay=essay, key=key)
        before = [getattr(claim, attname) for attname in attnames]
        claim.section = section
        claim.order = order
        claim.text = parsed_claim.text
        claim.start, claim.end = parsed_claim.start, parsed_claim.end
        claim.is_question_source = parsed_claim.is_question_source
        if claim.pk and [getattr(claim, name) for name in attnames] != before:
            changed.append(claim)
            if claim.order != before[1]:
                moved.append(claim.pk)
        claims.append(claim)
    if moved:
        # Out of the way of (essay, order) while reordering.
        Claim.objects.filter(pk__in=moved).update(
            order=F("order") + len(existing) + len(keys) + 1
        )
    # Only what changed: rewriting every row of a long essay takes seconds.
    Claim.objects.bulk_update(changed, fields)
    Claim.objects.bulk_create([c for c in claims if not c.pk])
    return claims, len(gone)


def _draft_signature(draft: generation.QuestionDraft) -> tuple:
    """The draft as ``Question.content_signature()`` would see it once saved."""
    return (
        draft.kind,
        draft.prompt,
        _truth(draft),
        draft.explanation,
        tuple(
            (c.text, c.is_correct, c.feedback, order)
            for order, c in enumerate(draft.choices)
        ),
        tuple(sorted(_answers(draft))),
        tuple((p.left, p.right, order) for order, p in enumerate(draft.pairs)),
    )


def _truth(draft: generation.QuestionDraft) -> bool | None:
    return draft.is_true if draft.kind == Question.Kind.TRUE_FALSE else None


def _answers(draft: generation.QuestionDraft) -> list[str]:
    return list(dict.fromkeys(draft.accepted_answers))  # unique per question


def _fits(draft: generation.QuestionDraft) -> bool:
    """Whether every text fits its column (PostgreSQL refuses longer ones;
    cutting a generated choice short could make it wrong)."""

    def size(model, name):
        return model._meta.get_field(name).max_length

    return (
        len(draft.generator_key) <= size(Question, "generator_key")
        and all(len(c.text) <= size(Choice, "text") for c in draft.choices)
        and all(len(c.feedback) <= size(Choice, "feedback") for c in draft.choices)
        and all(len(a) <= size(AcceptedAnswer, "text") for a in draft.accepted_answers)
        and all(len(p.left) <= size(MatchPair, "left") for p in draft.pairs)
        and all(len(p.right) <= size(MatchPair, "right") for p in draft.pairs)
    )


def _questions_sync(
    essay: Essay,
    drafts: list[generation.QuestionDraft],
    claims: list[Claim],
    *,
    publish: bool,
) -> tuple[dict[str, int], list[Question]]:
    """Drafts -> questions, matched with the essay's generated questions by
    ``generator_key``; returns the counts and the questions it published.

    - new key: created (draft, or published with ``publish``, which applies
      to new questions only);
    - untouched draft: rewritten in place, ``version`` bumped, only when its
      content changed;
    - edited by a teacher: kept as it is, always;
    - published or retired (and not edited): kept. A published question may
      already have been answered and is graded against what students saw, and
      a teacher reviewed it; a retired one was taken out on purpose. The
      teacher can move either back to draft to let the next import refresh it;
    - a generated question whose key the essay no longer gives: retired,
      unless a teacher edited it (then it is theirs: kept, its claim may be
      gone).
    """
    existing = {
        q.generator_key: q
        for q in Question.objects.generated()
        .filter(essay=essay)
        .exclude(generator_key="")
    }
    # Only an untouched draft is compared with its new draft, part by part.
    prefetch_related_objects(
        [
            q
            for q in existing.values()
            if q.status == Question.Status.DRAFT and not q.edited_by_teacher
        ],
        "choices",
        "accepted_answers",
        "pairs",
    )
    counts = dict.fromkeys(
        ["created", "updated", "unchanged", "kept", "retired", "skipped"], 0
    )
    status = Question.Status.PUBLISHED if publish else Question.Status.DRAFT
    new: list[tuple[Question, generation.QuestionDraft]] = []
    rewritten: list[tuple[Question, generation.QuestionDraft]] = []
    produced = set()
    for draft in drafts:
        if draft.generator_key in produced:
            continue  # a generator bug must not break the unique constraint
        produced.add(draft.generator_key)
        question = existing.get(draft.generator_key)
        claim = claims[draft.claim_index] if draft.claim_index is not None else None
        if question is None:
            if _fits(draft):
                new.append((Question(essay=essay, status=status), draft))
            else:
                counts["skipped"] += 1
        elif question.edited_by_teacher or question.status != Question.Status.DRAFT:
            counts["kept"] += 1
        elif question.content_signature() != _draft_signature(draft) and _fits(draft):
            question.version += 1
            rewritten.append((question, draft))
        else:
            counts["unchanged"] += 1
            if question.claim_id != (claim.pk if claim else None):
                question.claim = claim
                question.save(update_fields=["claim", "updated_at"])

    for question, draft in new + rewritten:
        question.claim = (
            claims[draft.claim_index] if draft.claim_index is not None else None
        )
        question.origin = Question.Origin.GENERATED
        question.generator_key = draft.generator_key
        question.kind = draft.kind
        question.prompt = draft.prompt
        question.explanation = draft.explanation
        question.is_true = _truth(draft)
    Question.objects.bulk_create([q for q, _ in new])
    for question, _ in rewritten:
        question.save()
    _children_replace(new + rewritten, old=[q.pk for q, _ in rewritten])
    counts["created"], counts["updated"] = len(new), len(rewritten)

    gone = [
        q
        for key, q in existing.items()
        if key not in produced and q.status != Question.Status.RETIRED
    ]
    counts["kept"] += sum(q.edited_by_teacher for q in gone)
    counts["retired"] = questions_set_status(
        questions=[q for q in gone if not q.edited_by_teacher],
        status=Question.Status.RETIRED,
    )
    return counts, [q for q, _ in new] if publish else []


def _children_replace(
    pairs: list[tuple[Question, generation.QuestionDraft]], *, old: list[int]
):
    """Choices, accepted answers and matching pairs exactly as the drafts say;
    ``old`` are the questions that had some already."""
    for model in (Choice, AcceptedAnswer, MatchPair):
        model.objects.filter(question_id__in=old).delete()
    Choice.objects.bulk_create(
        Choice(
            question=q,
            text=c.text,
            is_correct=c.is_correct,
            feedback=c.feedback,
            order=order,
        )
        for q, draft in pairs
        for order, c in enumerate(draft.choices)
    )
    AcceptedAnswer.objects.bulk_create(
        AcceptedAnswer(question=q, text=text)
        for q, draft in pairs
        for text in _answers(draft)
    )
    MatchPair.objects.bulk_create(
        MatchPair(question=q, left=p.left, right=p.right, order=order)
        for q, draft in pairs
        for order, p in enumerate(draft.pairs)
    )


def _essay_quiz_sync(
    *,
    essay: Essay,
    title: str | None = None,
    publish: bool = True,
    new_questions: Iterable[Question] = (),
) -> tuple[Quiz, bool, int]:
    """The essay's quiz: composed from its published questions if it is
    missing (see ``generation.compose_quiz``). If it is there it is the
    teacher's: its items and published flag stay as they are, and only
    ``new_questions`` that are published and about a claim the quiz does not
    show yet join it, at the end. Returns the quiz, whether it was made and
    how many questions joined it."""
    quiz, created = Quiz.objects.get_or_create(
        essay=essay,
        title=_quiz_title(title or f"{essay.title}: all sections"),
        # Shuffled: in claim order, neighbours would share a section's theme.
        defaults={"shuffle_questions": True, "is_published": publish},
    )
    questions = (
        Question.objects.published()
        .for_essay(essay)
        .order_by(F("claim__order").asc(nulls_last=True), "id")
    )
    if created:
        taken = []
    else:
        new_ids = [question.pk for question in new_questions]
        if not new_ids:
            return quiz, False, 0
        taken = _quiz_candidates(questions.filter(quizzes=quiz))
        questions = questions.filter(pk__in=new_ids).exclude(quizzes=quiz)
    claims = dict(Claim.objects.filter(essay=essay).values_list("key", "text"))
    ids = generation.compose_quiz(_quiz_candidates(questions), claims, taken)
    if created:
        _quiz_items_set(quiz=quiz, question_ids=ids)
    else:
        last = quiz.items.aggregate(last=Max("order"))["last"]
        start = 0 if last is None else last + 1
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question_id=question_id, order=order)
            for order, question_id in enumerate(ids, start=start)
        )
    return quiz, created, len(ids)


def _quiz_candidates(questions) -> list[generation.QuizCandidate]:
    """Questions as the quiz composer sees them: what each one shows."""
    rows = list(
        questions.values_list(
            "pk",
            "claim__key",
            "kind",
            "is_true",
            "generator_key",
            "prompt",
            "explanation",
        )
    )
    shown: dict[int, list[str]] = {row[0]: list(row[5:]) for row in rows}
    for model, fields in (
        (Choice, ("text", "feedback")),
        (MatchPair, ("left", "right")),
    ):
        parts = model.objects.filter(question__in=questions.values("pk"))
        for question_id, *texts in parts.values_list("question_id", *fields):
            shown[question_id] += texts
    return [
        generation.QuizCandidate(
            id=pk,
            claim=claim,
            kind=kind,
            key=key or f"question:{pk}",
            shown="\n".join(shown[pk]),
            is_true=is_true,
        )
        for pk, claim, kind, is_true, key, *_ in rows
    ]


# --- questions -------------------------------------------------------------------


@transaction.atomic
def question_record_edit(*, question: Question, previous_signature: tuple) -> bool:
    """After a teacher saved a question and its choices, answers and pairs: if
    what students see changed, bump ``version`` and mark it edited by a teacher
    (so a re-import never overwrites it). Returns whether it changed."""
    fresh = Question.objects.prefetch_related(
        "choices", "accepted_answers", "pairs"
    ).get(pk=question.pk)
    if fresh.content_signature() == previous_signature:
        return False
    Question.objects.filter(pk=question.pk).update(
        version=F("version") + 1, edited_by_teacher=True
    )
    question.refresh_from_db(fields=["version", "edited_by_teacher", "updated_at"])
    return True


@transaction.atomic
def questions_set_status(*, questions: Iterable[Question], status: str) -> int:
    """Publish, retire or return questions to draft; returns how many changed."""
    if status not in Question.Status.values:
        raise ValueError(f"Unknown question status: {status!r}")
    ids = [q.pk for q in questions]
    return (
        Question.objects.filter(pk__in=ids).exclude(status=status).update(status=status)
    )


# --- Attempts ---------------------------------------------------------------
# Quizzes built from questions, and students sitting them. Every answer is
# graded on the server against a snapshot of the question as it was shown.

ANSWER_GRACE = timedelta(seconds=30)
_PART_MODELS = {
    Question.Kind.SINGLE: Choice,
    Question.Kind.MULTIPLE: Choice,
    Question.Kind.CLOZE: AcceptedAnswer,
    Question.Kind.MATCHING: MatchPair,
}


class AttemptRefused(Exception):
    """What the quiz's rules do not allow; the message is for the student."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Answered:
    attempt: Attempt
    response: Response | None  # None when the answer came too late to count
    answered_count: int = 0
    created: bool = False


def _quiz_items(quiz: Quiz):
    return quiz.items.filter(question__status=Question.Status.PUBLISHED).order_by(
        "order", "id"
    )


def _quiz_title(title: str) -> str:
    """The title cut to fit its column (an essay's title may fill its own, and
    PostgreSQL refuses a longer value); the same title always cuts the same way."""
    size = Quiz._meta.get_field("title").max_length
    return title if len(title) <= size else title[: size - 1].rstrip() + "…"


def _quiz_items_set(*, quiz: Quiz, question_ids: list[int]) -> None:
    quiz.items.all().delete()
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question_id=question_id, order=order)
        for order, question_id in enumerate(question_ids)
    )


@transaction.atomic
def quiz_create_for_essay(
    *,
    essay: Essay,
    title: str | None = None,
    publish: bool = True,
    new_questions: Iterable[Question] = (),
) -> Quiz:
    """The essay's quiz ("<title>: all sections"), in claim order: its
    essay-level questions and at most one question per claim, none showing
    what another asks (see ``generation.compose_quiz``); published if
    ``publish``.

    If the quiz is there already, a teacher may have changed it: its items
    and published flag are left alone, and only ``new_questions`` (published,
    about a claim the quiz does not show yet) are appended.
    """
    quiz, _, _ = _essay_quiz_sync(
        essay=essay, title=title, publish=publish, new_questions=new_questions
    )
    return quiz


@transaction.atomic
def quiz_create_from_questions(*, questions: list[Question], title: str) -> Quiz:
    """An unpublished quiz of these questions, in this order, for a teacher to tune."""
    quiz = Quiz.objects.create(title=_quiz_title(title), essay=questions[0].essay)
    _quiz_items_set(quiz=quiz, question_ids=[question.pk for question in questions])
    return quiz


@dataclass(frozen=True)
class QuizAddition:
    added: int
    already_in: int
    not_published: int


@transaction.atomic
def quiz_add_questions(*, quiz: Quiz, questions: Iterable[Question]) -> QuizAddition:
    """The published ones among ``questions`` appended to the end of the quiz,
    in the essay's order, leaving out those it already has."""
    # Locked so two teachers adding at once both land at the end, in turn.
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    wanted = {question.pk for question in questions}
    published = list(
        Question.objects.filter(pk__in=wanted)
        .published()
        .order_by(F("claim__order").asc(nulls_last=True), "id")
        .values_list("pk", "essay_id")
    )
    if any(essay_id != quiz.essay_id for _, essay_id in published):
        raise ValueError("A quiz only takes questions of its own essay.")
    present = set(quiz.items.values_list("question_id", flat=True))
    new = [pk for pk, _ in published if pk not in present]
    last = quiz.items.order_by("-order").values_list("order", flat=True).first()
    start = 0 if last is None else last + 1
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question_id=pk, order=start + offset)
        for offset, pk in enumerate(new)
    )
    return QuizAddition(
        added=len(new),
        already_in=len(published) - len(new),
        not_published=len(wanted) - len(published),
    )


def question_load(question_id: int, *, kind: str | None = None):
    """A question and its parts (choices, accepted answers or pairs).

    Two queries, or one when the caller already knows the kind: the parts
    bring their question along.
    """
    parts_model = _PART_MODELS.get(kind)
    if parts_model is not None:
        parts = list(
            _parts(parts_model)
            .filter(question_id=question_id)
            .select_related("question__claim__section")
        )
        if parts:
            return parts[0].question, parts
    question = Question.objects.select_related("claim__section").get(pk=question_id)
    return question, _question_parts(question)


def _question_parts(question: Question) -> list:
    parts_model = _PART_MODELS.get(question.kind)
    if parts_model is None:
        return []
    return list(_parts(parts_model).filter(question=question))


def _parts(model):
    if model is AcceptedAnswer:
        return model.objects.order_by("id")
    return model.objects.order_by("order", "id")


def _passage(question: Question, essay: Essay | None) -> dict | None:
    claim = question.claim
    if claim is None:
        return None
    section = claim.section
    if essay is None or essay.pk != question.essay_id:
        return {
            "heading": section.heading,
            "before": "",
            "claim": claim.text,
            "after": "",
        }
    body = essay.body
    start, end = section.start, section.end
    claim_start, claim_end = max(claim.start, start), min(claim.end, end)
    return {
        "heading": section.heading,
        "before": body[start:claim_start],
        "claim": body[claim_start:claim_end],
        "after": body[claim_end:end],
    }


def question_snapshot(
    question: Question,
    parts: list,
    *,
    seed: int,
    shuffle_choices: bool,
    essay: Essay | None = None,
) -> dict:
    """The question as this attempt shows it (see quizzes.grading)."""
    snapshot = {
        "question_id": question.pk,
        "version": question.version,
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "is_true": question.is_true,
        "choices": [],
        "accepted": [],
        "pairs": [],
        "options": [],
        "passage": _passage(question, essay),
    }
    if question.kind in grading.CHOICE_KINDS:
        choices = [
            {
                "id": c.pk,
                "text": c.text,
                "is_correct": c.is_correct,
                "feedback": c.feedback,
            }
            for c in parts
        ]
        if shuffle_choices:
            choices = grading.shuffled(choices, seed=seed, question_id=question.pk)
        snapshot["choices"] = choices
    elif question.kind == Question.Kind.CLOZE:
        snapshot["accepted"] = [answer.text for answer in parts]
    elif question.kind == Question.Kind.MATCHING:
        rights = [p.right for p in parts]
        snapshot["pairs"] = [{"left": p.left, "right": p.right} for p in parts]
        # Always shuffled, and never left in the order of the items on the left:
        # that order would be the answer.
        options = grading.shuffled(rights, seed=seed, question_id=question.pk)
        if options == rights:
            options = options[1:] + options[:1]
        snapshot["options"] = options
    return snapshot


def attempt_is_overdue(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + ANSWER_GRACE


def _attempt_close(attempt: Attempt, *, points: float, now: datetime, reason: str = ""):
    attempt.finished_at = now
    attempt.points = points
    attempt.score = 100 * points / attempt.max_points if attempt.max_points else 0
    attempt.closed_reason = reason
    attempt.save(update_fields=["finished_at", "points", "score", "closed_reason"])


def _points(attempt: Attempt) -> float:
    return attempt.responses.aggregate(total=Sum("score"))["total"] or 0


TIME_UP = "Time ran out: answers sent after the time limit were not counted."


def attempt_start(*, quiz: Quiz, student, now: datetime | None = None) -> Attempt:
    """The student's open attempt at the quiz, or a new one."""
    now = now or timezone.now()
    try:
        return _attempt_start(quiz=quiz, student=student, now=now)
    except IntegrityError:
        # A doubled click opened the attempt a moment ago: resume that one.
        return Attempt.objects.get(
            quiz=quiz, student=student, finished_at__isnull=True, is_practice=False
        )


@transaction.atomic
def _attempt_start(*, quiz: Quiz, student, now: datetime) -> Attempt:
    attempts = Attempt.objects.filter(quiz=quiz, student=student, is_practice=False)
    open_attempt = attempts.filter(finished_at__isnull=True).first()
    if open_attempt is not None:
        if not attempt_is_overdue(open_attempt, now):
            return open_attempt
        _attempt_close(
            open_attempt, points=_points(open_attempt), now=now, reason=TIME_UP
        )
    if quiz.attempts_allowed and attempts.count() >= quiz.attempts_allowed:
        raise AttemptRefused("You have used all your attempts at this quiz.")
    question_ids = list(_quiz_items(quiz).values_list("question_id", flat=True))
    if not question_ids:
        raise AttemptRefused("This quiz has no questions yet.")
    seed = secrets.randbelow(2**31)
    minutes = quiz.time_limit_minutes
    return Attempt.objects.create(
        quiz=quiz,
        student=student,
        seed=seed,
        question_ids=grading.question_order(
            question_ids, seed=seed, shuffle=quiz.shuffle_questions
        ),
        started_at=now,
        deadline=now + timedelta(minutes=minutes) if minutes else None,
        max_points=len(question_ids),
    )


@transaction.atomic
def practice_start(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """A practice run over the questions the student missed; it never counts."""
    if attempt.quiz.reveal == Quiz.Reveal.NEVER:
        # Runs without end would show, question by question, what is right.
        raise AttemptRefused(
            "Your teacher keeps the answers to this quiz hidden, "
            "so it has no practice runs."
        )
    if not attempt.is_finished:
        raise AttemptRefused("Finish this attempt before practising.")
    scores = dict(attempt.responses.values_list("question_id", "score"))
    missed = [pk for pk in attempt.question_ids if scores.get(pk, 0) < 1]
    if not missed:
        raise AttemptRefused("You missed nothing: there is nothing to practise.")
    return Attempt.objects.create(
        quiz=attempt.quiz,
        student=attempt.student,
        is_practice=True,
        practice_of=attempt,
        seed=secrets.randbelow(2**31),
        question_ids=missed,
        started_at=now or timezone.now(),
        max_points=len(missed),
    )


@transaction.atomic
def attempt_finish(
    *, attempt: Attempt, now: datetime | None = None, reason: str = ""
) -> Attempt:
    """Close the attempt; unanswered questions score nothing."""
    if not attempt.is_finished:
        _attempt_close(
            attempt, points=_points(attempt), now=now or timezone.now(), reason=reason
        )
    return attempt


def attempt_close_if_overdue(*, attempt: Attempt, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if attempt.is_finished or not attempt_is_overdue(attempt, now):
        return False
    attempt_finish(attempt=attempt, now=now, reason=TIME_UP)
    return True


def attempt_answer(
    *, attempt_id: int, student, question_id: int, data, now: datetime | None = None
) -> Answered:
    """Grade and store one answer; a repeated answer returns the stored one.

    Raises Attempt.DoesNotExist (not this student's attempt),
    Question.DoesNotExist (not a question of the attempt), AttemptRefused
    (the attempt is finished) or grading.InvalidAnswer; nothing is stored then.
    """
    now = now or timezone.now()
    try:
        return _attempt_answer(
            attempt_id=attempt_id,
            student=student,
            question_id=question_id,
            data=data,
            now=now,
        )
    except IntegrityError:
        # A doubled request stored this answer between our check and our
        # insert (one row per attempt and question): that answer stands.
        response = Response.objects.select_related("attempt__quiz").get(
            attempt_id=attempt_id, attempt__student=student, question_id=question_id
        )
        attempt = response.attempt
        return Answered(
            attempt=attempt,
            response=response,
            answered_count=attempt.responses.count(),
        )


def _attempt_for_answer(*, attempt_id: int, student, question_id: int) -> Attempt:
    # Locks the attempt's row (not its quiz's: other students answer on) until
    # the answer is stored. Two answers to one attempt queue here, so the
    # second one counts the first and closes the attempt after the last
    # question. SQLite has no row locks; its IMMEDIATE transactions queue too.
    attempt = (
        Attempt.objects.filter(student=student)
        .select_related("quiz__essay")
        .select_for_update(of=("self",))
        .get(pk=attempt_id)
    )
    # Before any query takes the id: one that no attempt holds, even one too
    # large for the database's integers, is simply not found.
    if question_id not in attempt.question_ids:
        raise Question.DoesNotExist("Not a question of this attempt.")
    return attempt


def _question_for_answer(*, attempt: Attempt, question_id: int) -> Question:
    """The question, annotated with how far the attempt got (answered,
    points_so_far) and any answer to it already stored (stored_response)."""
    # A statement of its own, after the lock: on PostgreSQL a statement that
    # waited for a lock still sees the rows as they were before it waited.
    responses = Response.objects.filter(attempt=attempt).order_by()
    return (
        Question.objects.select_related("claim__section")
        .annotate(
            answered=Subquery(
                responses.values("attempt").annotate(n=Count("pk")).values("n")
            ),
            points_so_far=Subquery(
                responses.values("attempt").annotate(total=Sum("score")).values("total")
            ),
            stored_response=Subquery(
                responses.filter(question_id=question_id).values("pk")[:1]
            ),
        )
        .get(pk=question_id)
    )


@transaction.atomic
def _attempt_answer(
    *, attempt_id: int, student, question_id: int, data, now: datetime
) -> Answered:
    attempt = _attempt_for_answer(
        attempt_id=attempt_id, student=student, question_id=question_id
    )
    question = _question_for_answer(attempt=attempt, question_id=question_id)
    if question.stored_response:
        response = Response.objects.get(pk=question.stored_response)
        return Answered(
            attempt=attempt, response=response, answered_count=question.answered
        )
    if attempt.is_finished:
        raise AttemptRefused("This attempt is finished: it takes no more answers.")
    points = question.points_so_far or 0
    if attempt_is_overdue(attempt, now):
        _attempt_close(attempt, points=points, now=now, reason=TIME_UP)
        return Answered(attempt=attempt, response=None)
    parts = _question_parts(question)
    snapshot = question_snapshot(
        question,
        parts,
        seed=attempt.seed,
        shuffle_choices=attempt.quiz.shuffle_choices,
        essay=attempt.quiz.essay,
    )
    answer = grading.parse_answer(snapshot, data)
    result = grading.grade(snapshot, answer)
    response = Response.objects.create(
        attempt=attempt,
        question=question,
        snapshot=snapshot,
        answer=answer,
        score=result.score,
        is_correct=result.is_correct,
        answered_at=now,
    )
    answered_count = (question.answered or 0) + 1
    if answered_count >= len(attempt.question_ids):
        _attempt_close(attempt, points=points + result.score, now=now)
    return Answered(
        attempt=attempt,
        response=response,
        answered_count=answered_count,
        created=True,
    )


# --- Flashcards ---


def card_state(card: Card) -> scheduling.CardState:
    """A Card's scheduling columns as the plain data `scheduling` works on."""
    return scheduling.CardState(
        **{field: getattr(card, field) for field in _CARD_STATE_FIELDS}
    )


_CARD_STATE_FIELDS = tuple(scheduling.CardState.__dataclass_fields__)


@transaction.atomic
def deck_cards_create(*, student, essay: Essay, now: datetime) -> int:
    """Make the student's cards for the essay's published questions (idempotent).

    Returns how many cards were made. New cards are due at once.
    """
    DeckSettings.objects.get_or_create(essay=essay)
    missing = (
        Question.objects.published()
        .for_essay(essay)
        .exclude(cards__student=student)
        .values_list("pk", flat=True)
    )
    cards = [
        Card(student=student, question_id=pk, due=now, state=Card.State.LEARNING)
        for pk in missing
    ]
    Card.objects.bulk_create(cards, ignore_conflicts=True)
    return len(cards)


@transaction.atomic
def card_review(
    *,
    student,
    card_id: int,
    rating: int,
    token: int,
    duration_ms: int | None,
    now: datetime,
) -> tuple[Card, Review | None]:
    """Rate a card and reschedule it with FSRS; returns the card and the review.

    `token` is the card's `reps` when it was shown: a repeated or late POST
    carries a stale token and changes nothing (the review is None). Raises
    Card.DoesNotExist for a card that is not the student's.
    """
    card = (
        Card.objects.select_for_update(of=("self",))
        .select_related("question__essay__deck_settings")
        .get(pk=card_id, student=student)
    )
    if token != card.reps or card.suspended:
        return card, None
    before = card_state(card)
    limits = progress.deck_settings_or_default(card.question.essay)
    outcome = scheduling.review(
        scheduling.build_scheduler(limits),
        card.pk,
        before,
        rating=rating,
        now=now,
        duration_ms=duration_ms,
    )
    for field in _CARD_STATE_FIELDS:
        setattr(card, field, getattr(outcome.after, field))
    card.save(update_fields=_CARD_STATE_FIELDS)
    review = Review.objects.create(
        card=card,
        rating=rating,
        reviewed_at=now,
        duration_ms=scheduling.clamp_duration(duration_ms),
        state_before=before.to_json(),
    )
    return card, review


@transaction.atomic
def review_undo(*, student, card_id: int, review_id: int) -> tuple[Card, bool]:
    """Take back a card's last review: the card as it was, the review gone.

    Only the card's latest review can be undone; for any other (already
    undone, or followed by another rating) nothing changes and the second
    value is False. Raises Card.DoesNotExist for a card that is not the
    student's.
    """
    card = (
        Card.objects.select_for_update(of=("self",))
        .select_related("question__essay__deck_settings")
        .get(pk=card_id, student=student)
    )
    review = Review.objects.filter(pk=review_id, card=card).first()
    is_latest = (
        review is not None
        and card.last_review == review.reviewed_at
        and card.reps == review.state_before.get("reps", -1) + 1
    )
    if not is_latest:
        return card, False
    before = scheduling.CardState.from_json(review.state_before)
    for field in _CARD_STATE_FIELDS:
        setattr(card, field, getattr(before, field))
    card.save(update_fields=_CARD_STATE_FIELDS)
    review.delete()
    return card, True
