"""The survivor's own choices about pay, held amounts and declining, as services: what is
saved, what is refused (with nothing written), and how months and years turn over."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from compensation.models import (
    EntryKind,
    EntryReason,
    HoldChoice,
    HoldReason,
    LedgerEntry,
    PaymentMethod,
    PaymentPreference,
    Schedule,
)
from compensation.selectors.ledger import PayState, totals_for
from compensation.selectors.mypay import later_months, tax_notice
from compensation.services.choices import decide_hold, decline_payment, save_payment_choices
from compensation.services.ledger import reverse_entry
from tests.compensation.factories import offer_methods, pay_settings, prefer
from tests.support.my_pay import approve, batch_of, earned, held, state_of, writes

pytestmark = pytest.mark.django_db


# --- helpers shared with the view tests -------------------------------------------------


def choices(personas, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "user": personas.ash,
        "organization": personas.harbor,
        "method": PaymentMethod.CHECK,
        "schedule": Schedule.MONTHLY,
        "months": [],
        "monthly_cap": None,
        "yearly_cap": None,
    }
    return values | overrides


# --- choices -----------------------------------------------------------------------------


def test_choices_are_saved_and_audited(personas):
    offer_methods(personas.harbor)
    preference = save_payment_choices(
        **choices(personas, monthly_cap=Decimal("400.00"), yearly_cap=Decimal("2000"))  # type: ignore[arg-type]
    )
    assert (preference.method, preference.schedule, preference.monthly_cap) == (
        PaymentMethod.CHECK,
        Schedule.MONTHLY,
        Decimal("400.00"),
    )
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.target_type, event.target_id, event.actor_id) == (
        "pay.choices_saved",
        "payment_preference",
        preference.pk,
        personas.ash.pk,
    )


def test_saving_again_changes_the_one_preference(personas):
    offer_methods(personas.harbor)
    save_payment_choices(**choices(personas))  # type: ignore[arg-type]
    save_payment_choices(
        **choices(personas, method=PaymentMethod.DIRECT_DEPOSIT, schedule=Schedule.YEARLY)  # type: ignore[arg-type]
    )
    preference = PaymentPreference.objects.get(user=personas.ash)
    assert (preference.method, preference.schedule) == (
        PaymentMethod.DIRECT_DEPOSIT,
        Schedule.YEARLY,
    )


def test_chosen_months_are_kept_sorted_once_each_and_only_for_that_schedule(personas):
    offer_methods(personas.harbor)
    preference = save_payment_choices(
        **choices(personas, schedule=Schedule.CHOSEN_MONTHS, months=[12, 1, 6, 1])  # type: ignore[arg-type]
    )
    assert preference.months == [1, 6, 12]
    preference = save_payment_choices(**choices(personas, months=[3]))  # type: ignore[arg-type]
    assert preference.months == []


def test_a_method_may_be_left_unchosen(personas):
    preference = save_payment_choices(**choices(personas, method=""))  # type: ignore[arg-type]
    assert preference.method == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"method": PaymentMethod.GIFT_CARD}, "method"),
        ({"method": "bitcoin"}, "method"),
        ({"schedule": "weekly"}, "schedule"),
        ({"schedule": Schedule.CHOSEN_MONTHS, "months": []}, "months"),
        ({"schedule": Schedule.CHOSEN_MONTHS, "months": [0]}, "months"),
        ({"schedule": Schedule.CHOSEN_MONTHS, "months": [13]}, "months"),
        ({"schedule": Schedule.CHOSEN_MONTHS, "months": ["3"]}, "months"),
        ({"schedule": Schedule.CHOSEN_MONTHS, "months": [True]}, "months"),
        ({"monthly_cap": Decimal("-1")}, "monthly_cap"),
        ({"yearly_cap": Decimal("-0.01")}, "yearly_cap"),
        ({"yearly_cap": Decimal("NaN")}, "yearly_cap"),
        ({"monthly_cap": 100.5}, "monthly_cap"),
        ({"monthly_cap": Decimal("10.005")}, "monthly_cap"),
        ({"monthly_cap": Decimal("1E+12")}, "monthly_cap"),
    ],
)
def test_bad_choices_are_refused_with_nothing_written(personas, overrides, field):
    offer_methods(personas.harbor)  # direct deposit and check; no gift cards
    prefer(personas.ash, personas.harbor, PaymentMethod.CHECK, monthly_cap=Decimal("100"))
    before = writes()
    with pytest.raises(ValidationError) as refused:
        save_payment_choices(**choices(personas, **overrides))  # type: ignore[arg-type]
    assert field in refused.value.message_dict
    assert writes() == before


def test_a_method_no_longer_offered_is_refused(personas):
    offer_methods(personas.harbor, PaymentMethod.CHECK, PaymentMethod.CASH)
    personas.harbor.offered_methods.filter(method=PaymentMethod.CASH).update(offered=False)
    with pytest.raises(ValidationError):
        save_payment_choices(**choices(personas, method=PaymentMethod.CASH))  # type: ignore[arg-type]


def test_a_cap_of_zero_is_allowed(personas):
    offer_methods(personas.harbor)
    preference = save_payment_choices(**choices(personas, monthly_cap=Decimal("0")))  # type: ignore[arg-type]
    assert preference.monthly_cap == Decimal("0")


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye", "otto"])
def test_only_a_survivor_leader_of_the_organization_saves_choices(personas, who):
    offer_methods(personas.harbor)
    before = writes()
    with pytest.raises(PermissionDenied):
        save_payment_choices(**choices(personas, user=getattr(personas, who)))  # type: ignore[arg-type]
    assert writes() == before


# --- declining ---------------------------------------------------------------------------


def test_declining_earned_pay_takes_it_back_and_it_is_never_paid(personas):
    entry = earned(personas.ash, personas.harbor)
    reversal = decline_payment(user=personas.ash, organization=personas.harbor, entry_id=entry.pk)
    assert (reversal.kind, reversal.reason, reversal.amount, reversal.reverses_id) == (
        EntryKind.REVERSAL,
        EntryReason.DECLINED,
        Decimal("-50.00"),
        entry.pk,
    )
    assert reversal.actor_id == personas.ash.pk
    assert state_of(entry) == PayState.DECLINED
    totals = totals_for(personas.ash, personas.harbor)
    assert (totals.not_yet_paid, totals.declined) == (Decimal("0"), Decimal("50.00"))
    assert AuditEvent.objects.filter(
        action="ledger.reversal.declined", target_id=reversal.pk, actor_id=personas.ash.pk
    ).exists()


def test_approved_pay_can_be_declined(personas):
    entry = approve(earned(personas.ash, personas.harbor), personas.fin)
    decline_payment(user=personas.ash, organization=personas.harbor, entry_id=entry.pk)
    assert state_of(entry) == PayState.DECLINED


def _paying(personas) -> LedgerEntry:
    entry = approve(earned(personas.ash, personas.harbor), personas.fin)
    batch_of(entry)
    return entry


def _paid(personas) -> LedgerEntry:
    entry = approve(earned(personas.ash, personas.harbor), personas.fin)
    batch_of(entry, paid_on=datetime.date(2026, 3, 20))
    return entry


def _held(personas) -> LedgerEntry:
    entry = approve(earned(personas.ash, personas.harbor), personas.fin)
    held(entry)
    return entry


def _declined(personas) -> LedgerEntry:
    entry = earned(personas.ash, personas.harbor)
    reverse_entry(entry, reason=EntryReason.DECLINED, actor_id=personas.ash.pk)
    return entry


def _corrected(personas) -> LedgerEntry:
    entry = earned(personas.ash, personas.harbor)
    reverse_entry(entry, reason=EntryReason.ATTENDANCE_CORRECTED, actor_id=None)
    return entry


def _deduction(personas) -> LedgerEntry:
    """Paid pay taken back: a deduction, earned-not-yet-paid in state, never declinable."""
    entry = _paid(personas)
    return reverse_entry(entry, reason=EntryReason.ATTENDANCE_CORRECTED, actor_id=None)


def _payment(personas) -> LedgerEntry:
    _paid(personas)
    return LedgerEntry.objects.get(user=personas.ash, kind=EntryKind.PAYMENT)


@pytest.mark.parametrize(
    "make", [_paying, _paid, _held, _declined, _corrected, _deduction, _payment]
)
def test_pay_on_its_way_paid_held_or_taken_back_cannot_be_declined(personas, make):
    entry = make(personas)
    before = writes()
    with pytest.raises(ValidationError):
        decline_payment(user=personas.ash, organization=personas.harbor, entry_id=entry.pk)
    assert writes() == before


def test_nobody_declines_someone_elses_pay(personas):
    entry = earned(personas.river, personas.harbor)
    otto_entry = earned(personas.otto, personas.second)
    before = writes()
    for who, organization, entry_id in (
        (personas.ash, personas.harbor, entry.pk),
        (personas.fin, personas.harbor, entry.pk),
        (personas.ash, personas.harbor, otto_entry.pk),
        (personas.otto, personas.harbor, otto_entry.pk),
    ):
        with pytest.raises(PermissionDenied):
            decline_payment(user=who, organization=organization, entry_id=entry_id)
    assert writes() == before


# --- held amounts ------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False)
def test_moving_a_held_amount_to_a_later_month_holds_it_until_then(personas):
    entry = _held(personas)
    hold = entry.holds.get()
    decide_hold(
        user=personas.ash,
        organization=personas.harbor,
        hold_id=hold.pk,
        choice=HoldChoice.LATER,
        release_from=datetime.date(2026, 5, 1),
    )
    hold.refresh_from_db()
    assert (hold.choice, hold.release_from) == (HoldChoice.LATER, datetime.date(2026, 5, 1))
    assert hold.decided_at is not None
    assert state_of(entry) == PayState.HELD
    assert AuditEvent.objects.filter(action="pay.hold_later", target_id=hold.pk).exists()
    with time_machine.travel(datetime.datetime(2026, 4, 30, 23, tzinfo=datetime.UTC)):
        assert state_of(entry) == PayState.HELD
    with time_machine.travel(datetime.datetime(2026, 5, 1, 0, 1, tzinfo=datetime.UTC)):
        assert state_of(entry) == PayState.APPROVED


def test_taking_a_held_amount_anyway_releases_it(personas):
    entry = _held(personas)
    hold = entry.holds.get()
    decide_hold(
        user=personas.ash, organization=personas.harbor, hold_id=hold.pk, choice=HoldChoice.TAKE
    )
    hold.refresh_from_db()
    assert (hold.choice, hold.release_from) == (HoldChoice.TAKE, None)
    assert state_of(entry) == PayState.APPROVED


def test_declining_a_held_amount_takes_it_back(personas):
    entry = _held(personas)
    hold = entry.holds.get()
    decide_hold(
        user=personas.ash,
        organization=personas.harbor,
        hold_id=hold.pk,
        choice=HoldChoice.DECLINE,
    )
    hold.refresh_from_db()
    assert hold.choice == HoldChoice.DECLINE
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert (reversal.reason, reversal.actor_id) == (EntryReason.DECLINED, personas.ash.pk)
    assert state_of(entry) == PayState.DECLINED
    assert AuditEvent.objects.filter(action="pay.hold_decline", target_id=hold.pk).exists()


def test_a_decided_hold_is_not_decided_again(personas):
    entry = _held(personas)
    hold = entry.holds.get()
    decide_hold(
        user=personas.ash, organization=personas.harbor, hold_id=hold.pk, choice=HoldChoice.TAKE
    )
    before = writes()
    with pytest.raises(ValidationError, match="already decided"):
        decide_hold(
            user=personas.ash,
            organization=personas.harbor,
            hold_id=hold.pk,
            choice=HoldChoice.DECLINE,
        )
    assert writes() == before


@time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("choice", "release_from"),
    [
        (HoldChoice.LATER, None),
        (HoldChoice.LATER, datetime.date(2026, 3, 1)),  # this month: not later
        (HoldChoice.LATER, datetime.date(2026, 4, 2)),  # not the first of a month
        (HoldChoice.LATER, datetime.date(2027, 4, 1)),  # more than twelve months ahead
        (HoldChoice.WAITING, None),
        ("donate", None),
    ],
)
def test_a_bad_decision_is_refused_with_nothing_written(personas, choice, release_from):
    hold = _held(personas).holds.get()
    before = writes()
    with pytest.raises(ValidationError):
        decide_hold(
            user=personas.ash,
            organization=personas.harbor,
            hold_id=hold.pk,
            choice=choice,
            release_from=release_from,
        )
    assert writes() == before


def test_a_hold_whose_pay_changed_meanwhile_is_not_decided(personas):
    entry = _held(personas)
    hold = entry.holds.get()
    reverse_entry(entry, reason=EntryReason.ATTENDANCE_CORRECTED, actor_id=None)
    before = writes()
    with pytest.raises(ValidationError, match="changed"):
        decide_hold(
            user=personas.ash,
            organization=personas.harbor,
            hold_id=hold.pk,
            choice=HoldChoice.DECLINE,
        )
    assert writes() == before


def test_nobody_decides_about_someone_elses_held_pay(personas):
    hold = held(approve(earned(personas.river, personas.harbor), personas.fin))
    other = held(approve(earned(personas.otto, personas.second), personas.fin))
    before = writes()
    for who, organization, hold_id in (
        (personas.ash, personas.harbor, hold.pk),
        (personas.fin, personas.harbor, hold.pk),
        (personas.ash, personas.harbor, other.pk),
        (personas.otto, personas.harbor, other.pk),
    ):
        with pytest.raises(PermissionDenied):
            decide_hold(
                user=who, organization=organization, hold_id=hold_id, choice=HoldChoice.TAKE
            )
    assert writes() == before


# --- months and years ---------------------------------------------------------------------


def test_later_months_run_from_next_month_to_twelve_months_ahead():
    months = later_months(
        reason=HoldReason.MONTHLY_CAP,
        period_start=datetime.date(2026, 3, 1),
        today=datetime.date(2026, 3, 31),
    )
    assert months[0] == datetime.date(2026, 4, 1)
    assert months[-1] == datetime.date(2027, 3, 1)
    assert len(months) == 12


def test_later_months_in_december_start_in_january_of_next_year():
    months = later_months(
        reason=HoldReason.MONTHLY_CAP,
        period_start=datetime.date(2026, 12, 1),
        today=datetime.date(2026, 12, 31),
    )
    assert (months[0], months[-1]) == (datetime.date(2027, 1, 1), datetime.date(2027, 12, 1))


def test_pay_held_by_a_yearly_limit_moves_to_next_year():
    months = later_months(
        reason=HoldReason.YEARLY_CAP,
        period_start=datetime.date(2026, 1, 1),
        today=datetime.date(2026, 3, 10),
    )
    assert (months[0], months[-1]) == (datetime.date(2027, 1, 1), datetime.date(2027, 3, 1))


def test_pay_held_for_a_month_still_to_come_moves_after_that_month():
    months = later_months(
        reason=HoldReason.MONTHLY_CAP,
        period_start=datetime.date(2026, 6, 1),
        today=datetime.date(2026, 3, 10),
    )
    assert months[0] == datetime.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (datetime.datetime(2026, 12, 31, 23, 59), datetime.date(2027, 1, 1), "2027-12-01"),
        (datetime.datetime(2027, 1, 1, 0, 1), datetime.date(2027, 2, 1), "2028-01-01"),
    ],
)
def test_at_the_turn_of_the_year_the_months_offered_move_on(personas, day, first, last):
    with time_machine.travel(day.replace(tzinfo=datetime.UTC), tick=False):
        months = later_months(
            reason=HoldReason.MONTHLY_CAP, period_start=datetime.date(2026, 12, 1)
        )
    assert months[0] == first
    assert months[-1].isoformat() == last


@time_machine.travel(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC), tick=False)
def test_a_hold_moved_to_january_is_paid_from_new_years_day(personas):
    entry = _held(personas)
    hold = entry.holds.get()
    decide_hold(
        user=personas.ash,
        organization=personas.harbor,
        hold_id=hold.pk,
        choice=HoldChoice.LATER,
        release_from=datetime.date(2027, 1, 1),
    )
    assert state_of(entry) == PayState.HELD
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 0, 1, tzinfo=datetime.UTC)):
        assert state_of(entry) == PayState.APPROVED


# --- the tax notice ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid", "not_yet_paid", "shown", "reached"),
    [
        ("0", "0", False, False),
        ("1000", "999.99", False, False),
        ("1000", "1000", True, False),  # before it is crossed: what is owed would reach it
        ("1500", "600", True, False),
        ("2000", "0", True, True),
        ("2500", "-100", True, True),
        ("1999", "-50", False, False),  # a deduction does not bring it closer
    ],
)
def test_the_tax_notice_shows_before_this_years_pay_reaches_the_threshold(
    personas, paid, not_yet_paid, shown, reached
):
    settings = pay_settings(personas.harbor, tax_help_url="https://tax.example.test/")
    notice = tax_notice(
        paid_this_year=Decimal(paid), not_yet_paid=Decimal(not_yet_paid), settings=settings
    )
    assert (notice is not None) == shown
    if notice is not None:
        assert notice.reached == reached
        assert notice.threshold == "USD\u00a02,000.00"
        assert notice.help_url == "https://tax.example.test/"
