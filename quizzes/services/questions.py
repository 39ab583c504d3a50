"""A teacher's changes to questions: edits recorded or made in place (the
review queue), statuses moved and moved back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import F

from quizzes import kinds
from quizzes.models import AcceptedAnswer, Essay, Question


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


class QuestionRefused(ValueError):
    """An edit that would leave the question unshowable: each problem names
    the field to fix (kinds.Problem)."""

    def __init__(self, problems: list[kinds.Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class QuestionContent:
    """What a teacher edits in place in the review queue: the prompt, the
    explanation, the truth of a statement, and the texts of the parts the
    question already has (choices and pairs keep their rows and order;
    accepted answers are a list). Plain data, so an undo can keep it."""

    prompt: str
    explanation: str
    is_true: bool | None = None
    choices: tuple[tuple[str, bool], ...] = ()
    accepted_answers: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, question: Question, parts: list) -> QuestionContent:
        part = kinds.part(question.kind)
        return cls(
            prompt=question.prompt,
            explanation=question.explanation,
            is_true=question.is_true,
            choices=tuple((c.text, c.is_correct) for c in parts)
            if part == kinds.CHOICES
            else (),
            accepted_answers=tuple(a.text for a in parts)
            if part == kinds.ACCEPTED
            else (),
            pairs=tuple((p.left, p.right) for p in parts)
            if part == kinds.PAIRS
            else (),
        )

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> QuestionContent:
        return cls(
            prompt=str(data["prompt"]),
            explanation=str(data["explanation"]),
            is_true=data["is_true"],
            choices=tuple((str(t), bool(c)) for t, c in data["choices"]),
            accepted_answers=tuple(str(t) for t in data["accepted_answers"]),
            pairs=tuple((str(left), str(right)) for left, right in data["pairs"]),
        )


@transaction.atomic
def question_edit(
    *, question: Question, content: QuestionContent, edited_by_teacher: bool = True
) -> bool:
    """Save a teacher's in-place edit (checked by kinds.problems); a change
    students would see bumps ``version``. ``edited_by_teacher=False`` is an
    undo putting back an untouched draft, which a re-import may then rewrite
    again. Returns whether anything changed; raises QuestionRefused."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    part = kinds.part(question.kind)
    draft = kinds.Draft(
        kind=question.kind,
        prompt=content.prompt,
        is_true=content.is_true if question.kind == kinds.TRUE_FALSE else None,
        **{part: getattr(content, part)} if part else {},
    )
    problems = kinds.problems(draft)
    if problems:
        raise QuestionRefused(problems)
    before = Question.objects.prefetch_related(
        "choices", "accepted_answers", "pairs"
    ).get(pk=question.pk)
    signature = before.content_signature()
    question.prompt, question.explanation = content.prompt, content.explanation
    question.is_true = draft.is_true
    question.save(update_fields=["prompt", "explanation", "is_true", "updated_at"])
    _parts_save(question, part, content)
    changed = question_record_edit(question=question, previous_signature=signature)
    if changed and not edited_by_teacher:
        Question.objects.filter(pk=question.pk).update(edited_by_teacher=False)
    return changed


def _parts_save(question: Question, part: str | None, content: QuestionContent):
    if part == kinds.ACCEPTED:
        question.accepted_answers.all().delete()
        AcceptedAnswer.objects.bulk_create(
            AcceptedAnswer(question=question, text=text)
            for text in dict.fromkeys(t.strip() for t in content.accepted_answers)
            if text
        )
        return
    rows = {kinds.CHOICES: content.choices, kinds.PAIRS: content.pairs}.get(part)
    if rows is None:
        return
    existing = list(getattr(question, part).order_by("order", "id"))
    if len(existing) != len(rows):
        raise QuestionRefused(
            [kinds.Problem(part, "The question's parts changed meanwhile: reload.")]
        )
    for row, (first, second) in zip(existing, rows, strict=True):
        if part == kinds.CHOICES:
            row.text, row.is_correct = first.strip(), second
            row.save(update_fields=["text", "is_correct"])
        else:
            row.left, row.right = first.strip(), second.strip()
            row.save(update_fields=["left", "right"])


@transaction.atomic
def question_status_change(*, question: Question, status: str) -> str:
    """One review decision: the question moved to ``status`` (row locked, so
    the status it had is the one returned, for the undo)."""
    if status not in Question.Status.values:
        raise ValueError(f"Unknown question status: {status!r}")
    previous = (
        Question.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=question.pk)
    )
    questions_set_status(questions=[question], status=status)
    question.status = status
    return previous


@transaction.atomic
def questions_status_undo(
    *, question_ids: list[int], current: str, previous: str
) -> int:
    """Put back ``previous`` on those of the questions still at ``current``
    (a decision undone; one changed since by someone else is left alone)."""
    if previous not in Question.Status.values:
        raise ValueError(f"Unknown question status: {previous!r}")
    still = Question.objects.filter(pk__in=question_ids, status=current)
    return questions_set_status(questions=list(still), status=previous)


@transaction.atomic
def essay_drafts_publish_clean(*, essay: Essay) -> list[int]:
    """Publish every draft of the essay the generator has no warning about;
    returns their ids (the undo puts them back to draft)."""
    drafts = Question.objects.for_essay(essay).filter(status=Question.Status.DRAFT)
    ids = list(
        # Ordered by id alone: the default order joins the (nullable) claim,
        # and PostgreSQL cannot lock the nullable side of an outer join.
        drafts.filter(warnings=[])
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    questions_set_status(
        questions=[Question(pk=pk) for pk in ids], status=Question.Status.PUBLISHED
    )
    return ids
