"""The Teach area: assignments."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
