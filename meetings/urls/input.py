"""URLs for meetings' input area; included from meetings/urls/__init__.py."""

from django.urls import URLPattern, path

from meetings.views import input as views

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/meetings/<int:pk>/input/", views.meeting_input, name="meeting_input"),
    path(
        "o/<slug:org>/meetings/<int:pk>/input/on-behalf/",
        views.record_input_on_behalf,
        name="record_input_on_behalf",
    ),
    path("o/<slug:org>/input/", views.input_overview, name="input_overview"),
    path("o/<slug:org>/input/to-check/", views.inputs_to_check, name="inputs_to_check"),
    path("o/<slug:org>/input/<uuid:public_id>/edit/", views.edit_input, name="edit_input"),
    path(
        "o/<slug:org>/input/<uuid:public_id>/withdraw/",
        views.withdraw_input,
        name="withdraw_input",
    ),
    path(
        "o/<slug:org>/input/<uuid:public_id>/history/",
        views.input_history,
        name="input_history",
    ),
    path(
        "o/<slug:org>/input/<uuid:public_id>/confirm/",
        views.confirm_input,
        name="confirm_input",
    ),
]
