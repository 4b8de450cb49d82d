"""URLs for advisory's decisions area; included from advisory/urls/__init__.py."""

from django.urls import URLPattern, path

from advisory.views import decisions

urlpatterns: list[URLPattern] = [
    # Staff and admins: the decisions they log.
    path("o/<slug:org>/decisions/", decisions.decisions, name="decisions"),
    path("o/<slug:org>/decisions/new/", decisions.new_decision, name="new_decision"),
    path("o/<slug:org>/decisions/<int:pk>/", decisions.decision, name="decision"),
    path(
        "o/<slug:org>/decisions/<int:pk>/status/",
        decisions.change_decision_status,
        name="change_decision_status",
    ),
    path("o/<slug:org>/decisions/<int:pk>/edit/", decisions.edit_decision, name="edit_decision"),
    # Survivor leaders: the board's decision log.
    path("o/<slug:org>/my-seat/decisions/", decisions.decision_log, name="decision_log"),
    path(
        "o/<slug:org>/my-seat/decisions/<int:pk>/",
        decisions.board_decision,
        name="board_decision",
    ),
]
