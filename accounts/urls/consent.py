"""URLs for the consent area; included from accounts/urls/__init__.py."""

from django.urls import URLPattern, path

from accounts.views import consent

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/my-seat/choices/", consent.my_choices_page, name="my_choices"),
    path(
        "o/<slug:org>/my-seat/choices/<str:scope>/",
        consent.change_choice,
        name="change_choice",
    ),
    path("o/<slug:org>/choices/", consent.consent_overview, name="consent_overview"),
    path("o/<slug:org>/consent-texts/", consent.consent_texts, name="consent_texts"),
    path(
        "o/<slug:org>/consent-texts/<int:pk>/make-effective/",
        consent.make_consent_text_effective,
        name="make_consent_text_effective",
    ),
]
