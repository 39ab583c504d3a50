"""The Teach area: gradebook."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
