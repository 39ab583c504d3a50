"""The teacher's review queue: an essay's drafts one at a time, in the
essay's order, with what is left and where skip and back lead.

The queue runs through all the essay's questions in essay order; it stops at
drafts going forward (skip, and after a decision), and steps back over every
question (so a decision just made can be seen and changed). A page reads in
four queries whatever the essay's size: the order (ids and statuses), the
drafts without warnings, the question shown, and its parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from quizzes.models import Essay, Question
from quizzes.selectors.questions import question_parts

DRAFT = Question.Status.DRAFT
# A draft the generator raised no doubt about (Question.warnings is a list).
CLEAN = Q(warnings=[])


@dataclass(frozen=True)
class ReviewPage:
    essay: Essay
    question: Question | None  # None: no draft is left
    parts: list = field(default_factory=list)
    passage: dict | None = None
    left: int = 0  # drafts
    total: int = 0  # questions of the essay, whatever their status
    clean: int = 0  # drafts without warnings, for the bulk step
    position: int = 0  # the question's place in the essay's order, from 1
    next_id: int | None = None  # the next draft after this one (wrapping)
    previous_id: int | None = None  # the question before this one

    @property
    def decided(self) -> int:
        return self.total - self.left


def essays_to_review():
    """Every essay with its counts of questions, drafts and drafts with
    warnings (teachers share the essays: the admin lists them all too)."""
    drafts = Q(questions__status=DRAFT)
    return Essay.objects.defer("body").annotate(
        question_total=Count("questions"),
        draft_total=Count("questions", filter=drafts),
        flagged_total=Count("questions", filter=drafts & ~Q(questions__warnings=[])),
    )


def clean_draft_count(essay: Essay) -> int:
    return _drafts(essay).filter(CLEAN).count()


def review_page(
    essay: Essay, *, at: int | None = None, after: int | None = None
) -> ReviewPage:
    """The queue at question ``at`` (any status; 404 for one not of this
    essay), else at the first draft after ``after``, else at the first draft.
    ``essay`` must come with its body (the passage is cut from it)."""
    order = list(
        Question.objects.for_essay(essay).in_essay_order().values_list("pk", "status")
    )
    ids = [pk for pk, _ in order]
    drafts = [i for i, (_, status) in enumerate(order) if status == DRAFT]
    if at is not None:
        index = ids.index(at) if at in ids else None
        if index is None:
            raise Question.DoesNotExist
    else:
        start = ids.index(after) + 1 if after in ids else 0
        index = _next_draft(drafts, start)
    counts = {
        "essay": essay,
        "left": len(drafts),
        "total": len(order),
        "clean": clean_draft_count(essay),
    }
    if index is None:
        return ReviewPage(question=None, **counts)
    question = Question.objects.select_related("claim__section").get(pk=ids[index])
    following = _next_draft(drafts, index + 1, current=index)
    return ReviewPage(
        question=question,
        parts=question_parts(question),
        passage=question.claim.passage(body=essay.body) if question.claim else None,
        position=index + 1,
        next_id=ids[following] if following is not None else None,
        previous_id=ids[index - 1] if index > 0 else None,
        **counts,
    )


def _next_draft(
    drafts: list[int], start: int, *, current: int | None = None
) -> int | None:
    """The first draft at or after ``start``, else the first one from the
    beginning (the queue wraps round to what was skipped); never ``current``."""
    later = [i for i in drafts if i >= start and i != current]
    earlier = [i for i in drafts if i < start and i != current]
    found = later or earlier
    return found[0] if found else None


def _drafts(essay: Essay):
    return Question.objects.for_essay(essay).filter(status=DRAFT)
