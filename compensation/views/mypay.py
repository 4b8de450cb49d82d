"""The survivor's own pay pages: My pay, their choices about pay, deciding about held
amounts, declining a payment, and the statement download. Survivor leaders of the
organization only; for anyone else these pages do not exist (404)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from compensation.forms.mypay import ConfirmForm, HoldDecisionForm, PaymentChoicesForm
from compensation.models import HoldChoice
from compensation.money import format_money
from compensation.selectors.ledger import describe_entry, organization_today
from compensation.selectors.mypay import (
    PAGE_SIZE,
    StatementLine,
    current_choices,
    details_needed,
    get_own_entry,
    get_own_hold,
    held_amounts,
    later_months,
    may_decline,
    my_entries,
    my_preference,
    pay_row,
    pay_summary,
    statement_lines,
)
from compensation.selectors.rates import offered_methods, pay_settings
from compensation.services import choices as services

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIRST_STATEMENT_YEAR = 2000


def _back_to_my_pay(organization: Organization) -> HttpResponse:
    return redirect("my_pay", org=organization.slug)


@login_required
def my_pay(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    summary = pay_summary(user, organization)
    page = Paginator(my_entries(user, organization), PAGE_SIZE).get_page(request.GET.get("page"))
    choices = current_choices(user, organization, summary.settings.currency)
    context = {
        "organization": organization,
        "summary": summary,
        "page": page,
        "rows": [pay_row(entry) for entry in page.object_list],
        "held": held_amounts(user, organization),
        "choices": choices,
        "details_needed": details_needed(user, organization, choices),
        "statement_years": (summary.year, summary.year - 1),
    }
    return render(request, "compensation/mypay/my_pay.html", context)


@login_required
def my_pay_choices(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    offered = offered_methods(organization)
    preference = my_preference(user, organization)
    data = request.POST if request.method == "POST" else None
    form = PaymentChoicesForm(data, offered=offered, preference=preference)
    if form.is_valid():
        try:
            services.save_payment_choices(
                user=user,
                organization=organization,
                method=form.cleaned_data["method"] or "",
                schedule=form.cleaned_data["schedule"],
                months=form.cleaned_data["months"],
                monthly_cap=form.cleaned_data["monthly_cap"],
                yearly_cap=form.cleaned_data["yearly_cap"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved. You can change these choices at any time."))
            return _back_to_my_pay(organization)
    context = {
        "organization": organization,
        "form": form,
        "preference": preference,
        "settings": pay_settings(organization),
    }
    return render(request, "compensation/mypay/choices.html", context)


def _confirm_decline(
    request: HttpRequest, organization: Organization, action: str, **details: Any
) -> HttpResponse:
    entry = details["entry"]
    context = {
        "organization": organization,
        "action": action,
        "amount": format_money(entry.amount, entry.currency),
        **details,
    }
    return render(request, "compensation/mypay/confirm_decline.html", context)


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def decide_hold(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    hold = get_own_hold(user, organization, pk)
    months = later_months(
        reason=hold.reason,
        period_start=hold.period_start,
        today=organization_today(organization),
    )
    form = HoldDecisionForm(request.POST, months=months)
    if not form.is_valid():
        for message in _form_errors(form):
            messages.error(request, message)
        return _back_to_my_pay(organization)
    if form.needs_confirmation():
        return _confirm_decline(
            request,
            organization,
            action="hold",
            hold=hold,
            what_for=describe_entry(hold.entry),
            entry=hold.entry,
        )
    try:
        services.decide_hold(
            user=user,
            organization=organization,
            hold_id=hold.pk,
            choice=form.cleaned_data["choice"],
            release_from=form.release_from(),
        )
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _decided_message(form))
    return _back_to_my_pay(organization)


def _form_errors(form: HoldDecisionForm) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _decided_message(form: HoldDecisionForm) -> str:
    choice = form.cleaned_data["choice"]
    if choice == HoldChoice.LATER:
        month = form.release_from()
        return _("Saved. It will be paid from %(month)s.") % {
            "month": date_format(month, "F Y") if month else ""
        }
    if choice == HoldChoice.TAKE:
        return _("Saved. It will be paid with your next payment.")
    return _("Saved. This amount will not be paid to you.")


@login_required
@require_POST
def decline_pay(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    entry = get_own_entry(user, organization, pk)
    if not may_decline(entry):
        messages.error(request, services.NOT_DECLINABLE)
        return _back_to_my_pay(organization)
    form = ConfirmForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirm"]):
        return _confirm_decline(
            request, organization, action="entry", entry=entry, what_for=describe_entry(entry)
        )
    try:
        services.decline_payment(user=user, organization=organization, entry_id=entry.pk)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Done. This amount will not be paid to you."))
    return _back_to_my_pay(organization)


# --- the statement -----------------------------------------------------------------------


def statement_year(value: str | None) -> int:
    """The year asked for, or this year for anything that is not a plausible year."""
    this_year = timezone.localdate().year
    if value and value.isascii() and value.isdigit() and len(value) == 4:
        year = int(value)
        if FIRST_STATEMENT_YEAR <= year <= this_year + 1:
            return year
    return this_year


class _Echo:
    """csv.writer writes into this and gets the line back, so lines can be streamed."""

    def write(self, value: str) -> str:
        return value


def _safe_text(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_lines(lines: Iterable[StatementLine]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [_("Date"), _("What for"), _("Hours"), _("State"), _("Amount"), _("Currency")]
    )
    for line in lines:
        yield writer.writerow(
            [
                line.on.isoformat(),
                _safe_text(line.what_for),
                "" if line.hours is None else str(line.hours),
                _safe_text(line.state),
                str(line.amount),
                line.currency,
            ]
        )


@login_required
def pay_statement(request: AuthenticatedRequest, org: str) -> StreamingHttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    year = statement_year(request.GET.get("year"))
    response = StreamingHttpResponse(
        _csv_lines(statement_lines(user, organization, year)),
        content_type="text/csv; charset=utf-8",
    )
    # A name that says nothing about what is inside or where it came from.
    response["Content-Disposition"] = f'attachment; filename="statement-{year}.csv"'
    response["Cache-Control"] = "no-store, max-age=0"
    return response
