from django.urls import include, path

# Each area keeps its own list, so work on one never collides with another.
urlpatterns = [
    path("", include("compensation.urls.rates")),
    path("", include("compensation.urls.mypay")),
    path("", include("compensation.urls.finance")),
    path("", include("compensation.urls.claims")),
]
