"""URLs for undoing an account change; included from accounts/urls/__init__.py."""

from django.urls import URLPattern, path

from accounts.views import account_changes

urlpatterns: list[URLPattern] = [
    path("undo/<str:token>/", account_changes.undo_address_change, name="undo_address_change"),
]
