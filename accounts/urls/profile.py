"""URLs for the profile area; included from accounts/urls/__init__.py."""

from django.urls import URLPattern, path

from accounts.views import profile

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/my-seat/profile/", profile.my_profile, name="my_profile"),
    path(
        "o/<slug:org>/my-seat/payment-details/",
        profile.my_payment_details,
        name="my_payment_details",
    ),
    path("o/<slug:org>/my-seat/who-has-seen/", profile.who_has_seen, name="who_has_seen"),
    path("o/<slug:org>/people/", profile.people, name="people"),
    path("o/<slug:org>/people/<int:user_id>/", profile.survivor_profile, name="survivor_profile"),
]
