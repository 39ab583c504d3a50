"""``{{ user|is_teacher }}``: the Teach area's own rule, for the site's nav."""

from django import template

from quizzes.views.teach import is_teacher as teaches

register = template.Library()


@register.filter
def is_teacher(user) -> bool:
    return teaches(user)
