"""URLs for compensation's claims area; included from compensation/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
