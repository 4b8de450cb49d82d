"""earn_for_booked_work: one earned entry for booked work (advisory's opportunities) — the
hours at the day's rate (never fewer than the minimum paid block), or a fixed amount as
agreed; nothing when no rate covers hourly work, so the caller can refuse and write
nothing. The entry says what the work was."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from compensation.models import EntryKind, EntryReason, EntrySource, LedgerEntry, WorkKind
from compensation.services.accrual import BookedWorkTerms, earn_for_booked_work
from tests.compensation.factories import hourly_rate

pytestmark = [pytest.mark.services, pytest.mark.django_db]

DAY = datetime.date(2025, 5, 20)
WORK = BookedWorkTerms(kind=WorkKind.SPEAKING, title="Speak at the volunteer training")


def test_hourly_work_is_the_hours_at_the_days_rate(personas):
    rate = hourly_rate(personas.harbor, "40.00")
    entry = earn_for_booked_work(
        organization=personas.harbor,
        user_id=personas.ash.pk,
        work=WORK,
        work_date=DAY,
        hours=Decimal("1.75"),
        fixed_amount=None,
        actor_id=personas.sam.pk,
    )
    assert entry is not None
    assert (entry.kind, entry.source, entry.amount, entry.rate) == (
        EntryKind.EARNED,
        EntrySource.BOOKED_WORK,
        Decimal("70.00"),
        rate,
    )


def test_a_fixed_amount_is_paid_as_agreed_even_without_a_rate(personas):
    entry = earn_for_booked_work(
        organization=personas.harbor,
        user_id=personas.ash.pk,
        work=WORK,
        work_date=DAY,
        hours=Decimal("3"),
        fixed_amount=Decimal("150.00"),
        actor_id=None,
    )
    assert entry is not None
    assert entry.amount == Decimal("150.00")
    assert entry.rate is None


def test_hourly_work_no_rate_covers_writes_nothing(personas):
    hourly_rate(personas.harbor, effective_from=DAY + datetime.timedelta(days=1))
    entry = earn_for_booked_work(
        organization=personas.harbor,
        user_id=personas.ash.pk,
        work=WORK,
        work_date=DAY,
        hours=Decimal("2"),
        fixed_amount=None,
        actor_id=None,
    )
    assert entry is None
    assert not LedgerEntry.objects.exists()


def test_work_the_program_cancelled_late_says_so(personas):
    hourly_rate(personas.harbor, "40.00")
    entry = earn_for_booked_work(
        organization=personas.harbor,
        user_id=personas.ash.pk,
        work=WORK,
        work_date=DAY,
        hours=Decimal("2"),
        fixed_amount=None,
        actor_id=None,
        cancelled_late=True,
    )
    assert entry is not None
    assert (entry.source, entry.reason, entry.amount) == (
        EntrySource.BOOKED_WORK,
        EntryReason.CANCELLED_LATE,
        Decimal("80.00"),
    )


def test_short_hourly_work_is_paid_the_minimum_block(personas):
    hourly_rate(personas.harbor, "40.00", minimum_paid_minutes=120)
    entry = earn_for_booked_work(
        organization=personas.harbor,
        user_id=personas.ash.pk,
        work=WORK,
        work_date=DAY,
        hours=Decimal("0.5"),
        fixed_amount=None,
        actor_id=None,
    )
    assert entry is not None
    assert (entry.hours, entry.amount) == (Decimal("2"), Decimal("80.00"))


def test_the_entry_keeps_what_the_work_was(personas):
    entry = earn_for_booked_work(
        organization=personas.harbor,
        user_id=personas.ash.pk,
        work=WORK,
        work_date=DAY,
        hours=Decimal("3"),
        fixed_amount=Decimal("150.00"),
        actor_id=None,
    )
    assert entry is not None
    assert (entry.booked_work.kind, entry.booked_work.title) == (WORK.kind, WORK.title)
