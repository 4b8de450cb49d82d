"""URLs for meetings' scheduling area; included from meetings/urls/__init__.py."""

from django.urls import URLPattern, path

from meetings.views import scheduling as views

MEETING = "o/<slug:org>/meetings/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/meetings/", views.meeting_list, name="meetings"),
    path("o/<slug:org>/meetings/new/", views.schedule_meeting, name="schedule_meeting"),
    path(MEETING, views.meeting_page, name="meeting"),
    path(f"{MEETING}edit/", views.edit_meeting, name="edit_meeting"),
    path(f"{MEETING}cancel/", views.cancel_meeting, name="cancel_meeting"),
    path(f"{MEETING}roles/", views.set_meeting_roles, name="set_meeting_roles"),
    path(f"{MEETING}reply/", views.reply_to_meeting, name="reply_to_meeting"),
    path(f"{MEETING}my-role/", views.answer_meeting_role, name="answer_meeting_role"),
    path(f"{MEETING}agenda/propose/", views.propose_agenda_item, name="propose_agenda_item"),
    path(
        f"{MEETING}agenda/<int:item_pk>/decide/",
        views.decide_agenda_item,
        name="decide_agenda_item",
    ),
    path(f"{MEETING}agenda/<int:item_pk>/skip/", views.skip_agenda_item, name="skip_agenda_item"),
]
