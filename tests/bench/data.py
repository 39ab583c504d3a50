"""`make bench`'s data: a school's worth of rows, and the requests to time.

Each scenario is a stream of requests per client thread; the stream with
index CONCURRENCY is a spare, used in-process to count a request's queries
without spending the ones gunicorn is sent (a rating or an answer counts
once).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from tests.bench.load import Request

CONCURRENCY = 4  # client threads
STREAMS = CONCURRENCY + 1  # and the spare
CSRF = "b" * 32
CLASS_SIZES = (30, 300)
ASSIGNMENTS = 10
CLAIMS = 60
TARGET = 0.5  # of the floor's throughput
# The admin's pages are a teacher's desk, not a hot path: measured with the
# largest essay an import takes, none may fail or time out; their cost is
# the admin's own forms and widgets, the same for a short essay (the query
# counts are pinned in tests/test_admin_scale.py).
ADMIN_TARGET = None


@dataclass(frozen=True)
class Scenario:
    name: str
    requests: Callable[[int], Iterator[Request]]
    max_requests: int = 400
    target: float | None = TARGET


def session_for(user) -> str:
    """A logged-in session cookie, as the login view would make it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def headers(
    session_key: str, *, post: bool = False, htmx: bool = True
) -> tuple[tuple[str, str], ...]:
    cookie = f"sessionid={session_key}; csrftoken={CSRF}"
    pairs = [("Cookie", cookie), ("Host", "127.0.0.1")]
    if htmx:
        pairs.append(("HX-Request", "true"))
    if post:
        pairs += [
            ("X-CSRFToken", CSRF),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    return tuple(pairs)


def posts(rows: list[list[tuple[str, str, str]]]):
    """Each stream sends its own (path, body, session) POSTs once."""

    def requests(worker: int) -> Iterator[Request]:
        for path, body, key in rows[worker]:
            yield Request("POST", path, body, headers(key, post=True))

    return requests


def repeat(paths: list[str], key: str, *, htmx: bool = False):
    """GETs of these pages, round and round."""

    def requests(worker: int) -> Iterator[Request]:
        for path in itertools.cycle(paths[worker % len(paths) :] + paths):
            yield Request("GET", path, "", headers(key, htmx=htmx))

    return requests


def make_essay(slug: str, questions: int, *, status=None):
    """An essay with `questions` single-choice questions (published unless
    `status` says otherwise), three to a claim (a sentence's cards bury each
    other for the day once one is rated, so one claim for all would empty
    the queue after one rating)."""
    from quizzes.models import Choice, Claim, Essay, Question, Section

    body = " ".join(f"Claim number {i} is stated here." for i in range(3))
    essay = Essay.objects.create(title=slug, slug=slug, body=body)
    section = Section.objects.create(
        essay=essay, order=0, heading="Part", start=0, end=len(body)
    )
    claims = Claim.objects.bulk_create(
        Claim(
            essay=essay,
            section=section,
            order=n,
            key=f"c{n}",
            text=body[:29],
            start=0,
            end=29,
        )
        for n in range(questions // 3 + 1)
    )
    made = Question.objects.bulk_create(
        Question(
            essay=essay,
            claim=claims[i // 3],
            kind=Question.Kind.SINGLE,
            status=status or Question.Status.PUBLISHED,
            prompt=f"Question {i}: which claim is stated first?",
            explanation="The essay says so.",
        )
        for i in range(questions)
    )
    Choice.objects.bulk_create(
        Choice(question=q, text=text, is_correct=j == 0, order=j)
        for q in made
        for j, text in enumerate(["Claim number 0", "Claim number 1", "Claim 2"])
    )
    return essay, made


def review_cards(student, questions, *, seed: int) -> None:
    """A studied card of each question, due from five days ago to in 60."""
    from django.utils import timezone

    from quizzes.models import Card

    now = timezone.now()
    rng = random.Random(seed)
    Card.objects.bulk_create(
        (
            Card(
                student=student,
                question=q,
                state=Card.State.REVIEW,
                stability=rng.uniform(1, 60),
                difficulty=rng.uniform(1, 10),
                step=None,
                reps=3,
                last_review=now - timedelta(days=rng.randint(1, 30)),
                due=now + timedelta(days=rng.randint(-5, 60)),
            )
            for q in questions
        ),
        batch_size=2000,
    )


def student_scenarios() -> list[Scenario]:
    """A 50-question quiz being answered, decks being rated and studied."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quizzes import selectors, services
    from quizzes.models import Card, CardsMade

    User = get_user_model()
    now = timezone.now()
    essay, questions = make_essay("quiz-essay", 50)
    quiz = services.quizzes.quiz_create_from_questions(
        questions=questions, title="Bench"
    )
    quiz.is_published = True
    quiz.open_practice = True  # any student may sit it, as in a revision quiz
    quiz.save()

    def right(attempt, question_id: int) -> int:
        # The form sends a choice's position as the attempt shows it.
        question, parts = selectors.questions.question_load(question_id)
        snapshot = selectors.questions.question_snapshot(
            question, parts, seed=attempt.seed, shuffle_choices=quiz.shuffle_choices
        )
        return next(n for n, c in enumerate(snapshot["choices"]) if c["is_correct"])

    answers, pages = [], []
    for worker in range(STREAMS):
        rows = []
        for n in range(4):
            student = User.objects.create_user(f"quizzer{worker}-{n}")
            attempt = services.attempts.attempt_start(
                quiz=quiz, student=student, now=now
            )
            key = session_for(student)
            for qid in attempt.question_ids:
                path = f"/attempts/{attempt.pk}/answer/{qid}/"
                rows.append((path, f"choice={right(attempt, qid)}", key))
        answers.append(rows)
    reader = User.objects.create_user("question-reader")
    attempt = services.attempts.attempt_start(quiz=quiz, student=reader, now=now)
    pages = [f"/attempts/{attempt.pk}/q/{n}/" for n in range(1, 51)]

    ratings = []
    deck, deck_questions = make_essay("rating-deck", 400)
    for worker in range(STREAMS):
        student = User.objects.create_user(f"rater{worker}")
        cards = Card.objects.bulk_create(
            Card(student=student, question=q, due=now - timedelta(minutes=1))
            for q in deck_questions
        )
        key = session_for(student)
        ratings.append(
            [
                (f"/flashcards/cards/{card.pk}/rate/", "rating=3&token=0", key)
                for card in cards
            ]
        )

    scenarios = [
        Scenario("quiz answer (POST)", posts(answers)),
        Scenario("question page (GET)", repeat(pages, session_for(reader))),
        Scenario("flashcard rating (POST)", posts(ratings)),
    ]
    for size in (100, 10_000):
        deck, deck_questions = make_essay(f"deck-{size}", size)
        student = User.objects.create_user(f"reviewer{size}")
        review_cards(student, deck_questions, seed=size)
        # As "Study now" (services.cards.deck_cards_create) leaves a deck.
        CardsMade.objects.create(student=student, essay=deck)
        study = f"/flashcards/{deck.slug}/study/"
        key = session_for(student)
        scenarios.append(
            Scenario(f"next card, {size:,} cards", repeat([study], key, htmx=True))
        )
    scenarios.append(
        Scenario(
            "study page (reviewer), 10,000 cards",
            repeat([study], key),
            max_requests=300,
        )
    )
    return scenarios


def make_class(name: str, size: int, *, quizzes: list, questions: list, teacher):
    """A class of `size` students, each with a finished attempt at each of
    the quizzes (assigned to the class) and a studied card of every question:
    the gradebook's and the mastery map's whole grid has data."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quizzes.models import Assignment, Attempt, Classroom, Enrolment, Response
    from quizzes.models.classes import new_join_code

    now = timezone.now()
    rng = random.Random(size)
    User = get_user_model()
    classroom = Classroom.objects.create(name=name, join_code=new_join_code())
    classroom.teachers.add(teacher)
    students = User.objects.bulk_create(
        User(username=f"{name}-{n}", first_name="Student", last_name=f"{n:03d}")
        for n in range(size)
    )
    Enrolment.objects.bulk_create(
        Enrolment(classroom=classroom, student=s, joined_at=now) for s in students
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            classroom=classroom,
            quiz=quiz,
            opens_at=now - timedelta(days=20),
            due_at=now + timedelta(days=1) if n % 2 else now - timedelta(days=1),
        )
        for n, quiz in enumerate(quizzes)
    )
    attempts = Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            student=student,
            assignment=assignment,
            seed=1,
            question_ids=[q.pk for q in quiz.bench_questions],
            started_at=now - timedelta(days=3),
            finished_at=now - timedelta(days=3, minutes=-20),
            max_points=len(quiz.bench_questions),
        )
        for student in students
        for quiz, assignment in zip(quizzes, assignments, strict=True)
    )
    responses = []
    for attempt in attempts:
        for question_id in attempt.question_ids:
            right = rng.random() < 0.7
            responses.append(
                Response(
                    attempt=attempt,
                    question_id=question_id,
                    snapshot={},
                    answer={"choice": 0 if right else 1},
                    score=float(right),
                    is_correct=right,
                    answered_at=attempt.started_at,
                )
            )
        attempt.points = sum(r.score for r in responses[-len(attempt.question_ids) :])
        attempt.score = 100 * attempt.points / attempt.max_points
    Response.objects.bulk_create(responses, batch_size=2000)
    Attempt.objects.bulk_update(attempts, ["points", "score"], batch_size=2000)
    for n, student in enumerate(students):
        review_cards(student, questions, seed=n)
    return classroom, students


def teacher_scenarios() -> list[Scenario]:
    """Classes of 30 and 300 students with 10 assigned quizzes on an essay
    of 60 claims; the teacher's pages, the home and deck list of one of
    the students, and the review queue of an essay of drafts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from quizzes.models import Question, Quiz, QuizQuestion

    essay, questions = make_essay("class-essay", CLAIMS * 3)
    questions = questions[::3]  # one question a claim
    teacher = get_user_model().objects.create_user("bench-teacher", is_staff=True)
    teacher.groups.add(Group.objects.get(name="Teachers"))
    quizzes = []
    per_quiz = len(questions) // ASSIGNMENTS
    for n in range(ASSIGNMENTS):
        quiz = Quiz.objects.create(title=f"Quiz {n}", essay=essay, is_published=True)
        quiz.bench_questions = questions[n * per_quiz : (n + 1) * per_quiz]
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question=q, order=i)
            for i, q in enumerate(quiz.bench_questions)
        )
        quizzes.append(quiz)
    key = session_for(teacher)
    drafts, _ = make_essay("draft-essay", 500, status=Question.Status.DRAFT)
    scenarios = [
        Scenario(
            "review queue, 500 drafts",
            repeat([f"/teach/review/{drafts.pk}/"], key),
            max_requests=300,
        )
    ]
    for size in CLASS_SIZES:
        classroom, students = make_class(
            f"class{size}", size, quizzes=quizzes, questions=questions, teacher=teacher
        )
        base = f"/teach/classes/{classroom.pk}"
        # The 30-student class is timed only for the growth of the two grids.
        target = TARGET if size == CLASS_SIZES[-1] else None
        pages = {
            f"gradebook, {size} students x {ASSIGNMENTS}": f"{base}/gradebook/",
            f"mastery map, {size} students x {CLAIMS} claims": (
                f"{base}/mastery/?essay={essay.pk}"
            ),
        }
        if size == CLASS_SIZES[-1]:
            pages |= {
                f"class page, {size} students": f"{base}/",
                f"assignments, {size} students": f"{base}/assignments/",
                f"item analysis, {size} students": (
                    f"{base}/quizzes/{quizzes[0].pk}/analysis/"
                ),
                "a student's page": f"{base}/students/{students[7].pk}/",
            }
            pupil = session_for(students[7])
            scenarios += [
                Scenario("student home, 10 assignments", repeat(["/"], pupil)),
                Scenario("deck list", repeat(["/flashcards/"], pupil)),
            ]
        scenarios += [
            Scenario(name, repeat([path], key), max_requests=200, target=target)
            for name, path in pages.items()
        ]
    return scenarios


def admin_scenarios() -> list[Scenario]:
    """The admin with an essay the size of a 1 MB import (750 sections,
    12,000 drafts): the essay list, its page, its question list, one
    question's page, and the question list searched."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from quizzes.models import Claim, Question, Section

    essay, questions = make_essay("big-essay", 12_000, status=Question.Status.DRAFT)
    sections = Section.objects.bulk_create(
        Section(essay=essay, order=n, heading=f"Part {n}", start=0, end=29)
        for n in range(1, 750)
    )
    claims = list(Claim.objects.filter(essay=essay).order_by("order"))
    for n, claim in enumerate(claims):
        claim.section = sections[n % len(sections)]
    Claim.objects.bulk_update(claims, ["section"], batch_size=2000)
    teacher = get_user_model().objects.create_user("bench-author", is_staff=True)
    teacher.groups.add(Group.objects.get(name="Teachers"))
    key = session_for(teacher)
    pages = {
        "admin: essay list": "/admin/quizzes/essay/",
        "admin: essay page, 12,000 drafts": f"/admin/quizzes/essay/{essay.pk}/change/",
        "admin: question list of it": (
            f"/admin/quizzes/question/?essay__id__exact={essay.pk}"
        ),
        "admin: question list searched": "/admin/quizzes/question/?q=claim",
        "admin: a question's page": (
            f"/admin/quizzes/question/{questions[6000].pk}/change/"
        ),
    }
    return [
        Scenario(name, repeat([path], key), max_requests=150, target=ADMIN_TARGET)
        for name, path in pages.items()
    ]
