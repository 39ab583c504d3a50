"""{% gradebook_rows book classroom %}: the body rows of the class dashboard.

300 students x 10 assignments is 3,000 cells, and the template engine took
a quarter of a second over them (a {% url %} and a dozen lookups a cell).
This writes the very same HTML (tests/test_gradebook_rows.py renders both
and compares them, whitespace and all) from Python: the URLs are reversed
once per kind and completed with ids, and everything a person typed (a
name, a username) is escaped as the template escaped it.
"""

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

register = template.Library()

_ID = 2147483647  # an id no row has, to cut a reversed URL where ids go


def _url(name: str, *args) -> tuple[str, ...]:
    """The URL's text around the ids after the first (the class's)."""
    url = escape(reverse(name, args=[args[0]] + [_ID] * (len(args) - 1)))
    return tuple(url.split(str(_ID)))


def _n(value) -> str:
    """An int as ``{{ value }}`` writes it."""
    if settings.USE_THOUSAND_SEPARATOR:
        return number_format(value, use_l10n=True)
    return str(value)


def _s(count) -> str:
    return "" if count == 1 else "s"


_QUIZ, _END = "\n                ", "\n              "
_NOT_ASSIGNED = (
    '\n                <span class="muted">n/a<span class="visually-hidden">, '
    "not assigned</span></span>\n              "
)
_NOT_STARTED = (
    '\n                  <span class="muted">–<span class="visually-hidden">'
    "not started</span></span>\n                "
)
_MET = ' <span class="badge badge-met"><span aria-hidden="true">✓</span> met</span>'
_NO_CARDS = '\n                <span class="muted">no cards</span>\n              '


def _extension(extension) -> str:
    if not extension:
        return ""
    title = "Extension"
    if extension.extra_attempts:
        n = extension.extra_attempts
        title += f": +{_n(n)} attempt{_s(n)}"
    if extension.extra_minutes:
        title += f", +{_n(extension.extra_minutes)} min"
    if extension.due_at:
        due = date_filter(template_localtime(extension.due_at), "j M H:i")
        title += f", due {escape(due)}"
    return f'<small class="badge badge-extension" title="{title}">extended</small>'


def _quiz(cell, name: str, student_id: int, urls: dict) -> str:
    if cell.attempt_id:
        a, b = urls["attempt"]
        value = "in progress" if cell.value is None else f"{_n(cell.value)}%"
        late = ' <span class="badge badge-late">late</span>' if cell.late else ""
        return (
            f'\n                  <a href="{a}{cell.attempt_id}{b}" '
            f'class="cell-score">{value}</a>{late}'
            f'\n                  <small class="cell-detail">{_n(cell.attempts)} '
            f"attempt{_s(cell.attempts)}</small>\n                "
        )
    if cell.missing:
        a, b, c = urls["extension"]
        return (
            f'\n                  <a href="{a}{cell.assignment.pk}{b}{student_id}{c}" '
            'class="cell-missing">missing<span class="visually-hidden">: give '
            f"{name} more time</span></a>\n                "
        )
    return _NOT_STARTED


def _cell(cell, name: str, student_id: int, urls: dict) -> str:
    classes = ("gradebook-cell", " is-late" * cell.late, " is-met" * cell.met)
    if not cell.assigned:
        body = _NOT_ASSIGNED
    elif cell.is_quiz:
        body = _QUIZ + _quiz(cell, name, student_id, urls) + _END
    elif cell.total:
        met = _MET if cell.met else ""
        body = (
            f'\n                <span class="cell-score">{_n(cell.value)}%</span>{met}'
            f'\n                <small class="cell-detail">{_n(cell.studied)}/'
            f"{_n(cell.total)} studied</small>\n              "
        )
    else:
        body = _NO_CARDS
    return (
        f'\n            <td class="{"".join(classes)}">\n              {body}'
        f"\n              {_extension(cell.extension)}\n            </td>\n          "
    )


@register.simple_tag
def gradebook_rows(book, classroom) -> SafeString:
    """Each row of the grid, as the template's loop wrote it."""
    urls = {
        "student": _url("teach_student", classroom.pk, 0),
        "attempt": _url("teach_attempt", classroom.pk, 0),
        "extension": _url("teach_extension", classroom.pk, 0, 0),
    }
    a, b = urls["student"]
    rows = []
    for row in book.rows:
        student = row.student
        name, username = escape(row.name), escape(student.username)
        also = (
            f' <small class="muted">{username}</small>'
            if row.name != student.username
            else ""
        )
        cells = "".join(_cell(cell, name, student.pk, urls) for cell in row.cells)
        rows.append(
            "\n        <tr>\n          "
            f'<th scope="row" class="gradebook-name"><a href="{a}{student.pk}{b}">'
            f"{name}</a>{also}</th>\n          {cells}\n        </tr>\n      "
        )
    # Safe: every text a person typed is escaped above; the rest is ours.
    return mark_safe("".join(rows))  # noqa: S308
