"""Reads for pages and dashboards, one module per sub-domain. Selectors never
write and never import services; each runs a fixed number of queries,
whatever the number of rows.

Callers name the module: ``selectors.queue.next_card(...)``.
"""

from quizzes.selectors import (
    attempts,
    decks,
    imports,
    questions,
    queue,
    quizzes,
    stats,
)

__all__ = ["attempts", "decks", "imports", "questions", "queue", "quizzes", "stats"]
