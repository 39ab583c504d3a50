"""The Teach area: classes."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
