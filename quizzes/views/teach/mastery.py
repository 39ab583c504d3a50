"""The Teach area: mastery."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
