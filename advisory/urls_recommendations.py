"""URLs for advisory's recommendations area; included from advisory/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
