"""URLs for advisory's recommendations area; included from advisory/urls/__init__.py."""

from django.urls import URLPattern, path

from advisory.views import recommendations

urlpatterns: list[URLPattern] = [
    path(
        "o/<slug:org>/my-seat/recommendations/",
        recommendations.board_recommendations,
        name="board_recommendations",
    ),
    path(
        "o/<slug:org>/my-seat/recommendations/new/",
        recommendations.new_recommendation,
        name="new_recommendation",
    ),
    path(
        "o/<slug:org>/recommendations/",
        recommendations.recommendations,
        name="recommendations",
    ),
    path(
        "o/<slug:org>/recommendations/<int:pk>/answer/",
        recommendations.answer_recommendation,
        name="answer_recommendation",
    ),
    path(
        "o/<slug:org>/decisions/loop/",
        recommendations.loop_health_page,
        name="loop_health",
    ),
]
