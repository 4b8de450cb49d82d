"""Pay in a real browser, for finance and staff: finance set a rate at parity (a rate of 0
refused first, nothing saved); finance approve earned pay, make a batch, download the
payment file and mark the batch paid; staff approve or decline claims for other paid work,
and a co-chair reads the decisions without names; program staff never reach a finance page;
and the finance pages fit a 360 px phone. Every page is axe-checked; the `watch` fixture
fails any CSP violation or script error."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import AccessRecord, User
from accounts.services.access import ACCESS_PAYMENT_DETAILS
from compensation.models import (
    ClaimStatus,
    EntryKind,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
    Schedule,
    StipendRate,
    WorkClaim,
    WorkKind,
)
from compensation.services import payments
from compensation.services.claims import make_claim
from tests.browser.helpers import (
    PageWatch,
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    screenshots_enabled,
    sign_in,
    take_screenshots,
)
from tests.compensation.factories import (
    attend,
    hourly_rate,
    offer_methods,
    past_meeting,
    pay_settings,
    prefer,
)
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member
from tests.support.urls import live_url as url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASH_LEGAL = "Ashley Quietwater"
RIVER_LEGAL = "Rivera Stonebridge"
PHONE = {"width": 360, "height": 800}


@dataclass(frozen=True)
class EarnedPay:
    ash: LedgerEntry
    river: LedgerEntry


def with_profiles(personas) -> None:
    SurvivorProfileFactory.create(
        user=personas.ash,
        chosen_name="Ash",
        legal_name=ASH_LEGAL,
        mailing_address="12 Quiet Lane, Springfield",
    )
    SurvivorProfileFactory.create(
        user=personas.river,
        chosen_name="River",
        legal_name=RIVER_LEGAL,
        mailing_address="PO Box 9, Springfield",
    )


def earn_pay(personas, *, days_ago: int = 0, schedule: str = Schedule.MONTHLY) -> EarnedPay:
    """Ash 1.5 hours (USD 75.00) and River 2 hours (USD 100.00) at a meeting, both paid
    by direct deposit, which the organization offers."""
    harbor = personas.harbor
    if not StipendRate.objects.filter(organization=harbor).exists():
        hourly_rate(harbor, "50.00", benchmark_hourly=Decimal("50.00"))
    offer_methods(harbor, PaymentMethod.DIRECT_DEPOSIT, PaymentMethod.CHECK)
    prefer(personas.ash, harbor, PaymentMethod.DIRECT_DEPOSIT, schedule=schedule)
    prefer(personas.river, harbor, PaymentMethod.DIRECT_DEPOSIT, schedule=schedule)
    starts = timezone.now() - datetime.timedelta(days=days_ago, hours=3)
    meeting = past_meeting(harbor, personas.ash, personas.river, starts_at=starts)
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    attend(meeting, personas.river, by=personas.sam, hours="2")
    entries = LedgerEntry.objects.filter(attendance__meeting=meeting, kind=EntryKind.EARNED)
    return EarnedPay(ash=entries.get(user=personas.ash), river=entries.get(user=personas.river))


def open_batch(personas, pay: EarnedPay, method: str = PaymentMethod.DIRECT_DEPOSIT):
    harbor, fin = personas.harbor, personas.fin
    payments.approve_entries(organization=harbor, by=fin, entry_ids=[pay.ash.pk, pay.river.pk])
    batch = payments.create_batch(organization=harbor, by=fin, method=method).batch
    assert batch is not None
    return batch


def sign_in_with_code(page: Page, base_url: str, person: User, with_totp, home: str) -> None:
    with_totp(person)
    sign_in(page, base_url, person.email)
    enter_totp(page)
    expect_heading(page, home)
    check_axe(page)


def new_page(new_context, watch: PageWatch) -> Page:
    """A second person in the same test: a browser context of their own, also watched."""
    context: BrowserContext = new_context()
    watch.attach_context(context)
    return context.new_page()


# --- 1. finance set a rate -------------------------------------------------------------------


def test_finance_set_a_rate_at_parity(page, live_server, personas, with_totp):
    sign_in_with_code(page, live_server.url, personas.fin, with_totp, "Stipends")
    page.get_by_role("link", name="Rates", exact=True).click()
    expect_heading(page, "Pay rates")
    expect(page.get_by_text("There are no rates yet.")).to_be_visible()
    check_axe(page)

    expect(page.get_by_role("radio", name="Per hour", exact=True)).to_be_checked()
    page.get_by_label("Amount", exact=True).fill("0")
    page.get_by_label("What a professional consultant is paid per hour").fill("60")
    page.get_by_label("First day", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Add the rate").click()
    expect(page.get_by_text("Please check the form. Nothing was saved yet.")).to_be_visible()
    expect(page.get_by_text("The amount must be more than 0.")).to_be_visible()
    check_axe(page)
    assert not StipendRate.objects.exists()
    # What was typed is kept, so only the mistake needs fixing.
    expect(page.get_by_label("What a professional consultant is paid per hour")).to_have_value("60")

    page.get_by_label("Amount", exact=True).fill("45")
    page.get_by_role("button", name="Add the rate").click()
    expect(page.get_by_text("The rate is added.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="USD 45.00 per hour · Any meeting role")
    ).to_be_visible()
    expect(page.get_by_text("75% of a consultant's pay")).to_be_visible()
    expect(
        page.get_by_text(
            "USD 45.00 an hour, against USD 60.00 an hour for a professional consultant"
        )
    ).to_be_visible()
    check_axe(page)
    rate = StipendRate.objects.get()
    assert (rate.amount, rate.benchmark_hourly) == (Decimal("45.00"), Decimal("60.00"))
    assert (rate.organization, rate.effective_from) == (personas.harbor, datetime.date(2026, 1, 1))


# --- 2. finance approve, batch, export and mark paid --------------------------------------


def test_finance_approve_batch_export_and_mark_paid(page, live_server, personas, with_totp):
    with_profiles(personas)
    pay_settings(personas.harbor, payer_name="Member services", payment_memo="Services")
    earn_pay(personas)

    sign_in_with_code(page, live_server.url, personas.fin, with_totp, "Stipends")
    page.get_by_role("link", name="Pay overview").click()
    expect_heading(page, "Paying people")
    check_axe(page)
    waiting = page.get_by_role("row", name="Earned, waiting for you to approve")
    expect(waiting).to_contain_text("USD 175.00")

    waiting.get_by_role("link").click()
    expect_heading(page, "Approve pay")
    check_axe(page)
    expect(page.get_by_role("row", name="Ash")).to_contain_text("USD 75.00")
    expect(page.get_by_role("row", name="River")).to_contain_text("USD 100.00")
    # Finance pay people by the names they chose; legal names stay in the payment file.
    expect(page.get_by_text(ASH_LEGAL)).to_have_count(0)
    page.get_by_role("button", name="Approve all on this page").click()
    expect(page.get_by_text("2 payments approved.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for approval.")).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="Back to paying people").click()
    expect_heading(page, "Paying people")
    approved = page.get_by_role("row", name="Approved, waiting for a payment batch")
    expect(approved).to_contain_text("USD 175.00")
    page.get_by_label("Pay everyone who chose").select_option(
        label="Direct deposit to a bank account"
    )
    page.get_by_role("button", name="Make the batch").click()
    expect_heading(page, "Payment batch")
    expect(page.get_by_text("Batch made: it pays 2 people.")).to_be_visible()
    expect(page.get_by_text("Ready to pay")).to_be_visible()
    check_axe(page)
    expect(page.get_by_role("row", name="River")).to_contain_text("USD 100.00")
    expect(page.get_by_text(RIVER_LEGAL)).to_have_count(0)
    batch = PaymentBatch.objects.get()
    assert not AccessRecord.objects.exists()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the payment file").click()
    download = info.value
    # A name that says nothing about who is paid, or why.
    assert re.fullmatch(r"payments-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0] == ["payee_reference", "legal_name", "amount", "currency", "payer_name", "memo"]
    assert sorted(row[1:] for row in rows[1:]) == [
        [ASH_LEGAL, "75.00", "USD", "Member services", "Services"],
        [RIVER_LEGAL, "100.00", "USD", "Member services", "Services"],
    ]
    opened = AccessRecord.objects.values_list("viewer", "subject", "organization", "what")
    assert sorted(opened) == sorted(
        (personas.fin.pk, person.pk, personas.harbor.pk, ACCESS_PAYMENT_DETAILS)
        for person in (personas.ash, personas.river)
    )

    page.get_by_label("Payment reference").fill("ACH-2026-0042")
    page.get_by_role("button", name="Mark the batch paid").click()
    expect(page.get_by_text("The batch is marked paid. Everyone in it was told.")).to_be_visible()
    expect(page.get_by_text("ACH-2026-0042")).to_be_visible()
    # Once paid, there is no second way to mark it paid.
    expect(page.get_by_role("button", name="Mark the batch paid")).to_have_count(0)
    check_axe(page)
    payments_written = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, batch=batch)
    assert sorted(payments_written.values_list("user", "amount")) == sorted(
        [(personas.ash.pk, Decimal("-75.00")), (personas.river.pk, Decimal("-100.00"))]
    )
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 2
    batch.refresh_from_db()
    assert (batch.status, batch.reference) == (PaymentBatch.Status.PAID, "ACH-2026-0042")

    page.get_by_role("link", name="Back to paying people").click()
    expect_heading(page, "Paying people")
    row = page.get_by_role("row").filter(has_text="Direct deposit to a bank account")
    expect(row).to_contain_text("Paid (")
    expect(row).to_contain_text("USD 175.00")
    expect(page.get_by_text("Target: paid within 14 days of the work.")).to_be_visible()
    expect(
        page.get_by_text("From 2 pieces of earned pay for work in the last 12 months.")
    ).to_be_visible()
    check_axe(page)


# --- 3. staff decide claims; a co-chair reads the decisions without names -----------------


def test_staff_decide_claims_and_a_co_chair_sees_decisions_without_names(
    page, new_context, watch, live_server, personas, with_totp
):
    with_profiles(personas)
    hourly_rate(personas.harbor, "50.00")
    board_member(personas.river, personas.harbor, co_chair=True)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_claim(
        person=personas.river,
        organization=personas.harbor,
        kind=WorkKind.SPEAKING,
        work_date=yesterday,
        hours=Decimal("2"),
        note="Spoke at the fundraiser",
    )

    # Ash claims document review in the browser.
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    check_axe(page)
    page.get_by_role("link", name="Claim other paid work").click()
    expect_heading(page, "Other paid work")
    check_axe(page)
    page.get_by_label("What you did").select_option(label="Reviewing documents")
    page.get_by_label("When").fill(yesterday.isoformat())
    page.get_by_label("Hours", exact=True).fill("1.5")
    page.get_by_label("A note, if you want").fill("Read the draft safety policy")
    page.get_by_role("button", name="Send claim").click()
    expect(page.get_by_text("Claim sent.")).to_be_visible()
    mine = page.get_by_role("row", name="Reviewing documents")
    expect(mine).to_contain_text("1.50")
    expect(mine).to_contain_text("Waiting for an answer")
    check_axe(page)
    claim = WorkClaim.objects.get(user=personas.ash)
    assert (claim.kind, claim.hours) == (WorkKind.DOCUMENT_REVIEW, Decimal("1.50"))

    # Sam declines River's claim without a reason (refused), then approves Ash's.
    staff = new_page(new_context, watch)
    sign_in_with_code(staff, live_server.url, personas.sam, with_totp, "Board overview")
    staff.get_by_role("link", name="Paid work to approve").click()
    expect_heading(staff, "Claims for paid work")
    check_axe(staff)
    rivers = staff.get_by_role("listitem").filter(
        has=staff.get_by_role("heading", name="River: Speaking")
    )
    rivers.get_by_role("button", name=re.compile(r"^Do not approve")).click()
    expect(staff.get_by_text("Please check the form. Nothing was saved yet.")).to_be_visible()
    expect(
        staff.get_by_text("Say why it is not approved. The person and the co-chairs read it.")
    ).to_be_visible()
    check_axe(staff)
    assert set(WorkClaim.objects.values_list("status", flat=True)) == {ClaimStatus.WAITING}
    assert not LedgerEntry.objects.exists()

    ashs = staff.get_by_role("listitem").filter(
        has=staff.get_by_role("heading", name="Ash: Reviewing documents")
    )
    expect(ashs).to_contain_text("Read the draft safety policy")
    ashs.get_by_label("Reason").fill("Thank you: the review was thorough.")
    ashs.get_by_role("button", name=re.compile(r"^Approve")).click()
    expect(
        staff.get_by_text("Approved. It is now earned, not yet paid; finance approve it")
    ).to_be_visible()
    check_axe(staff)
    rivers.get_by_label("Reason").fill("The host of the fundraiser paid for this talk.")
    rivers.get_by_role("button", name=re.compile(r"^Do not approve")).click()
    expect(staff.get_by_text("Not approved. The person and the co-chairs can read")).to_be_visible()
    expect(staff.get_by_text("No claims are waiting.")).to_be_visible()
    check_axe(staff)
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.APPROVED, personas.sam)
    earned = LedgerEntry.objects.get(claim=claim)
    assert (earned.kind, earned.amount) == (EntryKind.EARNED, Decimal("75.00"))
    assert LedgerEntry.objects.count() == 1

    # River, a co-chair, reads both decisions and reasons, with no names or notes.
    co_chair = new_page(new_context, watch)
    sign_in(co_chair, live_server.url, personas.river.email)
    expect_heading(co_chair, "My seat")
    co_chair.get_by_role("link", name="Claim other paid work").click()
    expect_heading(co_chair, "Other paid work")
    co_chair.get_by_role("link", name="Decisions on everyone's claims, without names").click()
    expect_heading(co_chair, "Decisions on paid work")
    check_axe(co_chair)
    approved = co_chair.get_by_role("row", name="Reviewing documents")
    expect(approved).to_contain_text("1.50")
    expect(approved).to_contain_text("Approved")
    expect(approved).to_contain_text("Thank you: the review was thorough.")
    declined = co_chair.get_by_role("row", name="Speaking")
    expect(declined).to_contain_text("Not approved")
    expect(declined).to_contain_text("The host of the fundraiser paid for this talk.")
    table = co_chair.get_by_role("table")
    for private in ("Ash", "River", "Read the draft safety policy", "Spoke at the fundraiser"):
        expect(table).not_to_contain_text(private)
    expect(co_chair.get_by_text("Read the draft safety policy")).to_have_count(0)

    # Ash sees the answer on their own page.
    page.reload()
    expect(page.get_by_role("row", name="Reviewing documents")).to_contain_text("Approved")
    check_axe(page)


# --- 4. program staff never see legal names or payment details ----------------------------


def test_program_staff_reach_no_finance_page(page, live_server, personas, with_totp):
    with_profiles(personas)
    batch = open_batch(personas, earn_pay(personas))
    addresses = [
        url(live_server, "finance_dashboard"),
        url(live_server, "approve_pay"),
        url(live_server, "payment_batch", public_id=batch.public_id),
        url(live_server, "batch_csv", public_id=batch.public_id),
        url(live_server, "pay_rates"),
        url(live_server, "pay_settings"),
        url(live_server, "pay_methods"),
        url(live_server, "hours_flags"),
    ]

    sign_in_with_code(page, live_server.url, personas.sam, with_totp, "Board overview")
    expect(page.get_by_role("link", name="Pay overview")).to_have_count(0)
    for address in addresses:
        # Through the signed-in browser's own cookies; a 404 document would otherwise be
        # logged by Chromium as a console error, which the watch rightly counts.
        response = page.request.get(address)
        assert response.status == 404, address
        body = response.text()
        assert ASH_LEGAL not in body
        assert RIVER_LEGAL not in body
    assert not AccessRecord.objects.exists()


# --- 5. on a phone ---------------------------------------------------------------------------


def test_finance_pages_fit_a_phone(page, live_server, personas, with_totp):
    with_profiles(personas)
    batch = open_batch(personas, earn_pay(personas))
    page.set_viewport_size(PHONE)
    sign_in_with_code(page, live_server.url, personas.fin, with_totp, "Stipends")
    assert has_no_horizontal_scroll(page, PHONE["width"])

    page.get_by_role("link", name="Pay overview").click()
    expect_heading(page, "Paying people")
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])

    page.goto(url(live_server, "payment_batch", public_id=batch.public_id))
    expect_heading(page, "Payment batch")
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])

    page.goto(url(live_server, "pay_rates"))
    expect_heading(page, "Pay rates")
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])


@pytest.mark.skipif(not screenshots_enabled(), reason="set SCREENSHOTS=1 to take screenshots")
def test_finance_pay_screenshots(page, live_server, personas, with_totp):
    with_profiles(personas)
    harbor = personas.harbor
    hourly_rate(harbor, "50.00", benchmark_hourly=Decimal("50.00"))
    hourly_rate(harbor, "60.00", benchmark_hourly=Decimal("50.00"), meeting_role="chair")
    # Paid a while ago by check; a newer batch by direct deposit is ready to pay; the
    # latest meeting's pay waits for approval.
    paid = earn_pay(personas, days_ago=12, schedule=Schedule.PER_MEETING)
    prefer(personas.ash, harbor, PaymentMethod.CHECK, schedule=Schedule.PER_MEETING)
    prefer(personas.river, harbor, PaymentMethod.CHECK, schedule=Schedule.PER_MEETING)
    paid_batch = open_batch(personas, paid, PaymentMethod.CHECK)
    payments.mark_batch_paid(
        organization=harbor,
        by=personas.fin,
        batch=paid_batch,
        reference="CHK-1001",
        paid_on=timezone.localdate(),
    )
    batch = open_batch(personas, earn_pay(personas, days_ago=5, schedule=Schedule.PER_MEETING))
    earn_pay(personas, days_ago=1, schedule=Schedule.PER_MEETING)

    sign_in_with_code(page, live_server.url, personas.fin, with_totp, "Stipends")
    page.get_by_role("link", name="Pay overview").click()
    expect_heading(page, "Paying people")
    check_axe(page)
    take_screenshots(page, "pay-finance-dashboard")

    page.goto(url(live_server, "pay_rates"))
    expect_heading(page, "Pay rates")
    check_axe(page)
    take_screenshots(page, "pay-rates")

    page.goto(url(live_server, "payment_batch", public_id=batch.public_id))
    expect_heading(page, "Payment batch")
    check_axe(page)
    take_screenshots(page, "pay-batch")
