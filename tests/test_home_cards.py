"""{% assignment_cards %} and {% quiz_cards %} (quizzes/templatetags/home.py)
write the home page's cards exactly as the template's loops did
(tests/data/home_cards.html), for every kind of card: a page made faster
must not read differently."""

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.template import engines

from quizzes.models import Assignment, Classroom, Essay, Quiz, Section
from quizzes.selectors.home import AssignmentRow, GoalProgress, Status
from quizzes.templatetags.home import assignment_cards, quiz_cards

REFERENCE = Path(__file__).parent / "data" / "home_cards.html"
OPENS = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
LINKS = {
    "continue": "/attempts/3/?a=1&b=2",
    "result": "/attempts/4/result/",
    "start": "/quizzes/5/start/",
    "study": "/flashcards/the-purge/study/",
    "preview": "/quizzes/5/preview/",
}


def _reference(context: dict) -> str:
    source = REFERENCE.read_text(encoding="utf-8")
    return engines["django"].from_string(source).render(context)


def _ours(context: dict) -> str:
    cards = assignment_cards(context, context["assignments"])
    quizzes = quiz_cards(context, context["quizzes"], context.get("teacher"))
    return f"{cards}\n\n{quizzes}\n"  # the reference's lines between


def _assignment(kind, *, titled, section, closes, grading, extra) -> Assignment:
    a = Assignment(
        pk=7,
        kind=kind,
        title="<i>Homework</i>" if titled else "",
        opens_at=OPENS,
        due_at=OPENS + timedelta(days=2),
        closes_at=OPENS + timedelta(days=3) if closes else None,
        target_recall=0.855,
    )
    a.classroom = Classroom(name="Year 10 & <History>")
    a.quiz = Quiz(title="Causes <b>of</b> it", attempts_allowed=extra, grading=grading)
    a.essay = Essay(title="The 'Great' Purge")
    a.section = Section(order=2, heading="Causes") if section else None
    a.student_due_at = a.due_at + timedelta(hours=1)
    a.student_closes_at = a.closes_at
    a.extra_attempts = 1
    return a


def _rows():
    for kind, titled, section, closes, status, opened, closed in itertools.product(
        [Assignment.Kind.QUIZ, Assignment.Kind.CARDS],
        [True, False],
        [True, False],
        [True, False],
        [Status.OVERDUE, Status.DONE, Status.LATE, Status.NOT_STARTED],
        [True, False],
        [True, False],
    ):
        for allowed, used, open_attempt, last, score in [
            (0, 0, None, None, None),
            (2, 1, 3, 4, 66.5),
            (1, 2, None, 4, 0.0),
            (3, 1, None, None, 100.0),
        ]:
            a = _assignment(
                kind,
                titled=titled,
                section=section,
                closes=closes,
                grading=Quiz.Grading.LAST if score == 0.0 else Quiz.Grading.HIGHEST,
                extra=allowed,
            )
            a.attempts_used, a.open_attempt, a.last_result = used, open_attempt, last
            a.best_score, a.last_score = score, score
            goal = None
            if kind == Assignment.Kind.CARDS:
                goal = GoalProgress(cards=used, studied=min(used, 1), recall=0.125)
                goal.claims = used
            row = AssignmentRow(a, status, opened=opened, closed=closed, goal=goal)
            row.links = LINKS
            yield row


def _quizzes():
    for limit, time, best, used, open_attempt, last, count in itertools.product(
        [0, 2], [None, 20], [None, 72.5, 0.0], [0, 1, 2], [None, 3], [None, 4], [1, 6]
    ):
        quiz = Quiz(
            pk=5, title="A <quiz> & more", time_limit_minutes=time, pass_mark=60
        )
        quiz.essay = Essay(title="The 'Great' Purge")
        quiz.question_count, quiz.attempts_allowed_now = count, limit
        quiz.attempts_used, quiz.best_score = used, best
        quiz.open_attempt, quiz.last_result = open_attempt, last
        quiz.links = LINKS
        yield quiz


# Without a token Django's own {% csrf_token %} calls format_html("") in the
# reference, which Django 5.2 warns about (its code, not ours).
@pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning")
@pytest.mark.parametrize("teacher", [False, True])
@pytest.mark.parametrize("token", ["a-token", "NOTPROVIDED", None])
def test_the_cards_are_the_templates(teacher, token):
    context = {"assignments": list(_rows()), "quizzes": list(_quizzes())}
    context |= {"teacher": teacher, "csrf_token": token}
    ours = _ours(context)
    assert ours == _reference(context)
    if token == "a-token" and not teacher:
        assert 'name="csrfmiddlewaretoken" value="a-token"' in ours


@pytest.mark.parametrize("teacher", [False, True])
def test_no_card_says_so_as_the_template_did(teacher):
    context = {"assignments": [], "quizzes": [], "teacher": teacher}
    assert _ours(context) == _reference(context)
