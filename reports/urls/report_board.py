"""URLs for the report board area; included from reports/urls/__init__.py."""

from django.urls import URLPattern, path

from reports.views import report_board

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/my-seat/reports/", report_board.board_reports, name="board_reports"),
    path(
        "o/<slug:org>/my-seat/reports/settings/",
        report_board.board_report_settings,
        name="board_report_settings",
    ),
    path("o/<slug:org>/my-seat/reports/quotes/", report_board.my_quotes, name="my_quotes"),
    path(
        "o/<slug:org>/my-seat/reports/quotes/<int:pk>/",
        report_board.my_quote,
        name="my_quote",
    ),
    path(
        "o/<slug:org>/my-seat/reports/<int:pk>/",
        report_board.board_report,
        name="board_report",
    ),
    path(
        "o/<slug:org>/my-seat/reports/<int:pk>/answer/",
        report_board.board_report_answer,
        name="board_report_answer",
    ),
    path(
        "o/<slug:org>/my-seat/reports/<int:pk>/statement/",
        report_board.board_report_statement,
        name="board_report_statement",
    ),
]
