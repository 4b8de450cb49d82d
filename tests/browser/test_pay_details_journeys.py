"""A payment that needs a detail the person has not given, in a real browser. Finance see,
before making a batch, who lacks what (chosen name and the name of the detail only); the
batch leaves that person out; they read on My pay what to add and that their pay is kept,
add it through their payment details, and the next batch pays them with the detail in the
file. Each page is axe-checked at 360 px and at 1280 px; the `watch` fixture fails any CSP
violation or script error."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from accounts.models import OutboxMessage
from compensation.models import EntryKind, LedgerEntry, PaymentBatch, PaymentMethod, Schedule
from compensation.services import payments
from compensation.services.payments import PAY_NEEDS_DETAILS
from tests.browser.helpers import (
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
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
from tests.factories import PASSWORD, SurvivorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASH_LEGAL = "Ashley Quietwater"
ASH_ADDRESS = "12 Quiet Lane, Springfield"
RIVER_LEGAL = "Rivera Stonebridge"
PHONE: ViewportSize = {"width": 360, "height": 800}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


def check_at_both_widths(page: Page) -> None:
    """axe at a phone's width and a desktop's, and nothing wider than the phone."""
    page.set_viewport_size(PHONE)
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"]), page.url
    page.set_viewport_size(DESKTOP)
    check_axe(page)


def ash_owed_by_direct_deposit(personas) -> None:
    """Ash gave Harbor a safe mailing address but no legal name; River gave a legal name.
    Both chose direct deposit, and both have approved pay from a meeting."""
    harbor = personas.harbor
    pay_settings(harbor, currency="USD", payer_name="Member services", payment_memo="Services")
    hourly_rate(harbor, "50.00", benchmark_hourly=Decimal("50.00"))
    offer_methods(harbor, PaymentMethod.DIRECT_DEPOSIT, PaymentMethod.CHECK)
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash", mailing_address=ASH_ADDRESS)
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River", legal_name=RIVER_LEGAL)
    for person in (personas.ash, personas.river):
        prefer(person, harbor, PaymentMethod.DIRECT_DEPOSIT, schedule=Schedule.PER_MEETING)
    meeting = past_meeting(harbor, personas.ash, personas.river)
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    attend(meeting, personas.river, by=personas.sam, hours="2")
    entries = LedgerEntry.objects.filter(attendance__meeting=meeting, kind=EntryKind.EARNED)
    payments.approve_entries(
        organization=harbor, by=personas.fin, entry_ids=list(entries.values_list("pk", flat=True))
    )


def make_a_direct_deposit_batch(page: Page) -> None:
    page.get_by_label("Pay everyone who chose").select_option(
        label="Direct deposit to a bank account"
    )
    page.get_by_role("button", name="Make the batch").click()
    expect_heading(page, "Payment batch")


def test_someone_without_a_legal_name_is_left_out_adds_it_and_is_paid_next(
    page, new_context, watch, live_server, personas, with_totp
):
    ash_owed_by_direct_deposit(personas)

    # Finance see, before making the batch, who lacks what: a chosen name, never a value.
    with_totp(personas.fin)
    sign_in(page, live_server.url, personas.fin.email)
    enter_totp(page)
    expect_heading(page, "Stipends")
    page.get_by_role("link", name="Pay overview").click()
    expect_heading(page, "Paying people")
    waiting = page.get_by_role("link", name="1 person has approved pay that cannot go in a batch")
    expect(waiting).to_be_visible()
    waiting.click()
    left_out = page.get_by_role("table", name="People left out until they add a detail")
    expect(left_out.get_by_role("row", name="Ash")).to_contain_text(
        "Direct deposit to a bank account"
    )
    expect(left_out.get_by_role("row", name="Ash")).to_contain_text("legal name")
    expect(left_out.get_by_role("row", name="River")).to_have_count(0)
    for value in (ASH_ADDRESS, RIVER_LEGAL):
        expect(page.get_by_text(value)).to_have_count(0)
    check_at_both_widths(page)
    take_screenshots(page, "pay-details-finance-dashboard")

    # The batch pays River and leaves Ash out; Ash is told there is an update.
    make_a_direct_deposit_batch(page)
    expect(page.get_by_text("Batch made: it pays 1 person.")).to_be_visible()
    expect(page.get_by_text("1 person was left out: their way to be paid needs")).to_be_visible()
    expect(page.get_by_role("row", name="River")).to_contain_text("USD 100.00")
    expect(page.get_by_role("row", name="Ash")).to_have_count(0)
    check_at_both_widths(page)
    take_screenshots(page, "pay-details-batch")
    first = PaymentBatch.objects.get()
    assert OutboxMessage.objects.filter(recipient=personas.ash, kind=PAY_NEEDS_DETAILS).exists()

    # Ash reads what to add, and that the pay is kept; then adds it.
    ash_context = new_context()
    watch.attach_context(ash_context)
    ash = ash_context.new_page()
    sign_in(ash, live_server.url, personas.ash.email)
    expect_heading(ash, "My seat")
    ash.get_by_role("link", name="My pay", exact=True).click()
    expect_heading(ash, "My pay")
    notice = ash.get_by_role("region", name="What we need to pay you")
    expect(notice).to_contain_text(
        "You chose to be paid by: Direct deposit to a bank account. "
        "For this, the payment needs your legal name."
    )
    expect(notice).to_contain_text("Your pay is kept for you.")
    check_at_both_widths(ash)
    take_screenshots(ash, "pay-details-my-pay")
    notice.get_by_role("link", name="Add your legal name").click()
    expect_heading(ash, "Confirm it's you")
    check_axe(ash)
    ash.get_by_label("Password", exact=True).fill(PASSWORD)
    ash.get_by_role("button", name="Confirm").click()
    expect_heading(ash, "Details for payments")
    ash.get_by_label("Legal name").fill(ASH_LEGAL)
    ash.get_by_role("button", name="Save payment details").click()
    expect(ash.get_by_text("Your payment details are saved.")).to_be_visible()
    check_at_both_widths(ash)
    ash.goto(f"{live_server.url}/o/harbor/my-seat/pay/")
    expect_heading(ash, "My pay")
    expect(ash.get_by_role("region", name="What we need to pay you")).to_have_count(0)

    # The next batch pays Ash, with the legal name in the file.
    page.get_by_role("link", name="Back to paying people").click()
    expect_heading(page, "Paying people")
    expect(page.get_by_role("table", name="People left out until they add a detail")).to_have_count(
        0
    )
    make_a_direct_deposit_batch(page)
    expect(page.get_by_text("Batch made: it pays 1 person.")).to_be_visible()
    expect(page.get_by_text("left out")).to_have_count(0)
    expect(page.get_by_role("row", name="Ash")).to_contain_text("USD 75.00")
    check_at_both_widths(page)
    second = PaymentBatch.objects.exclude(pk=first.pk).get()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the payment file").click()
    with open(info.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][:2] == ["payee_reference", "legal_name"]
    assert [row[1:3] for row in rows[1:]] == [[ASH_LEGAL, "75.00"]]
    page.get_by_label("Payment reference").fill("ACH-2026-0043")
    page.get_by_role("button", name="Mark the batch paid").click()
    expect(page.get_by_text("The batch is marked paid. Everyone in it was told.")).to_be_visible()
    assert second.items.get().entry.user == personas.ash

    ash.reload()
    expect(ash.get_by_role("row", name="Meeting:").first).to_contain_text("Paid")
    check_at_both_widths(ash)
