"""The only code that writes ledger entries. Each entry is appended with its audit event;
nothing is ever changed or removed (the database refuses it). A correction is a reversal:
a new entry with the opposite amount that names the entry it takes back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.audit import record_event
from compensation.models import EntryKind, EntryReason, LedgerEntry
from compensation.money import to_cents


@transaction.atomic
def append_entry(
    *,
    organization_id: int,
    user_id: int,
    kind: str,
    source: str,
    reason: str,
    amount: Decimal,
    currency: str,
    work_date: date,
    actor_id: int | None,
    **links: Any,
) -> LedgerEntry:
    """`links` are the ids the entry points at: rate, attendance (+ version), meeting,
    claim, flag, reverses, batch."""
    entry = LedgerEntry(
        organization_id=organization_id,
        user_id=user_id,
        kind=kind,
        source=source,
        reason=reason,
        amount=to_cents(amount),
        currency=currency,
        work_date=work_date,
        actor_id=actor_id,
        **links,
    )
    entry.full_clean(validate_constraints=False)  # the database checks them, under lock
    entry.save(force_insert=True)
    record_event(
        action=f"ledger.{kind}.{reason}",
        actor_id=actor_id,
        organization_id=organization_id,
        target_type="ledger_entry",
        target_id=entry.pk,
    )
    return entry


def reverse_entry(entry: LedgerEntry, *, reason: str, actor_id: int | None) -> LedgerEntry:
    """Take an entry back in full. An entry is reversed at most once (a one-to-one link)."""
    return append_entry(
        organization_id=entry.organization_id,
        user_id=entry.user_id,
        kind=EntryKind.REVERSAL,
        source=entry.source,
        reason=reason,
        amount=-entry.amount,
        currency=entry.currency,
        work_date=entry.work_date,
        actor_id=actor_id,
        hours=-entry.hours if entry.hours is not None else None,
        rate_id=entry.rate_id,
        attendance_id=entry.attendance_id,
        attendance_version=entry.attendance_version,
        meeting_id=entry.meeting_id,
        claim_id=entry.claim_id,
        flag_id=entry.flag_id,
        reverses=entry,
    )


__all__ = ["EntryReason", "append_entry", "reverse_entry"]
