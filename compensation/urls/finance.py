"""URLs for compensation's finance area; included from compensation/urls/__init__.py."""

from django.urls import URLPattern, path

from compensation.views import finance

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/pay/", finance.finance_dashboard_page, name="finance_dashboard"),
    path("o/<slug:org>/pay/approve/", finance.approve_pay, name="approve_pay"),
    path("o/<slug:org>/pay/batches/new/", finance.create_batch, name="create_batch"),
    path(
        "o/<slug:org>/pay/batches/<uuid:public_id>/",
        finance.payment_batch,
        name="payment_batch",
    ),
    path(
        "o/<slug:org>/pay/batches/<uuid:public_id>/payments.csv",
        finance.batch_csv,
        name="batch_csv",
    ),
    path(
        "o/<slug:org>/pay/batches/<uuid:public_id>/paid/",
        finance.mark_batch_paid,
        name="mark_batch_paid",
    ),
]
