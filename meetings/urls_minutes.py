"""URLs for meetings' minutes area; included from meetings/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
