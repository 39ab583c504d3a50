"""Importing an essay: text -> essay, sections, claims and generated
questions, in one transaction. A second import of the same essay updates it
in place and never overwrites a teacher's edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils.text import slugify

from quizzes import essays, generation
from quizzes.collecting import collector_paused
from quizzes.essays import EssayError
from quizzes.models import (
    AcceptedAnswer,
    Choice,
    Claim,
    Essay,
    MatchPair,
    Question,
    Section,
)
from quizzes.services.questions import questions_set_status
from quizzes.services.quizzes import essay_quiz_sync


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
    progress: Callable[[str], None] | None = None,
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

    ``progress`` is told each step as it begins: "parsing", "generating",
    then "saving" (the task runner shows them on the import's status page);
    it is called outside the transaction, so what it writes is seen at once.
    """
    step = progress or (lambda name: None)
    # Parsing and generating take seconds for a long essay: done before the
    # transaction, which on SQLite holds the database's write lock throughout.
    with collector_paused():  # see quizzes/collecting.py
        step("parsing")
        parsed = essays.parse(text)
        title = " ".join((title or parsed.title).split())
        fallback_title = " ".join(fallback_title.split())
        slug = essay_slug(title=title or fallback_title, slug=slug)
        step("generating")
        drafts = generation.generate(parsed)
        step("saving")
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
        essay_quiz_sync(essay=essay, new_questions=published)
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
    # Generated questions carry no per-answer weights or true/false feedback.
    return (
        draft.kind,
        draft.prompt,
        _truth(draft),
        draft.explanation,
        "",
        "",
        tuple(
            (c.text, c.is_correct, c.feedback, order, None)
            for order, c in enumerate(draft.choices)
        ),
        tuple(sorted((text, 100, "") for text in _answers(draft))),
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
            # Warnings are the generator's notes, not content: a new opinion
            # of the same draft updates them without a new version.
            fields = {
                "claim_id": claim.pk if claim else None,
                "warnings": list(draft.warnings),
            }
            changed = [
                name
                for name, value in fields.items()
                if getattr(question, name) != value
            ]
            for name in changed:
                setattr(question, name, fields[name])
            if changed:
                question.save(update_fields=[*changed, "updated_at"])

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
        question.warnings = list(draft.warnings)
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
    # By the question's id, which bulk_create has set: through the relation
    # each of tens of thousands of rows pays for checks that change nothing.
    Choice.objects.bulk_create(
        Choice(
            question_id=q.pk,
            text=c.text,
            is_correct=c.is_correct,
            feedback=c.feedback,
            order=order,
        )
        for q, draft in pairs
        for order, c in enumerate(draft.choices)
    )
    AcceptedAnswer.objects.bulk_create(
        AcceptedAnswer(question_id=q.pk, text=text)
        for q, draft in pairs
        for text in _answers(draft)
    )
    MatchPair.objects.bulk_create(
        MatchPair(question_id=q.pk, left=p.left, right=p.right, order=order)
        for q, draft in pairs
        for order, p in enumerate(draft.pairs)
    )
