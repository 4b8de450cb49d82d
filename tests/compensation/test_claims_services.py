"""Other paid work: survivors claim it, staff decide it. Every refusal writes nothing; an
approval writes exactly one earned entry, however often it is tried; a decline needs a
reason; the survivor hears only that there is an update."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent, OutboxMessage, Role
from compensation.models import (
    ClaimStatus,
    EntryKind,
    EntryReason,
    EntrySource,
    LedgerEntry,
    UnpricedWork,
    WorkClaim,
)
from compensation.services.accrual import price_unpriced_work
from compensation.services.claims import decide_claim, withdraw_claim
from tests.compensation.factories import hourly_rate, past_meeting
from tests.factories import MembershipFactory, UserFactory
from tests.support.pay import YESTERDAY, claim_for

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[object, ...]:
    """Everything a claim service could write."""
    return (
        list(WorkClaim.objects.order_by("pk").values()),
        LedgerEntry.objects.count(),
        UnpricedWork.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


# --- claiming ----------------------------------------------------------------------------


def test_a_claim_waits_for_staff_and_earns_nothing_yet(personas):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    assert claim.status == ClaimStatus.WAITING
    assert not LedgerEntry.objects.exists()
    assert AuditEvent.objects.filter(action="work_claim.made", target_id=claim.pk).exists()


def test_a_claim_may_be_for_a_meeting_the_person_was_invited_to(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    claim = claim_for(personas.ash, personas.harbor, meeting=meeting)
    assert claim.meeting == meeting


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"work_date": timezone.localdate() + datetime.timedelta(days=2)}, "work_date"),
        ({"hours": Decimal("0")}, "hours"),
        ({"hours": Decimal("-1")}, "hours"),
        ({"hours": Decimal("0.3")}, "hours"),
        ({"hours": Decimal("24.25")}, "hours"),
        ({"hours": Decimal("NaN")}, "hours"),
        ({"hours": 1.5}, "hours"),  # a float is never money or hours
        ({"kind": "gardening"}, "kind"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_claims_are_refused_with_nothing_written(personas, change, field):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        claim_for(personas.ash, personas.harbor, **change)
    assert field in refused.value.message_dict
    assert snapshot() == before


def test_hours_use_the_attendance_sheet_words(personas):
    with pytest.raises(ValidationError) as refused:
        claim_for(personas.ash, personas.harbor, hours=Decimal("1.1"))
    assert refused.value.message_dict["hours"] == [
        "Hours go in quarter hours, like 1, 1.25, 1.5 or 1.75."
    ]


def test_a_meeting_the_person_was_not_invited_to_is_refused(personas):
    not_mine = past_meeting(personas.harbor, personas.river)
    elsewhere = past_meeting(personas.second, personas.ash)
    before = snapshot()
    for meeting in (not_mine, elsewhere):
        with pytest.raises(ValidationError) as refused:
            claim_for(personas.ash, personas.harbor, meeting=meeting)
        assert "meeting" in refused.value.message_dict
    assert snapshot() == before


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye", "otto"])
def test_only_the_organizations_survivor_leaders_claim(personas, who):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        claim_for(getattr(personas, who), personas.harbor)
    assert snapshot() == before


# --- taking a claim back -----------------------------------------------------------------


def test_a_waiting_claim_can_be_taken_back(personas):
    claim = claim_for(personas.ash, personas.harbor)
    withdraw_claim(claim=claim, person=personas.ash)
    assert not WorkClaim.objects.exists()
    assert AuditEvent.objects.filter(action="work_claim.withdrawn", target_id=claim.pk).exists()


def test_an_answered_claim_stays(personas):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    decide_claim(claim=claim, by=personas.sam, approve=True)
    before = snapshot()
    with pytest.raises(ValidationError):
        withdraw_claim(claim=claim, person=personas.ash)
    assert snapshot() == before


def test_nobody_takes_back_someone_elses_claim(personas):
    claim = claim_for(personas.ash, personas.harbor)
    before = snapshot()
    for who in (personas.river, personas.sam):
        with pytest.raises(PermissionDenied):
            withdraw_claim(claim=claim, person=who)
    assert snapshot() == before


# --- deciding ----------------------------------------------------------------------------


def test_approving_earns_the_hours_at_the_rate_once(personas):
    hourly_rate(personas.harbor, "40.00")
    claim = claim_for(personas.ash, personas.harbor, hours=Decimal("1.5"))
    result = decide_claim(claim=claim, by=personas.sam, approve=True)
    entry = LedgerEntry.objects.get()
    assert result.entry == entry
    assert not result.waiting_for_rate
    assert (entry.user, entry.kind, entry.source, entry.reason) == (
        personas.ash,
        EntryKind.EARNED,
        EntrySource.CLAIM,
        EntryReason.CLAIM_APPROVED,
    )
    assert (entry.amount, entry.hours, entry.work_date, entry.claim) == (
        Decimal("60.00"),
        Decimal("1.5"),
        YESTERDAY,
        claim,
    )
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.APPROVED, personas.sam)
    assert claim.decided_at is not None


def test_approving_twice_is_refused_and_still_one_entry(personas):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    decide_claim(claim=claim, by=personas.sam, approve=True)
    before = snapshot()
    for approve, by in ((True, personas.sam), (True, personas.ada), (False, personas.ada)):
        with pytest.raises(ValidationError):
            decide_claim(claim=claim, by=by, approve=approve, reason="Changed my mind.")
    assert snapshot() == before
    assert LedgerEntry.objects.filter(claim=claim).count() == 1


def test_a_stale_copy_of_the_claim_cannot_approve_it_again(personas):
    """Two staff members with the page open: the second approval sees the claim as it is
    now (the service locks and re-reads it), not as their page last loaded it."""
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    stale = WorkClaim.objects.get(pk=claim.pk)
    decide_claim(claim=claim, by=personas.sam, approve=True)
    with pytest.raises(ValidationError):
        decide_claim(claim=stale, by=personas.ada, approve=True)
    assert LedgerEntry.objects.filter(claim=claim).count() == 1


def test_declining_needs_a_reason(personas):
    claim = claim_for(personas.ash, personas.harbor)
    before = snapshot()
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            decide_claim(claim=claim, by=personas.sam, approve=False, reason=reason)
        assert "reason" in refused.value.message_dict
    assert snapshot() == before


def test_declining_with_a_reason_earns_nothing(personas):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    decide_claim(claim=claim, by=personas.sam, approve=False, reason=" Not program work. ")
    claim.refresh_from_db()
    assert (claim.status, claim.reason) == (ClaimStatus.DECLINED, "Not program work.")
    assert not LedgerEntry.objects.exists()
    assert AuditEvent.objects.filter(action="work_claim.declined", target_id=claim.pk).exists()


def test_a_reason_that_is_too_long_is_refused(personas):
    claim = claim_for(personas.ash, personas.harbor)
    before = snapshot()
    with pytest.raises(ValidationError):
        decide_claim(claim=claim, by=personas.sam, approve=False, reason="x" * 2001)
    assert snapshot() == before


def test_with_no_rate_for_the_day_the_claim_is_flagged_for_finance_not_paid_zero(personas):
    claim = claim_for(personas.ash, personas.harbor)
    result = decide_claim(claim=claim, by=personas.sam, approve=True)
    assert result.entry is None
    assert result.waiting_for_rate
    assert not LedgerEntry.objects.exists()
    assert UnpricedWork.objects.get().claim == claim
    hourly_rate(personas.harbor, "40.00")
    assert price_unpriced_work(organization_id=personas.harbor.pk) == 1
    assert LedgerEntry.objects.get().amount == Decimal("60.00")


@pytest.mark.parametrize("who", ["fin", "ash", "river", "faye", "otto"])
def test_only_program_staff_and_admins_decide(personas, who):
    """Staff decide, finance pay: finance may not approve a claim either."""
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        decide_claim(claim=claim, by=getattr(personas, who), approve=True)
    assert snapshot() == before


def test_staff_of_another_organization_may_not_decide(personas):
    outsider = UserFactory.create(email="staff-elsewhere@example.test")
    MembershipFactory.create(user=outsider, organization=personas.second, role=Role.STAFF)
    claim = claim_for(personas.ash, personas.harbor)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        decide_claim(claim=claim, by=outsider, approve=True)
    assert snapshot() == before


def test_an_admin_may_decide(personas):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    decide_claim(claim=claim, by=personas.ada, approve=True)
    assert LedgerEntry.objects.filter(claim=claim).count() == 1


# --- telling the survivor ----------------------------------------------------------------


@pytest.mark.parametrize("approve", [True, False])
def test_the_survivor_is_told_there_is_an_update_and_nothing_more(personas, approve):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor, note="Private words.")
    decide_claim(claim=claim, by=personas.sam, approve=approve, reason="A private reason.")
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.organization, message.kind) == (
        personas.ash,
        personas.harbor,
        "claim_answered",
    )
    stored = " ".join(str(value) for value in OutboxMessage.objects.values().get().values())
    assert "private" not in stored.lower()
