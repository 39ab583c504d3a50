from django.urls import path

from quizzes.views import cards, student

urlpatterns = [
    path("", student.home, name="home"),
    path("essays/<slug:slug>/", student.essay_detail, name="essay_detail"),
    # Quizzes and attempts (views/student.py)
    # Flashcards (views/cards.py)
    path("flashcards/", cards.decks, name="decks"),
]
