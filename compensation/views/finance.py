"""Finance's pages: the dashboard, approving pay, payment batches, the payment file for
the processor, and marking a batch paid. Finance of the organization only; for everyone
else these pages do not exist (404)."""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator
from decimal import Decimal
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from compensation.forms.finance import ApprovalForm, BatchForm, MarkPaidForm
from compensation.models import NEEDED_IN_PAYMENT_FILE, PayeeDetail, PaymentBatch, PaySettings
from compensation.money import ZERO, format_money
from compensation.selectors.finance import (
    ExportRow,
    MissingLine,
    approval_lines,
    batch_export_rows,
    batch_lines,
    batch_people,
    batches_of,
    detail_in_row,
    entries_to_approve,
    finance_dashboard,
    get_batch_for_finance,
    method_choices,
    missing_from_batch,
    payment_file_details,
    person_lines,
)
from compensation.selectors.ledger import organization_today
from compensation.selectors.rates import pay_settings
from compensation.services import payments

PAGE_SIZE = 25
APPROVALS_PAGE_SIZE = 50
EXPORT_CHUNK = 500  # rows read from the database at a time: what the memory holds
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- the dashboard -------------------------------------------------------------------------


def _dashboard(
    request: HttpRequest, organization: Organization, batch_form: BatchForm | None = None
) -> HttpResponse:
    dashboard = finance_dashboard(organization)
    page = Paginator(batches_of(organization), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "dashboard": dashboard,
        "page": page,
        "batches": batch_lines(page.object_list, dashboard.currency),
        "batch_form": batch_form or BatchForm(methods=dashboard.methods),
    }
    return render(request, "compensation/finance/dashboard.html", context)


@login_required
def finance_dashboard_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    return _dashboard(request, organization)


# --- approving -----------------------------------------------------------------------------


def _approved_message(count: int) -> str:
    if not count:
        return _("Nothing new was approved: someone may have approved it a moment ago.")
    return ngettext("%(count)s payment approved.", "%(count)s payments approved.", count) % {
        "count": count
    }


@login_required
def approve_pay(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    form = ApprovalForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            count = payments.approve_entries(
                organization=organization, by=user, entry_ids=form.chosen_ids()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _approved_message(count))
            return redirect("approve_pay", org=organization.slug)
    page = Paginator(entries_to_approve(organization), APPROVALS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "lines": approval_lines(page.object_list),
    }
    return render(request, "compensation/finance/approve.html", context)


# --- batches -------------------------------------------------------------------------------


def _batch_message(outcome: payments.BatchOutcome) -> str:
    held = ""
    if outcome.held:
        held = " " + ngettext(
            "%(count)s amount was held back because it would go over a limit the person set. "
            "They have been asked what they want.",
            "%(count)s amounts were held back because they would go over limits people set. "
            "They have been asked what they want.",
            outcome.held,
        ) % {"count": outcome.held}
    if outcome.left_out:
        held += " " + ngettext(
            "%(count)s person was left out: their way to be paid needs a detail they have "
            "not given yet. They have been told what to add. Their pay is kept for them and "
            "goes in the first batch after they add it.",
            "%(count)s people were left out: their way to be paid needs a detail they have "
            "not given yet. They have been told what to add. Their pay is kept for them and "
            "goes in the first batch after they add it.",
            outcome.left_out,
        ) % {"count": outcome.left_out}
    if outcome.batch is None:
        return _("No batch was made: nothing is left to pay right now.") + held
    made = ngettext(
        "Batch made: it pays %(count)s person.",
        "Batch made: it pays %(count)s people.",
        outcome.people,
    ) % {"count": outcome.people}
    return made + held


@login_required
@require_POST
def create_batch(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    form = BatchForm(request.POST, methods=method_choices(organization))
    if form.is_valid():
        try:
            outcome = payments.create_batch(
                organization=organization, by=user, method=form.cleaned_data["method"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _batch_message(outcome))
            if outcome.batch is None:
                return redirect("finance_dashboard", org=organization.slug)
            return redirect(
                "payment_batch", org=organization.slug, public_id=outcome.batch.public_id
            )
    return _dashboard(request, organization, batch_form=form)


def _batch_page(
    request: HttpRequest,
    organization: Organization,
    batch: PaymentBatch,
    form: MarkPaidForm | None = None,
    *,
    refused_for: list[MissingLine] | None = None,
) -> HttpResponse:
    """The batch's page; with `refused_for`, after the payment file was refused because
    those people lack a detail the way to pay needs."""
    currency = pay_settings(organization).currency
    page = Paginator(batch_people(batch), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "batch": batch,
        "total": format_money(batch.total or ZERO, currency),  # type: ignore[attr-defined]
        "page": page,
        "people": person_lines(page.object_list, currency),
        "form": form or MarkPaidForm(today=organization_today(organization)),
        "file_details": [
            (str(detail.label), detail in NEEDED_IN_PAYMENT_FILE.get(batch.method, ()))
            for detail in payment_file_details(batch.method)
        ],
        "missing": missing_from_batch(batch) if refused_for is None else refused_for,
        "file_refused": refused_for is not None,
    }
    # 409: the batch is there, but its file cannot be made in the state it is in.
    status = 409 if refused_for is not None else 200
    return render(request, "compensation/finance/batch.html", context, status=status)


@login_required
def payment_batch(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    return _batch_page(request, organization, get_batch_for_finance(organization, public_id))


@login_required
@require_POST
def mark_batch_paid(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    batch = get_batch_for_finance(organization, public_id)
    form = MarkPaidForm(request.POST, today=organization_today(organization))
    if form.is_valid():
        try:
            payments.mark_batch_paid(
                organization=organization,
                by=user,
                batch=batch,
                reference=form.cleaned_data["reference"],
                paid_on=form.cleaned_data["paid_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The batch is marked paid. Everyone in it was told."))
            return redirect("payment_batch", org=organization.slug, public_id=batch.public_id)
    return _batch_page(request, organization, batch, form)


# --- the payment file ----------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class BlankPaymentDetail(RuntimeError):
    """A detail the batch's way to pay needs came out blank while the file was being
    written. `missing_from_batch` refuses the file before it starts whenever a detail is
    missing; this is the last guard (a value of spaces only, written around the services),
    and it stops the download part-way rather than hand over a file with a blank."""


def payment_file_lines(batch: PaymentBatch, settings: PaySettings) -> Iterator[str]:
    """The CSV, a line at a time, from one query read in chunks. Only what the payment
    processor needs: a stable reference that names nobody, the legal name to pay, the
    other details the way to pay needs (the mailing address for checks), the amount, and
    the neutral payer name and memo. Column names are fixed codes the processor maps, so
    they are not translated."""
    writer = csv.writer(_Echo())
    details = payment_file_details(batch.method)
    needed = NEEDED_IN_PAYMENT_FILE.get(batch.method, ())
    header = ["payee_reference", *(detail.value for detail in details)]
    yield writer.writerow([*header, "amount", "currency", "payer_name", "memo"])
    tail = [settings.currency, _cell(settings.payer_name), _cell(settings.payment_memo)]
    for row in batch_export_rows(batch).iterator(chunk_size=EXPORT_CHUNK):
        yield writer.writerow(_payment_row(row, details, needed, tail))


def _payment_row(
    row: ExportRow, details: tuple[PayeeDetail, ...], needed: Collection[str], tail: list[str]
) -> list[str]:
    values = [detail_in_row(row, detail) for detail in details]
    if any(not value for detail, value in zip(details, values, strict=True) if detail in needed):
        raise BlankPaymentDetail
    total: Decimal = row["total"]
    return [f"P{row['entry__user']:08d}", *map(_cell, values), f"{total:.2f}", *tail]


@login_required
def batch_csv(
    request: AuthenticatedRequest, org: str, public_id: UUID
) -> StreamingHttpResponse | HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    batch = get_batch_for_finance(organization, public_id)
    if missing := missing_from_batch(batch):
        # Nothing is opened, so nothing goes in anyone's access log.
        return _batch_page(request, organization, batch, refused_for=missing)
    payments.record_payment_details_opened(organization=organization, batch=batch, by=user)
    response = StreamingHttpResponse(
        payment_file_lines(batch, pay_settings(organization)), content_type="text/csv"
    )
    # A name that says nothing about who is paid or why.
    filename = f"payments-{organization_today(organization):%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, max-age=0"
    return response
