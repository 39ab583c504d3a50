import dataclasses
import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.http import QueryDict
from django.utils import timezone

from quizzes import selectors, services
from quizzes.grading import InvalidAnswer
from quizzes.models import Attempt, Choice, Question, Quiz, Response
from tests.factories import (
    ChoiceFactory,
    ClaimFactory,
    EssayFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
    cloze_question,
    matching_question,
    multiple_answer_question,
    quiz_with,
    single_choice_question,
    true_false_question,
)

pytestmark = pytest.mark.django_db


def form(query: str) -> QueryDict:
    return QueryDict(query)


def pick(attempt: Attempt, choice: Choice) -> str:
    """The form data of a click on this choice: its position as shown."""
    question, parts = selectors.questions.question_load(choice.question_id)
    snapshot = selectors.questions.question_snapshot(
        question,
        parts,
        seed=attempt.seed,
        shuffle_choices=attempt.quiz.shuffle_choices,
    )
    ids = [shown["id"] for shown in snapshot["choices"]]
    return f"choice={ids.index(choice.pk)}"


def right_choice(attempt: Attempt, question: Question) -> str:
    return pick(attempt, question.choices.get(is_correct=True))


def test_start_creates_an_attempt_with_order_seed_and_deadline(student):
    questions = [single_choice_question() for _ in range(6)]
    questions = [single_choice_question(essay=questions[0].essay) for _ in range(6)]
    quiz = quiz_with(questions, shuffle_questions=True, time_limit_minutes=10)
    now = timezone.now()
    attempt = services.attempts.attempt_start(quiz=quiz, student=student, now=now)
    assert sorted(attempt.question_ids) == sorted(q.pk for q in questions)
    assert attempt.question_ids == services.attempts.grading.question_order(
        [q.pk for q in questions], seed=attempt.seed, shuffle=True
    )
    assert attempt.deadline == now + timedelta(minutes=10)
    assert attempt.max_points == 6


def test_start_resumes_the_open_attempt(student):
    quiz = quiz_with([single_choice_question()])
    first = services.attempts.attempt_start(quiz=quiz, student=student)
    assert services.attempts.attempt_start(quiz=quiz, student=student) == first
    assert Attempt.objects.count() == 1


def test_start_skips_unpublished_questions(student):
    published = single_choice_question()
    draft = single_choice_question(essay=published.essay, status="draft")
    quiz = quiz_with([published, draft])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    assert attempt.question_ids == [published.pk]


def test_start_refuses_when_attempts_are_used_up(student):
    quiz = quiz_with([single_choice_question()], attempts_allowed=1)
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    services.attempts.attempt_finish(attempt=attempt)
    with pytest.raises(services.attempts.AttemptRefused, match="used all"):
        services.attempts.attempt_start(quiz=quiz, student=student)


def test_practice_runs_do_not_use_up_attempts(student):
    question = single_choice_question()
    quiz = quiz_with([question], attempts_allowed=2)
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    services.attempts.attempt_finish(attempt=attempt)
    practice = services.attempts.practice_start(attempt=attempt)
    assert practice.is_practice
    assert practice.practice_of == attempt
    assert services.attempts.attempt_start(quiz=quiz, student=student).pk not in {
        attempt.pk,
        practice.pk,
    }


def test_start_survives_the_race_on_the_open_attempt_constraint(student, monkeypatch):
    quiz = quiz_with([single_choice_question()])
    winner = services.attempts.attempt_start(quiz=quiz, student=student)

    def lose_the_race(**kwargs):
        raise IntegrityError("one_open_attempt_per_student_and_quiz")

    monkeypatch.setattr(services.attempts, "_attempt_start", lose_the_race)
    assert services.attempts.attempt_start(quiz=quiz, student=student) == winner


def test_answer_grades_and_stores_a_snapshot(student):
    question = single_choice_question()
    quiz = quiz_with([question, single_choice_question(essay=question.essay)])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    outcome = services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=question.pk,
        data=form(right_choice(attempt, question)),
    )
    assert outcome.created
    response = outcome.response
    assert response.score == 1
    assert response.is_correct
    assert response.snapshot["prompt"] == question.prompt
    assert response.snapshot["version"] == question.version
    assert [c["text"] for c in response.snapshot["choices"]] == [
        "Right answer",
        "Wrong answer A",
        "Wrong answer B",
    ]
    assert not outcome.attempt.is_finished


def test_a_repeated_answer_returns_the_stored_one(student):
    question = single_choice_question()
    quiz = quiz_with([question, single_choice_question(essay=question.essay)])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    wrong = question.choices.filter(is_correct=False).first()
    kwargs = {"attempt_id": attempt.pk, "student": student, "question_id": question.pk}
    first = services.attempts.attempt_answer(**kwargs, data=form(pick(attempt, wrong)))
    again = services.attempts.attempt_answer(
        **kwargs, data=form(right_choice(attempt, question))
    )
    assert again.response.pk == first.response.pk
    assert not again.created
    assert again.response.score == 0
    assert Response.objects.count() == 1


def test_an_answer_losing_the_insert_race_returns_the_stored_one(student, monkeypatch):
    question = single_choice_question()
    quiz = quiz_with([question, single_choice_question(essay=question.essay)])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    kwargs = {"attempt_id": attempt.pk, "student": student, "question_id": question.pk}
    stored = services.attempts.attempt_answer(
        **kwargs, data=form(right_choice(attempt, question))
    )
    # The other request's row appears between our check and our insert.
    real = selectors.attempts.question_for_answer

    def not_yet_stored(attempt, **kw):
        question, parts, so_far = real(attempt, **kw)
        return question, parts, dataclasses.replace(so_far, stored=None)

    monkeypatch.setattr(selectors.attempts, "question_for_answer", not_yet_stored)
    again = services.attempts.attempt_answer(
        **kwargs, data=form(right_choice(attempt, question))
    )
    assert again.response.pk == stored.response.pk
    assert Response.objects.count() == 1


def test_the_last_answer_finishes_the_attempt(student):
    first = multiple_answer_question()
    second = true_false_question(essay=first.essay, is_true=True)
    quiz = quiz_with([first, second])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=first.pk,
        data=form(pick(attempt, first.choices.get(text="Right A"))),
    )
    outcome = services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=second.pk,
        data=form("value=true"),
    )
    attempt.refresh_from_db()
    assert outcome.attempt.is_finished
    assert attempt.is_finished
    assert attempt.points == 1.5
    assert attempt.score == 75


@pytest.mark.parametrize(
    "query",
    [
        "",
        "choice=999999",
        "choice=3",  # three choices: positions 0 to 2
        "choice=-1",
        "choice=x",
        "text=" + "a" * 501,
        "version=99",
    ],
)
def test_bad_input_stores_nothing(student, query):
    question = single_choice_question()
    attempt = services.attempts.attempt_start(
        quiz=quiz_with([question]), student=student
    )
    with pytest.raises(InvalidAnswer):
        services.attempts.attempt_answer(
            attempt_id=attempt.pk,
            student=student,
            question_id=question.pk,
            data=form(query),
        )
    assert not Response.objects.exists()


def test_answers_are_refused_for_finished_foreign_or_unknown(student, other_student):
    question = single_choice_question()
    outside = single_choice_question(essay=question.essay)
    quiz = quiz_with([question])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    data = form(right_choice(attempt, question))
    with pytest.raises(Attempt.DoesNotExist):
        services.attempts.attempt_answer(
            attempt_id=attempt.pk,
            student=other_student,
            question_id=question.pk,
            data=data,
        )
    with pytest.raises(Question.DoesNotExist):
        services.attempts.attempt_answer(
            attempt_id=attempt.pk, student=student, question_id=outside.pk, data=data
        )
    # Too large for the database's integers (an OverflowError on SQLite once).
    with pytest.raises(Question.DoesNotExist):
        services.attempts.attempt_answer(
            attempt_id=attempt.pk, student=student, question_id=10**25, data=data
        )
    services.attempts.attempt_finish(attempt=attempt)
    with pytest.raises(services.attempts.AttemptRefused):
        services.attempts.attempt_answer(
            attempt_id=attempt.pk, student=student, question_id=question.pk, data=data
        )
    assert not Response.objects.exists()


def test_an_answer_after_the_deadline_and_grace_closes_the_attempt(student):
    question = single_choice_question()
    quiz = quiz_with([question], time_limit_minutes=5)
    start = timezone.now()
    attempt = services.attempts.attempt_start(quiz=quiz, student=student, now=start)
    kwargs = {"attempt_id": attempt.pk, "student": student, "question_id": question.pk}
    late = start + timedelta(minutes=5, seconds=31)
    outcome = services.attempts.attempt_answer(
        **kwargs, data=form(right_choice(attempt, question)), now=late
    )
    assert outcome.response is None
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert "Time ran out" in attempt.closed_reason
    assert not Response.objects.exists()


def test_an_open_attempt_keeps_a_retired_question_but_not_an_unpublished_quiz(
    student,
):
    """Moodle's way: an attempt keeps the questions it started with, so one
    retired since is still answered and scored; a quiz its teacher
    unpublishes takes no more answers, and its open attempts close."""
    first, second = single_choice_question(), single_choice_question()
    quiz = quiz_with([first, second])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    first.status = Question.Status.RETIRED
    first.save()
    kept = services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=first.pk,
        data=form(right_choice(attempt, first)),
    )
    assert kept.response is not None
    assert kept.response.score == 1
    quiz.is_published = False
    quiz.save()
    closed = services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=second.pk,
        data=form(right_choice(attempt, second)),
    )
    assert closed.response is None
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.closed_reason == services.attempts.WITHDRAWN
    assert attempt.points == 1
    assert Response.objects.count() == 1


def test_an_answer_within_the_grace_counts(student):
    question = single_choice_question()
    quiz = quiz_with([question], time_limit_minutes=5)
    start = timezone.now()
    attempt = services.attempts.attempt_start(quiz=quiz, student=student, now=start)
    outcome = services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=question.pk,
        data=form(right_choice(attempt, question)),
        now=start + timedelta(minutes=5, seconds=20),
    )
    assert outcome.response.score == 1


def test_editing_a_question_later_changes_no_past_grade(student):
    question = single_choice_question()
    attempt = services.attempts.attempt_start(
        quiz=quiz_with([question]), student=student
    )
    right = question.choices.get(is_correct=True)
    services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=question.pk,
        data=form(pick(attempt, right)),
    )
    question.prompt = "Rewritten"
    question.version += 1
    question.save()
    right.is_correct = False
    right.text = "Now wrong"
    right.save()
    response = Response.objects.get()
    assert response.score == 1
    assert response.snapshot["prompt"] != "Rewritten"
    assert response.snapshot["choices"][0] == {
        "id": right.pk,
        "text": "Right answer",
        "is_correct": True,
        "feedback": "",
    }


def test_snapshot_keeps_the_passage_with_the_claim():
    essay = EssayFactory(
        body="Intro.\n\nFear: Stalin feared rivals. Kirov was popular."
    )
    section = SectionFactory(essay=essay, heading="Fear", start=8, end=len(essay.body))
    claim = ClaimFactory(section=section, start=14, end=35)
    question = true_false_question(essay=essay, claim=claim)
    question, parts = selectors.questions.question_load(question.pk)
    snapshot = selectors.questions.question_snapshot(
        question, parts, seed=1, shuffle_choices=True, essay=essay
    )
    assert snapshot["passage"] == {
        "heading": "Fear",
        "before": "Fear: ",
        "claim": "Stalin feared rivals.",
        "after": " Kirov was popular.",
    }


def test_question_load_takes_one_query_when_the_kind_is_known(
    django_assert_num_queries,
):
    question = single_choice_question()
    with django_assert_num_queries(1):
        loaded, parts = selectors.questions.question_load(question.pk, kind="single")
    assert loaded == question
    assert [p.text for p in parts] == [
        "Right answer",
        "Wrong answer A",
        "Wrong answer B",
    ]


def test_choices_and_matching_options_shuffle_by_seed():
    question = QuestionFactory(kind=Question.Kind.SINGLE)
    for order in range(8):
        ChoiceFactory(question=question, order=order, is_correct=order == 0)
    question, parts = selectors.questions.question_load(question.pk)
    one = selectors.questions.question_snapshot(
        question, parts, seed=3, shuffle_choices=True
    )
    again = selectors.questions.question_snapshot(
        question, parts, seed=3, shuffle_choices=True
    )
    plain = selectors.questions.question_snapshot(
        question, parts, seed=3, shuffle_choices=False
    )
    assert one["choices"] == again["choices"]
    assert [c["id"] for c in plain["choices"]] == [p.pk for p in parts]
    assert [c["id"] for c in one["choices"]] != [p.pk for p in parts]
    pairs = [(f"L{i}", f"R{i}") for i in range(6)]
    matching = matching_question(pairs=pairs)
    matching, parts = selectors.questions.question_load(matching.pk)
    shown = selectors.questions.question_snapshot(
        matching, parts, seed=3, shuffle_choices=False
    )
    assert shown["options"] != [right for _, right in pairs]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's row locks; SQLite's IMMEDIATE transactions queue writers "
    "anyway, and its in-memory test database locks whole tables across threads",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_to_the_last_two_questions_close_the_attempt(
    monkeypatch,
):
    student = UserFactory()
    first = single_choice_question()
    second = true_false_question(essay=first.essay, is_true=True)
    attempt = services.attempts.attempt_start(
        quiz=quiz_with([first, second]), student=student
    )
    data = {first.pk: right_choice(attempt, first), second.pk: "value=true"}
    first_read, second_done = threading.Event(), threading.Event()
    errors = []
    grade = services.attempts.grading.grade

    def grade_slowly(snapshot, answer):
        # The first answer, read but not stored yet, gives the second one
        # time to run to its end; on a locked attempt the second one waits.
        if threading.current_thread().name == "first":
            first_read.set()
            second_done.wait(timeout=1)
        return grade(snapshot, answer)

    def answer(question_id: int) -> None:
        try:
            services.attempts.attempt_answer(
                attempt_id=attempt.pk,
                student=student,
                question_id=question_id,
                data=form(data[question_id]),
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            if threading.current_thread().name == "second":
                second_done.set()
            connection.close()

    monkeypatch.setattr(services.attempts.grading, "grade", grade_slowly)
    threads = [
        threading.Thread(target=answer, args=(first.pk,), name="first"),
        threading.Thread(target=answer, args=(second.pk,), name="second"),
    ]
    threads[0].start()
    assert first_read.wait(timeout=5)
    threads[1].start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    attempt.refresh_from_db()
    assert attempt.responses.count() == 2
    assert attempt.is_finished
    assert attempt.points == 2


def test_practice_covers_only_the_missed_questions(student):
    hit = single_choice_question()
    miss = cloze_question(essay=hit.essay)
    attempt = services.attempts.attempt_start(
        quiz=quiz_with([hit, miss]), student=student
    )
    for question, query in ((hit, right_choice(attempt, hit)), (miss, "text=Beria")):
        services.attempts.attempt_answer(
            attempt_id=attempt.pk,
            student=student,
            question_id=question.pk,
            data=form(query),
        )
    attempt.refresh_from_db()
    practice = services.attempts.practice_start(attempt=attempt)
    assert practice.question_ids == [miss.pk]
    outcome = services.attempts.attempt_answer(
        attempt_id=practice.pk,
        student=student,
        question_id=miss.pk,
        data=form("text=yezhov"),
    )
    assert outcome.response.is_correct
    assert outcome.attempt.is_finished


def test_a_quiz_that_never_reveals_answers_has_no_practice_runs(student):
    question = cloze_question()
    quiz = quiz_with([question], reveal=Quiz.Reveal.NEVER)
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    services.attempts.attempt_answer(
        attempt_id=attempt.pk,
        student=student,
        question_id=question.pk,
        data=form("text=Beria"),
    )
    attempt.refresh_from_db()
    with pytest.raises(services.attempts.AttemptRefused, match="hidden"):
        services.attempts.practice_start(attempt=attempt)
    assert not Attempt.objects.filter(is_practice=True).exists()


def test_quiz_create_for_essay_is_idempotent_and_in_claim_order():
    essay = EssayFactory(title="Causes")
    section = SectionFactory(essay=essay)
    late = ClaimFactory(section=section, order=5)
    early = ClaimFactory(section=section, order=1)
    second = single_choice_question(essay=essay, claim=late)
    first = true_false_question(essay=essay, claim=early)
    QuestionFactory(essay=essay, status="draft")
    quiz = services.quizzes.quiz_create_for_essay(essay=essay)
    assert quiz.title == "Causes: all sections"
    assert quiz.is_published
    assert list(quiz.items.values_list("question_id", flat=True)) == [
        first.pk,
        second.pk,
    ]
    third = cloze_question(essay=essay, claim=late)
    again = services.quizzes.quiz_create_for_essay(essay=essay, new_questions=[third])
    assert again.pk == quiz.pk
    assert Quiz.objects.count() == 1
    # At most one question per claim: the quiz already asks about "late".
    assert list(again.items.values_list("question_id", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_quiz_create_for_essay_fits_a_long_essay_title():
    essay = EssayFactory(title="A" * 200)
    single_choice_question(essay=essay)

    quiz = services.quizzes.quiz_create_for_essay(essay=essay)

    assert len(quiz.title) == Quiz._meta.get_field("title").max_length
    assert quiz.title.endswith("A…")
    assert services.quizzes.quiz_create_for_essay(essay=essay).pk == quiz.pk


@pytest.mark.parametrize("question_id", [2**70, -(2**70), 0])
def test_a_question_id_no_row_can_hold_is_simply_not_found(question_id):
    with pytest.raises(Question.DoesNotExist):
        selectors.questions.question_load(question_id)
