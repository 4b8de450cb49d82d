"""Two people deciding the same claim, or answering the same flag, at the same moment, in
two real transactions on two connections (PostgreSQL): it is decided once and paid once.

Each service is slowed down just after it takes its row lock, so the other transaction is
certainly waiting on that lock: the race is real every run."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from compensation.models import (
    ClaimStatus,
    EntryKind,
    FlagOutcome,
    HoursFlag,
    LedgerEntry,
    WorkClaim,
)
from compensation.services import claims as claim_services
from compensation.services import flags as flag_services
from tests.compensation.factories import attend, hourly_rate, past_meeting
from tests.support.pay import claim_for
from tests.support.races import race, slowed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has one writer at a time")


def test_two_staff_approving_one_claim_at_once_pay_it_once(personas, monkeypatch):
    monkeypatch.setattr(claim_services, "_locked", slowed(claim_services._locked))
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)

    def approve_as(person: Any) -> Callable[[], Any]:
        return lambda: claim_services.decide_claim(
            claim=WorkClaim.objects.get(pk=claim.pk), by=person, approve=True
        )

    results = race(approve_as(personas.sam), approve_as(personas.ada))
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    assert WorkClaim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED


def test_an_approval_and_a_decline_at_once_leave_one_decision(personas, monkeypatch):
    monkeypatch.setattr(claim_services, "_locked", slowed(claim_services._locked))
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    results = race(
        lambda: claim_services.decide_claim(claim=claim, by=personas.sam, approve=True),
        lambda: claim_services.decide_claim(
            claim=claim, by=personas.ada, approve=False, reason="Not program work."
        ),
    )
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    decided = WorkClaim.objects.get(pk=claim.pk)
    earned = LedgerEntry.objects.filter(claim=claim).count()
    assert (decided.status, earned) in {(ClaimStatus.APPROVED, 1), (ClaimStatus.DECLINED, 0)}


def test_two_answers_to_one_flag_at_once_correct_pay_once(personas, monkeypatch):
    monkeypatch.setattr(flag_services, "_answer_errors", slowed(flag_services._answer_errors))
    hourly_rate(personas.harbor, "40.00")
    attendance = attend(past_meeting(personas.harbor, personas.ash), personas.ash, by=personas.sam)
    flag = flag_services.flag_hours(
        person=personas.ash,
        organization=personas.harbor,
        attendance=attendance,
        hours_expected=Decimal("2"),
    )

    def correct(hours: str) -> Callable[[], Any]:
        return lambda: flag_services.answer_flag(
            flag=HoursFlag.objects.get(pk=flag.pk),
            by=personas.fin,
            outcome=FlagOutcome.CORRECTED,
            hours=Decimal(hours),
            answer="Corrected.",
        )

    results = race(correct("2"), correct("2.5"))
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.ADJUSTMENT, flag=flag).count() == 1
