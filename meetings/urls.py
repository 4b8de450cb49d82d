from django.urls import include, path

# Each area keeps its own list, so work on one never collides with another.
urlpatterns = [
    path("", include("meetings.urls_scheduling")),
    path("", include("meetings.urls_attendance")),
    path("", include("meetings.urls_input")),
    path("", include("meetings.urls_minutes")),
]
