"""URLs for advisory's decisions area; included from advisory/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
