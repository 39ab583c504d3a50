"""The load test's data: students with logged-in sessions, an open practice
quiz they start attempts at over HTTP, and a deck of cards each.

Run as a script (``python -m tests.loadtest.seed N``, with the settings and
database in the environment) it migrates, seeds and prints the plan as JSON.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

PREFIX = "loadtest-"
QUIZ_QUESTIONS = 10  # short, so that attempts finish and new ones start
DECK_CARDS = 20
CHOICES = 3
CSRF = "b" * 32


def session_for(user) -> str:
    """A logged-in session key, as the login view would make it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def headers(session_key: str, *, post: bool = True, htmx: bool = True) -> dict:
    pairs = {"Cookie": f"sessionid={session_key}; csrftoken={CSRF}"}
    pairs["Host"] = "127.0.0.1"
    if htmx:
        pairs["HX-Request"] = "true"
    if post:
        pairs["X-CSRFToken"] = CSRF
        pairs["Content-Type"] = "application/x-www-form-urlencoded"
    return pairs


def make_essay(slug: str, questions: int):
    """An essay of `questions` published single-choice questions, three to a
    claim; choice n is at position n (the quiz does not shuffle them)."""
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
        Choice(question=q, text=f"Claim number {j}", is_correct=j == 0, order=j)
        for q in made
        for j in range(CHOICES)
    )
    return essay, made


def seed(students: int) -> dict:
    """The plan the clients follow: per student a session, the quiz and its
    questions, the cards; per question the choice id at each position."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quizzes import services
    from quizzes.models import Card, Choice

    now = timezone.now()
    _essay, questions = make_essay(f"{PREFIX}quiz", QUIZ_QUESTIONS)
    quiz = services.quizzes.quiz_create_from_questions(
        questions=questions, title="Load test"
    )
    quiz.is_published = True
    quiz.open_practice = True  # every student may sit it, again and again
    quiz.shuffle_choices = False  # position n is choice n: answers are checkable
    quiz.save()
    _deck, deck_questions = make_essay(f"{PREFIX}deck", DECK_CARDS)
    choice_ids = {}
    for question_id, choice_id in (
        Choice.objects.filter(question__in=questions)
        .order_by("question", "order", "id")
        .values_list("question", "id")
    ):
        choice_ids.setdefault(str(question_id), []).append(choice_id)
    User = get_user_model()
    plan = {"quiz": quiz.pk, "choice_ids": choice_ids, "students": []}
    for n in range(students):
        student = User.objects.create_user(f"{PREFIX}{n}")
        cards = Card.objects.bulk_create(
            Card(student=student, question=q, due=now - timedelta(minutes=1))
            for q in deck_questions
        )
        plan["students"].append(
            {
                "session": session_for(student),
                "questions": [q.pk for q in questions],
                "cards": [card.pk for card in cards],
            }
        )
    return plan


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    json.dump(seed(int(sys.argv[1])), sys.stdout)


if __name__ == "__main__":
    main()
