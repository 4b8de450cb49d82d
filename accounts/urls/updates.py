"""URLs for a person's updates; included from accounts/urls/__init__.py."""

from django.urls import URLPattern, path

from accounts.views import updates

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/updates/", updates.updates, name="updates"),
    path("o/<slug:org>/updates/seen/", updates.mark_updates_seen, name="mark_updates_seen"),
    path(
        "o/<slug:org>/updates/sign-in-notice/read/",
        updates.sign_in_notice_read,
        name="sign_in_notice_read",
    ),
    path("o/<slug:org>/updates/<uuid:public_id>/", updates.open_update, name="open_update"),
]
