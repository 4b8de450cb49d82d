"""URLs for meetings' input area; included from meetings/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
