"""URLs for compensation's claims area; included from compensation/urls/__init__.py."""

from django.urls import URLPattern, path

from compensation.views import claims

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/my-seat/pay/work/", claims.my_claims_page, name="my_claims"),
    path(
        "o/<slug:org>/my-seat/pay/work/<int:pk>/withdraw/",
        claims.withdraw_claim,
        name="withdraw_claim",
    ),
    path(
        "o/<slug:org>/my-seat/pay/work/decisions/",
        claims.claim_decisions,
        name="claim_decisions",
    ),
    path(
        "o/<slug:org>/my-seat/pay/hours/<int:attendance_id>/",
        claims.flag_hours,
        name="flag_hours",
    ),
    path("o/<slug:org>/pay/claims/", claims.pay_claims, name="pay_claims"),
    path("o/<slug:org>/pay/claims/<int:pk>/decide/", claims.decide_claim, name="decide_claim"),
    path("o/<slug:org>/pay/flags/", claims.hours_flags, name="hours_flags"),
    path("o/<slug:org>/pay/flags/<int:pk>/answer/", claims.answer_flag, name="answer_flag"),
]
