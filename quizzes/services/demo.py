"""The demo's class and history, so that every page shows something on a
fresh machine: a class with the demo students, the essay's quiz assigned to
it, a flashcard goal, attempts finished days ago and two weeks of reviews.

Made through the same services a real class goes through (the quiz is sat
answer by answer, the cards are studied in the queue's order), with the
clock set back; a fixed seed makes the history the same on every machine.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.datastructures import MultiValueDict

from quizzes import kinds
from quizzes.models import Classroom, Enrolment, Essay, Quiz
from quizzes.selectors import queue
from quizzes.selectors.questions import question_load, question_snapshot
from quizzes.services import attempts, cards, classes

DEMO_CLASS = "Demo class"
# (share of answers right, days ago) of each demo student's finished attempt;
# the last student has not started, so the gradebook shows every state.
ATTEMPTS = [(0.8, 6), (0.5, 2)]
STUDY_DAYS = 14
CARDS_A_DAY = 12


def _answer(snapshot: dict, *, right: bool) -> MultiValueDict:
    """Form data answering the question as shown, rightly or not."""
    kind = snapshot["kind"]
    if kind in kinds.CHOICE_KINDS:
        positions = [n for n, c in enumerate(snapshot["choices"]) if c["is_correct"]]
        if not right:
            positions = [(positions[0] + 1) % len(snapshot["choices"])]
        return MultiValueDict({"choice": [str(p) for p in positions]})
    if kind == kinds.TRUE_FALSE:
        value = snapshot["is_true"] if right else not snapshot["is_true"]
        return MultiValueDict({"value": ["true" if value else "false"]})
    if kind == kinds.CLOZE:
        return MultiValueDict({"text": [snapshot["accepted"][0] if right else "?"]})
    options = snapshot["options"]
    matches = {
        f"match-{n}": [str(options.index(pair["right"]) if right else 0)]
        for n, pair in enumerate(snapshot["pairs"])
    }
    return MultiValueDict(matches)


def _sit(*, quiz: Quiz, student, share_right: float, at: datetime, rng) -> None:
    attempt = attempts.attempt_start(quiz=quiz, student=student, now=at)
    for n, question_id in enumerate(attempt.question_ids):
        question, parts = question_load(question_id)
        snapshot = question_snapshot(
            question, parts, seed=attempt.seed, shuffle_choices=quiz.shuffle_choices
        )
        data = _answer(snapshot, right=rng.random() < share_right)
        attempts.attempt_answer(
            attempt_id=attempt.pk,
            student=student,
            question_id=question_id,
            data=data,
            now=at + timedelta(seconds=40 * (n + 1)),
        )


def _study(*, student, essay: Essay, start: datetime, rng) -> None:
    """Two weeks of short daily sessions, in the order the queue gives."""
    cards.deck_cards_create(student=student, essay=essay, now=start)
    for day in range(STUDY_DAYS):
        at = start + timedelta(days=day)
        if day and rng.random() < 0.25:
            continue  # a day off, as students take them
        for _ in range(CARDS_A_DAY):
            card = queue.next_card(student=student, essay=essay, now=at).card
            if card is None:
                break
            rating = rng.choices([1, 2, 3, 4], weights=[2, 1, 6, 1])[0]
            cards.card_rate(
                student=student,
                card_id=card.pk,
                rating=rating,
                token=card.reps,
                duration_ms=rng.randint(2500, 12000),
                now=at,
            )
            at += timedelta(seconds=rng.randint(20, 60))


@transaction.atomic
def demo_class_create(*, teacher, students: list, essay: Essay, now: datetime):
    """The demo class with its work and history; None if it is there already
    (the demo is made once: running it again must not pile up history)."""
    if Classroom.objects.taught_by(teacher).filter(name=DEMO_CLASS).exists():
        return None
    rng = random.Random(2024)
    classroom = classes.classroom_create(name=DEMO_CLASS, teacher=teacher)
    Enrolment.objects.bulk_create(
        Enrolment(classroom=classroom, student=s, joined_at=now - timedelta(days=21))
        for s in students
    )
    quiz = Quiz.objects.filter(essay=essay, is_published=True).order_by("pk").first()
    if quiz is not None:
        classes.assignment_create(
            classroom=classroom,
            teacher=teacher,
            quiz=quiz,
            opens_at=now - timedelta(days=10),
            due_at=now + timedelta(days=4),
        )
        for student, (share_right, days_ago) in zip(students, ATTEMPTS, strict=False):
            at = now - timedelta(days=days_ago, hours=3)
            _sit(quiz=quiz, student=student, share_right=share_right, at=at, rng=rng)
    classes.assignment_create(
        classroom=classroom,
        teacher=teacher,
        essay=essay,
        target_recall=0.85,
        title="Know the causes for the test",
        opens_at=now - timedelta(days=STUDY_DAYS + 1),
        due_at=now + timedelta(days=10),
        now=now,
    )
    start = (now - timedelta(days=STUDY_DAYS)).replace(hour=16, minute=0, second=0)
    for student in students[:2]:
        _study(student=student, essay=essay, start=start, rng=rng)
    return classroom
