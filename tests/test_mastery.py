"""The claim mastery map, its cells' evidence and a student's sections
(quizzes/selectors/mastery.py), on a class made by hand: every number
below is worked out from the answers and cards the test makes."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from quizzes import scheduling
from quizzes.models import Attempt, Card, Question, Response
from quizzes.selectors import mastery
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    CardFactory,
    ClaimFactory,
    ClassroomFactory,
    EssayFactory,
    QuestionFactory,
    ReviewFactory,
    SectionFactory,
    TeacherFactory,
    UserFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

BODY = (
    "Causes: Stalin feared rivals. The party purged itself.\n\n"
    "Kirov was murdered in 1934."
)


def answer(attempt: Attempt, question: Question, score: float) -> Response:
    return attempt.responses.create(
        question=question,
        snapshot={},
        answer={},
        score=score,
        is_correct=score == 1,
        answered_at=attempt.started_at,
    )


def studied(student, question, *, stability: float, days: int, now) -> Card:
    return CardFactory(
        student=student,
        question=question,
        state=Card.State.REVIEW,
        step=None,
        stability=stability,
        difficulty=5.0,
        last_review=now - timedelta(days=days),
        due=now + timedelta(days=1),
        reps=3,
    )


def recall(stability: float, days: int, now) -> float:
    """fsrs's own retrievability, the reference for the map's memory."""
    card = scheduling.CardState(
        state=Card.State.REVIEW,
        stability=stability,
        last_review=now - timedelta(days=days),
    )
    return scheduling.retrievability(card, now=now)


def hand_made(now=None) -> dict:
    """Alice, Bob and Carol on an essay of two sections and three claims.

    Alice answered q1 right, q2 half right, q3 wrong in a finished attempt
    (a practice run with q3 right and an unfinished attempt with q4 right
    do not count); Bob answered q1 wrong and q4 right. Alice studied q1's
    card (stability 10, 3 days ago), Bob q3's (stability 4, 6 days ago);
    Alice's card of q2 is new. Carol did nothing.
    """
    now = now or timezone.now()
    teacher = TeacherFactory()
    alice = UserFactory(username="alice", first_name="Alice", last_name="Adams")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Brown")
    carol = UserFactory(username="carol", first_name="Carol", last_name="Clark")
    essay = EssayFactory(title="The Great Purge", body=BODY)
    causes = SectionFactory(essay=essay, order=0, heading="Causes", end=55)
    untitled = SectionFactory(essay=essay, order=1, heading="", start=57)
    a1 = ClaimFactory(
        essay=essay, section=causes, order=0, text="Stalin feared rivals."
    )
    a2 = ClaimFactory(
        essay=essay, section=causes, order=1, text="The party purged itself."
    )
    b1 = ClaimFactory(
        essay=essay, section=untitled, order=2, text="Kirov was murdered in 1934."
    )
    drafts_only = ClaimFactory(essay=essay, section=untitled, order=3, text="Draft.")
    q1 = single_choice_question(essay=essay, claim=a1, prompt="Whom did Stalin fear?")
    q2 = single_choice_question(essay=essay, claim=a1, prompt="What did he fear?")
    q3 = single_choice_question(essay=essay, claim=a2, prompt="Who purged the party?")
    q4 = single_choice_question(essay=essay, claim=b1, prompt="When was Kirov killed?")
    QuestionFactory(essay=essay, claim=drafts_only, status=Question.Status.DRAFT)
    quiz = quiz_with([q1, q2, q3, q4], title="Purge quiz")
    classroom = ClassroomFactory(teacher=teacher, students=[alice, bob, carol])
    AssignmentFactory(classroom=classroom, quiz=quiz)

    sitting = AttemptFactory(quiz=quiz, student=alice, finished_at=now)
    answer(sitting, q1, 1.0)
    answer(sitting, q2, 0.5)
    answer(sitting, q3, 0.0)
    practice = AttemptFactory(quiz=quiz, student=alice, is_practice=True)
    practice.finished_at = now
    practice.save()
    answer(practice, q3, 1.0)
    answer(AttemptFactory(quiz=quiz, student=alice), q4, 1.0)  # not finished
    bobs = AttemptFactory(quiz=quiz, student=bob, finished_at=now)
    answer(bobs, q1, 0.0)
    answer(bobs, q4, 1.0)

    alice_q1 = studied(alice, q1, stability=10.0, days=3, now=now)
    ReviewFactory(card=alice_q1, rating=1, reviewed_at=now - timedelta(days=9))
    ReviewFactory(card=alice_q1, rating=3, reviewed_at=now - timedelta(days=3))
    CardFactory(student=alice, question=q2)  # new: no memory yet
    studied(bob, q3, stability=4.0, days=6, now=now)
    return {
        "now": now,
        "teacher": teacher,
        "classroom": classroom,
        "essay": essay,
        "quiz": quiz,
        "students": (alice, bob, carol),
        "claims": (a1, a2, b1),
        "questions": (q1, q2, q3, q4),
        "sitting": sitting,
        "alice_q1": alice_q1,
        "recall_alice": recall(10.0, 3, now),
        "recall_bob": recall(4.0, 6, now),
    }


@pytest.fixture
def made():
    return hand_made()


def cells(heat: mastery.MasteryMap) -> dict:
    return {(cell.student, cell.claim): cell for row in heat.rows for cell in row.cells}


def test_each_cell_joins_the_quiz_answers_and_the_cards_recall(made):
    heat = mastery.class_mastery(
        classroom=made["classroom"], essay=made["essay"], now=made["now"]
    )
    alice, bob, carol = made["students"]
    a1, a2, b1 = made["claims"]
    got = cells(heat)
    r_alice, r_bob = made["recall_alice"], made["recall_bob"]

    assert got[alice.pk, a1.pk].quiz == pytest.approx(0.75)  # 1 and 0.5
    assert got[alice.pk, a1.pk].answers == 2
    assert got[alice.pk, a1.pk].memory == pytest.approx(r_alice)  # q2 is new
    assert got[alice.pk, a1.pk].cards == 1
    assert got[alice.pk, a1.pk].mastery == pytest.approx((0.75 + r_alice) / 2)
    # The practice run's right answer to q3 does not count.
    assert got[alice.pk, a2.pk].quiz == 0
    assert got[alice.pk, a2.pk].mastery == 0
    # Nor does the unfinished attempt's answer to q4.
    assert got[alice.pk, b1.pk].mastery is None
    assert got[bob.pk, a1.pk].mastery == 0
    assert got[bob.pk, a2.pk].quiz is None
    assert got[bob.pk, a2.pk].mastery == pytest.approx(r_bob)
    assert got[bob.pk, b1.pk].mastery == 1
    assert all(got[carol.pk, claim.pk].mastery is None for claim in made["claims"])
    assert got[alice.pk, a1.pk].percent == round(50 * (0.75 + r_alice))


def test_the_margins_are_means_of_the_cells_with_evidence(made):
    heat = mastery.class_mastery(
        classroom=made["classroom"], essay=made["essay"], now=made["now"]
    )
    r_alice, r_bob = made["recall_alice"], made["recall_bob"]
    alice_a1 = (0.75 + r_alice) / 2

    # Students across, in name order; claims down, section by section.
    assert [s.username for s in heat.students] == ["alice", "bob", "carol"]
    assert [block.label for block in heat.sections] == ["Causes", "Section 2"]
    assert [row.number for row in heat.rows] == ["1.1", "1.2", "2.1"]
    assert heat.rows[0].label == "Stalin feared rivals."  # the draft-only claim is out

    a1_row, a2_row, b1_row = heat.rows
    assert a1_row.mean.value == pytest.approx(alice_a1 / 2)  # Alice's and Bob's 0
    assert a1_row.quiz.value == pytest.approx(0.75 / 2)
    assert a1_row.memory.value == pytest.approx(r_alice)
    assert a1_row.known == 2
    assert b1_row.mean.value == 1

    causes = heat.sections[0]
    assert causes.means[0].value == pytest.approx(alice_a1 / 2)  # Alice: a1, a2
    assert causes.means[1].value == pytest.approx(r_bob / 2)  # Bob: 0 and r_bob
    assert causes.means[2].value is None

    alice, bob, carol = heat.student_means
    assert alice.value == pytest.approx(alice_a1 / 2)
    assert bob.value == pytest.approx((0 + r_bob + 1) / 3)
    assert carol.value is None
    assert heat.mean.value == pytest.approx((alice_a1 + 0 + 0 + r_bob + 1) / 5)
    assert (heat.known, heat.size) == (5, 9)
    weakest = heat.weakest_claims()
    assert [row.mean.value for row in weakest] == sorted(
        row.mean.value for row in heat.rows
    )
    assert weakest[-1].number == "2.1"
    assert [s.username for s, _ in heat.weakest_students()] == ["alice", "bob"]


def test_colour_bands_and_labels():
    assert [mastery.band(v) for v in (0, 0.19, 0.2, 0.59, 0.6, 0.8, 1)] == [
        0,
        0,
        1,
        2,
        3,
        4,
        4,
    ]
    assert mastery.Cell(1, 1).css == "mx"
    assert mastery.Cell(1, 1, mastery=0.85).css == "m4"
    assert mastery.short("one two three four", words=2) == "one two …"


def test_picking_rows_columns_and_cells_under_a_mark(made):
    heat = mastery.class_mastery(
        classroom=made["classroom"], essay=made["essay"], now=made["now"]
    )
    alice, bob, carol = (s.pk for s in made["students"])
    a1, a2, b1 = (c.pk for c in made["claims"])
    assert heat.select(claims={a2}) == {(alice, a2), (bob, a2), (carol, a2)}
    assert heat.select(students={bob}) == {(bob, a1), (bob, a2), (bob, b1)}
    assert heat.select(below=0.5) == {(alice, a2), (bob, a1)}
    assert heat.select(below=0.5, empty=True) == {
        (alice, a2),
        (bob, a1),
        (alice, b1),
        (carol, a1),
        (carol, a2),
        (carol, b1),
    }
    assert heat.select() == set()


def test_a_cells_evidence_is_its_answers_and_its_cards_history(made):
    alice = made["students"][0]
    a1 = made["claims"][0]
    evidence = mastery.cell_evidence(student=alice, claim=a1, now=made["now"])
    assert [r.question.prompt for r in evidence.responses] == [
        "Whom did Stalin fear?",
        "What did he fear?",
    ]
    assert [r.score for r in evidence.responses] == [1.0, 0.5]
    assert [card.question.prompt for card in evidence.cards] == [
        "Whom did Stalin fear?",
        "What did he fear?",
    ]
    studied_card, new_card = evidence.cards
    assert [r.get_rating_display() for r in studied_card.history] == ["Again", "Good"]
    assert studied_card.recall == pytest.approx(made["recall_alice"])
    assert new_card.recall is None
    assert new_card.history == []
    # The same numbers as the map's cell.
    heat = mastery.class_mastery(
        classroom=made["classroom"], essay=made["essay"], now=made["now"]
    )
    assert evidence.cell == cells(heat)[alice.pk, a1.pk]


def test_a_students_sections_are_their_column_of_the_map(made):
    bob = made["students"][1]
    rows = mastery.student_mastery(
        classroom=made["classroom"], student=bob, now=made["now"]
    )
    assert [(row.essay, row.label) for row in rows] == [
        ("The Great Purge", "Causes"),
        ("The Great Purge", "Section 2"),
    ]
    causes, second = rows
    assert causes.quiz.value == 0
    assert causes.memory.value == pytest.approx(made["recall_bob"])
    assert causes.mastery.value == pytest.approx(made["recall_bob"] / 2)
    assert (causes.known, causes.claims) == (2, 2)
    assert second.mastery.value == 1


def test_the_map_only_reads_the_classs_students(made):
    outsider = UserFactory()
    quiz = made["quiz"]
    stranger = AttemptFactory(quiz=quiz, student=outsider, finished_at=made["now"])
    answer(stranger, made["questions"][0], 1.0)
    heat = mastery.class_mastery(
        classroom=made["classroom"], essay=made["essay"], now=made["now"]
    )
    assert outsider.pk not in {s.pk for s in heat.students}
    assert heat.rows[0].quiz.value == pytest.approx(0.75 / 2)


def test_the_essays_of_a_class_are_those_of_its_work_first_assigned_first(made):
    classroom = made["classroom"]
    assert list(mastery.class_essays(classroom)) == [made["essay"]]
    later = EssayFactory(title="A later essay")
    AssignmentFactory(
        classroom=classroom, kind="cards", quiz=None, essay=later, target_recall=0.9
    )
    EssayFactory(title="Not assigned")
    assert list(mastery.class_essays(classroom)) == [made["essay"], later]
    empty = ClassroomFactory()
    assert list(mastery.class_essays(empty)) == []
    heat = mastery.class_mastery(classroom=empty, essay=None, now=made["now"])
    assert heat.sections == []
    assert heat.mean.value is None


def _crowd(made, size: int) -> None:
    """More students, each with an answer and a studied card per claim."""
    now = made["now"]
    User = get_user_model()
    extra = User.objects.bulk_create(
        [User(username=f"pupil{i}") for i in range(size - 3)]
    )
    for student in extra:
        made["classroom"].enrolments.create(student=student, joined_at=now)
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                quiz=made["quiz"], student=s, seed=1, started_at=now, finished_at=now
            )
            for s in extra
        ]
    )
    questions = made["questions"]
    Response.objects.bulk_create(
        [
            Response(
                attempt=a,
                question=q,
                snapshot={},
                answer={},
                score=1,
                is_correct=True,
                answered_at=now,
            )
            for a in attempts
            for q in questions
        ]
    )
    Card.objects.bulk_create(
        [
            Card(
                student=s,
                question=q,
                state=Card.State.REVIEW,
                stability=5.0,
                difficulty=5.0,
                last_review=now - timedelta(days=2),
                due=now,
            )
            for s in extra
            for q in questions
        ]
    )


@pytest.mark.parametrize("size", [3, 60])
def test_the_map_takes_four_queries_whatever_the_class(
    made, size, django_assert_max_num_queries
):
    _crowd(made, size)
    with django_assert_max_num_queries(4):
        heat = mastery.class_mastery(
            classroom=made["classroom"], essay=made["essay"], now=made["now"]
        )
    assert heat.size == 3 * size
    assert heat.known == 5 + 3 * (size - 3)


@pytest.mark.parametrize("size", [3, 60])
def test_a_students_reads_take_a_fixed_number_of_queries(
    made, size, django_assert_max_num_queries
):
    _crowd(made, size)
    alice, a1 = made["students"][0], made["claims"][0]
    with django_assert_max_num_queries(3):
        mastery.student_mastery(
            classroom=made["classroom"], student=alice, now=made["now"]
        )
    with django_assert_max_num_queries(3):
        mastery.cell_evidence(student=alice, claim=a1, now=made["now"])
