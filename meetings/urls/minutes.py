"""URLs for meetings' minutes area; included from meetings/urls/__init__.py."""

from django.urls import URLPattern, path

from meetings.views import minutes

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/meetings/<int:pk>/minutes/", minutes.minutes, name="minutes"),
    path("o/<slug:org>/meetings/<int:pk>/minutes/edit/", minutes.edit_minutes, name="edit_minutes"),
    path(
        "o/<slug:org>/meetings/<int:pk>/minutes/comment/",
        minutes.comment_on_minutes,
        name="comment_on_minutes",
    ),
    path(
        "o/<slug:org>/meetings/<int:pk>/minutes/approve/",
        minutes.approve_minutes,
        name="approve_minutes",
    ),
]
