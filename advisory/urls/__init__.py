from django.urls import include, path

# Each area keeps its own list, so work on one never collides with another.
urlpatterns = [
    path("", include("advisory.urls.decisions")),
    path("", include("advisory.urls.influence")),
    path("", include("advisory.urls.recommendations")),
    path("", include("advisory.urls.feedback")),
]
