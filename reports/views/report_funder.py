"""Funder pages: the published reports of the programs a funder funds, each
version's CSV and PDF, and a portfolio that adds up only figures already published.

Every page starts from reports.selectors.report_funder, which answers 404 for anything a
funder may not read. Pages and downloads render from the stored snapshot only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from reports.models import ReportVersion
from reports.readable import readable_view
from reports.render import ReportView, csv_rows
from reports.selectors.report_funder import (
    get_published_report,
    portfolio,
    published_reports,
)

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def download_name(version: ReportVersion, extension: str) -> str:
    """A name that says nothing about the program: the period, and the version if not
    the first ("report-2026.csv", "report-2026-q2-v2.pdf")."""
    report = version.report
    name = f"report-{report.year}"
    if report.quarter:
        name += f"-q{report.quarter}"
    if version.number > 1:
        name += f"-v{version.number}"
    return f"{name}.{extension}"


def _download(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A funder's download must not linger in a shared browser's cache.
    response["Cache-Control"] = "no-store, max-age=0"


@login_required
def funder_reports(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.READ_FUNDED_REPORTS)
    context = {"organization": organization, "reports": published_reports(organization)}
    return render(request, "advisory/reports/funder/list.html", context)


@login_required
def funder_report(
    request: AuthenticatedRequest, org: str, pk: int, number: int | None = None
) -> HttpResponse:
    organization = organization_for(request, org, Capability.READ_FUNDED_REPORTS)
    version, published = get_published_report(organization, pk, number)
    context = {
        "organization": organization,
        "version": version,
        "published": published,
        "view": readable_view(version, organization),
    }
    return render(request, "advisory/reports/funder/report.html", context)


class _Echo:
    """csv.writer writes into this and gets the line back, so lines can be streamed."""

    def write(self, value: str) -> str:
        return value


def _safe(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_lines(lines: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for line in lines:
        yield writer.writerow([_safe(value) for value in line])


@login_required
def funder_report_csv(
    request: AuthenticatedRequest, org: str, pk: int, number: int
) -> StreamingHttpResponse:
    organization = organization_for(request, org, Capability.READ_FUNDED_REPORTS)
    version, _published = get_published_report(organization, pk, number)
    view = readable_view(version, organization)
    response = StreamingHttpResponse(
        _csv_lines(csv_rows(view)), content_type="text/csv; charset=utf-8"
    )
    _download(response, download_name(version, "csv"))
    return response


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The PDF is made from our own HTML and stylesheet only: it never fetches anything, so
    a quote or a statement cannot make the server load an address."""
    raise ValueError(url)


def report_pdf(view: ReportView, title: str) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it loads Pango, only needed for PDFs

    html = render_to_string("advisory/reports/funder/pdf.html", {"report": view, "title": title})
    stylesheets = []
    for name in ("css/site.css", "css/reports.css"):
        path = finders.find(name)
        if isinstance(path, str):
            stylesheets.append(CSS(filename=path, url_fetcher=_refuse_fetch))
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=stylesheets)
    return pdf


@login_required
def funder_report_pdf(
    request: AuthenticatedRequest, org: str, pk: int, number: int
) -> HttpResponse:
    organization = organization_for(request, org, Capability.READ_FUNDED_REPORTS)
    version, _published = get_published_report(organization, pk, number)
    view = readable_view(version, organization)
    response = HttpResponse(report_pdf(view, view.title), content_type="application/pdf")
    _download(response, download_name(version, "pdf"))
    return response


@login_required
def funder_portfolio(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    year = request.GET.get("year", "")
    summary = portfolio(user, int(year) if year.isdigit() and len(year) == 4 else None)
    if summary.programs == 0:
        # Not a funder of anything: the page does not exist for this person.
        raise Http404
    return render(request, "advisory/reports/funder/portfolio.html", {"portfolio": summary})
