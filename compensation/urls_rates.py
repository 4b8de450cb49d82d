"""URLs for compensation's rates area; included from compensation/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
