"""URLs for compensation's rates area; included from compensation/urls/__init__.py."""

from django.urls import URLPattern, path

from compensation.views import rates

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/pay/rates/", rates.pay_rates, name="pay_rates"),
    path("o/<slug:org>/pay/rates/<int:pk>/end/", rates.end_pay_rate, name="end_pay_rate"),
    path("o/<slug:org>/pay/settings/", rates.pay_settings_page, name="pay_settings"),
    path("o/<slug:org>/pay/methods/", rates.pay_methods, name="pay_methods"),
]
