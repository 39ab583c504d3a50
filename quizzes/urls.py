from django.urls import path

from quizzes.views import cards, student

urlpatterns = [
    path("", student.home, name="home"),
    path("essays/<slug:slug>/", student.essay_detail, name="essay_detail"),
    # Quizzes and attempts (views/student.py)
    path("quizzes/<int:pk>/start/", student.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", student.attempt, name="attempt"),
    path(
        "attempts/<int:pk>/q/<int:n>/",
        student.attempt_question,
        name="attempt_question",
    ),
    path(
        "attempts/<int:pk>/answer/<int:question_id>/",
        student.attempt_answer,
        name="attempt_answer",
    ),
    path("attempts/<int:pk>/finish/", student.attempt_finish, name="attempt_finish"),
    path("attempts/<int:pk>/result/", student.attempt_result, name="attempt_result"),
    path(
        "attempts/<int:pk>/practise/", student.attempt_practise, name="attempt_practise"
    ),
    # Flashcards (views/cards.py)
    path("flashcards/", cards.decks, name="decks"),
    path("flashcards/stats/", cards.stats, name="card_stats"),
    path("flashcards/cards/<int:pk>/back/", cards.card_back, name="card_back"),
    path("flashcards/cards/<int:pk>/rate/", cards.card_rate, name="card_rate"),
    path("flashcards/cards/<int:pk>/undo/", cards.review_undo, name="review_undo"),
    path("flashcards/<slug:slug>/", cards.deck, name="deck"),
    path("flashcards/<slug:slug>/review/", cards.review, name="review"),
    path("flashcards/<slug:slug>/stats/", cards.stats, name="deck_stats"),
]
