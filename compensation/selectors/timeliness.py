"""How long people wait to be paid: one definition for the finance dashboard and for the
funder report's weeks to payment.

Every piece of earned pay counts by its age, paid or not: paid pay waited from the day of
the work to the day its batch was paid; pay not paid yet has waited until today. Counting
only paid batches flattered the figure — earned pay left 25 days without approval was in
no figure at all. Pay not paid yet counts once it is past the target (until then it may
still be paid on time). Pay held back over a limit the person set waits for the person's
own choice, not for the program, so it is left out; so is pay declined or corrected.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum

from accounts.models import Organization
from compensation.models import EntryKind, LedgerEntry
from compensation.selectors.ledger import PayState, state_of_entry

# The target: paid within 14 days of the work.
PAID_ON_TIME_DAYS = 14
WAITING_STATES = (PayState.EARNED, PayState.APPROVED, PayState.PAYING)


@dataclass(frozen=True)
class Wait:
    """Pieces of earned pay of one person for one day of work with the same outcome."""

    user_id: int
    work_date: date
    days: int  # to payment, or until today if not paid yet
    paid: bool
    entries: int
    amount: Decimal

    @property
    def late(self) -> bool:
        return self.days > PAID_ON_TIME_DAYS


def pay_waits(
    organization: Organization,
    *,
    work_from: date,
    work_to: date,
    today: date,
    user_ids: Collection[int] | None = None,
) -> list[Wait]:
    """Earned pay for work from `work_from` to `work_to` (both included) whose wait is
    known against the target: paid, or not paid and already late. One query, grouped by
    person, day of work and outcome, so the rows stay few however many entries there are."""
    entries = LedgerEntry.objects.filter(
        organization=organization,
        kind=EntryKind.EARNED,
        work_date__gte=work_from,
        work_date__lte=work_to,
    )
    if user_ids is not None:
        entries = entries.filter(user_id__in=user_ids)
    rows = (
        entries.annotate(state=state_of_entry(today))
        .filter(state__in=(PayState.PAID, *WAITING_STATES))
        .order_by()
        .values("user_id", "work_date", "state", "batch_item__batch__paid_at")
        .annotate(entries=Count("id"), amount=Sum("amount"))
        .values_list(
            "user_id", "work_date", "state", "batch_item__batch__paid_at", "entries", "amount"
        )
    )
    zone = ZoneInfo(organization.time_zone)
    waits = []
    for user_id, work_date, state, paid_at, count, amount in rows:
        paid = state == PayState.PAID and paid_at is not None
        until = paid_at.astimezone(zone).date() if paid_at is not None and paid else today
        wait = Wait(
            user_id=user_id,
            work_date=work_date,
            days=max((until - work_date).days, 0),
            paid=paid,
            entries=count,
            amount=amount or Decimal(0),
        )
        if wait.paid or wait.late:
            waits.append(wait)
    return waits
