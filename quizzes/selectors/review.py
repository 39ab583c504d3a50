"""The teacher's review queue: an essay's drafts one at a time, in the
essay's order, with what is left and where skip and back lead.

The queue runs through all the essay's questions in essay order; it stops at
drafts going forward (skip, and after a decision), and steps back over every
question (so a decision just made can be seen and changed). A page reads in
two queries whatever the essay's size, written out (see selectors.sql):
the order (ids, statuses, warnings), and the question shown with its parts.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache

from django.db.models import Count, Q

from quizzes.models import Claim, Essay, Question
from quizzes.selectors import sql
from quizzes.selectors.classes import _teaching_right_sql as right_sql
from quizzes.selectors.questions import question_row

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


@cache  # the statement: per process, never data
def _reviewable_sql() -> str:
    # classes' statement of a right (given, or through a group), any right.
    return (
        f"SELECT * FROM {sql.q(Essay._meta.db_table)} WHERE id = %s"
        f" AND EXISTS ({right_sql()})"
    )


def essay_to_review(user, pk: int) -> Essay | None:
    """The essay (with its body), if the user may review questions
    (``quizzes.change_question``, as ``user.has_perm`` says); else None.
    One query, rather than the two that load all the user's rights and the
    essay's own."""
    if not user.is_active or abs(pk) >= 2**63:  # past the database's integers
        return None
    if user.is_superuser or hasattr(user, "_perm_cache"):
        # has_perm answers without a query (or for every right, a superuser).
        if not user.has_perm("quizzes.change_question"):
            return None
        return Essay.objects.filter(pk=pk).first()
    found = Essay.objects.raw(
        _reviewable_sql(), [pk, "quizzes", "change_question", user.pk, user.pk]
    )
    return next(iter(found), None)


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


@cache  # the statement: per process, never data
def _order_sql() -> str:
    question, claim = (sql.q(m._meta.db_table) for m in (Question, Claim))
    # Question.objects.in_essay_order: by claim, essay-level questions last.
    order = sql.q("order")
    return (
        # updated_at as text: it is only compared (queue_version), and
        # PostgreSQL's 500 timestamps cost more to convert than to read.
        "SELECT u.id, u.status, u.warnings, CAST(u.updated_at AS TEXT), u.version"
        f" FROM {question} u"
        f" LEFT OUTER JOIN {claim} c ON c.id = u.claim_id WHERE u.essay_id = %s"
        f" ORDER BY CASE WHEN c.{order} IS NULL THEN 1 ELSE 0 END, c.{order}, u.id"
    )


def _is_clean(warnings) -> bool:
    # CLEAN's test, on the column as read: the JSON of an empty list.
    return warnings == "[]" or sql.convert(_WARNINGS, warnings) == []


_WARNINGS = Question._meta.get_field("warnings")


def review_order(essay: Essay) -> list[tuple]:
    """The essay's questions in essay order, each (id, status, warnings,
    updated_at as text, version): one query."""
    return sql.fetch(_order_sql(), [essay.pk])


def _place(order: list[tuple], drafts: list[int], at, after) -> int | None:
    """The index shown: ``at``'s (DoesNotExist for one not of the essay),
    else the first draft after ``after``, else the first draft."""
    ids = [row[0] for row in order]
    if at is not None:
        if at not in ids:
            raise Question.DoesNotExist
        return ids.index(at)
    start = ids.index(after) + 1 if after in ids else 0
    return _next_draft(drafts, start)


def _drafts_of(order: list[tuple]) -> list[int]:
    return [i for i, row in enumerate(order) if row[1] == DRAFT]


def queue_version(
    essay: Essay, order: list[tuple], *, at: int | None = None, after=None
) -> tuple[str, int | None]:
    """What the queue's page at this place shows, from what the page reads
    anyway (the essay, review_order), and the question it shows: the essay's
    row (its title, its text the passage is cut from; an import saves it),
    each question's status and warnings, in order (the counts, skip and
    back), and the shown question's ``updated_at`` and ``version`` (its
    words and parts: a teacher's edit, the admin's save). A bulk status
    change dates no row: the statuses themselves are in it."""
    index = _place(order, _drafts_of(order), at, after)
    shown = order[index] if index is not None else None
    digest = hashlib.sha1(repr([row[:3] for row in order]).encode()).hexdigest()
    parts = (essay.pk, str(essay.updated_at), digest, shown and tuple(map(str, shown)))
    return repr(parts), shown and shown[0]


def review_page(
    essay: Essay,
    *,
    at: int | None = None,
    after: int | None = None,
    order: list[tuple] | None = None,
) -> ReviewPage:
    """The queue at question ``at`` (any status; 404 for one not of this
    essay), else at the first draft after ``after``, else at the first draft.
    ``essay`` must come with its body (the passage is cut from it); ``order``
    is review_order's, if read already."""
    order = review_order(essay) if order is None else order
    ids = [row[0] for row in order]
    drafts = _drafts_of(order)
    index = _place(order, drafts, at, after)
    counts = {
        "essay": essay,
        "left": len(drafts),
        "total": len(order),
        "clean": sum(_is_clean(order[i][2]) for i in drafts),
    }
    if index is None:
        return ReviewPage(question=None, **counts)
    question, parts, _ = question_row(ids[index])
    following = _next_draft(drafts, index + 1, current=index)
    return ReviewPage(
        question=question,
        parts=parts,
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
    at = bisect_left(drafts, start)  # drafts is in the essay's order
    for n in range(len(drafts)):
        found = drafts[(at + n) % len(drafts)]
        if found != current:
            return found
    return None


def _drafts(essay: Essay):
    return Question.objects.for_essay(essay).filter(status=DRAFT)
