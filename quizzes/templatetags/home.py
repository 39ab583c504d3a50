"""{% assignment_cards assignments %} and {% quiz_cards quizzes teacher %}:
the cards of the student's home page.

The template engine took most of the page's time over twenty cards (a
couple of hundred {% if %} and lookups); this writes the very same HTML
(tests/test_home_cards.py renders the old loops, tests/data/home_cards.html,
and compares, whitespace and all) from Python. Everything a person typed (a
title, a class's name) is escaped as the template escaped it.
"""

import html

from django import template
from django.template.defaultfilters import floatformat
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from quizzes.templatetags.gradebook import _n, _s

register = template.Library()

_NO_ASSIGNMENT = (
    '\n        <p class="muted">Nothing is assigned to you yet. Once you join your'
    " class with its code, your teacher's work appears here, due dates first.</p>"
    "\n      "
)


def _e(value) -> str:
    """``{{ value }}``: conditional_escape, without its lazy wrapper's cost."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _csrf(context) -> str:
    """What {% csrf_token %} writes."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
    )


def _ratio(value) -> str:
    """{% widthratio value 1 100 %}"""
    return str(round(float(value) * 100))


def _facts(row) -> list[str]:
    a, shown = row.assignment, row.shown
    opens, due, closes = shown["opens"], shown["due"], shown["closes"]
    out = ['\n          <ul class="quiz-facts">\n            \n            ']
    if not row.opened:
        out.append(
            f'<li>Opens <time datetime="{_e(opens.iso)}">{_e(opens.label)} UTC'
            "</time></li>"
        )
    was = "Was due" if row.status == "overdue" else "Due"
    out.append(
        f'\n            <li>{was} <strong><time datetime="{_e(due.iso)}">'
        f"{_e(due.label)} UTC</time></strong></li>\n            "
    )
    if closes:
        verb = "Closed" if row.closed else "Closes"
        out.append(f"<li>{verb} {_e(closes.label)} UTC</li>")
    out.append("\n            \n            ")
    goal = row.goal
    if goal:
        out.append(
            f"\n              <li>Studied: {_n(goal.studied)} of {_n(goal.cards)}"
            f" card{_s(goal.cards)}</li>\n              <li>Predicted recall on the"
            f" due date: <strong>{_ratio(goal.recall)}%</strong> (goal"
            f" {_ratio(a.target_recall)}%)</li>\n            "
        )
    else:
        allowed = _n(row.attempts_allowed) if row.attempts_allowed else "unlimited"
        out.append(
            f"\n              <li>Attempts: {_n(a.attempts_used)} / {allowed}</li>"
            "\n              "
        )
        if row.score is not None:
            out.append(f"<li>Score: <strong>{floatformat(row.score, 0)}%</strong></li>")
        out.append("\n            ")
    out.append("\n          </ul>\n          ")
    if goal:
        out.append(
            f'<progress value="{_n(goal.studied)}" max="{_n(goal.cards or 1)}"'
            f' aria-label="{_n(goal.studied)} of {_n(goal.cards)} cards studied">'
            "</progress>"
        )
    return out


def _actions(row, csrf: str) -> list[str]:
    a, links = row.assignment, row.links
    out = ['\n          <footer class="quiz-actions">\n            ']
    if row.goal:
        out.append("\n              ")
        if row.opened:
            section = ""
            if a.section:
                section = (
                    '<input type="hidden" name="section"'
                    f' value="{_n(a.section.order)}">'
                )
            done = ' class="secondary outline"' if row.status == "done" else ""
            out.append(
                f'<form method="post" action="{_e(links["study"])}"'
                f' class="inline-form">{csrf}{section}<button type="submit"{done}>'
                "Study</button></form>"
            )
        out.append("\n            ")
    elif a.open_attempt:
        out.append(
            f'\n              <a href="{_e(links["continue"])}" role="button">'
            "Continue</a>\n            "
        )
    elif row.can_start:
        again = row.status in ("done", "late")
        look = ' class="secondary outline"' if again else ""
        label = "Try again" if a.attempts_used else "Start"
        out.append(
            f'\n              <form method="post" action="{_e(links["start"])}"'
            f' class="inline-form">\n                {csrf}\n                <button'
            f' type="submit"{look}>{label}</button>\n              </form>'
            "\n            "
        )
    elif row.closed:
        out.append(
            '\n              <span class="muted">Closed: no new attempt can start.'
            "</span>\n            "
        )
    elif row.opened:
        out.append(
            '\n              <span class="muted">No attempts left</span>\n            '
        )
    out.append("\n            ")
    if a.last_result:
        out.append(f'<a href="{_e(links["result"])}">Last result</a>')
    out.append("\n          </footer>\n        </article>\n        \n      ")
    return out


@register.simple_tag(takes_context=True)
def assignment_cards(context, rows) -> SafeString:
    """The loop over "Your assignments" (selectors.home.AssignmentRow)."""
    if not rows:
        return mark_safe(_NO_ASSIGNMENT)  # noqa: S308 (a constant)
    csrf = _csrf(context)
    out = []
    for row in rows:
        out.append(
            f'\n        \n        <article class="assignment-card is-{_e(row.status)}">'
            '\n          <header class="assignment-header">\n            <div>'
            f"\n              <h3>{_e(row.title)}</h3>"
            f'\n              <p class="muted">{_e(row.what)}</p>\n            </div>'
            f'\n            <span class="status status-{_e(row.status)}">'
            f"{_e(row.status_label)}</span>\n          </header>"
        )
        out += _facts(row)
        out += _actions(row, csrf)
    return mark_safe("".join(out))  # noqa: S308 (each value escaped above)


def _quiz(quiz, teacher: bool, csrf: str) -> str:
    n = quiz.question_count
    out = [
        '\n      <article class="quiz-card">\n        <header>'
        f"\n          <h3>{_e(quiz.title)}</h3>"
        f'\n          <p class="muted">{_e(quiz.essay.title)}</p>\n        </header>'
        f'\n        <ul class="quiz-facts">\n          <li>{_n(n)} question{_s(n)}</li>'
        "\n          "
    ]
    if quiz.time_limit_minutes:
        out.append(f"<li>{_n(quiz.time_limit_minutes)} min</li>")
    out.append("\n          ")
    allowed = quiz.attempts_allowed_now
    if not teacher:
        best = "–"
        if quiz.best_score is not None:
            best = f"<strong>{floatformat(quiz.best_score, 0)}%</strong>"
        limit = _n(allowed) if allowed else "unlimited"
        out.append(
            f"\n            <li>Attempts: {_n(quiz.attempts_used)} / {limit}</li>"
            f"\n            <li>Best score: {best}</li>\n          "
        )
    out.append(
        f"\n          <li>Pass mark: {_n(quiz.pass_mark)}%</li>\n        </ul>"
        '\n        <footer class="quiz-actions">\n          '
    )
    links = quiz.links
    if teacher:
        out.append(
            f'\n            <a href="{_e(links["preview"])}" role="button">Preview</a>'
            '\n            <span class="muted">Graded as a student\'s, never stored.'
            "</span>\n          "
        )
    elif quiz.open_attempt:
        out.append(
            f'\n            <a href="{_e(links["continue"])}" role="button">'
            "Continue</a>\n          "
        )
    elif not allowed or quiz.attempts_used < allowed:
        label = "Try again" if quiz.attempts_used else "Start"
        out.append(
            f'\n            <form method="post" action="{_e(links["start"])}"'
            f' class="inline-form">\n              {csrf}\n              <button'
            f' type="submit">{label}</button>\n            </form>\n          '
        )
    else:
        out.append(
            '\n            <span class="muted">No attempts left</span>\n          '
        )
    out.append("\n          ")
    if quiz.last_result:
        out.append(f'<a href="{_e(links["result"])}">Last result</a>')
    out.append("\n        </footer>\n      </article>\n    ")
    return "".join(out)


@register.simple_tag(takes_context=True)
def quiz_cards(context, quizzes, teacher) -> SafeString:
    """The loop over "Your quizzes" (selectors.quizzes.quizzes_for)."""
    if not quizzes:
        if teacher:
            text = "No quiz is published yet."
        else:
            text = (
                "No quiz is open to you yet: your teacher's quizzes appear here"
                " once they are assigned to your class."
            )
        return mark_safe(f'\n      <p class="muted">{text}</p>\n    ')  # noqa: S308
    csrf = _csrf(context)
    return mark_safe("".join(_quiz(q, bool(teacher), csrf) for q in quizzes))  # noqa: S308
