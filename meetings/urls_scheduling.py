"""URLs for meetings' scheduling area; included from meetings/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
