"""The survivor's own choices about pay: how and when they are paid and the most per month
and per year; what happens to an amount held back by one of those limits; and declining a
payment. Only the person themself makes these choices, and pay never depends on them.

There is no way to give pay to the organization: declining means it is not paid, nothing
more. Every check runs before anything is written; a refusal writes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import Organization, User
from accounts.permissions import Capability, require
from compensation.models import (
    EntryReason,
    Hold,
    HoldChoice,
    LedgerEntry,
    OfferedMethod,
    PaymentPreference,
    Schedule,
)
from compensation.money import AMOUNT_TOO_LARGE, CENT
from compensation.selectors.ledger import PayState, organization_today
from compensation.selectors.mypay import later_months, may_decline, state_now
from compensation.services.ledger import reverse_entry

# The largest amount the ledger's columns hold (12 digits, 2 of them after the point).
MAX_AMOUNT = Decimal("9999999999.99")
MONTHS = range(1, 13)
DECISIONS = (HoldChoice.LATER, HoldChoice.TAKE, HoldChoice.DECLINE)


# --- how, when and how much --------------------------------------------------------------


# The rules' words, written once: the forms show these same messages.
FATE_MISSING = gettext_lazy("Choose what should happen to this amount.")
LIMIT_BELOW_ZERO = gettext_lazy("A limit cannot be less than 0.")
WHEN_MISSING = gettext_lazy("Choose when you want to be paid.")
METHOD_NOT_OFFERED = gettext_lazy("We can't pay that way here. Choose one of the ways listed.")
MONTHS_MISSING = gettext_lazy("Choose at least one month.")
MONTH_UNKNOWN = gettext_lazy("Choose a month from the list.")
NOT_DECLINABLE = gettext_lazy(
    "Only pay that is earned, not yet paid, or approved can be declined. Nothing was changed."
)
TOO_MANY_DECIMALS = gettext_lazy("Use at most two numbers after the point, like 500.25.")
AMOUNT_NOT_NUMBER = gettext_lazy("Write an amount as a number, like 500 or 500.00.")


# Said in more than one place below, so written once here.
CHANGED_MEANWHILE = gettext_lazy(
    "This payment changed while you were deciding. Nothing was changed."
)


def _cap_error(cap: object) -> str | None:
    if cap is None:
        return None
    if not isinstance(cap, Decimal) or not cap.is_finite():
        return str(AMOUNT_NOT_NUMBER)
    if cap < 0:
        return str(LIMIT_BELOW_ZERO)
    if cap > MAX_AMOUNT:
        return str(AMOUNT_TOO_LARGE)
    if cap != cap.quantize(CENT):
        return str(TOO_MANY_DECIMALS)
    return None


def months_error(schedule: str | None, months: list[int]) -> str | None:
    """Why these months cannot be the chosen months to be paid in; None when they can."""
    if schedule != Schedule.CHOSEN_MONTHS:
        return None
    if not months:
        return str(MONTHS_MISSING)
    if any(isinstance(m, bool) or not isinstance(m, int) or m not in MONTHS for m in months):
        return _("Months go from 1 (January) to 12 (December).")
    return None


def _choice_errors(
    *,
    organization: Organization,
    method: str,
    schedule: str,
    months: list[int],
    monthly_cap: Decimal | None,
    yearly_cap: Decimal | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if (
        method
        and not OfferedMethod.objects.filter(
            organization=organization, method=method, offered=True
        ).exists()
    ):
        errors["method"] = [str(METHOD_NOT_OFFERED)]
    if schedule not in Schedule.values:
        errors["schedule"] = [str(WHEN_MISSING)]
    if months_problem := months_error(schedule, months):
        errors["months"] = [months_problem]
    for field, cap in (("monthly_cap", monthly_cap), ("yearly_cap", yearly_cap)):
        if cap_error := _cap_error(cap):
            errors[field] = [cap_error]
    return errors


@transaction.atomic
def save_payment_choices(
    *,
    user: User,
    organization: Organization,
    method: str,
    schedule: str,
    months: list[int],
    monthly_cap: Decimal | None,
    yearly_cap: Decimal | None,
) -> PaymentPreference:
    """Save how, when and how much at most the person is paid. `method` may be empty (not
    chosen yet); months count only for "months I choose". A method the organization does
    not offer, a bad month or a negative limit refuses everything."""
    require(user, organization, Capability.USE_OWN_SEAT)
    errors = _choice_errors(
        organization=organization,
        method=method,
        schedule=schedule,
        months=months,
        monthly_cap=monthly_cap,
        yearly_cap=yearly_cap,
    )
    if errors:
        raise ValidationError(errors)
    preference, _created = PaymentPreference.objects.update_or_create(
        organization=organization,
        user=user,
        defaults={
            "method": method,
            "schedule": schedule,
            "months": sorted(set(months)) if schedule == Schedule.CHOSEN_MONTHS else [],
            "monthly_cap": monthly_cap,
            "yearly_cap": yearly_cap,
        },
    )
    record_event(
        action="pay.choices_saved",
        actor_id=user.pk,
        organization_id=organization.pk,
        target_type="payment_preference",
        target_id=preference.pk,
    )
    return preference


# --- declining ---------------------------------------------------------------------------


def _lock_own_entry(user: User, organization: Organization, entry_id: int) -> LedgerEntry:
    # Locking the entry serializes this with finance approving or batching it: whoever
    # comes second sees what the first did.
    entry = (
        LedgerEntry.objects.select_for_update()
        .filter(pk=entry_id, user=user, organization=organization)
        .first()
    )
    if entry is None:
        raise PermissionDenied
    return entry


def _take_back_declined(entry: LedgerEntry, actor_id: int) -> LedgerEntry:
    try:
        with transaction.atomic():
            return reverse_entry(entry, reason=EntryReason.DECLINED, actor_id=actor_id)
    except IntegrityError as exc:
        # Taken back a moment ago by a correction of the attendance it was for.
        raise ValidationError(str(CHANGED_MEANWHILE)) from exc


@transaction.atomic
def decline_payment(*, user: User, organization: Organization, entry_id: int) -> LedgerEntry:
    """The person does not want this pay: it is taken back and never paid. Only their own
    pay that is earned, not yet paid, or approved — not pay being paid or paid, and never
    a deduction. Returns the entry that takes it back."""
    require(user, organization, Capability.USE_OWN_SEAT)
    entry = _lock_own_entry(user, organization, entry_id)
    entry.state = state_now(entry.pk, organization_today(organization))  # type: ignore[attr-defined]
    if not may_decline(entry):
        raise ValidationError(NOT_DECLINABLE)
    return _take_back_declined(entry, user.pk)


# --- held amounts ------------------------------------------------------------------------


def _hold_errors(hold: Hold, choice: str, release_from: date | None, today: date) -> list[str]:
    if hold.choice != HoldChoice.WAITING:
        return [_("You already decided about this amount. Nothing was changed.")]
    if state_now(hold.entry_id, today) != PayState.HELD:
        return [str(CHANGED_MEANWHILE)]
    if choice not in DECISIONS:
        return [str(FATE_MISSING)]
    if choice == HoldChoice.LATER and release_from not in later_months(
        reason=hold.reason, period_start=hold.period_start, today=today
    ):
        return [str(MONTH_UNKNOWN)]
    return []


@transaction.atomic
def decide_hold(
    *,
    user: User,
    organization: Organization,
    hold_id: int,
    choice: str,
    release_from: date | None = None,
) -> Hold:
    """The person decides about pay held back by one of their limits: pay it from a later
    month (`release_from`, the first day of that month), pay it anyway, or not at all. A
    hold is decided once."""
    require(user, organization, Capability.USE_OWN_SEAT)
    entry_id = (
        Hold.objects.filter(pk=hold_id, entry__user=user, entry__organization=organization)
        .values_list("entry_id", flat=True)
        .first()
    )
    if entry_id is None:
        raise PermissionDenied
    entry = _lock_own_entry(user, organization, entry_id)
    hold = Hold.objects.select_for_update().get(pk=hold_id)
    today = organization_today(organization)
    if errors := _hold_errors(hold, choice, release_from, today):
        raise ValidationError(errors)
    hold.choice = choice
    hold.release_from = release_from if choice == HoldChoice.LATER else None
    hold.decided_at = timezone.now()
    hold.full_clean()
    hold.save(update_fields=["choice", "release_from", "decided_at"])
    if choice == HoldChoice.DECLINE:
        _take_back_declined(entry, user.pk)
    record_event(
        action=f"pay.hold_{choice}",
        actor_id=user.pk,
        organization_id=organization.pk,
        target_type="hold",
        target_id=hold.pk,
    )
    return hold
