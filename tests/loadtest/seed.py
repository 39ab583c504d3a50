"""The load test's data: students with logged-in sessions, an open practice
quiz they start attempts at over HTTP, and a deck of cards each.

Run as a script (``python -m tests.loadtest.seed N``, with the settings and
database in the environment) it migrates, seeds and prints the plan as JSON.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

from tests.bench import data as bench
from tests.bench.data import make_essay, session_for

PREFIX = "loadtest-"
QUIZ_QUESTIONS = 10  # short, so that attempts finish and new ones start
DECK_CARDS = 20


def headers(session_key: str, *, post: bool = True, htmx: bool = True) -> dict:
    return dict(bench.headers(session_key, post=post, htmx=htmx))


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
