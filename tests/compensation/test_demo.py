"""The demo's pay: rates at parity, a year of earned pay, paid batches, one amount held over
a cap, one flagged hour, one declined payment — written once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from compensation.models import (
    EntryKind,
    EntryReason,
    Hold,
    HoldChoice,
    HoursFlag,
    LedgerEntry,
    PaymentBatch,
    StipendRate,
)
from compensation.selectors.finance import missing_from_batch
from compensation.selectors.rates import parity_ratio
from tests.support.demo import seeded_once

pytestmark = pytest.mark.django_db


seeded = seeded_once("seed_demo", "seed_demo_meetings", "seed_demo_pay")


def test_the_demo_has_pay_of_every_kind(seeded):
    assert "Added" in seeded
    assert parity_ratio(StipendRate.objects.get()) == 100
    assert LedgerEntry.objects.filter(kind=EntryKind.EARNED).count() > 10
    assert PaymentBatch.objects.filter(status=PaymentBatch.Status.PAID).exists()
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()
    assert Hold.objects.filter(choice=HoldChoice.WAITING).count() == 1
    assert HoursFlag.objects.filter(status="open").count() == 1
    assert LedgerEntry.objects.filter(reason=EntryReason.DECLINED).count() == 1
    # Every paid batch pays exactly what its entries add up to.
    for batch in PaymentBatch.objects.all():
        items = sum(item.entry.amount for item in batch.items.all())
        payments = sum(entry.amount for entry in batch.payments.all())
        assert items == -payments


def test_no_demo_payment_file_would_carry_a_blank_its_way_needs(seeded):
    batches = PaymentBatch.objects.all()
    assert {batch.method for batch in batches} >= {"direct_deposit", "check"}
    for batch in batches:
        assert missing_from_batch(batch) == [], batch.method


def test_running_it_again_adds_nothing(seeded):
    before = LedgerEntry.objects.count()
    out = StringIO()
    call_command("seed_demo_pay", stdout=out)
    assert "nothing was added" in out.getvalue()
    assert LedgerEntry.objects.count() == before
