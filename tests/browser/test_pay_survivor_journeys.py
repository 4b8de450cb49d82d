"""Pay, from the survivor's side, in a real browser: attendance saved by staff becomes pay
earned (through a real Celery worker), choosing how, when and how much, seeing a payment
and downloading a statement, and flagging hours that finance answer. Every page visited is
axe-checked; the `watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from accounts.models import User
from compensation.models import (
    FlagOutcome,
    FlagStatus,
    HoursFlag,
    LedgerEntry,
    PaymentMethod,
    PaymentPreference,
    Schedule,
)
from compensation.selectors.ledger import organization_today
from compensation.services.payments import approve_entries, create_batch, mark_batch_paid
from meetings.models import Meeting
from tests.browser.helpers import (
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    screenshots_enabled,
    sign_in,
    take_screenshots,
)
from tests.celery_worker import default_queue_worker, wait_for  # noqa: F401  # the fixture
from tests.compensation.factories import (
    attend,
    hourly_rate,
    offer_methods,
    past_meeting,
    pay_settings,
    prefer,
)
from tests.factories import SurvivorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360


@pytest.fixture
def harbor_pays(personas):
    """Harbor pays 50.00 an hour (90 minutes is 75.00), by direct deposit or check; Ash
    gave the legal name and safe mailing address both ways need."""
    SurvivorProfileFactory.create(
        user=personas.ash,
        chosen_name="Ash",
        legal_name="Ashley Quietwater",
        mailing_address="12 Quiet Lane, Springfield",
    )
    pay_settings(personas.harbor, currency="USD")
    hourly_rate(personas.harbor, "50.00")
    offer_methods(personas.harbor, PaymentMethod.DIRECT_DEPOSIT, PaymentMethod.CHECK)
    return personas.harbor


def spring_meeting(personas, **kwargs) -> Meeting:
    meeting = past_meeting(personas.harbor, personas.ash, **kwargs)
    meeting.title = "Spring meeting"
    meeting.save(update_fields=["title"])
    return meeting


def pay_in_a_paid_batch(personas, meeting: Meeting) -> LedgerEntry:
    """Ash's pay for the meeting, approved, batched and marked paid today, as finance
    would do it on their pages."""
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    entry = LedgerEntry.objects.get(user=personas.ash)
    approve_entries(organization=personas.harbor, by=personas.fin, entry_ids=[entry.pk])
    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
    )
    assert outcome.batch is not None
    mark_batch_paid(
        organization=personas.harbor,
        by=personas.fin,
        batch=outcome.batch,
        reference="DD-2041",
        paid_on=organization_today(personas.harbor),
    )
    return entry


def open_my_pay(page: Page, base_url: str, person: User) -> None:
    """Sign in as a survivor leader and go My seat -> My pay."""
    sign_in(page, base_url, person.email)
    expect_heading(page, "My seat")
    check_axe(page)
    page.get_by_role("link", name="My pay", exact=True).click()
    expect_heading(page, "My pay")
    check_axe(page)


def totals_row(page: Page, label: str):
    return page.get_by_role("table", name="Your pay, by where it is now").get_by_role(
        "row", name=re.compile(rf"^{re.escape(label)} ")
    )


# --- 1. attendance becomes pay earned -------------------------------------------------------


@pytest.mark.worker
def test_staff_record_attendance_and_the_survivor_sees_pay_earned(
    page,
    new_context,
    watch,
    live_server,
    personas,
    harbor_pays,
    with_totp,
    default_queue_worker,  # noqa: F811  # the fixture: a real worker on the default queue
):
    meeting = spring_meeting(personas)
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    page.goto(f"{live_server.url}/o/harbor/meetings/{meeting.pk}/attendance/")
    expect_heading(page, "Attendance")
    check_axe(page)
    expect(page.get_by_label("Ash came")).to_be_checked()
    expect(page.get_by_label("Hours for Ash")).to_have_value("1.50")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved. 1 person's attendance changed.")).to_be_visible()
    check_axe(page)

    # Nothing here runs the accrual: the receiver enqueues it and the worker records it.
    wait_for(lambda: LedgerEntry.objects.filter(user=personas.ash).exists())
    (entry,) = LedgerEntry.objects.filter(user=personas.ash)
    assert (entry.amount, entry.currency) == (Decimal("75.00"), "USD")

    ash_context = new_context()
    watch.attach_context(ash_context)
    ash_page = ash_context.new_page()
    open_my_pay(ash_page, live_server.url, personas.ash)
    expect(totals_row(ash_page, "Earned, not yet paid")).to_contain_text("USD 75.00")
    row = ash_page.get_by_role("row", name="Meeting: Spring meeting")
    expect(row).to_contain_text("Earned, not yet paid")
    expect(row).to_contain_text("USD 75.00")
    expect(row).to_contain_text("1.50")
    expect(
        ash_page.get_by_text("Nothing has been paid to you yet. Payments will show here")
    ).to_be_visible()


# --- 2. method, schedule and a monthly cap ---------------------------------------------------


def test_the_survivor_picks_a_method_a_schedule_and_a_monthly_cap(
    page, live_server, personas, harbor_pays
):
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    page.get_by_role("link", name="How and when I am paid").click()
    expect_heading(page, "My choices about pay")
    check_axe(page)
    # Nothing is chosen for anyone.
    expect(page.get_by_role("radio", checked=True)).to_have_count(0)
    expect(page.get_by_text("There is never an option to give your pay")).to_be_visible()

    method = page.get_by_role("group", name="How you want to be paid")
    method.get_by_role("radio", name=re.compile(r"^Check\b")).check()
    expect(method).to_contain_text("Fees: No fee")
    page.get_by_role("group", name="When you want to be paid").get_by_role(
        "radio", name="Once a month"
    ).check()
    cap = page.get_by_label("The most you want to be paid in one month (optional)")
    cap.fill("-5")
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Please check the form. Nothing was saved yet.")).to_be_visible()
    expect(page.get_by_text("A limit cannot be less than 0.")).to_be_visible()
    check_axe(page)
    assert not PaymentPreference.objects.exists()
    # What was typed is kept, so only the cap needs fixing.
    expect(method.get_by_role("radio", name=re.compile(r"^Check\b"))).to_be_checked()

    cap.fill("300")
    page.get_by_role("button", name="Save my choices").click()
    expect_heading(page, "My pay")
    expect(page.get_by_text("Saved. You can change these choices at any time.")).to_be_visible()
    check_axe(page)
    preference = PaymentPreference.objects.get(user=personas.ash)
    assert (preference.method, preference.schedule, preference.monthly_cap) == (
        PaymentMethod.CHECK,
        Schedule.MONTHLY,
        Decimal("300.00"),
    )
    assert preference.yearly_cap is None

    how = page.get_by_role("region", name="How you are paid")
    expect(how).to_contain_text("Check")
    expect(how).to_contain_text("Once a month")
    expect(how).to_contain_text("USD 300.00")
    expect(how).to_contain_text("No limit")  # per year

    # Back on the page, the choices made are the ones shown.
    how.get_by_role("link", name="Change how, when and how much you are paid").click()
    expect_heading(page, "My choices about pay")
    expect(page.get_by_role("radio", name=re.compile(r"^Check\b"))).to_be_checked()
    expect(page.get_by_role("radio", name="Once a month")).to_be_checked()
    expect(cap).to_have_value("300.00")


# --- 3. a payment and a statement ------------------------------------------------------------


def test_the_survivor_sees_a_payment_and_downloads_a_statement(
    page, live_server, personas, harbor_pays
):
    prefer(personas.ash, personas.harbor, schedule=Schedule.PER_MEETING)
    pay_in_a_paid_batch(personas, spring_meeting(personas))
    paid_month = date_format(organization_today(personas.harbor), "F Y")
    year = timezone.localdate().year

    open_my_pay(page, live_server.url, personas.ash)
    expect(totals_row(page, "Paid")).to_contain_text("USD 75.00")
    expect(totals_row(page, "Earned, not yet paid")).to_contain_text("USD 0.00")
    expect(page.get_by_role("row", name="Meeting: Spring meeting")).to_contain_text("Paid")
    payment = page.get_by_role("row", name="Payment: Direct deposit to a bank account")
    expect(payment).to_contain_text("USD 75.00")
    by_month = page.get_by_role("table", name="Paid in each month, newest first")
    expect(by_month.get_by_role("row", name=paid_month)).to_contain_text("USD 75.00")
    expect(page.get_by_text(f"Paid so far in {year}: USD 75.00")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name=f"Download the statement for {year}").click()
    download = info.value
    # A name that says nothing about what is inside or where it came from.
    assert download.suggested_filename == f"statement-{year}.csv"
    text = download.path().read_text(encoding="utf-8")
    assert text.startswith("Date,What for,Hours,State,Amount,Currency")
    assert "Meeting: Spring meeting,1.50,Paid,75.00,USD" in text
    assert "Payment: Direct deposit to a bank account,,Payment,75.00,USD" in text
    # The page is still there, unchanged, after the download.
    expect_heading(page, "My pay")


# --- 4. flagged hours, answered by finance ---------------------------------------------------


def test_a_survivor_flags_hours_and_finance_answer(
    page, new_context, watch, live_server, personas, harbor_pays, with_totp
):
    meeting = spring_meeting(personas)
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")

    open_my_pay(page, live_server.url, personas.ash)
    page.get_by_role("link", name=re.compile(r"^Hours wrong\? Meeting: Spring meeting")).click()
    expect_heading(page, "Hours that look wrong")
    expect(page.get_by_text("Hours recorded for you: 1.50.")).to_be_visible()
    check_axe(page)
    page.get_by_label("Hours you think are right").fill("2.5")
    page.get_by_label("Anything finance should know (optional)").fill(
        "We stayed an hour longer to finish the budget."
    )
    page.get_by_role("button", name="Send to finance").click()
    expect(page.get_by_text("Sent to finance. They must answer")).to_be_visible()
    check_axe(page)
    flag = HoursFlag.objects.get()
    assert (flag.hours_expected, flag.status) == (Decimal("2.50"), FlagStatus.OPEN)

    with_totp(personas.fin)
    fin_context = new_context()
    watch.attach_context(fin_context)
    fin_page = fin_context.new_page()
    sign_in(fin_page, live_server.url, personas.fin.email)
    enter_totp(fin_page)
    expect_heading(fin_page, "Stipends")
    check_axe(fin_page)
    fin_page.get_by_role("link", name="Hours people flagged").click()
    expect_heading(fin_page, "Flagged hours")
    check_axe(fin_page)
    card = fin_page.get_by_role("listitem").filter(has_text="Spring meeting")
    expect(card).to_contain_text("Ash: Spring meeting")
    expect(card).to_contain_text("Recorded: 1.50 hours. They think: 2.50 hours.")
    expect(card).to_contain_text("We stayed an hour longer to finish the budget.")
    card.get_by_label("Corrected: pay these hours").check()
    card.get_by_label("Hours to pay").fill("2.5")
    card.get_by_label("Answer for the person").fill("You are right; the meeting ran late.")
    card.get_by_role("button", name=re.compile(r"^Send answer")).click()
    expect(
        fin_page.get_by_text("Answered. The difference is now earned, not yet paid")
    ).to_be_visible()
    expect(fin_page.get_by_text("No flagged hours are waiting for an answer.")).to_be_visible()
    check_axe(fin_page)
    flag.refresh_from_db()
    assert (flag.status, flag.outcome) == (FlagStatus.ANSWERED, FlagOutcome.CORRECTED)

    # Ash sees the corrected pay on My pay (one more hour at 50.00) and finance's answer.
    page.goto(f"{live_server.url}/o/harbor/my-seat/pay/")
    expect_heading(page, "My pay")
    check_axe(page)
    expect(totals_row(page, "Earned, not yet paid")).to_contain_text("USD 125.00")
    correction = page.get_by_role("row", name="Correction: Hours corrected: Spring meeting")
    expect(correction).to_contain_text("USD 50.00")
    expect(correction).to_contain_text("Earned, not yet paid")
    page.get_by_role("link", name=re.compile(r"^Hours wrong\? Meeting: Spring meeting")).click()
    expect_heading(page, "Hours that look wrong")
    check_axe(page)
    answers = page.get_by_role("region", name="What you said and the answers")
    expect(answers).to_contain_text("you said 2.50 hours")
    expect(answers).to_contain_text("Your pay was corrected")
    expect(answers).to_contain_text("Finance's answer: You are right; the meeting ran late.")


# --- 5. a narrow phone -----------------------------------------------------------------------


def _pay_with_a_held_amount(personas) -> None:
    """A paid meeting, then two more meetings' pay approved where the second goes over a
    monthly cap of 160.00: one amount being paid, one held for Ash to decide about."""
    prefer(personas.ash, personas.harbor, schedule=Schedule.PER_MEETING)
    now = timezone.now()
    pay_in_a_paid_batch(personas, spring_meeting(personas, starts_at=now - datetime.timedelta(3)))
    prefer(
        personas.ash,
        personas.harbor,
        schedule=Schedule.PER_MEETING,
        monthly_cap=Decimal("160.00"),
        yearly_cap=Decimal("1500.00"),
    )
    for days_ago in (2, 1):
        meeting = past_meeting(
            personas.harbor, personas.ash, starts_at=now - datetime.timedelta(days_ago)
        )
        attend(meeting, personas.ash, by=personas.sam, hours="1.5")
    waiting = LedgerEntry.objects.filter(user=personas.ash, approval__isnull=True)
    approve_entries(
        organization=personas.harbor,
        by=personas.fin,
        entry_ids=list(waiting.values_list("pk", flat=True)),
    )
    outcome = create_batch(
        organization=personas.harbor, by=personas.fin, method=PaymentMethod.DIRECT_DEPOSIT
    )
    assert (outcome.people, outcome.held) == (1, 1)


def _phone_page(new_context, watch) -> Page:
    context = new_context(viewport={"width": PHONE, "height": 740})
    watch.attach_context(context)
    page: Page = context.new_page()
    return page


def test_my_pay_and_choices_work_on_a_narrow_phone(
    new_context, watch, live_server, personas, harbor_pays
):
    _pay_with_a_held_amount(personas)
    page = _phone_page(new_context, watch)
    open_my_pay(page, live_server.url, personas.ash)  # axe-checked at 360 px
    expect(page.get_by_role("heading", name="Held back by your limits")).to_be_visible()
    expect(page.get_by_role("button", name="Save my choice")).to_be_visible()

    page.get_by_role("link", name="Change how, when and how much you are paid").click()
    expect_heading(page, "My choices about pay")
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE), "My choices about pay"

    page.get_by_label("The most you want to be paid in one year (optional)").fill("lots")
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Write an amount as a number, like 500 or 500.00.")).to_be_visible()
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE), "My choices about pay, with an error"

    page.goto(f"{live_server.url}/o/harbor/my-seat/pay/")
    page.get_by_role("link", name=re.compile(r"^Hours wrong\? Meeting: Spring meeting")).click()
    expect_heading(page, "Hours that look wrong")
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE), "Hours that look wrong"


def test_my_pay_never_scrolls_sideways_on_a_narrow_phone(
    new_context, watch, live_server, personas, harbor_pays
):
    _pay_with_a_held_amount(personas)
    page = _phone_page(new_context, watch)
    open_my_pay(page, live_server.url, personas.ash)
    assert has_no_horizontal_scroll(page, PHONE), "My pay"
    # The pay record is read row by row: no cell is cut off at the screen's edge.
    assert page.evaluate(
        """() => [...document.querySelectorAll('table.stacked td, table.stacked th')]
            .every(cell => cell.getBoundingClientRect().right <= window.innerWidth)"""
    )


@pytest.mark.skipif(not screenshots_enabled(), reason="set SCREENSHOTS=1 to take screenshots")
def test_pay_screenshots(page, live_server, personas, harbor_pays):
    _pay_with_a_held_amount(personas)
    open_my_pay(page, live_server.url, personas.ash)
    take_screenshots(page, "my-pay")
    page.goto(f"{live_server.url}/o/harbor/my-seat/pay/choices/")
    expect_heading(page, "My choices about pay")
    check_axe(page)
    take_screenshots(page, "my-pay-choices")
