"""URLs for paid opportunities; included from config/urls.py."""

from django.urls import URLPattern, path

from opportunities.views import opportunities as views

P = "o/<slug:org>/opportunities/"

urlpatterns: list[URLPattern] = [
    # Survivor leaders: open work, their own interest, offers and terms.
    path(P, views.opportunities, name="opportunities"),
    path(P + "mine/", views.my_opportunities, name="my_opportunities"),
    path(P + "<int:pk>/", views.opportunity, name="opportunity"),
    path(P + "<int:pk>/interest/", views.opportunity_interest, name="opportunity_interest"),
    path(
        P + "<int:pk>/interest/take-back/",
        views.withdraw_opportunity_interest,
        name="withdraw_opportunity_interest",
    ),
    path(P + "<int:pk>/offer/", views.answer_opportunity_offer, name="answer_opportunity_offer"),
    path(P + "<int:pk>/terms/", views.opportunity_terms, name="opportunity_terms"),
    path(
        P + "<int:pk>/step-back/",
        views.step_back_from_opportunity,
        name="step_back_from_opportunity",
    ),
    # Posting: staff, admins and survivor co-chairs.
    path(P + "posted/", views.manage_opportunities, name="manage_opportunities"),
    path(P + "new/", views.new_opportunity, name="new_opportunity"),
    path(P + "<int:pk>/edit/", views.edit_opportunity, name="edit_opportunity"),
    path(P + "<int:pk>/end/", views.end_opportunity, name="end_opportunity"),
    # Staff and admins: who is interested, offers, bookings, work done.
    path(P + "bookings/", views.opportunity_bookings, name="opportunity_bookings"),
    path(P + "<int:pk>/people/", views.staff_opportunity, name="staff_opportunity"),
    path(
        P + "<int:pk>/people/<int:interest>/offer/",
        views.offer_opportunity,
        name="offer_opportunity",
    ),
    path(
        P + "<int:pk>/people/<int:interest>/done/",
        views.complete_opportunity_booking,
        name="complete_opportunity_booking",
    ),
]
