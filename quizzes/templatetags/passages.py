"""``{% passage p %}``: a claim's passage with the claim marked.

The one place the marked passage becomes HTML, for the student pages and the
admin alike; every piece of the essay is escaped, only the ``<mark>`` is ours.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def passage_html(passage: dict | None) -> SafeString:
    """``Claim.passage()`` (or a snapshot's copy of it) as HTML; "" for None."""
    if not passage:
        return SafeString("")
    return format_html(
        '<span class="passage-text">{}<mark>{}</mark>{}</span>',
        passage["before"],
        passage["claim"],
        passage["after"],
    )


register.simple_tag(passage_html, name="passage")
