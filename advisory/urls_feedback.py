"""URLs for advisory's feedback area (issue 8); included from advisory/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
