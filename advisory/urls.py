from django.urls import include, path

# Each area keeps its own list, so work on one never collides with another.
urlpatterns = [
    path("", include("advisory.urls_decisions")),
    path("", include("advisory.urls_influence")),
    path("", include("advisory.urls_recommendations")),
    path("", include("advisory.urls_feedback")),
]
