"""URLs for advisory's report board area (issue 7); included from advisory/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
