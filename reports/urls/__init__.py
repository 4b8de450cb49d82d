from django.urls import include, path

# Each audience keeps its own list: the board, staff, and funders.
urlpatterns = [
    path("", include("reports.urls.report_board")),
    path("", include("reports.urls.report_staff")),
    path("", include("reports.urls.report_funder")),
]
