from django.urls import include, path

# Each area keeps its own list, so work on one never collides with another.
urlpatterns = [
    path("", include("compensation.urls_rates")),
    path("", include("compensation.urls_mypay")),
    path("", include("compensation.urls_finance")),
    path("", include("compensation.urls_claims")),
]
