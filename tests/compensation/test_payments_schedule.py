"""Each person's schedule and caps, with frozen time across month and year ends, in the
organization's time zone; pay held over a cap, and released by the person's choice."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import OutboxMessage
from compensation.models import (
    EntryReason,
    Hold,
    HoldChoice,
    HoldReason,
    PaymentBatch,
    PaymentMethod,
    Schedule,
)
from compensation.selectors.ledger import PayState, totals_for
from compensation.services.ledger import reverse_entry
from compensation.services.payments import create_batch, mark_batch_paid
from tests.compensation.factories import give_payment_details, offer_methods, prefer
from tests.support.pay import approved

pytestmark = pytest.mark.django_db

# The organization is in Chicago: its months end six hours after they end in UTC.
CHICAGO = ZoneInfo("America/Chicago")
DEPOSIT = PaymentMethod.DIRECT_DEPOSIT
date = datetime.date


def at(year: int, month: int, day: int, hour: int = 12):
    """Frozen at that hour in Chicago."""
    return time_machine.travel(
        datetime.datetime(year, month, day, hour, tzinfo=CHICAGO), tick=False
    )


@pytest.fixture
def harbor(personas):
    personas.harbor.time_zone = "America/Chicago"
    personas.harbor.save()
    offer_methods(personas.harbor, DEPOSIT)
    give_payment_details(personas.ash, personas.harbor)
    return personas.harbor


def batch_now(personas):
    return create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)


def batched_amounts(outcome) -> list[Decimal]:
    if outcome.batch is None:
        return []
    return sorted(outcome.batch.items.values_list("entry__amount", flat=True))


def pay(personas, batch: PaymentBatch, paid_on: datetime.date) -> None:
    mark_batch_paid(
        organization=personas.harbor, by=personas.fin, batch=batch, reference="R", paid_on=paid_on
    )


def nothing_to_pay(personas) -> bool:
    try:
        batch_now(personas)
    except ValidationError:
        return True
    return False


# --- schedules -----------------------------------------------------------------------------


def test_per_meeting_pays_every_time_a_batch_is_made(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING)
    with at(2026, 3, 10):
        approved(personas.ash, harbor)
        assert batch_now(personas).batch is not None
        approved(personas.ash, harbor)
        assert batch_now(personas).batch is not None


def test_monthly_pays_once_a_month_in_the_organizations_time_zone(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.MONTHLY)
    with at(2026, 1, 5):
        approved(personas.ash, harbor)
        batch = batch_now(personas).batch
        assert batch is not None
        pay(personas, batch, datetime.date(2026, 1, 5))
        approved(personas.ash, harbor, "20.00")
        assert nothing_to_pay(personas)  # paid once this month already
    # 21:00 on 31 January in Chicago is 1 February in UTC: still January here.
    with at(2026, 1, 31, hour=21):
        assert nothing_to_pay(personas)
    with at(2026, 2, 1, hour=0):
        assert batched_amounts(batch_now(personas)) == [Decimal("20.00")]


def test_pay_waiting_in_an_open_batch_counts_as_this_months_payment(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.MONTHLY)
    with at(2026, 4, 2):
        approved(personas.ash, harbor)
        assert batch_now(personas).batch is not None  # made, not marked paid yet
        approved(personas.ash, harbor)
        assert nothing_to_pay(personas)


@pytest.mark.parametrize(
    ("schedule", "months", "not_due", "due"),
    [
        (Schedule.THREE_TIMES, [], date(2026, 4, 30), date(2026, 5, 1)),
        (Schedule.THREE_TIMES, [], date(2026, 12, 31), date(2027, 1, 1)),
        (Schedule.YEARLY, [], date(2026, 12, 31), date(2027, 1, 1)),
        (Schedule.CHOSEN_MONTHS, [3, 11], date(2026, 10, 31), date(2026, 11, 1)),
        (Schedule.CHOSEN_MONTHS, [1], date(2026, 12, 31), date(2027, 1, 1)),
    ],
)
def test_schedules_pay_only_in_their_months(personas, harbor, schedule, months, not_due, due):
    prefer(personas.ash, harbor, DEPOSIT, schedule=schedule, months=months)
    with at(not_due.year, not_due.month, not_due.day, hour=23):
        approved(personas.ash, harbor, on=not_due)  # earned the day before the month
        assert nothing_to_pay(personas)
    with at(due.year, due.month, due.day, hour=0):
        assert batched_amounts(batch_now(personas)) == [Decimal("50.00")]
        approved(personas.ash, harbor)
        assert nothing_to_pay(personas)  # and once in that month only


def test_a_scheduled_month_with_no_batch_is_caught_up_with_what_was_earned_before_it(
    personas, harbor
):
    """Nobody made a batch in January: a "once a year" person is not left waiting another
    year for December's pay, but pay earned since January still waits for next January."""
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.YEARLY)
    with at(2026, 12, 10):
        approved(personas.ash, harbor, "50.00", on=date(2026, 12, 10))
    with at(2027, 2, 3):
        approved(personas.ash, harbor, "30.00", on=date(2027, 2, 3))
        outcome = batch_now(personas)
        assert batched_amounts(outcome) == [Decimal("50.00")]
        assert outcome.batch is not None
        pay(personas, outcome.batch, date(2027, 2, 3))
    with at(2027, 3, 1):
        assert nothing_to_pay(personas)  # paid since January: the rest waits


# --- caps ----------------------------------------------------------------------------------


def test_pay_over_the_monthly_cap_is_held_oldest_first_and_the_person_told(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(100))
    with at(2026, 6, 20):
        approved(personas.ash, harbor, "60.00", on=datetime.date(2026, 6, 1))
        late = approved(personas.ash, harbor, "40.00", on=datetime.date(2026, 6, 15))
        approved(personas.ash, harbor, "30.00", on=datetime.date(2026, 6, 8))

        outcome = batch_now(personas)

    assert batched_amounts(outcome) == [Decimal("30.00"), Decimal("60.00")]
    hold = Hold.objects.get()
    assert (hold.entry_id, hold.reason, hold.period_start, hold.choice) == (
        late.pk,
        HoldReason.MONTHLY_CAP,
        datetime.date(2026, 6, 1),
        HoldChoice.WAITING,
    )
    assert outcome.held == 1
    assert list(OutboxMessage.objects.values_list("recipient", "kind")) == [
        (personas.ash.pk, "pay_held")
    ]
    assert totals_for(personas.ash, harbor).held == Decimal("40.00")


def test_what_was_paid_and_what_waits_in_open_batches_count_toward_the_cap(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(100))
    with at(2026, 6, 3):
        approved(personas.ash, harbor, "50.00")
        batch = batch_now(personas).batch
        assert batch is not None
        pay(personas, batch, datetime.date(2026, 6, 3))
        approved(personas.ash, harbor, "30.00")
        assert batch_now(personas).batch is not None  # open, not paid yet
        approved(personas.ash, harbor, "30.00")

        outcome = batch_now(personas)

    assert (outcome.batch, outcome.held) == (None, 1)
    assert Hold.objects.get().reason == HoldReason.MONTHLY_CAP


def test_a_new_month_starts_the_monthly_cap_again(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(100))
    with at(2026, 7, 31, hour=20):
        approved(personas.ash, harbor, "90.00")
        batch = batch_now(personas).batch
        assert batch is not None
        pay(personas, batch, datetime.date(2026, 7, 31))
    with at(2026, 8, 1, hour=1):
        approved(personas.ash, harbor, "90.00")
        assert batched_amounts(batch_now(personas)) == [Decimal("90.00")]
    assert not Hold.objects.exists()


def test_the_yearly_cap_holds_across_months_and_starts_again_in_january(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, yearly_cap=Decimal(500))
    with at(2026, 11, 10):
        approved(personas.ash, harbor, "480.00")
        batch = batch_now(personas).batch
        assert batch is not None
        pay(personas, batch, datetime.date(2026, 11, 10))
    with at(2026, 12, 31, hour=23):
        approved(personas.ash, harbor, "50.00")
        assert batch_now(personas).held == 1
    hold = Hold.objects.get()
    assert (hold.reason, hold.period_start) == (HoldReason.YEARLY_CAP, datetime.date(2026, 1, 1))
    # The person moves it to January.
    Hold.objects.filter(pk=hold.pk).update(
        choice=HoldChoice.LATER, release_from=datetime.date(2027, 1, 1)
    )
    with at(
        2026,
        12,
        31,
        hour=23,
    ):
        assert nothing_to_pay(personas)  # not yet
    with at(2027, 1, 1, hour=0):
        assert batched_amounts(batch_now(personas)) == [Decimal("50.00")]


# --- the person's choice on held pay -------------------------------------------------------


def _held(personas, harbor, amount: str = "80.00") -> Hold:
    approved(personas.ash, harbor, amount)
    assert batch_now(personas).held == 1
    return Hold.objects.get()


def test_pay_later_is_checked_again_against_that_months_cap(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(50))
    with at(2026, 9, 15):
        hold = _held(personas, harbor)
        Hold.objects.filter(pk=hold.pk).update(
            choice=HoldChoice.LATER, release_from=datetime.date(2026, 10, 1)
        )
    with at(2026, 10, 1):
        outcome = batch_now(personas)  # still over a cap of 50: held again
    assert (outcome.batch, outcome.held) == (None, 1)
    again = Hold.objects.filter(choice=HoldChoice.WAITING).get()
    assert (again.entry_id, again.period_start) == (hold.entry_id, datetime.date(2026, 10, 1))


def test_pay_later_goes_in_once_it_fits(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(100))
    with at(2026, 9, 15):
        approved(personas.ash, harbor, "60.00")
        hold = _held(personas, harbor, "70.00")
        pay(personas, PaymentBatch.objects.get(), datetime.date(2026, 9, 15))
        Hold.objects.filter(pk=hold.pk).update(
            choice=HoldChoice.LATER, release_from=datetime.date(2026, 10, 1)
        )
    with at(2026, 10, 1):
        assert batched_amounts(batch_now(personas)) == [Decimal("70.00")]


def test_pay_it_anyway_goes_in_whatever_the_cap(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(50))
    with at(2026, 9, 15):
        hold = _held(personas, harbor)
        Hold.objects.filter(pk=hold.pk).update(choice=HoldChoice.TAKE)
        assert batched_amounts(batch_now(personas)) == [Decimal("80.00")]
    assert Hold.objects.count() == 1


def test_declined_pay_is_never_batched(personas, harbor):
    prefer(personas.ash, harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(50))
    with at(2026, 9, 15):
        hold = _held(personas, harbor)
        Hold.objects.filter(pk=hold.pk).update(choice=HoldChoice.DECLINE)
        reverse_entry(hold.entry, reason=EntryReason.DECLINED, actor_id=personas.ash.pk)
    with at(2026, 10, 1):
        assert nothing_to_pay(personas)
    from compensation.selectors.ledger import person_entries

    states = {entry.state for entry in person_entries(personas.ash, harbor)}  # type: ignore[attr-defined]  # annotated by the selector
    assert PayState.DECLINED in states
