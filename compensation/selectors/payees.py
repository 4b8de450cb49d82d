"""Reads for making a payment batch: who a batch for a way to pay may pay (payees, with
their schedule and caps), and what each was paid so far this month and this year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum

from accounts.models import Organization
from compensation.models import (
    BatchItem,
    FinalPayout,
    OfferedMethod,
    PaymentBatch,
    PaymentPreference,
    Schedule,
)
from compensation.money import ZERO
from compensation.selectors.ledger import payments


@dataclass(frozen=True)
class Payee:
    """A person a batch for this method may pay, with their schedule and caps."""

    user_id: int
    final: bool = False
    schedule: str = Schedule.PER_MEETING
    months: frozenset[int] = frozenset()
    monthly_cap: Decimal | None = None
    yearly_cap: Decimal | None = None


@dataclass(frozen=True)
class SoFar:
    """What the person was paid this month and this year, counting pay waiting in open
    batches as paid (it will be, soon), and whether a payment already counts this month."""

    month: Decimal = ZERO
    year: Decimal = ZERO
    paid_this_month: bool = False
    # The day of their latest payment (today if pay waits in an open batch), or None.
    last_paid: date | None = None


def _months(value: object) -> frozenset[int]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(int(month) for month in value if str(month).isdigit())


def payees_for(organization: Organization, method: str) -> dict[int, Payee]:
    """Everyone to be paid by this method: people who chose it, and deleted accounts whose
    last payment goes by it (their choice then is the one kept for that payment)."""
    final_payouts = FinalPayout.objects.filter(organization=organization, paid_at__isnull=True)
    offered = OfferedMethod.objects.filter(organization=organization, offered=True).values("method")
    # A last payment whose way to pay was never chosen, or is no longer offered, goes with
    # the next batch finance make, whatever its method: it must not wait for ever.
    going = final_payouts.filter(Q(method=method) | ~Q(method__in=offered))
    payees = {
        user_id: Payee(user_id=user_id, final=True)
        for user_id in going.values_list("user_id", flat=True)
    }
    preferences = PaymentPreference.objects.filter(
        organization=organization, method=method
    ).exclude(user_id__in=final_payouts.values("user_id"))
    for preference in preferences:
        payees[preference.user_id] = Payee(
            user_id=preference.user_id,
            schedule=preference.schedule,
            months=_months(preference.months),
            monthly_cap=preference.monthly_cap,
            yearly_cap=preference.yearly_cap,
        )
    return payees


def paid_so_far(
    organization: Organization, user_ids: Sequence[int], today: date
) -> dict[int, SoFar]:
    """Three queries for everyone: payments this year (and this month), pay waiting in
    open batches, and each person's latest payment."""
    month_start = today.replace(day=1)
    this_month = Q(work_date__gte=month_start)
    paid_now = {
        row["user"]: row
        for row in payments(organization)
        .filter(user_id__in=user_ids, work_date__year=today.year)
        .order_by()
        .values("user")
        .annotate(
            year=Sum("amount"),
            month=Sum("amount", filter=this_month),
            in_month=Count("id", filter=this_month),
        )
    }
    waiting = dict(
        BatchItem.objects.filter(
            batch__organization=organization,
            batch__status=PaymentBatch.Status.OPEN,
            entry__user_id__in=user_ids,
        )
        .order_by()
        .values("entry__user")
        .annotate(total=Sum("entry__amount"))
        .values_list("entry__user", "total")
    )
    last_paid = dict(
        payments(organization)
        .filter(user_id__in=user_ids)
        .order_by()
        .values("user")
        .annotate(last=Max("work_date"))
        .values_list("user", "last")
    )
    result = {}
    for user_id in user_ids:
        paid: Mapping[str, Any] = paid_now.get(user_id, {})
        in_open_batch = waiting.get(user_id)
        result[user_id] = SoFar(
            month=-(paid.get("month") or ZERO) + (in_open_batch or ZERO),
            year=-(paid.get("year") or ZERO) + (in_open_batch or ZERO),
            paid_this_month=bool(paid.get("in_month")) or in_open_batch is not None,
            last_paid=today if in_open_batch is not None else last_paid.get(user_id),
        )
    return result
