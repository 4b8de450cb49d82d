"""Two staff marking the same booking done at the same moment, in two real transactions on
two connections (PostgreSQL): it is paid once. The service is slowed down just after it
takes the booking's row lock, so the other transaction is certainly waiting on it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from accounts.models import OutboxMessage
from compensation.models import LedgerEntry
from opportunities.models import InterestStatus, OpportunityInterest
from opportunities.services import opportunities as service
from tests.compensation.factories import hourly_rate
from tests.support.advisory import booked
from tests.support.races import race, slowed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has one writer at a time")


def test_two_staff_marking_one_booking_done_at_once_pay_it_once(personas, monkeypatch):
    monkeypatch.setattr(service, "_locked_interest", slowed(service._locked_interest))
    hourly_rate(personas.harbor)
    interest = booked(personas)

    def complete_as(person: Any) -> Any:
        return lambda: service.complete_booking(
            interest=OpportunityInterest.objects.get(pk=interest.pk),
            by=person,
            hours=Decimal("2"),
        )

    results = race(complete_as(personas.sam), complete_as(personas.ada))
    assert sorted(result.already_done for result in results) == [False, True]
    assert LedgerEntry.objects.filter(user=personas.ash).count() == 1
    interest.refresh_from_db()
    assert interest.status == InterestStatus.COMPLETED
    paid = OutboxMessage.objects.filter(recipient=personas.ash, kind="opportunity_paid")
    assert paid.count() == 1


def test_marking_done_while_the_work_is_cancelled_late_pays_once(personas, monkeypatch):
    # Marking it done takes the booking's lock first and holds it a moment; the late
    # cancellation waits for it, then finds the booking paid and pays nothing more.
    monkeypatch.setattr(service, "_locked_interest", slowed(service._locked_interest))
    hourly_rate(personas.harbor)
    interest = booked(personas)

    def complete() -> Any:
        return service.complete_booking(
            interest=OpportunityInterest.objects.get(pk=interest.pk),
            by=personas.sam,
            hours=Decimal("3"),
        )

    def cancel() -> Any:
        return service.end_opportunity(
            opportunity=interest.opportunity, by=personas.ada, cancel=True
        )

    race(complete, cancel)
    assert LedgerEntry.objects.filter(user=personas.ash).count() == 1
    interest.refresh_from_db()
    assert interest.ledger_entry_id is not None
