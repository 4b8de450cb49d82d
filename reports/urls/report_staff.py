"""URLs for the report staff area; included from reports/urls/__init__.py."""

from django.urls import URLPattern, path

from reports.views import report_staff

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/reports/", report_staff.staff_reports, name="staff_reports"),
    path(
        "o/<slug:org>/reports/start/",
        report_staff.start_staff_report,
        name="start_staff_report",
    ),
    path("o/<slug:org>/reports/<int:pk>/", report_staff.staff_report, name="staff_report"),
    path(
        "o/<slug:org>/reports/<int:pk>/quotes/new/",
        report_staff.ask_staff_report_quote,
        name="ask_staff_report_quote",
    ),
    path(
        "o/<slug:org>/reports/versions/<int:pk>/",
        report_staff.staff_report_version,
        name="staff_report_version",
    ),
    path(
        "o/<slug:org>/reports/versions/<int:pk>/prepare-again/",
        report_staff.prepare_staff_report_again,
        name="prepare_staff_report_again",
    ),
    path(
        "o/<slug:org>/reports/versions/<int:pk>/publish/",
        report_staff.publish_staff_report,
        name="publish_staff_report",
    ),
]
