"""URLs for advisory's influence area; included from advisory/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
