"""Every URL of the Teach area, walked as four people: the class's teacher,
another teacher, a student and a visitor. A new URL is walked as soon as it
is added; one whose view forgets to fetch through the teacher fails here.

Conventions the walk relies on (docs/architecture.md): every teacher URL is
named ``teach_*``; a class is the URL's ``pk``; the other ids are named by
what they are (``assignment``, ``student``, ``attempt``, ``response``,
``quiz``, ``claim``, and the review queue's ``essay`` and ``question``). A
URL with another name fails until this test learns how to make one.

Essays are shared by all teachers (the admin lists them all), so another
teacher's essay is reachable; what must not be is a question of another
essay through one's own.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClaimFactory,
    ClassroomFactory,
    TeacherFactory,
    UserFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

# Every teacher may reach any essay, and a question through its own essay.
SHARED = {"essay", "question"}


def teach_patterns(patterns=None, prefix=""):
    """(name, the names of its URL arguments) of every teacher URL."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from teach_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and (pattern.name or "").startswith(
            "teach_"
        ):
            yield pattern.name, sorted(pattern.pattern.converters)


PATTERNS = sorted(teach_patterns())


def a_class_with_work():
    """A class with one student who has sat its assigned quiz."""
    teacher = TeacherFactory()
    student = UserFactory()
    classroom = ClassroomFactory(teacher=teacher, students=[student])
    question = single_choice_question()
    quiz = quiz_with([question])
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    attempt = AttemptFactory(quiz=quiz, student=student, assignment=assignment)
    response = attempt.responses.create(
        question=question,
        snapshot={},
        answer={},
        score=0,
        is_correct=False,
        answered_at=attempt.started_at,
    )
    claim = question.claim or ClaimFactory(essay=question.essay)
    draft = single_choice_question(essay=question.essay, status="draft")
    return {
        "teacher": teacher,
        "student_user": student,
        "pk": classroom.pk,
        "assignment": assignment.pk,
        "student": student.pk,
        "attempt": attempt.pk,
        "response": response.pk,
        "quiz": quiz.pk,
        "claim": claim.pk,
        "essay": question.essay_id,
        "question": draft.pk,
    }


@pytest.fixture
def classes():
    return {"own": a_class_with_work(), "other": a_class_with_work()}


def url(name: str, arguments: list[str], objects: dict) -> str:
    unknown = set(arguments) - set(objects)
    assert not unknown, f"{name}: teach the walk to make {sorted(unknown)}"
    return reverse(name, kwargs={arg: objects[arg] for arg in arguments})


def test_the_teach_area_has_urls():
    assert PATTERNS, "no URL is named teach_*"


@pytest.mark.parametrize(("name", "arguments"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_only_the_classs_own_teacher_gets_in(client, classes, name, arguments):
    own, other = classes["own"], classes["other"]
    mine = url(name, arguments, own)

    # Anonymous: told to log in (403), whatever the method.
    for method in (client.get, client.post):
        assert method(mine).status_code == 403, (name, "anonymous")

    # A student of the class finds no such page.
    client.force_login(own["student_user"])
    for method in (client.get, client.post):
        assert method(mine).status_code == 404, (name, "student")

    client.force_login(own["teacher"])
    if set(arguments) - SHARED:
        # Another teacher's class, or any of its things, is not found.
        theirs = url(name, arguments, other)
        for method in (client.get, client.post):
            assert method(theirs).status_code in (404, 405), (name, "other class")
    # Nor are the other class's things (or another essay's question)
    # reached through one's own class (or essay).
    for argument in set(arguments) - {"pk", "essay"}:
        mixed = url(name, arguments, own | {argument: other[argument]})
        for method in (client.get, client.post):
            assert method(mixed).status_code in (404, 405), (name, argument)
    # The teacher of the class gets in (a bare POST may be refused as bad
    # input, never as not found or forbidden).
    statuses = {client.get(mine).status_code, client.post(mine).status_code}
    assert not statuses & {403, 404, 500}, (name, statuses)
