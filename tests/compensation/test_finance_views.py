"""Finance's pages: approving from a list, making a batch, the payment file and its access
records, marking paid — with bad input refused and nothing written, other organizations'
batches 404, and legal names nowhere but in the payment file, which staff never reach."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AccessRecord, Organization, Role, SurvivorProfile
from accounts.services.access import ACCESS_PAYMENT_DETAILS
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    FinalPayout,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
    WorkClaim,
    WorkKind,
)
from compensation.services.payments import create_batch
from tests.compensation.factories import (
    attend,
    hourly_rate,
    past_meeting,
    pay_settings,
)
from tests.factories import MembershipFactory, UserFactory
from tests.mfa import give_totp, sign_in
from tests.support.clients import client_for
from tests.support.pay import approved, batch_url, earned, read_csv, ready_to_pay, snapshot
from tests.support.urls import url

pytestmark = pytest.mark.django_db

LEGAL = "Ashley Legalname"
ADDRESS = "12 Quiet Lane, Springfield"

# APPROVE_QUERIES = 8, the same for 3 entries as for 60 (more than a page): session and
# user (2); the MFA check (1); the viewer's time zone (1); the organization and the finance
# check (2); how many entries wait, and the 50 on this page with each person's profile,
# meeting and claim in one join (2). Nothing is asked per entry.
APPROVE_QUERIES = 8
# BATCH_QUERIES: the same for 2 people as for 40: session and user (2); MFA (1); the
# viewer's time zone (1); organization and finance check (2); the batch with its totals (1);
# pay settings (1); how many people and the ones on this page (2); who in the batch lacks a
# detail its way to pay needs, all at once (1).
BATCH_QUERIES = 11


@pytest.fixture
def fin(personas) -> Client:
    return client_for(personas.fin)


def with_legal_details(person, chosen: str = "Ash") -> None:
    SurvivorProfile.objects.update_or_create(
        user=person,
        organization=Organization.objects.get(slug="harbor"),
        defaults={"chosen_name": chosen, "legal_name": LEGAL, "mailing_address": ADDRESS},
    )


def a_batch(personas, method: str = PaymentMethod.DIRECT_DEPOSIT, *people) -> PaymentBatch:
    ready_to_pay(personas, *(people or (personas.ash,)), method=method)
    for person in people or (personas.ash,):
        approved(person, personas.harbor, "40.00")
        approved(person, personas.harbor, "35.50")
    batch = create_batch(organization=personas.harbor, by=personas.fin, method=method).batch
    assert batch is not None
    return batch


# --- approving -----------------------------------------------------------------------------


def test_the_approval_list_shows_chosen_names_and_what_for_never_notes_or_legal_names(
    personas, fin
):
    with_legal_details(personas.ash)
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    claim = WorkClaim.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        kind=WorkKind.READING_MINUTES,
        work_date=timezone.localdate(),
        hours=Decimal("1"),
        note="A private note about my week",
    )
    from compensation.services.accrual import earn_for_claim

    earn_for_claim(claim, actor_id=personas.sam.pk)

    page = fin.get(url("approve_pay")).content.decode()

    assert "Ash" in page
    assert meeting.title in page
    assert "Reading minutes" in page
    assert "USD\u00a060.00" in page
    assert "private note" not in page
    assert "Legalname" not in page


def test_approving_ticked_entries(personas, fin):
    first = earned(personas.ash, personas.harbor)
    second = earned(personas.river, personas.harbor)
    response = fin.post(url("approve_pay"), {"entry": [first.pk], "approve": "selected"})
    assert response.status_code == 302
    assert list(Approval.objects.values_list("entry", flat=True)) == [first.pk]
    assert not Approval.objects.filter(entry=second).exists()


def test_approving_all_on_the_page(personas, fin):
    ids = [earned(personas.ash, personas.harbor).pk for _ in range(3)]
    fin.post(url("approve_pay"), {"shown": ids, "approve": "shown"})
    assert Approval.objects.count() == 3


def test_approving_nothing_or_nonsense_is_refused_with_nothing_written(personas, fin):
    entry = earned(personas.ash, personas.harbor)
    before = snapshot()
    for data in (
        {"approve": "selected"},
        {"approve": "selected", "entry": ["seven"]},
        {"approve": "everything", "entry": [entry.pk]},
    ):
        response = fin.post(url("approve_pay"), data)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert snapshot() == before


def test_another_organizations_entries_are_never_approved_from_here(personas, fin):
    theirs = earned(personas.otto, personas.second)
    fin.post(url("approve_pay"), {"entry": [theirs.pk], "approve": "selected"})
    assert not Approval.objects.exists()


def _approval_queries(personas, fin, entries: int) -> int:
    people = [personas.ash, personas.river]
    for number in range(entries):
        earned(people[number % 2], personas.harbor)
    with CaptureQueriesContext(connection) as queries:
        assert fin.get(url("approve_pay")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("entries", [3, 60])
def test_the_approval_list_asks_the_same_number_of_queries(personas, fin, entries):
    assert _approval_queries(personas, fin, entries) == APPROVE_QUERIES


# --- batches -------------------------------------------------------------------------------


def test_making_a_batch_goes_to_its_page(personas, fin):
    ready_to_pay(personas)
    approved(personas.ash, personas.harbor)
    response = fin.post(url("create_batch"), {"method": PaymentMethod.DIRECT_DEPOSIT})
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch_url("payment_batch", batch)
    assert BatchItem.objects.filter(batch=batch).count() == 1


@pytest.mark.parametrize(
    ("method", "message"),
    [
        (PaymentMethod.GIFT_CARD, "does not offer that way to pay"),
        ("", "Choose how this batch will be paid"),
        (PaymentMethod.DIRECT_DEPOSIT, "Nothing to pay"),
    ],
)
def test_a_batch_that_cannot_be_made_says_why_and_writes_nothing(personas, fin, method, message):
    ready_to_pay(personas)
    earned(personas.ash, personas.harbor)
    before = snapshot()
    response = fin.post(url("create_batch"), {"method": method})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_batch_page_shows_chosen_names_and_totals_not_legal_names(personas, fin):
    with_legal_details(personas.ash)
    batch = a_batch(personas)
    page = fin.get(batch_url("payment_batch", batch)).content.decode()
    assert "Ash" in page
    assert "USD\u00a075.50" in page
    assert "Legalname" not in page
    assert ADDRESS not in page
    assert not AccessRecord.objects.exists()  # chosen names only: nothing opened yet


def _batch_queries(personas, fin, people: int) -> int:
    others = []
    for number in range(people - 1):
        person = UserFactory.create(email=f"payee{number}@example.test")
        MembershipFactory.create(
            user=person, organization=personas.harbor, role=Role.SURVIVOR_LEADER
        )
        others.append(person)
    batch = a_batch(personas, PaymentMethod.DIRECT_DEPOSIT, personas.ash, *others)
    with CaptureQueriesContext(connection) as queries:
        assert fin.get(batch_url("payment_batch", batch)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("people", [2, 40])
def test_the_batch_page_asks_the_same_number_of_queries(personas, fin, people):
    assert _batch_queries(personas, fin, people) == BATCH_QUERIES


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [("harbor", "second"), ("second", "second")],
    ids=["under-their-org", "under-mine"],
)
def test_another_organizations_batch_is_404_on_every_batch_page(personas, fin, mine, theirs):
    batch = PaymentBatch.objects.create(organization=personas.second, method="check")
    for name in ("payment_batch", "batch_csv"):
        assert fin.get(batch_url(name, batch, org=mine)).status_code == 404
    response = fin.post(
        batch_url("mark_batch_paid", batch, org=mine),
        {"reference": "R", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == "open"


# --- marking paid --------------------------------------------------------------------------


def test_marking_paid_from_the_page(personas, fin):
    batch = a_batch(personas)
    today = timezone.localdate().isoformat()
    response = fin.post(
        batch_url("mark_batch_paid", batch), {"reference": "ACH-9", "paid_on": today}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.reference) == ("paid", "ACH-9")
    assert LedgerEntry.objects.get(kind=EntryKind.PAYMENT).amount == Decimal("-75.50")
    again = fin.post(batch_url("mark_batch_paid", batch), {"reference": "ACH-10", "paid_on": today})
    assert again.status_code == 200
    assert "marked paid already" in again.content.decode()
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"reference": "", "paid_on": "2026-01-01"},
        {"reference": "R", "paid_on": "not a day"},
        {"reference": "R", "paid_on": "2999-01-01"},
    ],
)
def test_bad_payment_details_are_refused_on_the_page(personas, fin, data):
    batch = a_batch(personas)
    before = snapshot()
    response = fin.post(batch_url("mark_batch_paid", batch), data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert snapshot() == before


# --- the payment file ----------------------------------------------------------------------


def test_the_payment_file_holds_only_what_the_processor_needs(personas, fin):
    pay_settings(personas.harbor, payer_name="Member services", payment_memo="Services")
    with_legal_details(personas.ash)
    batch = a_batch(personas)

    response = fin.get(batch_url("batch_csv", batch))

    today = timezone.localdate()
    assert (
        response["Content-Disposition"] == f'attachment; filename="payments-{today:%Y-%m-%d}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/csv")
    assert read_csv(response) == [
        ["payee_reference", "legal_name", "amount", "currency", "payer_name", "memo"],
        [f"P{personas.ash.pk:08d}", LEGAL, "75.50", "USD", "Member services", "Services"],
    ]


def test_checks_carry_the_mailing_address_and_deleted_accounts_their_kept_details(personas, fin):
    with_legal_details(personas.ash)
    FinalPayout.objects.create(
        organization=personas.harbor,
        user=personas.river,
        method=PaymentMethod.CHECK,
        legal_name="River Kept",
        mailing_address="PO Box 9",
    )
    batch = a_batch(personas, PaymentMethod.CHECK, personas.ash, personas.river)

    rows = read_csv(fin.get(batch_url("batch_csv", batch)))

    assert rows[0][:3] == ["payee_reference", "legal_name", "mailing_address"]
    assert sorted(row[1:4] for row in rows[1:]) == [
        [LEGAL, ADDRESS, "75.50"],
        ["River Kept", "PO Box 9", "75.50"],
    ]


def test_a_cell_that_a_spreadsheet_would_run_is_made_plain_text(personas, fin):
    SurvivorProfile.objects.update_or_create(
        user=personas.ash,
        organization=personas.harbor,
        defaults={"chosen_name": "Ash", "legal_name": "=HYPERLINK(1)"},
    )
    batch = a_batch(personas)
    rows = read_csv(fin.get(batch_url("batch_csv", batch)))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_opening_the_file_is_in_each_persons_access_log(personas, fin):
    batch = a_batch(personas, PaymentMethod.DIRECT_DEPOSIT, personas.ash, personas.river)
    read_csv(fin.get(batch_url("batch_csv", batch)))
    records = AccessRecord.objects.values_list("viewer", "subject", "organization", "what")
    assert sorted(records) == sorted(
        (personas.fin.pk, person.pk, personas.harbor.pk, ACCESS_PAYMENT_DETAILS)
        for person in (personas.ash, personas.river)
    )


@pytest.mark.parametrize("who", ["sam", "ada", "ash", "river", "faye", "otto"])
def test_only_finance_reach_any_page_with_payment_details(personas, who):
    """Staff above all: they never see a legal name, so every page here is 404 for them."""
    with_legal_details(personas.ash)
    batch = a_batch(personas)
    client = client_for(getattr(personas, who)) if who != "faye" else Client()
    if who == "faye":
        give_totp(personas.faye)
        sign_in(client, personas.faye)
    for address in (
        url("finance_dashboard"),
        url("approve_pay"),
        batch_url("payment_batch", batch),
        batch_url("batch_csv", batch),
    ):
        response = client.get(address)
        assert response.status_code == 404
        assert b"Legalname" not in response.content
    assert not AccessRecord.objects.exists()
