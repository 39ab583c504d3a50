"""{% roster_rows classroom locked %}: the rows of a class page's roster.

Each row has three links and one or two forms; for 300 students the
template engine took most of the page's 60 ms over them. This writes the
very same HTML (tests/test_roster_rows.py renders both and compares them)
from Python, the URLs reversed once, what a person typed escaped as the
template escaped it, and the CSRF field the template's {% csrf_token %}.
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

register = template.Library()

_ID = 2147483647  # an id no student has, to cut a reversed URL where it goes


def _url(name: str, classroom_pk: int) -> tuple[str, str]:
    before, after = escape(reverse(name, args=[classroom_pk, _ID])).split(str(_ID))
    return before, after


_STAFF = '\n                <span class="muted">Staff account</span>\n              '


def _actions(student, username: str, locked: set, urls: dict, csrf: str) -> str:
    if student.is_staff or student.is_superuser:
        return _STAFF
    lock = ""
    if student.get_username() in locked:
        a, b = urls["unlock"]
        lock = (
            '\n                  <span class="status status-late">Locked out</span>'
            f'\n                  <form method="post" action="{a}{student.pk}{b}" '
            f'class="inline-form">\n                    {csrf}'
            '\n                    <button type="submit" class="link-button">Unlock'
            f'<span class="visually-hidden"> {username}</span></button>'
            "\n                  </form>\n                "
        )
    a, b = urls["password"]
    return (
        f"\n                {lock}"
        f'\n                <form method="post" action="{a}{student.pk}{b}" '
        f'class="inline-form">\n                  {csrf}'
        '\n                  <button type="submit" class="link-button">New password'
        f'<span class="visually-hidden"> for {username}</span></button>'
        "\n                </form>\n              "
    )


def _row(enrolment, locked: set, urls: dict, csrf: str) -> str:
    student = enrolment.student
    username = escape(student.get_username())
    name = escape(student.get_full_name() or student.get_username())
    email = escape(student.email) if student.email else "–"
    joined = template_localtime(enrolment.joined_at)
    when, day = date_filter(joined, "c"), date_filter(joined, "j M Y")
    see, remove = urls["student"], urls["remove"]
    actions = _actions(student, username, locked, urls, csrf)
    return (
        "\n          \n          <tr>"
        f'\n            <th scope="row"><a href="{see[0]}{student.pk}{see[1]}">'
        f"{name}</a></th>"
        f'\n            <td data-label="Username"><code>{username}</code></td>'
        f'\n            <td data-label="Email">{email}</td>'
        f'\n            <td data-label="Joined"><time datetime="{escape(when)}">'
        f"{escape(day)}</time></td>"
        f'\n            <td class="roster-actions">\n              {actions}'
        f'\n              <a href="{remove[0]}{student.pk}{remove[1]}">Remove'
        f'<span class="visually-hidden"> {username}</span></a>'
        "\n            </td>\n          </tr>\n          \n        "
    )


@register.simple_tag(takes_context=True)
def roster_rows(context, classroom, locked) -> SafeString:
    """Each enrolment of ``classroom.roster``, as the template's loop wrote it."""
    urls = {
        name: _url(f"teach_student{suffix}", classroom.pk)
        for name, suffix in (
            ("student", ""),
            ("unlock", "_unlock"),
            ("password", "_password"),
            ("remove", "_remove"),
        )
    }
    csrf = str(CsrfTokenNode().render(context))
    rows = (_row(enrolment, locked, urls, csrf) for enrolment in classroom.roster)
    # Safe: every text a person typed is escaped above; the rest is ours.
    return mark_safe("".join(rows))  # noqa: S308
