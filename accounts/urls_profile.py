"""URLs for the profile area; included from accounts/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
