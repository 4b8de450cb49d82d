"""URLs for compensation's mypay area; included from compensation/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
