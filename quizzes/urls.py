from django.urls import include, path

from quizzes.views import attempts, cards, downloads, home, preview
from quizzes.views.teach import (
    analysis,
    assignments,
    classes,
    gradebook,
    mastery,
    review,
)

# Each module of views/teach/ lists its own URLs.
teach_urlpatterns = [
    *classes.urlpatterns,
    *assignments.urlpatterns,
    *gradebook.urlpatterns,
    *analysis.urlpatterns,
    *mastery.urlpatterns,
    *review.urlpatterns,
]

urlpatterns = [
    path("", home.home, name="home"),
    path("essays/<slug:slug>/", home.essay_detail, name="essay_detail"),
    path("classes/join/", home.class_join, name="class_join"),
    # Quizzes and attempts (views/attempts.py)
    path("quizzes/<int:pk>/start/", attempts.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", attempts.attempt, name="attempt"),
    path(
        "attempts/<int:pk>/q/<int:n>/",
        attempts.attempt_question,
        name="attempt_question",
    ),
    path(
        "attempts/<int:pk>/answer/<int:question_id>/",
        attempts.attempt_answer,
        name="attempt_answer",
    ),
    path(
        "attempts/<int:pk>/summary/", attempts.attempt_summary, name="attempt_summary"
    ),
    path("attempts/<int:pk>/finish/", attempts.attempt_finish, name="attempt_finish"),
    path("attempts/<int:pk>/result/", attempts.attempt_result, name="attempt_result"),
    path(
        "attempts/<int:pk>/practise/",
        attempts.attempt_practise,
        name="attempt_practise",
    ),
    # Teachers' previews, graded and never stored (views/preview.py)
    path("quizzes/<int:pk>/preview/", preview.quiz_preview, name="quiz_preview"),
    path(
        "preview/questions/<int:question_id>/answer/",
        preview.preview_answer,
        name="preview_answer",
    ),
    # Flashcards (views/cards.py)
    path("flashcards/", cards.decks, name="decks"),
    path("flashcards/stats/", cards.stats, name="card_stats"),
    path("flashcards/cards/<int:pk>/back/", cards.card_back, name="card_back"),
    path("flashcards/cards/<int:pk>/rate/", cards.card_rate, name="card_rate"),
    path("flashcards/cards/<int:pk>/undo/", cards.rating_undo, name="rating_undo"),
    path("flashcards/<slug:slug>/", cards.deck, name="deck"),
    path("flashcards/<slug:slug>/study/", cards.study, name="study"),
    path("flashcards/<slug:slug>/start/", cards.study_start, name="study_start"),
    path("flashcards/<slug:slug>/stats/", cards.stats, name="deck_stats"),
    path("flashcards/<slug:slug>/anki/", downloads.deck_anki, name="deck_anki"),
    # The Teach area (views/teach/): every name starts with "teach_", and a
    # class is always the URL's `pk` (see tests/test_teach_access.py).
    path("teach/", include(teach_urlpatterns)),
]
