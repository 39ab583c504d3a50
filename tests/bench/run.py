"""`make bench`: PurgeQuiz's hot paths under gunicorn, against a bare Django view.

Absolute numbers depend on the machine and whatever else it is doing, so each
figure is printed beside the bare view's, measured in the same run, and as a
ratio. Everything runs on loopback and stops by itself.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WORKERS = 2  # gunicorn workers: one per core of the benchmark machine
CONCURRENCY = 4  # client threads


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_django(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    os.environ["SQLITE_PATH"] = str(db_path)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_hex(32))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from tests.bench.urls import FLOOR_TABLE

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} "
            "(id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL)"
        )


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


CSRF = "b" * 32


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


def make_essay(slug: str, questions: int):
    """An essay with `questions` published single-choice questions, three to
    a claim (a sentence's cards bury each other for the day once one is
    rated, so one claim for all would empty the queue after one rating)."""
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
            status=Question.Status.PUBLISHED,
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


def prepare():
    """Students, a 50-question quiz with open attempts, and card decks."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quizzes import selectors, services
    from quizzes.models import Card

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

    answer_streams = []
    for worker in range(CONCURRENCY):
        posts = []
        for n in range(4):
            student = User.objects.create_user(f"quizzer{worker}-{n}")
            attempt = services.attempts.attempt_start(
                quiz=quiz, student=student, now=now
            )
            key = session_for(student)
            for qid in attempt.question_ids:
                posts.append(
                    (
                        f"/attempts/{attempt.pk}/answer/{qid}/",
                        f"choice={right(attempt, qid)}",
                        key,
                    )
                )
        answer_streams.append(posts)

    rating_streams = []
    deck, deck_questions = make_essay("rating-deck", 400)
    for worker in range(CONCURRENCY):
        student = User.objects.create_user(f"rater{worker}")
        cards = Card.objects.bulk_create(
            Card(student=student, question=q, due=now - timedelta(minutes=1))
            for q in deck_questions
        )
        key = session_for(student)
        rating_streams.append(
            [
                (f"/flashcards/cards/{card.pk}/rate/", "rating=3&token=0", key)
                for card in cards
            ]
        )

    next_card = {}
    for size in (100, 10_000):
        deck, deck_questions = make_essay(f"deck-{size}", size)
        student = User.objects.create_user(f"reviewer{size}")
        rng = random.Random(size)
        Card.objects.bulk_create(
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
            for q in deck_questions
        )
        next_card[size] = (f"/flashcards/{deck.slug}/study/", session_for(student))
    return answer_streams, rating_streams, next_card


CLASS_SIZES = (30, 300)
ASSIGNMENTS = 10
CLAIMS = 60


def make_class(name: str, size: int, *, quizzes: list, questions: list, teacher):
    """A class of `size` students, each with a finished attempt at each of
    the quizzes (assigned to the class) and a studied card of every question:
    the gradebook's and the mastery map's whole grid has data."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quizzes.models import (
        Assignment,
        Attempt,
        Card,
        Classroom,
        Enrolment,
        Response,
    )
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
            due_at=now - timedelta(days=1),
        )
        for quiz in quizzes
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
                    answer={},
                    score=float(right),
                    is_correct=right,
                    answered_at=attempt.started_at,
                )
            )
        attempt.points = sum(r.score for r in responses[-len(attempt.question_ids) :])
        attempt.score = 100 * attempt.points / attempt.max_points
    Response.objects.bulk_create(responses, batch_size=2000)
    Attempt.objects.bulk_update(attempts, ["points", "score"], batch_size=2000)
    Card.objects.bulk_create(
        (
            Card(
                student=student,
                question=question,
                state=Card.State.REVIEW,
                stability=rng.uniform(1, 60),
                difficulty=rng.uniform(1, 10),
                step=None,
                reps=3,
                last_review=now - timedelta(days=rng.randint(1, 30)),
                due=now + timedelta(days=rng.randint(-5, 60)),
            )
            for student in students
            for question in questions
        ),
        batch_size=2000,
    )
    return classroom


def prepare_classes():
    """Classes of 30 and 300 students with 10 assigned quizzes on an essay
    of 60 claims: (path, session) of each teacher page to time."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from quizzes.models import Quiz, QuizQuestion

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
    pages = {}
    for size in CLASS_SIZES:
        classroom = make_class(
            f"class{size}", size, quizzes=quizzes, questions=questions, teacher=teacher
        )
        pages[f"gradebook, {size} students x {ASSIGNMENTS}"] = (
            f"/teach/classes/{classroom.pk}/gradebook/",
            key,
        )
        pages[f"mastery map, {size} students x {CLAIMS} claims"] = (
            f"/teach/classes/{classroom.pk}/mastery/?essay={essay.pk}",
            key,
        )
    return pages


def serve(port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "purgequiz.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    from tests.bench import load

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        print("Preparing data (students, a 50-question quiz, decks of 100 and 10,000)")
        answers, ratings, next_card = prepare()
        print("Preparing classes of 30 and 300 students (10 quizzes, 60 claims)")
        teacher_pages = prepare_classes()
        port = free_port()
        server = serve(port, dict(os.environ))
        try:
            results = []

            def stream(rows, method):
                def requests(worker):
                    for path, body, key in rows[worker]:
                        yield load.Request(method, path, body, headers(key, post=True))

                return requests

            def repeat(path, key, *, htmx=True):
                def requests(worker):
                    while True:
                        yield load.Request("GET", path, "", headers(key, htmx=htmx))

                return requests

            bare = load.run(
                "bare Django view (GET)",
                port,
                lambda w: iter(lambda: load.Request("GET", "/bench/bare/"), None),
                concurrency=CONCURRENCY,
            )
            results.append(bare)
            floor_key = next(iter(next_card.values()))[1]  # a logged-in student
            floor = load.run(
                "floor: session, user, 1 row (POST)",
                port,
                lambda w: iter(
                    lambda: load.Request(
                        "POST", "/bench/floor/", "", headers(floor_key, post=True)
                    ),
                    None,
                ),
                concurrency=CONCURRENCY,
            )
            results.append(floor)
            results.append(
                load.run(
                    "quiz answer (POST)",
                    port,
                    stream(answers, "POST"),
                    concurrency=CONCURRENCY,
                )
            )
            results.append(
                load.run(
                    "flashcard rating (POST)",
                    port,
                    stream(ratings, "POST"),
                    concurrency=CONCURRENCY,
                )
            )
            for size, (path, key) in next_card.items():
                results.append(
                    load.run(
                        f"next card, {size:,} cards (GET)",
                        port,
                        repeat(path, key),
                        concurrency=CONCURRENCY,
                        max_requests=300,
                    )
                )
            for name, (path, key) in teacher_pages.items():
                results.append(
                    load.run(
                        name,
                        port,
                        repeat(path, key, htmx=False),  # the whole page
                        concurrency=CONCURRENCY,
                        max_requests=100,
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=10)

    print()
    print(
        f"gunicorn, {WORKERS} sync workers, SQLite (WAL), {CONCURRENCY} client threads"
    )
    header = f"{'scenario':40} {'req':>5} {'req/s':>8} {'median':>9} {'p95':>9} "
    print(header + f"{'vs bare':>8} {'vs floor':>9} {'errors':>7}")
    for result in results:
        print(
            f"{result.name:40} {result.requests:5d} {result.throughput:8.1f} "
            f"{result.median_ms:7.1f}ms {result.p95_ms:7.1f}ms "
            f"{result.throughput / bare.throughput:7.2f}x "
            f"{result.throughput / floor.throughput:8.2f}x {result.errors:7d}"
        )
    by_name = {result.name: result for result in results}
    small, big = (by_name[f"next card, {size:,} cards (GET)"] for size in (100, 10_000))
    print(
        f"\nnext card with 10,000 cards takes {big.median_ms / small.median_ms:.2f}x "
        "the median time of 100 cards (an index scan keeps this near 1)."
    )
    for page in ("gradebook", "mastery map"):
        few, many = (
            next(r for r in results if r.name.startswith(f"{page}, {size} "))
            for size in CLASS_SIZES
        )
        growth = many.median_ms / few.median_ms
        print(
            f"{page}: {CLASS_SIZES[1]} students take {growth:.1f}x the time of "
            f"{CLASS_SIZES[0]} (10x would be linear)."
        )
    if any(result.errors for result in results):
        raise SystemExit("some requests failed (see the errors column)")


if __name__ == "__main__":
    main()
