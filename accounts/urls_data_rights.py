"""URLs for the data_rights area; included from accounts/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
