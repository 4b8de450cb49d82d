"""One survivor's pay as My pay shows it: earned, approved, batched and held amounts, and
what each step writes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import AuditEvent, Organization, User
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    Hold,
    HoldReason,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
    PaymentPreference,
)
from compensation.selectors.ledger import person_entries
from compensation.services.ledger import append_entry

MARCH_10 = datetime.date(2026, 3, 10)


def earned(
    person: User,
    organization: Organization,
    amount: str = "50.00",
    on: datetime.date = MARCH_10,
    **links: object,
) -> LedgerEntry:
    links.setdefault("hours", Decimal("1"))
    source = str(links.pop("source", EntrySource.MEETING))
    return append_entry(
        organization_id=organization.pk,
        user_id=person.pk,
        kind=EntryKind.EARNED,
        source=source,
        reason=EntryReason.ATTENDED,
        amount=Decimal(amount),
        currency="USD",
        work_date=on,
        actor_id=None,
        **links,
    )


def approve(entry: LedgerEntry, by: User) -> LedgerEntry:
    Approval.objects.create(entry=entry, approved_by=by)
    return entry


def batch_of(*entries: LedgerEntry, paid_on: datetime.date | None = None) -> PaymentBatch:
    """Put the entries in a batch; with `paid_on`, mark it paid that day, writing each
    person's payment as the finance code would."""
    first = entries[0]
    batch = PaymentBatch.objects.create(
        organization_id=first.organization_id, method=PaymentMethod.DIRECT_DEPOSIT
    )
    for entry in entries:
        BatchItem.objects.create(batch=batch, entry=entry)
    if paid_on is not None:
        for user_id in {entry.user_id for entry in entries}:
            total = sum((e.amount for e in entries if e.user_id == user_id), Decimal("0"))
            append_entry(
                organization_id=first.organization_id,
                user_id=user_id,
                kind=EntryKind.PAYMENT,
                source=EntrySource.PAYMENT,
                reason=EntryReason.BATCH_PAID,
                amount=-total,
                currency="USD",
                work_date=paid_on,
                actor_id=None,
                batch=batch,
            )
        batch.status = PaymentBatch.Status.PAID
        batch.paid_at = timezone.now()
        batch.save()
    return batch


def held(
    entry: LedgerEntry,
    reason: str = HoldReason.MONTHLY_CAP,
    period_start: datetime.date = datetime.date(2026, 3, 1),
) -> Hold:
    return Hold.objects.create(entry=entry, reason=reason, period_start=period_start)


def state_of(entry: LedgerEntry) -> str:
    user = User.objects.get(pk=entry.user_id)
    found = person_entries(user, entry.organization).get(pk=entry.pk)
    state: str = found.state  # type: ignore[attr-defined]
    return state


def writes() -> tuple[object, ...]:
    """Everything these services could write, to show a refusal wrote nothing."""
    return (
        AuditEvent.objects.count(),
        LedgerEntry.objects.count(),
        PaymentPreference.objects.count(),
        list(PaymentPreference.objects.order_by("pk").values()),
        list(Hold.objects.order_by("pk").values()),
    )
