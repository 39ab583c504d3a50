"""Flashcard goals set from the mastery map: the weak cells a teacher picked
become goals on just those claims for just those students."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction

from quizzes.models import Assignment, Classroom, Essay
from quizzes.selectors.mastery import short
from quizzes.services.classes import ClassRefused, assignment_create

NOTHING_PICKED = (
    "Pick the cells to work on first: a sentence's row, a student's column, "
    "or every cell under a mark."
)


@transaction.atomic
def goal_assign(
    *,
    classroom: Classroom,
    teacher,
    essay: Essay,
    cells: set[tuple[int, int]],
    due_at: datetime,
    target_recall: float,
    now: datetime,
    title: str = "",
) -> list[Assignment]:
    """Flashcard goals, open now and due at `due_at`, on the picked
    (student, claim) cells: each student is given exactly the claims picked
    for them. Students picked for the same claims share one goal, so a row
    or a column is one goal and a scatter of weak cells a few. Each goal's
    studied cards are brought forward at once (``cards.goal_cards_schedule``).

    Raises ClassRefused when nothing is picked, or a cell is not of the
    class and essay, or the goal itself is refused (dates, recall).
    """
    if not cells:
        raise ClassRefused(NOTHING_PICKED)
    wanted: dict[int, set[int]] = defaultdict(set)
    for student, claim in cells:
        wanted[student].add(claim)
    students = {s.pk: s for s in classroom.students.filter(pk__in=wanted)}
    claims = {
        c.pk: c for c in essay.claims.filter(pk__in=set().union(*wanted.values()))
    }
    if len(students) < len(wanted) or len(claims) < len(set().union(*wanted.values())):
        raise ClassRefused("Those cells are not all of this class and essay.")
    groups: dict[frozenset, list] = defaultdict(list)
    for student, picked in wanted.items():
        groups[frozenset(picked)].append(students[student])
    goals = []
    for picked, group in sorted(groups.items(), key=lambda item: sorted(item[0])):
        chosen = sorted((claims[pk] for pk in picked), key=lambda claim: claim.order)
        goal = assignment_create(
            classroom=classroom,
            teacher=teacher,
            opens_at=now,
            due_at=due_at,
            essay=essay,
            claims=chosen,
            students=sorted(group, key=lambda student: student.pk),
            target_recall=target_recall,
            title=title or goal_title(chosen, essay=essay),
            now=now,
        )
        goals.append(goal)
    return goals


def goal_title(claims, *, essay: Essay) -> str:
    """What the students see on their home page: the sentence to learn, or
    how many of the essay's."""
    if len(claims) == 1:
        return f"Flashcards: “{short(claims[0].text, 8)}”"
    return f"Flashcards: {len(claims)} sentences of {essay.title}"
