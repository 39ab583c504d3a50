from django.urls import path

from quizzes.views import student

urlpatterns = [
    path("", student.home, name="home"),
    path("essays/<slug:slug>/", student.essay_detail, name="essay_detail"),
]
