"""URLs for the report funder area; included from reports/urls/__init__.py."""

from django.urls import URLPattern, path

from reports.views import report_funder

urlpatterns: list[URLPattern] = [
    path("funded/portfolio/", report_funder.funder_portfolio, name="funder_portfolio"),
    path("o/<slug:org>/funded/reports/", report_funder.funder_reports, name="funder_reports"),
    path(
        "o/<slug:org>/funded/reports/<int:pk>/",
        report_funder.funder_report,
        name="funder_report",
    ),
    path(
        "o/<slug:org>/funded/reports/<int:pk>/v<int:number>/",
        report_funder.funder_report,
        name="funder_report_version",
    ),
    path(
        "o/<slug:org>/funded/reports/<int:pk>/v<int:number>/csv/",
        report_funder.funder_report_csv,
        name="funder_report_csv",
    ),
    path(
        "o/<slug:org>/funded/reports/<int:pk>/v<int:number>/pdf/",
        report_funder.funder_report_pdf,
        name="funder_report_pdf",
    ),
]
