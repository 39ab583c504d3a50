"""The models, one module per sub-domain; import them from here."""

from quizzes.models.cards import Card, CardsMade, DeckSettings, Review
from quizzes.models.classes import (
    Assignment,
    Classroom,
    Enrolment,
    Extension,
    ScoreOverride,
)
from quizzes.models.content import (
    AcceptedAnswer,
    Choice,
    Claim,
    Essay,
    MatchPair,
    Question,
    Section,
)
from quizzes.models.imports import ImportJob
from quizzes.models.quizzes import Attempt, Quiz, QuizQuestion, Response

__all__ = [
    "AcceptedAnswer",
    "Assignment",
    "Attempt",
    "Card",
    "CardsMade",
    "Choice",
    "Claim",
    "Classroom",
    "DeckSettings",
    "Enrolment",
    "Essay",
    "Extension",
    "ImportJob",
    "MatchPair",
    "Question",
    "Quiz",
    "QuizQuestion",
    "Response",
    "Review",
    "ScoreOverride",
    "Section",
]
