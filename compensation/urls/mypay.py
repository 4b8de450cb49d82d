"""URLs for compensation's mypay area; included from compensation/urls/__init__.py."""

from django.urls import URLPattern, path

from compensation.views import mypay

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/my-seat/pay/", mypay.my_pay, name="my_pay"),
    path("o/<slug:org>/my-seat/pay/choices/", mypay.my_pay_choices, name="my_pay_choices"),
    path("o/<slug:org>/my-seat/pay/statement/", mypay.pay_statement, name="pay_statement"),
    path("o/<slug:org>/my-seat/pay/held/<int:pk>/", mypay.decide_hold, name="decide_hold"),
    path("o/<slug:org>/my-seat/pay/<int:pk>/decline/", mypay.decline_pay, name="decline_pay"),
]
