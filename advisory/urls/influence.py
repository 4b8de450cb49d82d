"""URLs for advisory's influence area; included from advisory/urls/__init__.py."""

from django.urls import URLPattern, path

from advisory.views import influence as views

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/decisions/<int:pk>/links/", views.link_inputs, name="link_inputs"),
    path(
        "o/<slug:org>/decisions/<int:pk>/links/<int:link_pk>/revise/",
        views.revise_link,
        name="revise_link",
    ),
    path("o/<slug:org>/decisions/proposals/", views.link_proposals, name="link_proposals"),
    path(
        "o/<slug:org>/decisions/proposals/<int:pk>/answer/",
        views.answer_proposal,
        name="answer_proposal",
    ),
    path(
        "o/<slug:org>/my-seat/input/<uuid:public_id>/propose/",
        views.propose_link,
        name="propose_link",
    ),
    path("o/<slug:org>/my-seat/outcomes/", views.my_input_outcomes, name="my_input_outcomes"),
    path(
        "o/<slug:org>/my-seat/outcomes/<int:link_pk>/answer/",
        views.answer_link,
        name="answer_link",
    ),
]
