"""Two finance people acting on the same pay at the same moment, in two real transactions
on two connections (PostgreSQL): the pay is approved once, batched once and paid once.

Each service is slowed down just after it takes its row locks, so the other transaction
has certainly read the same pay and is waiting on the locks: the race is real every run,
not only when the threads happen to line up."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from compensation.models import Approval, BatchItem, EntryKind, LedgerEntry, PaymentBatch
from compensation.services import payments
from tests.support.pay import approved, earned, ready_to_pay
from tests.support.races import race

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEPOSIT = "direct_deposit"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has one writer at a time")


@pytest.fixture
def slow_after_locking(monkeypatch):
    """Hold the locks a moment longer in whichever transaction gets them first."""

    def slowed(selector: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            time.sleep(0.3)
            return selector(*args, **kwargs)

        return wrapper

    for name in ("awaiting_approval", "approved_for_batch"):
        monkeypatch.setattr(payments, name, slowed(getattr(payments, name)))


def test_two_approvals_of_the_same_pay_at_once_approve_it_once(personas, slow_after_locking):
    ids = [earned(personas.ash, personas.harbor).pk for _ in range(5)]

    def approve() -> int:
        return payments.approve_entries(
            organization=personas.harbor, by=personas.fin, entry_ids=ids
        )

    assert sorted(race(approve, approve)) == [0, 5]
    assert Approval.objects.count() == 5


def test_overlapping_approvals_at_once_approve_each_entry_once(personas, slow_after_locking):
    ids = [earned(personas.ash, personas.harbor).pk for _ in range(6)]

    def approve(chosen: list[int]) -> Callable[[], int]:
        return lambda: payments.approve_entries(
            organization=personas.harbor, by=personas.fin, entry_ids=chosen
        )

    counts = race(approve(ids[:4]), approve(ids[2:]))
    assert sum(counts) == 6
    assert Approval.objects.count() == 6


def test_two_batches_made_at_once_pay_everything_once(personas, slow_after_locking):
    ready_to_pay(personas, personas.ash, personas.river)
    for person in (personas.ash, personas.river):
        for _ in range(3):
            approved(person, personas.harbor)

    def make() -> Any:
        return payments.create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)

    first, second = sorted(race(make, make), key=lambda r: isinstance(r, ValidationError))
    assert first.batch is not None
    assert first.people == 2
    assert isinstance(second, ValidationError)
    assert "Nothing to pay" in str(second)
    assert PaymentBatch.objects.count() == 1
    assert BatchItem.objects.count() == 6


def test_a_batch_marked_paid_twice_at_once_is_paid_once(personas):
    ready_to_pay(personas, personas.ash)
    approved(personas.ash, personas.harbor)
    batch = payments.create_batch(
        organization=personas.harbor, by=personas.fin, method=DEPOSIT
    ).batch
    assert batch is not None

    def mark() -> Any:
        return payments.mark_batch_paid(
            organization=personas.harbor,
            by=personas.fin,
            batch=batch,
            reference="ACH-1",
            paid_on=timezone.localdate(),
        )

    outcomes = race(mark, mark)
    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
