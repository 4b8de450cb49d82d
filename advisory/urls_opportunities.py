"""URLs for advisory's opportunities area (issue 8); included from advisory/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
