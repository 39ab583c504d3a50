"""The Teach area: analysis."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
