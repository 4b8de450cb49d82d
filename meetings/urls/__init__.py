from django.urls import include, path

# Each area keeps its own list, so work on one never collides with another.
urlpatterns = [
    path("", include("meetings.urls.scheduling")),
    path("", include("meetings.urls.attendance")),
    path("", include("meetings.urls.input")),
    path("", include("meetings.urls.minutes")),
]
