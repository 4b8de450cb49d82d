"""Pay earned from attendance, exactly once: a task delivered twice, or the sheet saved
again, writes nothing new; a correction takes back the old entry and writes one new one."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from compensation.models import EntryKind, EntryReason, LedgerEntry, UnpricedWork
from compensation.services.accrual import accrue_attendance, price_unpriced_work
from tests.compensation.factories import attend, hourly_rate, past_meeting

pytestmark = pytest.mark.django_db


def test_attending_earns_the_hours_at_the_rate(personas):
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    entry = LedgerEntry.objects.get(user=personas.ash)
    assert (entry.kind, entry.amount, entry.hours) == (
        EntryKind.EARNED,
        Decimal("60.00"),
        Decimal("1.5"),
    )


def test_running_the_task_twice_and_saving_the_sheet_again_writes_one_entry(personas):
    hourly_rate(personas.harbor)
    meeting = past_meeting(personas.harbor, personas.ash)
    attendance = attend(meeting, personas.ash, by=personas.sam)
    accrue_attendance(attendance_id=attendance.pk)
    attend(meeting, personas.ash, by=personas.sam)  # the same sheet saved again
    assert LedgerEntry.objects.filter(user=personas.ash).count() == 1


def test_a_correction_is_one_reversal_and_one_new_entry(personas):
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    attendance = attend(meeting, personas.ash, by=personas.sam, hours="2")
    accrue_attendance(attendance_id=attendance.pk)  # and once more, for good measure
    entries = list(LedgerEntry.objects.filter(user=personas.ash).order_by("id"))
    assert [(e.kind, e.amount) for e in entries] == [
        (EntryKind.EARNED, Decimal("60.00")),
        (EntryKind.REVERSAL, Decimal("-60.00")),
        (EntryKind.EARNED, Decimal("80.00")),
    ]
    assert entries[1].reverses_id == entries[0].pk
    assert entries[1].reason == EntryReason.ATTENDANCE_CORRECTED


def test_short_attendance_is_paid_the_minimum_block(personas):
    hourly_rate(personas.harbor, "40.00", minimum_paid_minutes=120)
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam, hours="0.5")
    assert LedgerEntry.objects.get(user=personas.ash).amount == Decimal("80.00")


def test_not_coming_earns_nothing_and_takes_back_what_was_recorded(personas):
    hourly_rate(personas.harbor)
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam)
    attend(meeting, personas.ash, by=personas.sam, attended=False)
    assert sum(e.amount for e in LedgerEntry.objects.filter(user=personas.ash)) == 0


def test_a_day_without_a_rate_is_flagged_for_finance_never_paid_as_zero(personas):
    hourly_rate(personas.harbor, effective_from=datetime.date(2999, 1, 1))
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam)
    assert not LedgerEntry.objects.exists()
    work = UnpricedWork.objects.get(user=personas.ash)
    assert work.settled_at is None

    hourly_rate(
        personas.harbor,
        "30.00",
        effective_from=datetime.date(2000, 1, 1),
        effective_to=datetime.date(2998, 12, 31),
    )
    assert price_unpriced_work(organization_id=personas.harbor.pk) == 1
    assert LedgerEntry.objects.get(user=personas.ash).amount == Decimal("45.00")
    assert price_unpriced_work(organization_id=personas.harbor.pk) == 0


def test_the_ledger_refuses_update_and_delete(personas):
    hourly_rate(personas.harbor)
    attend(past_meeting(personas.harbor, personas.ash), personas.ash, by=personas.sam)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.update(amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get().amount == Decimal("75.00")


# --- late cancellations by the program ------------------------------------------------------


def _upcoming(personas, hours_away: float, *replies):
    from django.utils import timezone

    from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory

    meeting = MeetingFactory.create(
        organization=personas.harbor,
        starts_at=timezone.now() + datetime.timedelta(hours=hours_away),
        duration_minutes=120,
    )
    for person, reply in replies:
        MeetingInvitationFactory.create(meeting=meeting, user=person, reply=reply)
    return meeting


def _cancel(meeting, by):
    from django.utils import timezone

    from compensation.services.accrual import accrue_late_cancellation
    from meetings.services.scheduling import cancel_meeting

    cancel_meeting(meeting=meeting, by=by)
    return accrue_late_cancellation(meeting_id=meeting.pk, cancelled_at=timezone.now())


def test_a_late_cancellation_pays_everyone_who_had_not_said_no(personas):
    from meetings.models import Reply

    hourly_rate(personas.harbor, "40.00", late_cancellation_hours=48)
    meeting = _upcoming(personas, 24, (personas.ash, Reply.YES), (personas.river, Reply.NO))
    result = _cancel(meeting, personas.sam)
    assert (result.paid, result.flagged) == (1, 0)
    entry = LedgerEntry.objects.get()
    assert (entry.user, entry.amount, entry.reason) == (
        personas.ash,
        Decimal("80.00"),  # the planned two hours
        EntryReason.CANCELLED_LATE,
    )
    # Delivered twice: nothing new.
    from compensation.services.accrual import accrue_late_cancellation

    accrue_late_cancellation(meeting_id=meeting.pk, cancelled_at=entry.created_at)
    assert LedgerEntry.objects.count() == 1


def test_a_cancellation_with_enough_notice_pays_nothing(personas):
    from meetings.models import Reply

    hourly_rate(personas.harbor, late_cancellation_hours=48)
    meeting = _upcoming(personas, 72, (personas.ash, Reply.YES))
    assert _cancel(meeting, personas.sam).paid == 0
    assert not LedgerEntry.objects.exists()


def test_the_minimum_block_rule_pays_the_minimum_block(personas):
    from compensation.models import LateCancellationPay
    from meetings.models import Reply

    hourly_rate(
        personas.harbor,
        "40.00",
        minimum_paid_minutes=60,
        late_cancellation_pay=LateCancellationPay.MINIMUM_BLOCK,
    )
    meeting = _upcoming(personas, 2, (personas.ash, Reply.MAYBE))
    _cancel(meeting, personas.sam)
    assert LedgerEntry.objects.get().amount == Decimal("40.00")


# --- pay never depends on consent ----------------------------------------------------------


def test_no_consent_change_alters_any_pay(personas):
    from accounts.models import ConsentScope, ConsentText
    from accounts.services.consent import (
        ensure_consent_texts,
        grant_consent,
        withdraw_consent,
    )

    hourly_rate(personas.harbor, "40.00")
    ensure_consent_texts(organization=personas.harbor)
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    before = list(LedgerEntry.objects.values_list("id", "amount"))
    for scope in ConsentScope.values:
        text = ConsentText.objects.filter(organization=personas.harbor, scope=scope).first()
        assert text is not None
        grant_consent(
            user=personas.ash,
            organization=personas.harbor,
            scope=scope,
            text_version=text.version,
            language=text.language,
        )
        withdraw_consent(user=personas.ash, organization=personas.harbor, scope=scope)
    attendance = attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    accrue_attendance(attendance_id=attendance.pk)
    assert list(LedgerEntry.objects.values_list("id", "amount")) == before


def test_a_corrected_sheet_replaces_an_earlier_flag_correction_instead_of_adding_to_it(personas):
    from compensation.models import EntrySource, HoursFlag
    from compensation.services.accrual import correct_for_flag

    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash)
    attendance = attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    flag = HoursFlag.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        attendance=attendance,
        attendance_version=attendance.version,
        hours_expected=Decimal("2"),
    )
    correct_for_flag(flag, hours=Decimal("2"), actor_id=personas.fin.pk)
    assert sum(e.amount for e in LedgerEntry.objects.all()) == Decimal("80.00")

    attend(meeting, personas.ash, by=personas.sam, hours="2")  # staff fix the sheet too
    assert sum(e.amount for e in LedgerEntry.objects.all()) == Decimal("80.00")
    adjustment = LedgerEntry.objects.get(source=EntrySource.HOURS_FLAG, kind=EntryKind.ADJUSTMENT)
    assert adjustment.reversal.reason == EntryReason.ATTENDANCE_CORRECTED


def test_skipping_a_hard_agenda_item_never_cuts_pay(personas):
    from meetings.services.scheduling import skip_agenda_item
    from tests.meetings.factories import AgendaItemFactory

    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    item = AgendaItemFactory.create(meeting=meeting, content_note="This topic may be hard.")
    with time_machine.travel(meeting.starts_at, tick=False):  # skipped while it was on
        skip_agenda_item(item=item, person=personas.ash)
    attend(meeting, personas.ash, by=personas.sam, hours="2")
    attend(meeting, personas.river, by=personas.sam, hours="2")
    paid = dict(LedgerEntry.objects.values_list("user__email", "amount"))
    assert paid == {"ash@example.test": Decimal("80.00"), "river@example.test": Decimal("80.00")}


def test_a_fixed_meeting_rate_prices_other_work_rounding_once(personas):
    from compensation.models import RateBasis, StipendRate
    from compensation.services.accrual import work_pay

    rate = StipendRate(
        basis=RateBasis.PER_MEETING,
        amount=Decimal("100.00"),
        usual_minutes=90,
        benchmark_hourly=Decimal("60.00"),
    )
    assert work_pay(rate, Decimal("1.5")) == Decimal("100.00")  # not 100.01
