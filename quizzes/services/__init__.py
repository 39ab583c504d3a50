"""Writes, one module per sub-domain; each public function is one transaction.

Callers name the module: ``services.attempts.attempt_answer(...)``.
"""

from quizzes.services import (
    attempts,
    cards,
    classes,
    demo,
    import_jobs,
    imports,
    interchange,
    questions,
    quizzes,
)

__all__ = [
    "attempts",
    "cards",
    "classes",
    "demo",
    "import_jobs",
    "imports",
    "interchange",
    "questions",
    "quizzes",
]
