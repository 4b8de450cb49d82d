"""Finance's setup services: rates (never edited, only ended and added, never overlapping,
never cutting off pay already worked out), pay settings and the payment methods offered.
Every refusal writes nothing."""

from __future__ import annotations

import dataclasses
import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection

from accounts.models import AuditEvent
from compensation.models import (
    EntryKind,
    LateCancellationPay,
    LedgerEntry,
    OfferedMethod,
    PaymentMethod,
    PaySettings,
    RateBasis,
    StipendRate,
    UnpricedWork,
)
from compensation.selectors.rates import pay_settings, rate_for
from compensation.services.rates import (
    MethodTerms,
    PaySettingsTerms,
    RateTerms,
    add_rate,
    end_rate,
    save_offered_methods,
    save_pay_settings,
)
from meetings.models import MeetingRole
from tests.compensation.factories import attend, hourly_rate, past_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 1, 1)


def rate_on(organization, day: datetime.date, role: str = "") -> StipendRate:
    found = rate_for(organization.pk, day, role)
    assert found is not None
    return found


def terms(**changes) -> RateTerms:
    base = RateTerms(
        basis=RateBasis.HOURLY,
        amount=Decimal("50.00"),
        benchmark_hourly=Decimal("60.00"),
        effective_from=DAY,
    )
    return dataclasses.replace(base, **changes)


def snapshot() -> tuple[object, ...]:
    return (
        list(StipendRate.objects.order_by("pk").values()),
        list(PaySettings.objects.order_by("pk").values()),
        list(OfferedMethod.objects.order_by("pk").values()),
        LedgerEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(call, **kwargs) -> ValidationError:
    """Runs a service that must refuse; checks nothing was written; returns the error."""
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert snapshot() == before
    return caught.value


# --- adding a rate -----------------------------------------------------------------------


def test_finance_add_a_rate_and_it_is_audited(personas):
    added = add_rate(organization=personas.harbor, by=personas.fin, terms=terms())
    rate = added.rate
    assert (rate.amount, rate.basis, rate.meeting_role, rate.created_by) == (
        Decimal("50.00"),
        RateBasis.HOURLY,
        "",
        personas.fin,
    )
    assert added.priced == 0
    event = AuditEvent.objects.get(action="rate.added")
    assert (event.actor_id, event.organization_id, event.target_id) == (
        personas.fin.pk,
        personas.harbor.pk,
        rate.pk,
    )


def test_a_fixed_rate_per_meeting_keeps_its_usual_length(personas):
    rate = add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(basis=RateBasis.PER_MEETING, amount=Decimal("90"), usual_minutes=90),
    ).rate
    assert rate.usual_minutes == 90


def test_an_hourly_rate_keeps_no_usual_length(personas):
    rate = add_rate(organization=personas.harbor, by=personas.fin, terms=terms(usual_minutes=90))
    assert rate.rate.usual_minutes is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-5.00")}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"benchmark_hourly": Decimal("0")}, "benchmark_hourly"),
        ({"benchmark_hourly": Decimal("-60")}, "benchmark_hourly"),
        ({"effective_to": DAY - datetime.timedelta(days=1)}, "effective_to"),
        ({"basis": RateBasis.PER_MEETING}, "usual_minutes"),
        ({"basis": "per_minute"}, "basis"),
        ({"meeting_role": "boss"}, "meeting_role"),
        ({"amount": Decimal("50.001")}, "amount"),
        ({"minimum_paid_minutes": 9999}, "minimum_paid_minutes"),
        ({"late_cancellation_pay": "nothing"}, "late_cancellation_pay"),
    ],
)
def test_bad_terms_are_refused_with_nothing_written(personas, changes, field):
    error = refused(add_rate, organization=personas.harbor, by=personas.fin, terms=terms(**changes))
    assert field in error.message_dict


@pytest.mark.parametrize("who", ["sam", "ada", "ash"])
def test_only_finance_add_rates(personas, who):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        add_rate(organization=personas.harbor, by=getattr(personas, who), terms=terms())
    assert snapshot() == before


def test_finance_of_one_organization_cannot_add_rates_to_another(personas):
    with pytest.raises(PermissionDenied):
        add_rate(organization=personas.second, by=personas.fin, terms=terms())
    assert not StipendRate.objects.exists()


# --- overlapping rates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # An open rate covers every later day.
        ((DAY, None), (DAY + datetime.timedelta(days=200), None)),
        # A new open rate starting before an existing one runs into it.
        ((DAY, None), (DAY - datetime.timedelta(days=30), None)),
        # Sharing one single day is an overlap.
        ((DAY, datetime.date(2025, 6, 30)), (datetime.date(2025, 6, 30), None)),
        # Wholly inside.
        (
            (DAY, datetime.date(2025, 12, 31)),
            (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
        ),
        # Wholly around.
        (
            (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
            (DAY, datetime.date(2025, 12, 31)),
        ),
    ],
)
def test_overlapping_rates_for_the_same_role_are_refused(personas, existing, new):
    hourly_rate(personas.harbor, effective_from=existing[0], effective_to=existing[1])
    error = refused(
        add_rate,
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(effective_from=new[0], effective_to=new[1]),
    )
    assert "effective_from" in error.message_dict


def test_a_rate_for_another_role_may_cover_the_same_days(personas):
    hourly_rate(personas.harbor, effective_from=DAY)
    add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(meeting_role=MeetingRole.CHAIR, amount=Decimal("70")),
    )
    assert rate_on(personas.harbor, DAY, MeetingRole.CHAIR).amount == Decimal("70.00")
    assert rate_on(personas.harbor, DAY, MeetingRole.PARTICIPANT).amount == Decimal("50.00")


def test_the_same_role_in_another_organization_does_not_count(personas):
    hourly_rate(personas.second, effective_from=DAY)
    add_rate(organization=personas.harbor, by=personas.fin, terms=terms())
    assert StipendRate.objects.filter(organization=personas.harbor).count() == 1


def test_a_rate_may_start_the_day_after_another_ends(personas):
    hourly_rate(personas.harbor, effective_from=DAY, effective_to=datetime.date(2025, 6, 30))
    add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(effective_from=datetime.date(2025, 7, 1), amount=Decimal("55")),
    )
    assert rate_on(personas.harbor, datetime.date(2025, 7, 1)).amount == Decimal("55.00")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_first_rates_added_at_the_same_moment_add_one(personas):
    """With no rate yet there is no rate row to lock; the organization's row is locked
    instead, so the second waits, then sees the first and is refused."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add() -> None:
        try:
            barrier.wait()
            add_rate(organization=personas.harbor, by=personas.fin, terms=terms())
            outcomes.append("added")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["added", "refused"]
    assert StipendRate.objects.filter(organization=personas.harbor).count() == 1


# --- pricing work that waited for a rate -------------------------------------------------


def test_adding_a_rate_pays_the_work_that_waited_for_one(personas):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    attend(meeting, personas.ash, by=personas.sam, hours="2")
    attend(meeting, personas.river, by=personas.sam, hours="1")
    assert UnpricedWork.objects.filter(settled_at__isnull=True).count() == 2
    added = add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(effective_from=datetime.date(2020, 1, 1), amount=Decimal("40")),
    )
    assert added.priced == 2
    earned = LedgerEntry.objects.filter(kind=EntryKind.EARNED).order_by("user_id")
    assert {(e.user_id, e.amount, e.rate_id) for e in earned} == {
        (personas.ash.pk, Decimal("80.00"), added.rate.pk),
        (personas.river.pk, Decimal("40.00"), added.rate.pk),
    }
    assert not UnpricedWork.objects.filter(settled_at__isnull=True).exists()


def test_a_rate_that_does_not_cover_the_day_leaves_the_work_waiting(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam)
    added = add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(effective_from=datetime.date(2099, 1, 1)),
    )
    assert added.priced == 0
    assert UnpricedWork.objects.filter(settled_at__isnull=True).count() == 1
    assert not LedgerEntry.objects.exists()


def test_a_chair_rate_alone_does_not_pay_a_participant(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam, role=MeetingRole.PARTICIPANT)
    added = add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(effective_from=datetime.date(2020, 1, 1), meeting_role=MeetingRole.CHAIR),
    )
    assert added.priced == 0


def test_a_refused_rate_prices_nothing(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam)
    refused(
        add_rate,
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(effective_from=datetime.date(2020, 1, 1), amount=Decimal("-1")),
    )
    assert UnpricedWork.objects.filter(settled_at__isnull=True).count() == 1


# --- ending a rate -----------------------------------------------------------------------


def paid_rate(personas) -> tuple[StipendRate, datetime.date]:
    """A rate with pay already worked out with it; returns it and the day of that work."""
    rate = hourly_rate(personas.harbor, effective_from=datetime.date(2020, 1, 1))
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam)
    return rate, LedgerEntry.objects.get(rate=rate).work_date


def test_finance_end_a_rate_on_the_last_day_it_paid_for(personas):
    rate, worked = paid_rate(personas)
    ended = end_rate(rate=rate, by=personas.fin, until=worked)
    assert ended.effective_to == worked
    assert AuditEvent.objects.filter(action="rate.ended", target_id=rate.pk).count() == 1


def test_ending_a_rate_before_work_it_paid_for_is_refused(personas):
    rate, worked = paid_rate(personas)
    error = refused(end_rate, rate=rate, by=personas.fin, until=worked - datetime.timedelta(days=1))
    assert "until" in error.message_dict
    rate.refresh_from_db()
    assert rate.effective_to is None


def test_ending_a_rate_before_it_starts_is_refused(personas):
    rate = hourly_rate(personas.harbor, effective_from=DAY)
    refused(end_rate, rate=rate, by=personas.fin, until=DAY - datetime.timedelta(days=1))


def test_a_rate_may_end_on_the_day_it_starts(personas):
    rate = hourly_rate(personas.harbor, effective_from=DAY)
    assert end_rate(rate=rate, by=personas.fin, until=DAY).effective_to == DAY


def test_an_ended_rate_is_not_ended_again(personas):
    rate = hourly_rate(personas.harbor, effective_from=DAY, effective_to=datetime.date(2025, 6, 30))
    refused(end_rate, rate=rate, by=personas.fin, until=datetime.date(2025, 12, 31))
    refused(end_rate, rate=rate, by=personas.fin, until=datetime.date(2025, 3, 31))


def test_only_finance_end_rates(personas):
    rate = hourly_rate(personas.harbor, effective_from=DAY)
    with pytest.raises(PermissionDenied):
        end_rate(rate=rate, by=personas.sam, until=DAY)
    rate.refresh_from_db()
    assert rate.effective_to is None


def test_after_ending_a_rate_a_new_one_can_follow(personas):
    rate, worked = paid_rate(personas)
    end_rate(rate=rate, by=personas.fin, until=worked)
    new = add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(effective_from=worked + datetime.timedelta(days=1), amount=Decimal("60")),
    ).rate
    assert rate_on(personas.harbor, worked).pk == rate.pk
    assert rate_on(personas.harbor, worked + datetime.timedelta(days=1)).pk == new.pk


# --- pay settings ------------------------------------------------------------------------


def settings_terms(**changes) -> PaySettingsTerms:
    base = PaySettingsTerms(
        currency="usd",
        payer_name="Member services",
        payment_memo="Services",
        tax_threshold=Decimal("2000.00"),
        benefits_help_url="https://benefits.example.org/",
        tax_help_url="https://tax.example.org/",
    )
    return dataclasses.replace(base, **changes)


def test_reading_pay_settings_never_writes(personas):
    assert pay_settings(personas.harbor).tax_threshold == Decimal("2000.00")
    assert not PaySettings.objects.exists()


def test_the_first_save_creates_the_settings_and_later_ones_change_them(personas):
    saved = save_pay_settings(
        organization=personas.harbor, by=personas.fin, terms=settings_terms(currency="eur")
    )
    assert saved.currency == "EUR"
    save_pay_settings(
        organization=personas.harbor,
        by=personas.fin,
        terms=settings_terms(tax_threshold=Decimal("0")),
    )
    settings = PaySettings.objects.get(organization=personas.harbor)
    assert (settings.pk, settings.currency, settings.tax_threshold) == (
        saved.pk,
        "USD",
        Decimal("0"),
    )
    assert AuditEvent.objects.filter(action="pay_settings.saved").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "US"}, "currency"),
        ({"currency": "U5D"}, "currency"),
        ({"currency": "dollars"}, "currency"),
        ({"tax_threshold": Decimal("-1")}, "tax_threshold"),
        ({"tax_threshold": Decimal("Infinity")}, "tax_threshold"),
        ({"payer_name": "  "}, "payer_name"),
        ({"payment_memo": ""}, "payment_memo"),
        ({"tax_help_url": "not a link"}, "tax_help_url"),
    ],
)
def test_bad_pay_settings_are_refused_with_nothing_written(personas, changes, field):
    error = refused(
        save_pay_settings,
        organization=personas.harbor,
        by=personas.fin,
        terms=settings_terms(**changes),
    )
    assert field in error.message_dict


def test_the_currency_stays_once_pay_is_recorded_in_it(personas):
    hourly_rate(personas.harbor)
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam)
    refused(
        save_pay_settings,
        organization=personas.harbor,
        by=personas.fin,
        terms=settings_terms(currency="EUR"),
    )
    save_pay_settings(organization=personas.harbor, by=personas.fin, terms=settings_terms())


def test_only_finance_save_pay_settings(personas):
    with pytest.raises(PermissionDenied):
        save_pay_settings(organization=personas.harbor, by=personas.ada, terms=settings_terms())
    assert not PaySettings.objects.exists()


# --- payment methods offered -------------------------------------------------------------


def method_rows(**offered: bool) -> list[MethodTerms]:
    """Every method; those named as True are offered, with everything filled in."""
    return [
        MethodTerms(
            method=method,
            offered=offered.get(method, False),
            fees="No fees" if offered.get(method) else "",
            on_statements="Member services" if offered.get(method) else "",
            on_envelopes="Nothing" if offered.get(method) else "",
            on_tax_forms="Member services" if offered.get(method) else "",
        )
        for method in PaymentMethod.values
    ]


def test_finance_say_which_methods_are_offered(personas):
    changed = save_offered_methods(
        organization=personas.harbor,
        by=personas.fin,
        rows=method_rows(direct_deposit=True, check=True),
    )
    assert {m.method for m in changed} == {"direct_deposit", "check"}
    assert set(OfferedMethod.objects.filter(offered=True).values_list("method", flat=True)) == {
        "direct_deposit",
        "check",
    }
    # Methods never offered and with nothing said about them are not stored at all.
    assert OfferedMethod.objects.count() == 2
    assert AuditEvent.objects.filter(action="offered_method.saved").count() == 2


def test_saving_the_same_again_changes_nothing(personas):
    rows = method_rows(direct_deposit=True)
    save_offered_methods(organization=personas.harbor, by=personas.fin, rows=rows)
    before = snapshot()
    assert save_offered_methods(organization=personas.harbor, by=personas.fin, rows=rows) == []
    assert snapshot() == before


def test_a_method_stops_being_offered_and_keeps_its_words(personas):
    save_offered_methods(
        organization=personas.harbor, by=personas.fin, rows=method_rows(gift_card=True)
    )
    rows = [
        dataclasses.replace(row, offered=False) if row.method == "gift_card" else row
        for row in method_rows(gift_card=True)
    ]
    save_offered_methods(organization=personas.harbor, by=personas.fin, rows=rows)
    gift_card = OfferedMethod.objects.get(method="gift_card")
    assert (gift_card.offered, gift_card.fees) == (False, "No fees")


def test_an_offered_method_without_its_fees_and_wording_is_refused(personas):
    save_offered_methods(organization=personas.harbor, by=personas.fin, rows=method_rows())
    rows = [
        dataclasses.replace(row, offered=True, fees="  ") if row.method == "check" else row
        for row in method_rows(direct_deposit=True)
    ]
    error = refused(save_offered_methods, organization=personas.harbor, by=personas.fin, rows=rows)
    assert set(error.message_dict) == {
        "check_fees",
        "check_on_statements",
        "check_on_envelopes",
        "check_on_tax_forms",
    }


def test_every_method_must_be_answered_once(personas):
    rows = method_rows(direct_deposit=True)
    refused(save_offered_methods, organization=personas.harbor, by=personas.fin, rows=rows[:-1])
    refused(
        save_offered_methods,
        organization=personas.harbor,
        by=personas.fin,
        rows=[*rows, rows[0]],
    )


def test_too_long_wording_is_refused(personas):
    rows = [
        dataclasses.replace(row, fees="x" * 201) if row.method == "cash" else row
        for row in method_rows(cash=True)
    ]
    error = refused(save_offered_methods, organization=personas.harbor, by=personas.fin, rows=rows)
    assert "cash_fees" in error.message_dict


def test_only_finance_say_which_methods_are_offered(personas):
    with pytest.raises(PermissionDenied):
        save_offered_methods(
            organization=personas.harbor, by=personas.sam, rows=method_rows(cash=True)
        )
    assert not OfferedMethod.objects.exists()


def test_late_cancellation_rule_is_kept(personas):
    rate = add_rate(
        organization=personas.harbor,
        by=personas.fin,
        terms=terms(
            late_cancellation_hours=24, late_cancellation_pay=LateCancellationPay.MINIMUM_BLOCK
        ),
    ).rate
    assert (rate.late_cancellation_hours, rate.late_cancellation_pay) == (24, "minimum_block")
