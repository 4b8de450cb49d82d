"""Finance's setup: stipend rates, the organization's pay settings, and the payment methods
it offers. Finance only; each write in one transaction with its audit event.

Rates in use are never edited. To change pay, finance end a rate (give it a last day) and
add a new one, so every ledger entry keeps pointing at the rate it was worked out with.
Everything is checked before anything is written: bad input writes nothing.

Adding a rate and ending one both lock the organization's row (no-key, so other pay can
still be written meanwhile) and its rates: two finance staff adding overlapping rates at
the same moment are checked one after the other, and the second is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import Organization, User
from accounts.permissions import Capability, require
from compensation.models import (
    LedgerEntry,
    OfferedMethod,
    PaymentMethod,
    PaySettings,
    RateBasis,
    StipendRate,
)
from compensation.pay_rules import DEFAULT_LATE_NOTICE_HOURS
from compensation.selectors.rates import latest_paid_day
from compensation.services.accrual import price_unpriced_work
from meetings.models import MeetingRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CURRENCY_CODE = re.compile(r"[A-Z]{3}")
TEXT_LIMIT = 200  # OfferedMethod's text fields

# The rules' words, written once: the forms show these same messages.
BASIS_MISSING = gettext_lazy("Choose per hour or a fixed amount per meeting.")
USUAL_MINUTES_MISSING = gettext_lazy(
    "For a fixed amount per meeting, say how long a meeting usually is, in minutes."
)
MEMO_MISSING = gettext_lazy("Give a memo, such as “Services”.")
PAYER_MISSING = gettext_lazy("Give a payer name, such as “Member services”.")
CURRENCY_NOT_CODE = gettext_lazy("Type the currency as three letters, like USD or EUR.")
LAST_DAY_BEFORE_FIRST = gettext_lazy("The last day cannot be before the first day.")


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _lock_rates(organization_id: int) -> list[StipendRate]:
    """Serializes rate changes for one organization, even while it has no rates yet."""
    list(
        Organization.objects.select_for_update(no_key=True)
        .filter(pk=organization_id)
        .values_list("pk", flat=True)
    )
    return list(StipendRate.objects.select_for_update().filter(organization_id=organization_id))


# --- adding a rate ---------------------------------------------------------------------


@dataclass(frozen=True)
class RateTerms:
    """What finance fill in for a new rate."""

    basis: str
    amount: Decimal
    benchmark_hourly: Decimal
    effective_from: date
    effective_to: date | None = None
    meeting_role: str = ""
    usual_minutes: int | None = None
    minimum_paid_minutes: int = 60
    late_cancellation_hours: int = DEFAULT_LATE_NOTICE_HOURS
    late_cancellation_pay: str = "planned_length"


@dataclass(frozen=True)
class RateAdded:
    rate: StipendRate
    priced: int  # pieces of work that were waiting for a rate and are now earned pay


def _is_positive_money(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and value > 0


def rate_errors_across_fields(
    *,
    basis: str | None,
    usual_minutes: int | None,
    effective_from: date | None,
    effective_to: date | None,
) -> dict[str, StrOrPromise]:
    """The rules across a rate's fields, by field: the form shows these with its other
    mistakes at once, and adding the rate checks them again."""
    errors: dict[str, StrOrPromise] = {}
    if basis == RateBasis.PER_MEETING and not usual_minutes:
        errors["usual_minutes"] = USUAL_MINUTES_MISSING
    if effective_from is not None and effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = LAST_DAY_BEFORE_FIRST
    return errors


def _terms_errors(terms: RateTerms) -> dict[str, StrOrPromise]:
    errors: dict[str, StrOrPromise] = {}
    if terms.basis not in RateBasis.values:
        errors["basis"] = BASIS_MISSING
    if not _is_positive_money(terms.amount):
        errors["amount"] = _("The amount must be a number more than 0.")
    if not _is_positive_money(terms.benchmark_hourly):
        errors["benchmark_hourly"] = _("The consultant rate must be a number more than 0.")
    if terms.meeting_role and terms.meeting_role not in MeetingRole.values:
        errors["meeting_role"] = _("That is not a meeting role.")
    errors.update(
        rate_errors_across_fields(
            basis=terms.basis,
            usual_minutes=terms.usual_minutes,
            effective_from=terms.effective_from,
            effective_to=terms.effective_to,
        )
    )
    return errors


def _overlaps(rate: StipendRate, start: date, end: date | None) -> bool:
    starts_before_end = end is None or rate.effective_from <= end
    ends_after_start = rate.effective_to is None or rate.effective_to >= start
    return starts_before_end and ends_after_start


def _overlap_error(terms: RateTerms, rates: list[StipendRate]) -> str | None:
    for rate in rates:
        if rate.meeting_role == terms.meeting_role and _overlaps(
            rate, terms.effective_from, terms.effective_to
        ):
            return _(
                "Another rate for the same meeting role already covers some of these days "
                "(from %(start)s). End that rate first, or choose days it does not cover."
            ) % {"start": _day(rate.effective_from)}
    return None


@transaction.atomic
def add_rate(*, organization: Organization, by: User, terms: RateTerms) -> RateAdded:
    """Adds a rate, then pays the work that was waiting for one. Raises ValidationError
    (by field) with nothing written when the terms are wrong or overlap another rate."""
    require(by, organization, Capability.HANDLE_PAY)
    errors = _terms_errors(terms)
    if errors:
        raise ValidationError(errors)
    overlap = _overlap_error(terms, _lock_rates(organization.pk))
    if overlap:
        raise ValidationError({"effective_from": overlap})
    rate = StipendRate(
        organization=organization,
        basis=terms.basis,
        amount=terms.amount,
        meeting_role=terms.meeting_role,
        # Only a fixed amount per meeting needs a usual length (for its hourly equivalent).
        usual_minutes=terms.usual_minutes if terms.basis == RateBasis.PER_MEETING else None,
        minimum_paid_minutes=terms.minimum_paid_minutes,
        late_cancellation_hours=terms.late_cancellation_hours,
        late_cancellation_pay=terms.late_cancellation_pay,
        benchmark_hourly=terms.benchmark_hourly,
        effective_from=terms.effective_from,
        effective_to=terms.effective_to,
        created_by=by,
    )
    rate.full_clean()
    rate.save()
    record_event(
        action="rate.added",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="stipend_rate",
        target_id=rate.pk,
    )
    return RateAdded(rate=rate, priced=price_unpriced_work(organization_id=organization.pk))


# --- ending a rate ---------------------------------------------------------------------


def _end_error(rate: StipendRate, until: date) -> str | None:
    if rate.effective_to is not None:
        return _(
            "This rate already ends on %(day)s. To change pay from a later day, add a new rate."
        ) % {"day": _day(rate.effective_to)}
    if until < rate.effective_from:
        return _("The last day cannot be before the rate starts (%(day)s).") % {
            "day": _day(rate.effective_from)
        }
    paid_until = latest_paid_day(rate)
    if paid_until is not None and until < paid_until:
        return _(
            "Pay for work on %(day)s was worked out with this rate, so its last day must be "
            "%(day)s or later."
        ) % {"day": _day(paid_until)}
    return None


@transaction.atomic
def end_rate(*, rate: StipendRate, by: User, until: date) -> StipendRate:
    """Gives an open rate its last day. Never earlier than the last day of work already
    paid by it: ending a rate must not take pay away from anyone."""
    organization = rate.organization
    require(by, organization, Capability.HANDLE_PAY)
    _lock_rates(organization.pk)
    locked = StipendRate.objects.get(pk=rate.pk, organization=organization)
    refusal = _end_error(locked, until)
    if refusal:
        raise ValidationError({"until": refusal})
    locked.effective_to = until
    locked.full_clean()
    locked.save(update_fields=["effective_to"])
    record_event(
        action="rate.ended",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="stipend_rate",
        target_id=locked.pk,
    )
    return locked


# --- pay settings ----------------------------------------------------------------------


@dataclass(frozen=True)
class PaySettingsTerms:
    currency: str
    payer_name: str
    payment_memo: str
    tax_threshold: Decimal
    benefits_help_url: str = ""
    tax_help_url: str = ""


def _settings_errors(
    organization: Organization, terms: PaySettingsTerms
) -> dict[str, StrOrPromise]:
    errors: dict[str, StrOrPromise] = {}
    currency = terms.currency.strip().upper()
    if not CURRENCY_CODE.fullmatch(currency):
        errors["currency"] = CURRENCY_NOT_CODE
    elif LedgerEntry.objects.filter(organization=organization).exclude(currency=currency).exists():
        errors["currency"] = _(
            "Pay has already been recorded in another currency, so the currency cannot change."
        )
    if not terms.payer_name.strip():
        errors["payer_name"] = PAYER_MISSING
    if not terms.payment_memo.strip():
        errors["payment_memo"] = MEMO_MISSING
    threshold = terms.tax_threshold
    if not isinstance(threshold, Decimal) or not threshold.is_finite() or threshold < 0:
        errors["tax_threshold"] = _("The threshold must be a number, 0 or more.")
    return errors


@transaction.atomic
def save_pay_settings(
    *, organization: Organization, by: User, terms: PaySettingsTerms
) -> PaySettings:
    """Saves the organization's pay settings, creating them on the first save."""
    require(by, organization, Capability.HANDLE_PAY)
    errors = _settings_errors(organization, terms)
    if errors:
        raise ValidationError(errors)
    settings = PaySettings.objects.select_for_update().filter(
        organization=organization
    ).first() or PaySettings(organization=organization)
    settings.currency = terms.currency.strip().upper()
    settings.payer_name = terms.payer_name.strip()
    settings.payment_memo = terms.payment_memo.strip()
    settings.benefits_help_url = terms.benefits_help_url.strip()
    settings.tax_help_url = terms.tax_help_url.strip()
    settings.tax_threshold = terms.tax_threshold
    settings.full_clean()
    settings.save()
    record_event(
        action="pay_settings.saved",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="pay_settings",
        target_id=settings.pk,
    )
    return settings


# --- payment methods offered -----------------------------------------------------------


@dataclass(frozen=True)
class MethodTerms:
    """What finance say about one payment method."""

    method: str
    offered: bool
    fees: str = ""
    on_statements: str = ""
    on_envelopes: str = ""
    on_tax_forms: str = ""

    def texts(self) -> dict[str, str]:
        return {
            "fees": self.fees.strip(),
            "on_statements": self.on_statements.strip(),
            "on_envelopes": self.on_envelopes.strip(),
            "on_tax_forms": self.on_tax_forms.strip(),
        }


def method_field(method: str, name: str) -> str:
    """The name a method's field goes by on the form, and in this module's errors."""
    return f"{method}_{name}"


def _method_errors(terms: MethodTerms) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, text in terms.texts().items():
        if len(text) > TEXT_LIMIT:
            message = _("Keep this to %(limit)s characters.") % {"limit": TEXT_LIMIT}
        elif terms.offered and not text:
            message = _("People choosing this method need to know this. If none, say so.")
        else:
            continue
        errors[method_field(terms.method, name)] = message
    return errors


def _methods_errors(rows: list[MethodTerms]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if sorted(row.method for row in rows) != sorted(PaymentMethod.values):
        errors[NON_FIELD_ERRORS] = _("Say something about every payment method, once each.")
    for row in rows:
        errors |= _method_errors(row)
    return errors


@transaction.atomic
def save_offered_methods(
    *, organization: Organization, by: User, rows: list[MethodTerms]
) -> list[OfferedMethod]:
    """Saves what the organization offers, every method at once or none. Returns the
    methods that changed. Errors are keyed `<method>_<field>`."""
    require(by, organization, Capability.HANDLE_PAY)
    errors = _methods_errors(rows)
    if errors:
        raise ValidationError(errors)
    existing = {
        m.method: m
        for m in OfferedMethod.objects.select_for_update().filter(organization=organization)
    }
    changed = []
    for row in rows:
        method = _save_method(organization, row, existing.get(row.method))
        if method is None:
            continue
        record_event(
            action="offered_method.saved",
            actor_id=by.pk,
            organization_id=organization.pk,
            target_type="offered_method",
            target_id=method.pk,
        )
        changed.append(method)
    return changed


def _terms_of(method: OfferedMethod) -> tuple[bool, str, str, str, str]:
    return (
        method.offered,
        method.fees,
        method.on_statements,
        method.on_envelopes,
        method.on_tax_forms,
    )


def _save_method(
    organization: Organization, row: MethodTerms, existing: OfferedMethod | None
) -> OfferedMethod | None:
    """Writes one method if anything about it changed; returns it, or None."""
    texts = row.texts()
    if existing is None and not row.offered and not any(texts.values()):
        return None  # never offered, nothing said: nothing to keep
    method = existing or OfferedMethod(organization=organization, method=row.method)
    before = _terms_of(method) if existing is not None else None
    method.offered = row.offered
    for name, text in texts.items():
        setattr(method, name, text)
    if before == _terms_of(method):
        return None
    method.full_clean()
    method.save()
    return method
