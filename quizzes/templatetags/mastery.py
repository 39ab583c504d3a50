"""{% mastery_cells row base %}: the cells of one row of the mastery map.

A class of 300 students on an essay of 60 claims is 18,000 cells. The
template engine takes seconds over them, format_html a good part of one;
this takes a few milliseconds. It can join plain strings safely because a
cell holds nothing a person typed: ids and a percent are ints, the class is
one of a fixed few (``selectors.mastery.Cell.css``), and the base URL is
escaped once.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A cell without evidence: a dot to see, a word to hear.
_NONE = '<span aria-hidden="true">·</span><span class="visually-hidden">none</span>'


@register.simple_tag
def mastery_cells(cells, base: str) -> SafeString:
    """Each cell: its colour class and a link to its evidence, under `base`
    (empty: relative to the map's address)."""
    base = escape(base)
    # Safe: ints and fixed class names only (see the module's docstring).
    return mark_safe(
        "".join(
            f'<td class="{cell.css}"><a href="{base}{int(cell.student)}/'
            f'{int(cell.claim)}/">'
            f"{_NONE if cell.mastery is None else int(cell.percent)}</a></td>"
            for cell in cells
        )
    )


@register.simple_tag
def mastery_figures(figures) -> SafeString:
    """A row of means (a section's, the class's): a coloured percent each."""
    # Safe: ints and fixed class names only (see the module's docstring).
    return mark_safe(
        "".join(
            f'<td class="{figure.css}">'
            f"{'' if figure.value is None else int(figure.percent)}</td>"
            for figure in figures
        )
    )


@register.filter
def pct(value) -> str:
    """A share (0-1) or a mastery figure as "63 %", or "–" when there is none."""
    value = getattr(value, "value", value)
    return "–" if value is None else f"{round(value * 100)} %"
