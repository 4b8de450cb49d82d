"""Paying, as services: approving once, batches that take only what they may, refusals
that write nothing, marking paid once, and the append-only rows behind it all.

Helpers here (`earned`, `approved`, `ready_to_pay`) are shared with the other payment and
finance tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEvent, OutboxMessage, User
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    FinalPayout,
    Hold,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
)
from compensation.selectors.ledger import PayState, totals_for
from compensation.services.ledger import reverse_entry
from compensation.services.payments import (
    approve_entries,
    create_batch,
    mark_batch_paid,
)
from tests.compensation.factories import (
    attend,
    hourly_rate,
    offer_methods,
    past_meeting,
    prefer,
)
from tests.support.pay import approved, earned, ready_to_pay, snapshot

pytestmark = pytest.mark.django_db


# --- approving -----------------------------------------------------------------------------


def test_approving_marks_earned_pay_approved_once(personas):
    hourly_rate(personas.harbor)
    attend(past_meeting(personas.harbor, personas.ash), personas.ash, by=personas.sam)
    entry = LedgerEntry.objects.get(user=personas.ash)
    assert approve_entries(organization=personas.harbor, by=personas.fin, entry_ids=[entry.pk]) == 1
    assert approve_entries(organization=personas.harbor, by=personas.fin, entry_ids=[entry.pk]) == 0
    assert Approval.objects.get().approved_by == personas.fin
    assert totals_for(personas.ash, personas.harbor).approved == Decimal("75.00")
    assert AuditEvent.objects.filter(action="pay.approved").count() == 1


def test_approving_skips_other_organizations_and_paid_entries(personas):
    mine = earned(personas.ash, personas.harbor)
    theirs = earned(personas.otto, personas.second)
    done = approved(personas.river, personas.harbor)
    count = approve_entries(
        organization=personas.harbor, by=personas.fin, entry_ids=[mine.pk, theirs.pk, done.pk]
    )
    assert count == 1
    assert not Approval.objects.filter(entry=theirs).exists()


@pytest.mark.parametrize("who", ["sam", "ada", "ash", "otto"])
def test_only_finance_approve(personas, who):
    entry = earned(personas.ash, personas.harbor)
    with pytest.raises(PermissionDenied):
        approve_entries(
            organization=personas.harbor, by=getattr(personas, who), entry_ids=[entry.pk]
        )
    assert not Approval.objects.exists()


# --- making a batch ------------------------------------------------------------------------


def test_a_batch_takes_approved_pay_of_people_who_chose_the_method(personas):
    ready_to_pay(personas, personas.ash)
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    prefer(personas.river, personas.harbor, PaymentMethod.CHECK, schedule="per_meeting")
    ash_pay = approved(personas.ash, personas.harbor)
    approved(personas.river, personas.harbor)
    not_approved = earned(personas.ash, personas.harbor)

    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
    )

    assert outcome.batch is not None
    assert (outcome.people, outcome.held) == (1, 0)
    assert list(outcome.batch.items.values_list("entry", flat=True)) == [ash_pay.pk]
    assert not BatchItem.objects.filter(entry=not_approved).exists()
    assert AuditEvent.objects.filter(action="pay.batch.created").count() == 1


def test_a_method_the_organization_does_not_offer_is_refused_and_nothing_written(personas):
    ready_to_pay(personas, personas.ash)
    approved(personas.ash, personas.harbor)
    prefer(personas.river, personas.harbor, PaymentMethod.GIFT_CARD)
    approved(personas.river, personas.harbor)
    before = snapshot()
    for method in (PaymentMethod.GIFT_CARD, "donation", ""):
        with pytest.raises(ValidationError, match="does not offer"):
            create_batch(organization=personas.harbor, by=personas.fin, method=method)
    assert snapshot() == before


def test_an_empty_batch_is_refused_with_nothing_written(personas):
    ready_to_pay(personas, personas.ash)
    earned(personas.ash, personas.harbor)  # not approved yet
    before = snapshot()
    with pytest.raises(ValidationError, match="Nothing to pay"):
        create_batch(
            organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
        )
    assert snapshot() == before


def test_pay_already_in_a_batch_is_not_batched_again(personas):
    ready_to_pay(personas)
    approved(personas.ash, personas.harbor)
    create_batch(organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT)
    with pytest.raises(ValidationError, match="Nothing to pay"):
        create_batch(
            organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
        )
    assert BatchItem.objects.count() == 1


def test_a_person_whose_total_would_not_be_positive_is_left_out(personas):
    ready_to_pay(personas, personas.ash, personas.river)
    paid_before = approved(personas.ash, personas.harbor, "80.00")
    batch = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
    ).batch
    assert batch is not None
    mark_batch_paid(
        organization=personas.harbor,
        by=personas.fin,
        batch=batch,
        reference="R1",
        paid_on=timezone.localdate(),
    )
    # Taken back after it was paid: a deduction, approved like anything else.
    deduction = reverse_entry(
        paid_before, reason=EntryReason.ATTENDANCE_CORRECTED, actor_id=personas.sam.pk
    )
    Approval.objects.create(entry=deduction)
    approved(personas.ash, personas.harbor, "30.00")
    approved(personas.river, personas.harbor, "20.00")

    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
    )

    assert outcome.batch is not None
    assert set(outcome.batch.items.values_list("entry__user", flat=True)) == {personas.river.pk}


def test_a_deleted_account_is_paid_out_at_once_whatever_its_schedule_and_caps(personas):
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    prefer(
        personas.ash,
        personas.harbor,
        PaymentMethod.DIRECT_DEPOSIT,
        schedule="yearly",
        monthly_cap=Decimal("10.00"),
    )
    FinalPayout.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        method=PaymentMethod.CHECK,
        legal_name="Ash Legal",
        mailing_address="1 Safe Street",
    )
    approved(personas.ash, personas.harbor, "120.00")

    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.CHECK
    )

    assert outcome.batch is not None
    assert outcome.batch.items.count() == 1
    assert not Hold.objects.exists()


def test_a_deleted_accounts_last_payment_is_never_negative(personas):
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    FinalPayout.objects.create(
        organization=personas.harbor, user=personas.ash, method=PaymentMethod.CHECK
    )
    paid = earned(personas.ash, personas.harbor, "60.00")
    Approval.objects.create(entry=paid)
    ready_to_pay(personas, personas.river, method=PaymentMethod.CHECK)
    approved(personas.river, personas.harbor, "10.00")
    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.CHECK
    )
    assert outcome.batch is not None
    mark_batch_paid(
        organization=personas.harbor,
        by=personas.fin,
        batch=outcome.batch,
        reference="R1",
        paid_on=timezone.localdate(),
    )
    correction = reverse_entry(paid, reason="attendance_corrected", actor_id=None)
    Approval.objects.create(entry=correction)
    approved(personas.ash, personas.harbor, "40.00")  # owed -20 overall
    approved(personas.river, personas.harbor, "10.00")

    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.CHECK
    )

    assert outcome.batch is not None
    assert set(outcome.batch.items.values_list("entry__user", flat=True)) == {personas.river.pk}
    mark_batch_paid(  # and the batch can be marked paid
        organization=personas.harbor,
        by=personas.fin,
        batch=outcome.batch,
        reference="R2",
        paid_on=timezone.localdate(),
    )


def test_a_last_payment_with_no_way_chosen_goes_with_the_next_batch(personas):
    offer_methods(personas.harbor, PaymentMethod.CASH)
    FinalPayout.objects.create(organization=personas.harbor, user=personas.ash, method="")
    approved(personas.ash, personas.harbor, "25.00")
    outcome = create_batch(organization=personas.harbor, by=personas.fin, method=PaymentMethod.CASH)
    assert outcome.batch is not None
    assert outcome.batch.items.get().entry.user == personas.ash


# --- marking paid --------------------------------------------------------------------------


def _paid_batch(personas, *people: User) -> PaymentBatch:
    ready_to_pay(personas, *people)
    for person in people:
        approved(person, personas.harbor, "40.00")
        approved(person, personas.harbor, "10.00")
    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
    )
    assert outcome.batch is not None
    return outcome.batch


def test_marking_paid_writes_one_payment_per_person_and_tells_them(personas):
    batch = _paid_batch(personas, personas.ash, personas.river)
    paid_on = timezone.localdate()
    mark_batch_paid(
        organization=personas.harbor,
        by=personas.fin,
        batch=batch,
        reference="ACH-7",
        paid_on=paid_on,
    )
    batch.refresh_from_db()
    assert (batch.status, batch.reference, batch.paid_by) == ("paid", "ACH-7", personas.fin)
    assert batch.paid_at is not None
    payments = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).order_by("user_id")
    assert [(p.user_id, p.amount, p.work_date, p.batch_id) for p in payments] == [
        (person.pk, Decimal("-50.00"), paid_on, batch.pk)
        for person in sorted((personas.ash, personas.river), key=lambda u: u.pk)
    ]
    totals = totals_for(personas.ash, personas.harbor)
    assert (totals.paid, totals.not_yet_paid) == (Decimal("50.00"), Decimal("0.00"))
    kinds = OutboxMessage.objects.values_list("recipient", "kind")
    assert set(kinds) == {(personas.ash.pk, "pay_sent"), (personas.river.pk, "pay_sent")}


def test_marking_paid_twice_is_refused(personas):
    batch = _paid_batch(personas, personas.ash)
    today = timezone.localdate()
    mark_batch_paid(
        organization=personas.harbor, by=personas.fin, batch=batch, reference="R", paid_on=today
    )
    before = snapshot()
    with pytest.raises(ValidationError, match="already"):
        mark_batch_paid(
            organization=personas.harbor,
            by=personas.fin,
            batch=batch,
            reference="R2",
            paid_on=today,
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("reference", "days_from_today", "message"),
    [
        ("  ", 0, "reference"),
        ("x" * 121, 0, "at most 120"),
        ("R", 1, "future"),
        ("R", -30, "before the batch was made"),
    ],
)
def test_bad_payment_details_are_refused_with_nothing_written(
    personas, reference, days_from_today, message
):
    batch = _paid_batch(personas, personas.ash)
    before = snapshot()
    paid_on = timezone.localdate() + datetime.timedelta(days=days_from_today)
    with pytest.raises(ValidationError, match=message):
        mark_batch_paid(
            organization=personas.harbor,
            by=personas.fin,
            batch=batch,
            reference=reference,
            paid_on=paid_on,
        )
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.status == "open"


def test_another_organizations_batch_cannot_be_marked_paid(personas):
    batch = _paid_batch(personas, personas.ash)
    with pytest.raises(PermissionDenied):
        mark_batch_paid(
            organization=personas.second,
            by=personas.fin,
            batch=batch,
            reference="R",
            paid_on=timezone.localdate(),
        )


def test_a_deleted_accounts_payout_details_go_once_nothing_is_owed(personas):
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    FinalPayout.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        method=PaymentMethod.CHECK,
        legal_name="Ash Legal",
        mailing_address="PO Box 1",
    )
    FinalPayout.objects.create(
        organization=personas.harbor,
        user=personas.river,
        method=PaymentMethod.CHECK,
        legal_name="River Legal",
        mailing_address="PO Box 2",
    )
    approved(personas.ash, personas.harbor)
    approved(personas.river, personas.harbor)
    earned(personas.river, personas.harbor, "5.00")  # still owed, not approved yet
    batch = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.CHECK
    ).batch
    assert batch is not None

    mark_batch_paid(
        organization=personas.harbor,
        by=personas.fin,
        batch=batch,
        reference="CHK-1",
        paid_on=timezone.localdate(),
    )

    assert list(FinalPayout.objects.values_list("user", flat=True)) == [personas.river.pk]


# --- append-only ---------------------------------------------------------------------------


def test_approvals_and_batch_items_refuse_update_and_delete(personas):
    ready_to_pay(personas)
    approved(personas.ash, personas.harbor)
    create_batch(organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT)
    for model in (Approval, BatchItem):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.update(id=999_999)
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.all().delete()
    assert Approval.objects.count() == BatchItem.objects.count() == 1


def test_one_approval_and_one_batch_item_per_entry_in_the_database(personas):
    """The backstop behind the locks: a second row for the same entry is refused."""
    entry = approved(personas.ash, personas.harbor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(entry=entry)
    batch = PaymentBatch.objects.create(organization=personas.harbor, method="check")
    BatchItem.objects.create(batch=batch, entry=entry)
    other = PaymentBatch.objects.create(organization=personas.harbor, method="check")
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(batch=other, entry=entry)


def test_pay_states_follow_the_paying_steps(personas):
    ready_to_pay(personas)
    entry = earned(personas.ash, personas.harbor)

    def state() -> str:
        from compensation.selectors.ledger import person_entries

        found = person_entries(personas.ash, personas.harbor).get(pk=entry.pk)
        state: str = found.state  # type: ignore[attr-defined]  # annotated by the selector
        return state

    assert state() == PayState.EARNED
    approve_entries(organization=personas.harbor, by=personas.fin, entry_ids=[entry.pk])
    assert state() == PayState.APPROVED
    batch = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
    ).batch
    assert state() == PayState.PAYING
    assert batch is not None
    mark_batch_paid(
        organization=personas.harbor,
        by=personas.fin,
        batch=batch,
        reference="R",
        paid_on=timezone.localdate(),
    )
    assert state() == PayState.PAID
