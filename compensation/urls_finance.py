"""URLs for compensation's finance area; included from compensation/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
