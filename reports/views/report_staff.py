"""Staff's report pages: start a report for an ended period, watch it being
prepared, read the draft exactly as a funder would with the board's sign-off as counts
only, prepare it again, ask authors for quotes, and publish. Staff and admins only; anyone
else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from advisory.models import SignOffRule
from reports.forms.report_staff import AskQuoteForm, StartReportForm, period_label
from reports.models import (
    ImpactReport,
    QuoteRequest,
    ReportVersion,
    SignOff,
    VersionReason,
    VersionStatus,
)
from reports.readable import readable_view
from reports.render import ReportView
from reports.selectors.reports import reports_of, signoff_state, versions_of
from reports.services.report_generation import ended_periods, regenerate, start_report
from reports.services.report_publish import ask_for_quote, publish, quotable_inputs

# A draft being prepared longer than this is probably stuck: stop refreshing the page and
# offer to prepare it again.
STALLED_AFTER = timedelta(minutes=15)
REFRESH_SECONDS = 3
# Listing columns only: snapshots can be large and the list shows none of them.
LIST_FIELDS = ("id", "report_id", "number", "status", "progress", "published_at")


def _report_for_staff(organization: Organization, pk: int) -> ImpactReport:
    report = reports_of(organization).select_related("organization").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def _version_for_staff(organization: Organization, pk: int) -> ReportVersion:
    version = versions_of(organization).select_related("report__organization").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


@dataclass(frozen=True)
class ReportRow:
    report: ImpactReport
    label: str
    latest: ReportVersion | None
    published: ReportVersion | None


def _report_rows(organization: Organization) -> list[ReportRow]:
    """Each report with its newest version and the funders' current one: two queries."""
    versions = ReportVersion.objects.only(*LIST_FIELDS).order_by("-number")
    rows = []
    for report in reports_of(organization).prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="listed")
    ):
        listed: list[ReportVersion] = report.listed
        rows.append(
            ReportRow(
                report=report,
                label=period_label(report.year, report.quarter),
                latest=listed[0] if listed else None,
                published=next((v for v in listed if v.status == VersionStatus.PUBLISHED), None),
            )
        )
    return rows


def _list_page(
    request: HttpRequest, organization: Organization, form: StartReportForm
) -> HttpResponse:
    context = {"organization": organization, "rows": _report_rows(organization), "form": form}
    return render(request, "advisory/reports/staff/list.html", context)


@login_required
def staff_reports(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    form = StartReportForm(periods=ended_periods(organization))
    return _list_page(request, organization, form)


@login_required
@require_POST
def start_staff_report(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    form = StartReportForm(request.POST, periods=ended_periods(organization))
    if form.is_valid():
        year, quarter = form.chosen_period()
        try:
            version = start_report(organization, year=year, quarter=quarter, actor=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report is being prepared."))
            return redirect("staff_report_version", org=organization.slug, pk=version.pk)
    return _list_page(request, organization, form)


@login_required
def staff_report(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    report = _report_for_staff(organization, pk)
    context = {
        "organization": organization,
        "report": report,
        "label": period_label(report.year, report.quarter),
        "versions": ReportVersion.objects.filter(report=report).only(*LIST_FIELDS, "reason"),
        "quotes": QuoteRequest.objects.filter(report=report).only(
            "id", "wording", "status", "created_at"
        ),
    }
    return render(request, "advisory/reports/staff/report.html", context)


def _objection_notes(version: ReportVersion) -> list[str]:
    """What the board asked to change, in alphabetical order: never who wrote it, nor in
    the order it came in, which could tell who."""
    notes = SignOff.objects.filter(version=version).exclude(note="").values_list("note", flat=True)
    return sorted(notes, key=str.casefold)


def _report_view(version: ReportVersion, organization: Organization) -> ReportView | None:
    if version.status not in (VersionStatus.DRAFT, VersionStatus.PUBLISHED):
        return None
    return readable_view(version, organization)


@login_required
def staff_report_version(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    version = _version_for_staff(organization, pk)
    report = version.report
    generating = version.status == VersionStatus.GENERATING
    stalled = generating and timezone.now() - version.created_at > STALLED_AFTER
    is_draft = version.status == VersionStatus.DRAFT
    state = signoff_state(version) if is_draft else None
    context = {
        "organization": organization,
        "report": report,
        "version": version,
        "label": period_label(report.year, report.quarter),
        "refresh": REFRESH_SECONDS if generating and not stalled else None,
        "stalled": stalled,
        "state": state,
        "rule": SignOffRule(state.rule).label if state else "",
        "notes": _objection_notes(version) if is_draft else [],
        "unresolved": is_draft and bool(version.snapshot.get("unresolved")),
        "view": _report_view(version, organization),
    }
    return render(request, "advisory/reports/staff/version.html", context)


@login_required
@require_POST
def prepare_staff_report_again(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    version = _version_for_staff(organization, pk)
    try:
        draft = regenerate(version.report, reason=VersionReason.REGENERATED, actor_id=user.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("staff_report_version", org=organization.slug, pk=version.pk)
    messages.success(
        request,
        _("The report is being prepared again. The board signs off on the new draft."),
    )
    return redirect("staff_report_version", org=organization.slug, pk=draft.pk)


@login_required
@require_POST
def publish_staff_report(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    version = _version_for_staff(organization, pk)
    try:
        outcome = publish(version, actor=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("staff_report_version", org=organization.slug, pk=version.pk)
    if outcome.published:
        messages.success(request, _("The report is published. Funders have been told."))
    else:
        if outcome.version.reason == VersionReason.PUBLISHED_CHANGED:
            why = _(
                "Not published: another report was published since this draft was made, "
                "so its figures must be checked against it. The draft is being prepared "
                "again, and the board's sign-off starts again."
            )
        else:
            why = _(
                "Not published: someone changed what may be counted or quoted since this "
                "draft was made. The draft is being prepared again, and the board's "
                "sign-off starts again."
            )
        messages.error(request, why)
    return redirect("staff_report_version", org=organization.slug, pk=outcome.version.pk)


@login_required
def ask_staff_report_quote(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    report = _report_for_staff(organization, pk)
    form = AskQuoteForm(
        request.POST if request.method == "POST" else None,
        inputs=quotable_inputs(report),
    )
    if form.is_valid():
        try:
            ask_for_quote(
                report=report,
                input_id=form.cleaned_data["input"].pk,
                wording=form.cleaned_data["wording"],
                actor=user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The author has been asked. Their words are used only if they approve them."),
            )
            return redirect("staff_report", org=organization.slug, pk=report.pk)
    context = {
        "organization": organization,
        "report": report,
        "label": period_label(report.year, report.quarter),
        "form": form,
    }
    return render(request, "advisory/reports/staff/ask_quote.html", context)
