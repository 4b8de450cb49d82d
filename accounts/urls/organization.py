"""URLs for the organization's own settings; included from accounts/urls/__init__.py."""

from django.urls import URLPattern, path

from accounts.views import organization

urlpatterns: list[URLPattern] = [
    path(
        "o/<slug:org>/settings/",
        organization.organization_settings,
        name="organization_settings",
    ),
]
