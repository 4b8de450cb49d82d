from django.urls import include, path

# Each audience keeps its own list: the board, staff, and funders.
urlpatterns = [
    path("", include("reports.urls_report_board")),
    path("", include("reports.urls_report_staff")),
    path("", include("reports.urls_report_funder")),
]
