"""What each way to pay needs in the payment file, and the promise that goes with it: a
batch is never exported with a blank field its way to pay needs. Someone without a needed
detail is left out of the batch (nothing written to their pay), told once what to add, and
paid in the first batch after they add it; a deleted account's last payment without one
waits, with nobody to tell. The file itself is refused while anyone in it lacks one."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts.models import AccessRecord, AuditEvent, OutboxMessage, SurvivorProfile, User
from accounts.outbox import send_pending_updates
from accounts.services.consent import ensure_consent_texts, grant_consent
from accounts.services.data_rights import erase_account
from accounts.services.profile import update_payment_details, update_profile
from compensation.models import (
    NEEDED_IN_PAYMENT_FILE,
    FinalPayout,
    Hold,
    PayeeDetail,
    PaymentBatch,
    PaymentMethod,
    Schedule,
)
from compensation.selectors.ledger import totals_for
from compensation.services.payments import PAY_NEEDS_DETAILS, create_batch
from compensation.views.finance import BlankPaymentDetail
from tests.compensation.factories import offer_methods, prefer
from tests.support.clients import client_for
from tests.support.pay import approved, batch_url, read_csv, ready_to_pay
from tests.support.payment_files import ADDRESS, LEGAL, member, owed_by
from tests.support.urls import url

pytestmark = pytest.mark.django_db

DEPOSIT = PaymentMethod.DIRECT_DEPOSIT
# Who is in the organization, by what they gave it: (legal name, safe mailing address),
# or None for someone who never saved a profile here.
GIVEN: dict[str, tuple[str, str] | None] = {
    "complete": (LEGAL, ADDRESS),
    "no_legal_name": ("", ADDRESS),
    "no_address": (LEGAL, ""),
    "nothing": ("", ""),
    "no_profile": None,
}
# Deleted accounts with pay still owed: what was kept for their last payment.
DELETED: dict[str, tuple[str, str]] = {
    "deleted_complete": ("Dana Kept", "PO Box 7, Springfield"),
    "deleted_without_a_name": ("", "PO Box 8, Springfield"),
}


def reference(person: User) -> str:
    return f"P{person.pk:08d}"


def given_by(key: str) -> frozenset[str]:
    details = GIVEN.get(key) or DELETED.get(key) or ("", "")
    legal_name, address = details
    return frozenset(
        detail
        for detail, value in (
            (PayeeDetail.LEGAL_NAME, legal_name),
            (PayeeDetail.MAILING_ADDRESS, address),
        )
        if value
    )


def needs_told(person: User) -> int:
    return OutboxMessage.objects.filter(recipient=person, kind=PAY_NEEDS_DETAILS).count()


# --- the table -----------------------------------------------------------------------------


def test_every_way_to_pay_says_what_its_payment_file_needs():
    assert set(NEEDED_IN_PAYMENT_FILE) == set(PaymentMethod.values)
    assert PayeeDetail.LEGAL_NAME in NEEDED_IN_PAYMENT_FILE[PaymentMethod.DIRECT_DEPOSIT]
    assert set(NEEDED_IN_PAYMENT_FILE[PaymentMethod.CHECK]) == set(PayeeDetail)
    assert NEEDED_IN_PAYMENT_FILE[PaymentMethod.GIFT_CARD] == ()


# --- the promise ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", PaymentMethod.values)
def test_a_batch_is_never_exported_with_a_blank_field_its_method_needs(personas, method):
    """For every way to pay: people missing each detail, and deleted accounts with and
    without a legal name kept, all owed; finance make the batch on their page and download
    the file. Every needed cell is filled; whoever lacks one is left out and told."""
    offer_methods(personas.harbor, method)
    people = {key: member(personas, key, given) for key, given in GIVEN.items()}
    for person in people.values():
        owed_by(personas, person, method)
    for key, (legal_name, address) in DELETED.items():
        person = member(personas, key, (legal_name, address))
        owed_by(personas, person, method)
        erase_account(user=person, keep_input_anonymous=False)
        people[key] = person
    needed = set(NEEDED_IN_PAYMENT_FILE[method])
    paid = {key for key in people if needed <= given_by(key)}
    fin = client_for(personas.fin)

    response = fin.post(url("create_batch"), {"method": method}, follow=True)

    left_out = len(people) - len(paid)
    if left_out:
        assert f"{left_out} people were left out" in response.text
    batch = PaymentBatch.objects.get()
    rows = read_csv(fin.get(batch_url("batch_csv", batch)))
    header, lines = rows[0], rows[1:]
    assert header[:2] == ["payee_reference", "legal_name"]
    assert ("mailing_address" in header) == (PayeeDetail.MAILING_ADDRESS in needed)
    for line in lines:
        for detail in needed:
            assert line[header.index(detail.value)].strip(), (method, detail, line)
    assert {line[0] for line in lines} == {reference(people[key]) for key in paid}
    for key, person in people.items():
        told = 1 if key not in paid and not key.startswith("deleted") else 0
        assert needs_told(person) == told, key


def test_a_deleted_account_without_a_legal_name_waits_and_nobody_is_told(personas):
    offer_methods(personas.harbor, DEPOSIT)
    person = member(personas, "deleted_without_a_name", ("", "PO Box 8"))
    owed_by(personas, person, DEPOSIT)
    erase_account(user=person, keep_input_anonymous=False)
    payout = FinalPayout.objects.get(user=person)
    assert (payout.method, payout.legal_name) == (DEPOSIT, "")

    outcome = create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)

    assert (outcome.batch, outcome.people, outcome.left_out) == (None, 0, 1)
    assert totals_for(person, personas.harbor).approved == Decimal("40.00")
    assert not OutboxMessage.objects.filter(kind=PAY_NEEDS_DETAILS).exists()
    assert FinalPayout.objects.filter(user=person).exists()  # kept until it is paid


# --- left out, then paid --------------------------------------------------------------------


def test_someone_left_out_is_paid_in_the_first_batch_after_they_add_the_detail(personas):
    ready_to_pay(personas, personas.river)
    ash = member(personas, "ash_here", ("", ADDRESS))
    prefer(ash, personas.harbor, DEPOSIT, schedule=Schedule.PER_MEETING)
    ash_pay = approved(ash, personas.harbor)
    river_pay = approved(personas.river, personas.harbor)

    first = create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)

    assert first.batch is not None
    assert list(first.batch.items.values_list("entry", flat=True)) == [river_pay.pk]
    assert (first.people, first.held, first.left_out) == (1, 0, 1)
    # Nothing is written to their pay: it is still approved, waiting for them.
    assert totals_for(ash, personas.harbor).approved == Decimal("50.00")
    assert not Hold.objects.exists()
    assert AuditEvent.objects.filter(
        action="pay.left_out_for_details", target_type="user", target_id=ash.pk
    ).exists()
    assert needs_told(ash) == 1
    assert needs_told(personas.river) == 0

    # Another batch before they add it: left out again, not told again.
    again = create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)
    assert (again.batch, again.left_out) == (None, 1)
    assert needs_told(ash) == 1

    update_payment_details(
        user=ash, organization=personas.harbor, legal_name=LEGAL, phone="", mailing_address=ADDRESS
    )
    paid = create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)

    assert paid.batch is not None
    assert list(paid.batch.items.values_list("entry", flat=True)) == [ash_pay.pk]
    assert paid.left_out == 0
    assert needs_told(ash) == 1


def test_told_again_only_after_a_change_that_still_leaves_something_missing(personas):
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    ash = member(personas, "ash_here", None)
    owed_by(personas, ash, PaymentMethod.CHECK)
    create_batch(organization=personas.harbor, by=personas.fin, method=PaymentMethod.CHECK)
    assert needs_told(ash) == 1

    update_profile(user=ash, organization=personas.harbor, chosen_name="Ash")
    update_payment_details(
        user=ash, organization=personas.harbor, legal_name=LEGAL, phone="", mailing_address=""
    )
    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.CHECK
    )

    assert outcome.left_out == 1
    assert needs_told(ash) == 2


def test_someone_their_schedule_would_not_pay_today_is_not_left_out_or_told(personas):
    offer_methods(personas.harbor, DEPOSIT)
    ash = member(personas, "ash_here", None)
    today = timezone.localdate()
    other_months = [month for month in range(1, 13) if month != today.month]
    prefer(ash, personas.harbor, DEPOSIT, schedule=Schedule.CHOSEN_MONTHS, months=other_months)
    approved(ash, personas.harbor, on=today)
    river = member(personas, "river_here", (LEGAL, ADDRESS))
    owed_by(personas, river, DEPOSIT)

    outcome = create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)

    assert (outcome.people, outcome.left_out) == (1, 0)
    assert needs_told(ash) == 0


def test_no_amount_is_held_over_a_cap_for_someone_left_out(personas):
    offer_methods(personas.harbor, DEPOSIT)
    ash = member(personas, "ash_here", ("", ADDRESS))
    prefer(ash, personas.harbor, DEPOSIT, schedule=Schedule.PER_MEETING, monthly_cap=Decimal(10))
    approved(ash, personas.harbor)

    outcome = create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)

    assert (outcome.held, outcome.left_out) == (0, 1)
    assert not Hold.objects.exists()


def test_the_message_about_it_says_only_that_there_is_an_update(personas):
    offer_methods(personas.harbor, DEPOSIT)
    ash = member(personas, "ash_here", ("", ADDRESS))
    update_profile(user=ash, organization=personas.harbor, safe_channels=["email"])
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=ash,
        organization=personas.harbor,
        scope="contact_email",
        text_version=1,
        language="en",
    )
    owed_by(personas, ash, DEPOSIT)
    create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT)

    assert send_pending_updates() == 1

    (message,) = mail.outbox
    assert message.to == [ash.email]
    assert "There is an update for you. Sign in to see it." in message.body
    for word in ("legal", "name", "pay", "batch", "deposit", "detail"):
        assert word not in message.body.lower()


# --- the file refuses a blank --------------------------------------------------------------


def _batch_with(personas, person: User) -> PaymentBatch:
    owed_by(personas, person, DEPOSIT)
    batch = create_batch(organization=personas.harbor, by=personas.fin, method=DEPOSIT).batch
    assert batch is not None
    return batch


def test_a_detail_taken_away_after_the_batch_was_made_stops_the_file(personas):
    offer_methods(personas.harbor, DEPOSIT)
    ash = member(personas, "ash_here", (LEGAL, ADDRESS))
    batch = _batch_with(personas, ash)
    update_payment_details(
        user=ash, organization=personas.harbor, legal_name="", phone="", mailing_address=ADDRESS
    )
    fin = client_for(personas.fin)

    refused = fin.get(batch_url("batch_csv", batch))

    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("text/html")
    page = refused.text
    assert 'role="alert"' in page
    assert "Ash Here: missing legal name" in page
    assert ADDRESS not in page
    assert "Download the payment file" not in page
    assert not AccessRecord.objects.exists()  # nothing was opened
    batch_page = fin.get(batch_url("payment_batch", batch)).text
    assert "The payment file cannot be made yet." in batch_page

    update_payment_details(
        user=ash, organization=personas.harbor, legal_name=LEGAL, phone="", mailing_address=ADDRESS
    )
    rows = read_csv(fin.get(batch_url("batch_csv", batch)))
    assert rows[1][:2] == [reference(ash), LEGAL]


def test_a_value_of_spaces_alone_stops_the_file_part_way(personas):
    """Written around the services (they strip it to nothing): the database cannot tell
    it from a real name, so the stream itself refuses to write it."""
    offer_methods(personas.harbor, DEPOSIT)
    ash = member(personas, "ash_here", (LEGAL, ADDRESS))
    batch = _batch_with(personas, ash)
    profile = SurvivorProfile.objects.get(user=ash, organization=personas.harbor)
    profile.legal_name = "   "
    profile.save()
    fin = client_for(personas.fin)

    response = fin.get(batch_url("batch_csv", batch))

    assert isinstance(response, StreamingHttpResponse)
    with pytest.raises(BlankPaymentDetail):
        b"".join(response.streaming_content)


def test_a_batch_paid_long_ago_for_someone_who_took_their_details_away(personas):
    """History stays as it was; only the file is refused, as for any batch."""
    offer_methods(personas.harbor, DEPOSIT)
    ash = member(personas, "ash_here", (LEGAL, ADDRESS))
    batch = _batch_with(personas, ash)
    batch.status = PaymentBatch.Status.PAID
    batch.paid_at = timezone.now() - datetime.timedelta(days=300)
    batch.save()
    update_payment_details(
        user=ash, organization=personas.harbor, legal_name="", phone="", mailing_address=""
    )

    response = client_for(personas.fin).get(batch_url("batch_csv", batch))

    assert response.status_code == 409
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID
