"""URLs for advisory's report funder area (issue 7); included from advisory/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
