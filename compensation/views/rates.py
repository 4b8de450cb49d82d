"""Finance's setup pages: rates (with parity and the work waiting for a rate), pay
settings, and the payment methods offered. Finance only; everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from compensation.forms.rates import EndRateForm, OfferedMethodsForm, PaySettingsForm, RateForm
from compensation.selectors.rates import (
    get_rate_for_finance,
    method_choice_counts,
    method_settings,
    pay_settings,
    rate_row,
    rates_for_finance,
    waiting_for_a_rate,
)
from compensation.services import rates as services

PAGE_SIZE = 25


def _added_message(priced: int) -> str:
    if not priced:
        return _("The rate is added.")
    return ngettext(
        "The rate is added. %(count)s piece of work that was waiting for a rate now counts "
        "as earned pay.",
        "The rate is added. %(count)s pieces of work that were waiting for a rate now count "
        "as earned pay.",
        priced,
    ) % {"count": priced}


def _render_rates(
    request: HttpRequest,
    organization: Organization,
    *,
    form: RateForm | None = None,
    end_form: EndRateForm | None = None,
    ending: int | None = None,
) -> HttpResponse:
    currency = pay_settings(organization).currency
    page = Paginator(rates_for_finance(organization), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "currency": currency,
        "page": page,
        "rows": [rate_row(rate, currency) for rate in page.object_list],
        "waiting": waiting_for_a_rate(organization),
        "form": form or RateForm(),
        "end_form": end_form,
        "ending": ending,
    }
    return render(request, "compensation/rates/rates.html", context)


@login_required
def pay_rates(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    if request.method != "POST":
        return _render_rates(request, organization)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_rate(organization=organization, by=user, terms=form.terms())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _added_message(added.priced))
            return redirect("pay_rates", org=organization.slug)
    return _render_rates(request, organization, form=form)


@login_required
@require_POST
def end_pay_rate(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    rate = get_rate_for_finance(organization, pk)
    form = EndRateForm(request.POST)
    if form.is_valid():
        try:
            services.end_rate(rate=rate, by=user, until=form.cleaned_data["until"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The rate is ended. Add a new rate for the days after."))
            return redirect("pay_rates", org=organization.slug)
    return _render_rates(request, organization, end_form=form, ending=rate.pk)


@login_required
def pay_settings_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    current = pay_settings(organization)
    initial = {
        "currency": current.currency,
        "payer_name": current.payer_name,
        "payment_memo": current.payment_memo,
        "benefits_help_url": current.benefits_help_url,
        "tax_help_url": current.tax_help_url,
        "tax_threshold": current.tax_threshold,
    }
    form = PaySettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.save_pay_settings(organization=organization, by=user, terms=form.terms())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The pay settings are saved."))
            return redirect("pay_settings", org=organization.slug)
    context = {"organization": organization, "form": form}
    return render(request, "compensation/rates/settings.html", context)


@login_required
def pay_methods(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    form = OfferedMethodsForm(
        request.POST if request.method == "POST" else None,
        saved=method_settings(organization),
        people=method_choice_counts(organization),
    )
    if form.is_valid():
        try:
            changed = services.save_offered_methods(
                organization=organization, by=user, rows=form.rows()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("The payment methods are saved."))
            else:
                messages.info(request, _("Nothing had changed, so nothing new was saved."))
            return redirect("pay_methods", org=organization.slug)
    context = {"organization": organization, "form": form}
    return render(request, "compensation/rates/methods.html", context)
