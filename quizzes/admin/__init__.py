"""The authoring side, where teachers import essays and review, edit and
publish the questions made from them; one module per model family.

Everything a teacher typed is shown escaped: HTML is only ever built with
``format_html``. Importing this package registers every ModelAdmin.
"""

from quizzes.admin import cards, content, questions, quizzes

__all__ = ["cards", "content", "questions", "quizzes"]
