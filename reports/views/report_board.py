"""The board's side of reports: read drafts exactly as a funder would, approve or
object, write the board's statement, choose the board's report settings, and answer
requests to quote one's own words."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import ConsentScope, Organization
from accounts.permissions import AuthenticatedRequest, Capability, allows, organization_for
from accounts.selectors.consent import has_consent
from advisory.models import SignOffRule
from advisory.selectors.recommendations import advisory_settings
from reports.forms.report_board import (
    QuoteAnswerForm,
    ReportSettingsForm,
    SignOffForm,
    StatementForm,
)
from reports.models import ReportVersion, SignOff, VersionStatus
from reports.readable import readable_view
from reports.render import ReportView
from reports.selectors.report_board import (
    get_my_quote_request,
    get_version_for_board,
    my_quote_requests,
    my_signoff,
    newest_version_of,
    quoted_in_published,
    quotes_waiting_for,
    reports_for_board,
)
from reports.selectors.reports import signoff_state
from reports.services import report_board as service

# A replaced draft stays readable, so anyone following an old link sees what changed.
READABLE = (VersionStatus.DRAFT, VersionStatus.PUBLISHED, VersionStatus.REPLACED)


def _report_view(version: ReportVersion, organization: Organization) -> ReportView | None:
    """The report exactly as a funder would see it, from the stored snapshot. A version
    being prepared, or one that failed, has nothing to show yet."""
    if version.status not in READABLE:
        return None
    return readable_view(version, organization)


def _signoff_initial(signoff: SignOff | None) -> dict[str, Any]:
    if signoff is None:
        return {}
    return {
        "choice": signoff.choice,
        "could_identify": signoff.could_identify,
        "note": signoff.note,
    }


@login_required
def board_reports(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    context = {
        "organization": organization,
        "reports": reports_for_board(organization),
        "quotes_waiting": quotes_waiting_for(user, organization),
        "may_change_settings": allows(user, organization, Capability.CHAIR_BOARD),
    }
    return render(request, "advisory/reports/board/list.html", context)


def _version_page(
    request: AuthenticatedRequest,
    organization: Organization,
    version: ReportVersion,
    *,
    form: SignOffForm | None = None,
) -> HttpResponse:
    user = request.user
    may_vote = version.status == VersionStatus.DRAFT and allows(
        user, organization, Capability.RECOMMEND
    )
    mine = my_signoff(version, user) if may_vote else None
    if may_vote and form is None:
        form = SignOffForm(initial=_signoff_initial(mine))
    state = signoff_state(version) if version.status == VersionStatus.DRAFT else None
    context = {
        "organization": organization,
        "version": version,
        "report": version.report,
        "report_view": _report_view(version, organization),
        "state": state,
        "rule_label": SignOffRule(state.rule).label if state else "",
        "may_vote": may_vote,
        "mine": mine,
        "form": form if may_vote else None,
        "newer": _newer(version),
    }
    return render(request, "advisory/reports/board/version.html", context)


def _newer(version: ReportVersion) -> ReportVersion | None:
    """What took a version's place: any newer version for a replaced draft; for a published
    one, only a newer published version (a draft replaces nothing until it is published)."""
    if version.status == VersionStatus.REPLACED:
        return newest_version_of(version)
    if version.status == VersionStatus.PUBLISHED:
        return newest_version_of(version, published=True)
    return None


@login_required
def board_report(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    return _version_page(request, organization, get_version_for_board(organization, pk))


@login_required
@require_POST
def board_report_answer(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.RECOMMEND)
    version = get_version_for_board(organization, pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            service.answer_draft(version=version, by=user, answer=form.answer())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, exc, version)
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Your answer is saved. You can change it while this is a draft.")
            )
            return redirect("board_report", org=organization.slug, pk=version.pk)
    return _version_page(request, organization, version, form=form)


def _refused(request: HttpRequest, exc: ValidationError, version: ReportVersion) -> HttpResponse:
    """A write the version's state refuses (it is no longer a draft): say so on its page."""
    messages.error(request, " ".join(exc.messages))
    return redirect("board_report", org=version.report.organization.slug, pk=version.pk)


@login_required
def board_report_statement(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.RECOMMEND)
    version = get_version_for_board(organization, pk)
    form = StatementForm(
        request.POST if request.method == "POST" else None,
        initial={"statement": version.statement},
    )
    if request.method == "POST" and form.is_valid():
        before = version.statement
        try:
            saved = service.save_statement(
                version=version, by=user, statement=form.cleaned_data["statement"]
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, exc, version)
            form.add_error(None, exc)
        else:
            if saved.statement == before:
                done = _("The board's statement is saved. It did not change.")
            else:
                done = _(
                    "The board's statement is saved. Everyone is asked to approve the report again."
                )
            messages.success(request, done)
            return redirect("board_report", org=organization.slug, pk=version.pk)
    context = {
        "organization": organization,
        "version": version,
        "report": version.report,
        "form": form,
    }
    return render(request, "advisory/reports/board/statement.html", context)


@login_required
def board_report_settings(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.CHAIR_BOARD)
    settings = advisory_settings(organization)
    form = ReportSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"min_people": settings.report_min_people, "rule": settings.report_signoff_rule},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.save_report_settings(
                organization=organization,
                by=user,
                min_people=form.cleaned_data["min_people"],
                rule=form.cleaned_data["rule"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The board's report settings are saved."))
            return redirect("board_reports", org=organization.slug)
    context = {"organization": organization, "form": form, "settings": settings}
    return render(request, "advisory/reports/board/settings.html", context)


@login_required
def my_quotes(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    context = {"organization": organization, "quotes": my_quote_requests(user, organization)}
    return render(request, "advisory/reports/board/quotes.html", context)


@login_required
def my_quote(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    quote = get_my_quote_request(user, organization, pk)
    form = QuoteAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        write = {
            "approve": service.approve_quote,
            "decline": service.decline_quote,
            "take_back": service.take_back_quote,
        }[action]
        try:
            write(quote=quote, by=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, str(_QUOTE_DONE[action]))
            return redirect("my_quote", org=organization.slug, pk=quote.pk)
    context = {
        "organization": organization,
        "quote": quote,
        "form": form,
        "consent": has_consent(user, organization, ConsentScope.QUOTE_ANONYMOUSLY),
        "published": quoted_in_published(quote),
    }
    return render(request, "advisory/reports/board/quote.html", context)


_QUOTE_DONE = {
    "approve": gettext_lazy("You approved these words. Thank you."),
    "decline": gettext_lazy("You said no. These words will not be quoted."),
    "take_back": gettext_lazy("You took your approval back. These words will not be quoted again."),
}
