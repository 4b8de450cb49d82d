"""URLs for the data_rights area; included from accounts/urls/__init__.py."""

from django.urls import URLPattern, path

from accounts.views import data_rights as views

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/my-seat/my-data/", views.my_data, name="my_data"),
    path(
        "o/<slug:org>/my-seat/my-data/prepare/",
        views.request_data_export,
        name="request_data_export",
    ),
    path(
        "o/<slug:org>/my-seat/my-data/<uuid:public_id>/",
        views.data_export_status,
        name="data_export_status",
    ),
    path(
        "o/<slug:org>/my-seat/my-data/<uuid:public_id>/download/",
        views.download_data_export,
        name="download_data_export",
    ),
    path("o/<slug:org>/my-seat/delete-account/", views.delete_account, name="delete_account"),
]
