"""Classes: made, joined with a code, their code changed or closed, archived;
work assigned to them."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.models import Assignment, Classroom, Enrolment
from quizzes.models.classes import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    new_join_code,
)
from quizzes.services import cards, stamps


class ClassRefused(Exception):
    """What the rules of classes do not allow; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_join_code(code: str) -> str:
    """The code as typed, in the form it is stored: capitals, without the
    spaces or dashes a student may put in to read it."""
    return "".join(code.split()).replace("-", "").upper()


def _unique_code() -> str:
    for _ in range(20):
        code = new_join_code()
        if not Classroom.objects.filter(join_code=code).exists():
            return code
    raise RuntimeError("No free join code after 20 tries.")  # 32**8 codes


@transaction.atomic
def classroom_create(*, name: str, teacher) -> Classroom:
    name = " ".join(name.split())
    if not name:
        raise ClassRefused("Give the class a name.")
    classroom = Classroom.objects.create(name=name[:120], join_code=_unique_code())
    classroom.teachers.add(teacher)
    return classroom


@transaction.atomic
def join_code_regenerate(*, classroom: Classroom) -> Classroom:
    """A new code (the old one stops working), open for joining."""
    classroom.join_code = _unique_code()
    classroom.join_open = True
    classroom.save(update_fields=["join_code", "join_open"])
    stamps.class_changed(classroom.pk)
    return classroom


@transaction.atomic
def classroom_set_flags(
    *, classroom: Classroom, join_open: bool | None = None, archived: bool | None = None
) -> Classroom:
    """Close or reopen joining; archive or restore the class."""
    if join_open is not None:
        classroom.join_open = join_open
    if archived is not None:
        classroom.archived = archived
    classroom.save(update_fields=["join_open", "archived"])
    stamps.class_changed(classroom.pk)
    return classroom


def classroom_join(*, student, code: str, now: datetime) -> Classroom:
    """Enrol the student in the class with this code. Raises ClassRefused
    with the reason: no such code, joining closed, already in the class."""
    code = normalise_join_code(code)
    if len(code) != JOIN_CODE_LENGTH or set(code) - set(JOIN_CODE_ALPHABET):
        raise ClassRefused(
            f"A class code has {JOIN_CODE_LENGTH} letters and digits, "
            "like K7QX2MPA. Check it with your teacher."
        )
    try:
        return _join(student=student, code=code, now=now)
    except IntegrityError:
        # A doubled click enrolled the student a moment ago.
        raise ClassRefused("You are already in this class.") from None


@transaction.atomic
def _join(*, student, code: str, now: datetime) -> Classroom:
    classroom = Classroom.objects.filter(join_code=code, archived=False).first()
    if classroom is None:
        raise ClassRefused(f"No class has the code {code}. Check it with your teacher.")
    if classroom.teachers.filter(pk=student.pk).exists():
        raise ClassRefused("You teach this class.")
    if classroom.enrolments.filter(student=student).exists():
        raise ClassRefused(f"You are already in {classroom.name}.")
    if not classroom.join_open:
        raise ClassRefused(
            f"{classroom.name} is not taking new students: ask your teacher."
        )
    Enrolment.objects.create(classroom=classroom, student=student, joined_at=now)
    stamps.class_changed(classroom.pk)
    return classroom


@transaction.atomic
def assignment_create(
    *,
    classroom: Classroom,
    teacher,
    opens_at: datetime,
    due_at: datetime,
    closes_at: datetime | None = None,
    quiz=None,
    essay=None,
    section=None,
    claims=(),
    students=(),
    target_recall: float | None = None,
    title: str = "",
    now: datetime | None = None,
) -> Assignment:
    """A quiz, or a flashcard goal (an essay, a section or chosen claims,
    with the recall to reach by the due date), given to the class or to some
    of its students. A goal's studied cards are brought forward at once
    where the goal needs it (``cards.goal_cards_schedule``)."""
    if (quiz is None) == (essay is None):
        raise ClassRefused("Assign either a quiz or a flashcard goal.")
    if due_at < opens_at:
        raise ClassRefused("The due date is before the assignment opens.")
    if closes_at is not None and closes_at < due_at:
        raise ClassRefused("The hard close is before the due date.")
    if essay is not None and not (target_recall and 0.5 <= target_recall <= 0.99):
        raise ClassRefused("Set the recall to reach, from 50 % to 99 %.")
    if section is not None and section.essay_id != essay.pk:
        raise ClassRefused("That section is not part of the essay.")
    if any(claim.essay_id != essay.pk for claim in claims):
        raise ClassRefused("Those sentences are not all from the essay.")
    enrolled = set(classroom.enrolments.values_list("student_id", flat=True))
    if any(student.pk not in enrolled for student in students):
        raise ClassRefused("Only students of the class can be given its work.")
    assignment = Assignment.objects.create(
        classroom=classroom,
        kind=Assignment.Kind.QUIZ if quiz else Assignment.Kind.CARDS,
        title=" ".join(title.split())[:200],
        quiz=quiz,
        essay=essay,
        section=section,
        target_recall=target_recall if essay is not None else None,
        opens_at=opens_at,
        due_at=due_at,
        closes_at=closes_at,
        created_by=teacher,
    )
    assignment.claims.set(claims)
    assignment.students.set(students)
    stamps.class_changed(classroom.pk)
    if assignment.kind == Assignment.Kind.CARDS:
        cards.goal_cards_schedule(assignment=assignment, now=now or timezone.now())
    return assignment


@transaction.atomic
def classroom_teacher_add(*, classroom: Classroom, teacher) -> Classroom:
    """Another teacher for the class. Whether the account may teach at all is
    the caller's check (the Teach area's ``is_teacher``)."""
    name = teacher.get_username()
    if classroom.teachers.filter(pk=teacher.pk).exists():
        raise ClassRefused(f"{name} already teaches {classroom.name}.")
    if classroom.enrolments.filter(student=teacher).exists():
        raise ClassRefused(f"{name} is a student of {classroom.name}.")
    classroom.teachers.add(teacher)
    stamps.class_changed(classroom.pk)
    return classroom


@transaction.atomic
def classroom_student_remove(*, classroom: Classroom, student) -> None:
    """Take the student out of the class. Their account, attempts and cards
    stay; work set for them by name stays set too (emptying an assignment's
    students would give it to the whole class), and is not theirs to see
    while they are not in the class."""
    removed, _ = classroom.enrolments.filter(student=student).delete()
    if not removed:
        raise ClassRefused(f"{student.get_username()} is not in {classroom.name}.")
    stamps.class_changed(classroom.pk)


def assignment_dates_refusal(
    opens_at: datetime, due_at: datetime, closes_at: datetime | None
) -> tuple[str, str] | None:
    """What is wrong with these dates, as (the date at fault, the message);
    None if nothing. Forms ask it to put the message by the right field."""
    if due_at < opens_at:
        return "due_at", "The due date is before the assignment opens."
    if closes_at is not None and closes_at < due_at:
        return "closes_at", "The hard close is before the due date."
    return None


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    opens_at: datetime,
    due_at: datetime,
    closes_at: datetime | None = None,
    title: str | None = None,
) -> Assignment:
    """New dates (and title) for an assignment. Lateness and the hard close
    are read from the dates when they are needed, so the attempts already
    made are judged by the new ones."""
    refused = assignment_dates_refusal(opens_at, due_at, closes_at)
    if refused:
        raise ClassRefused(refused[1])
    assignment.opens_at, assignment.due_at = opens_at, due_at
    assignment.closes_at = closes_at
    if title is not None:
        assignment.title = " ".join(title.split())[:200]
    assignment.save(update_fields=["opens_at", "due_at", "closes_at", "title"])
    stamps.class_changed(assignment.classroom_id)
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> int:
    """Delete the assignment (its extensions go with it). The attempts made
    for it stay the students', no longer counted for the class; returns how
    many there were."""
    attempts = assignment.attempts.update(assignment=None)
    stamps.class_changed(assignment.classroom_id)
    assignment.delete()
    return attempts
