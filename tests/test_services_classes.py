from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.models import Enrolment
from quizzes.models.classes import JOIN_CODE_ALPHABET
from quizzes.services.classes import ClassRefused
from tests.factories import (
    ClaimFactory,
    ClassroomFactory,
    EssayFactory,
    QuizFactory,
    SectionFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def test_a_new_class_has_a_code_without_look_alikes_and_its_teacher(teacher):
    classroom = services.classes.classroom_create(
        name="  Year 10  History ", teacher=teacher
    )
    assert classroom.name == "Year 10 History"
    assert len(classroom.join_code) == 8
    assert set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set(classroom.join_code) & set("0O1I")
    assert list(classroom.teachers.all()) == [teacher]


def test_a_class_needs_a_name(teacher):
    with pytest.raises(ClassRefused, match="Give the class a name"):
        services.classes.classroom_create(name="   ", teacher=teacher)


def test_a_student_joins_with_the_code_typed_loosely(student):
    classroom = ClassroomFactory()
    code = classroom.join_code
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert (
        services.classes.classroom_join(student=student, code=typed, now=NOW)
        == classroom
    )
    enrolment = Enrolment.objects.get()
    assert (enrolment.student, enrolment.joined_at) == (student, NOW)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "A class code has 8 letters and digits"),
        ("K7QX2MP", "A class code has 8 letters and digits"),
        ("K7QX2MP0", "A class code has 8 letters and digits"),  # 0 is never used
        ("KKKKKKKK", "No class has the code KKKKKKKK"),
    ],
)
def test_a_wrong_code_says_so(student, code, message):
    ClassroomFactory(join_code="K7QX2MPA")
    with pytest.raises(ClassRefused, match=message):
        services.classes.classroom_join(student=student, code=code, now=NOW)
    assert not Enrolment.objects.exists()


def test_a_closed_class_takes_no_one_and_a_student_joins_once(student):
    classroom = ClassroomFactory(join_open=False)
    with pytest.raises(ClassRefused, match="is not taking new students"):
        services.classes.classroom_join(
            student=student, code=classroom.join_code, now=NOW
        )
    services.classes.classroom_set_flags(classroom=classroom, join_open=True)
    services.classes.classroom_join(student=student, code=classroom.join_code, now=NOW)
    with pytest.raises(ClassRefused, match="already in"):
        services.classes.classroom_join(
            student=student, code=classroom.join_code, now=NOW
        )
    assert Enrolment.objects.count() == 1


def test_an_archived_class_cannot_be_joined(student):
    classroom = ClassroomFactory(archived=True)
    with pytest.raises(ClassRefused, match="No class has the code"):
        services.classes.classroom_join(
            student=student, code=classroom.join_code, now=NOW
        )


def test_a_new_code_replaces_the_old_one(student):
    classroom = ClassroomFactory(join_open=False)
    old = classroom.join_code
    services.classes.join_code_regenerate(classroom=classroom)
    assert classroom.join_code != old
    assert classroom.join_open
    with pytest.raises(ClassRefused, match="No class has the code"):
        services.classes.classroom_join(student=student, code=old, now=NOW)


def _dates(**days):
    return {name: NOW + timedelta(days=n) for name, n in days.items()}


def test_an_assignment_gives_a_quiz_or_a_card_goal_to_the_class(student):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher, students=[student])
    quiz = QuizFactory()
    given = services.classes.assignment_create(
        classroom=classroom, teacher=teacher, quiz=quiz, **_dates(opens_at=0, due_at=7)
    )
    assert (given.kind, given.quiz, given.created_by) == ("quiz", quiz, teacher)
    claim = ClaimFactory()
    goal = services.classes.assignment_create(
        classroom=classroom,
        teacher=teacher,
        essay=claim.essay,
        claims=[claim],
        students=[student],
        target_recall=0.85,
        **_dates(opens_at=0, due_at=7),
    )
    assert goal.kind == "cards"
    assert list(goal.claims.all()) == [claim]
    assert list(goal.students.all()) == [student]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Assign either a quiz or a flashcard goal"),
        ({"quiz": True, "essay": True}, "Assign either a quiz or a flashcard goal"),
        ({"quiz": True, **_dates(opens_at=3, due_at=1)}, "before the assignment opens"),
        (
            {"quiz": True, **_dates(opens_at=0, due_at=3, closes_at=2)},
            "hard close is before the due date",
        ),
        ({"essay": True, "target_recall": 0.3}, "from 50 % to 99 %"),
        (
            {"essay": True, "target_recall": 0.9, "section": True},
            "not part of the essay",
        ),
        ({"quiz": True, "stranger": True}, "Only students of the class"),
    ],
)
def test_a_bad_assignment_is_refused_and_nothing_is_saved(kwargs, message):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teacher=teacher)
    values = _dates(opens_at=0, due_at=7) | {
        key: value for key, value in kwargs.items() if key.endswith("_at")
    }
    if kwargs.get("quiz"):
        values["quiz"] = QuizFactory()
    if kwargs.get("essay"):
        values["essay"] = EssayFactory()
        values["target_recall"] = kwargs.get("target_recall", 0.9)
    if kwargs.get("section"):
        values["section"] = SectionFactory()  # of another essay
    if kwargs.get("stranger"):
        values["students"] = [UserFactory()]
    with pytest.raises(ClassRefused, match=message):
        services.classes.assignment_create(
            classroom=classroom, teacher=teacher, **values
        )
    assert not classroom.assignments.exists()
