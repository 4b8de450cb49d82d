"""URLs for meetings' attendance area; included from meetings/urls/__init__.py."""

from django.urls import URLPattern, path

from meetings.views import attendance

urlpatterns: list[URLPattern] = [
    path(
        "o/<slug:org>/meetings/<int:pk>/attendance/",
        attendance.record_attendance,
        name="record_attendance",
    ),
    path(
        "o/<slug:org>/my-seat/attendance/",
        attendance.my_attendance_page,
        name="my_attendance",
    ),
]
