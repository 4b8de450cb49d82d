"""My pay, My choices about pay, held amounts, declining and the statement, as pages: what
a survivor leader sees of their own pay (and never of anyone else's), what is refused with
nothing written, and the query counts that stay flat however long the pay record grows."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    Hold,
    HoldChoice,
    HoldReason,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
    PaymentPreference,
    Schedule,
)
from compensation.selectors.ledger import PayState
from compensation.views.mypay import _safe_text
from tests.compensation.factories import (
    attend,
    hourly_rate,
    offer_methods,
    past_meeting,
    pay_settings,
    prefer,
)
from tests.meetings.factories import MeetingFactory
from tests.support.clients import client_for
from tests.support.my_pay import approve, batch_of, earned, held, state_of, writes
from tests.support.urls import url

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)


def page(client: Client, name: str = "my_pay") -> str:
    response = client.get(url(name))
    assert response.status_code == 200
    return response.text


@pytest.fixture
def ash(personas) -> Client:
    return client_for(personas.ash)


# --- who may see it ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye", "otto"])
@pytest.mark.parametrize("name", ["my_pay", "my_pay_choices", "pay_statement"])
def test_the_pages_exist_only_for_the_organizations_survivor_leaders(personas, who, name):
    response = client_for(getattr(personas, who)).get(url(name))
    assert response.status_code == 404


# --- My pay ------------------------------------------------------------------------------


def test_someone_with_no_pay_yet_reads_what_earns_pay(personas, ash):
    text = page(ash)
    assert "You have no pay yet." in text
    assert "meetings you come to" in text
    assert "Everything in your pay record" not in text


@time_machine.travel(NOW, tick=False)
def test_my_pay_shows_totals_entries_and_what_each_was_for(personas):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash)
    meeting.title = "Spring planning"
    meeting.save()
    attend(meeting, personas.ash, by=personas.sam, hours="1.5")  # 60.00, earned
    approve(earned(personas.ash, personas.harbor, "25.00"), personas.fin)
    paid = approve(earned(personas.ash, personas.harbor, "100.00"), personas.fin)
    batch_of(paid, paid_on=datetime.date(2026, 2, 27))
    text = page(ash)
    assert "Spring planning" in text
    assert "Earned, not yet paid" in text
    assert "USD\u00a060.00" in text
    assert "USD\u00a025.00" in text
    assert "USD\u00a0100.00" in text
    assert "Paid so far in 2026: USD\u00a0100.00" in text
    assert "February 2026" in text  # paid by month: the month it was paid
    assert "Payment: Direct deposit to a bank account" in text


def test_nobody_elses_pay_is_on_my_page(personas, ash):
    hourly_rate(personas.harbor)
    mine = past_meeting(personas.harbor, personas.ash)
    theirs = past_meeting(personas.harbor, personas.river)
    attend(mine, personas.ash, by=personas.sam)
    attend(theirs, personas.river, by=personas.sam, hours="3")
    earned(personas.otto, personas.second, "777.00")
    text = page(ash)
    assert mine.title in text
    assert theirs.title not in text
    assert "USD\u00a0150.00" not in text
    assert "777" not in text


def test_late_cancellations_other_work_and_corrections_say_what_they_were_for(personas, ash):
    meeting = MeetingFactory.create(organization=personas.harbor, title="Budget review")
    earned(personas.ash, personas.harbor, source=EntrySource.LATE_CANCELLATION, meeting=meeting)
    corrected = earned(personas.ash, personas.harbor, "30.00", meeting=meeting)
    from compensation.services.ledger import reverse_entry

    reverse_entry(corrected, reason=EntryReason.ATTENDANCE_CORRECTED, actor_id=None)
    text = page(ash)
    assert "Meeting the program cancelled late: Budget review" in text
    assert "Taken back (Attendance was corrected): Meeting: Budget review" in text
    assert "Corrected" in text


def test_the_benefits_note_and_its_link(personas, ash):
    text = page(ash)
    assert (
        "Stipends can affect benefits such as SSI, SSDI, SNAP, TANF, Medicaid and housing help. "
        "We can't tell you what's best; a free benefits counsellor can."
    ) in text
    assert "Find a free benefits counsellor" not in text
    pay_settings(personas.harbor, benefits_help_url="https://benefits.example.test/")
    text = page(ash)
    assert 'href="https://benefits.example.test/"' in text


@time_machine.travel(NOW, tick=False)
def test_the_tax_notice_comes_before_this_years_pay_crosses_the_threshold(personas):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    pay_settings(personas.harbor, tax_threshold=Decimal("500"), tax_help_url="https://t.test/")
    paid = approve(earned(personas.ash, personas.harbor, "300.00"), personas.fin)
    batch_of(paid, paid_on=datetime.date(2026, 1, 10))
    earned(personas.ash, personas.harbor, "199.99")
    assert "A tax form will be needed" not in page(ash)
    earned(personas.ash, personas.harbor, "0.01")  # paid 300 + owed 200 = 500: not yet paid
    text = page(ash)
    assert "A tax form will be needed" in text
    assert "will reach USD\u00a0500.00" in text
    assert "never go to this site" in text
    assert "never held back because of this" in text
    assert 'href="https://t.test/"' in text


@time_machine.travel(NOW, tick=False)
def test_last_years_payments_do_not_count_towards_this_years_threshold(personas):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    pay_settings(personas.harbor, tax_threshold=Decimal("500"))
    paid = approve(earned(personas.ash, personas.harbor, "900.00"), personas.fin)
    batch_of(paid, paid_on=datetime.date(2025, 12, 31))
    text = page(ash)
    assert "A tax form will be needed" not in text
    assert "Paid so far in 2026: USD\u00a00.00" in text
    assert "December 2025" in text


def test_how_i_am_paid_now_with_fees_and_what_appears_where(personas, ash):
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    personas.harbor.offered_methods.update(
        fees="No fee", on_envelopes="M. Services, PO Box 1", on_tax_forms="Member services"
    )
    prefer(
        personas.ash,
        personas.harbor,
        PaymentMethod.CHECK,
        schedule=Schedule.CHOSEN_MONTHS,
        months=[3, 9],
        monthly_cap=Decimal("400"),
    )
    text = page(ash)
    assert "Check" in text
    assert "No fee" in text
    assert "M. Services, PO Box 1" in text
    assert "In months I choose: March, September" in text
    assert "USD\u00a0400.00" in text
    assert "No limit" in text  # the yearly cap
    assert url("my_pay_choices") in text


def test_a_method_no_longer_offered_is_said_plainly(personas, ash):
    prefer(personas.ash, personas.harbor, PaymentMethod.GIFT_CARD)
    assert "no longer offered" in page(ash)


def test_the_statement_link_comes_with_the_shared_device_note(personas, ash):
    text = page(ash)
    assert url("pay_statement") + "?year=" in text
    assert "If others use this device, delete the file from your Downloads" in text


def test_entries_are_paginated_newest_first(personas, ash):
    for day in range(1, 28):
        earned(personas.ash, personas.harbor, f"{day}.00", on=datetime.date(2026, 2, day))
    text = page(ash)
    assert "27 February 2026" in text
    assert "1 February 2026" not in text.replace("21 February", "").replace("11 February", "")
    assert "Page 1 of 2" in text
    assert "1 February 2026" in ash.get(url("my_pay") + "?page=2").text


# --- declining ---------------------------------------------------------------------------


def test_declining_asks_first_then_takes_it_back(personas, ash):
    entry = earned(personas.ash, personas.harbor)
    assert f'action="{url("decline_pay", pk=entry.pk)}"' in page(ash)
    before = writes()
    response = ash.post(url("decline_pay", pk=entry.pk))
    assert response.status_code == 200
    assert "Decline this payment?" in response.text
    assert "not given to the program" in response.text
    assert writes() == before
    response = ash.post(url("decline_pay", pk=entry.pk), {"confirm": "on"})
    assert response.status_code == 302
    assert state_of(entry) == PayState.DECLINED
    assert "This amount will not be paid to you" in ash.get(response["Location"]).text


def test_pay_being_paid_offers_no_decline_and_refuses_one(personas, ash):
    entry = approve(earned(personas.ash, personas.harbor), personas.fin)
    batch_of(entry)
    assert url("decline_pay", pk=entry.pk) not in page(ash)
    before = writes()
    response = ash.post(url("decline_pay", pk=entry.pk), {"confirm": "on"}, follow=True)
    assert "can be declined" in response.text
    assert writes() == before


def test_someone_elses_pay_cannot_be_declined(personas, ash):
    theirs = earned(personas.river, personas.harbor)
    other_org = earned(personas.otto, personas.second)
    before = writes()
    assert ash.post(url("decline_pay", pk=theirs.pk), {"confirm": "on"}).status_code == 404
    assert ash.post(url("decline_pay", pk=other_org.pk), {"confirm": "on"}).status_code == 404
    fin = client_for(personas.fin)
    assert fin.post(url("decline_pay", pk=theirs.pk), {"confirm": "on"}).status_code == 404
    assert writes() == before


def test_no_option_to_give_pay_to_the_organization_anywhere(personas, ash):
    offer_methods(personas.harbor)
    entry = earned(personas.ash, personas.harbor)
    held(approve(earned(personas.ash, personas.harbor, "9.00"), personas.fin))
    pages = [
        page(ash),
        page(ash, "my_pay_choices"),
        ash.post(url("decline_pay", pk=entry.pk)).text,
    ]
    for text in pages:
        assert "donat" not in text.lower()
        assert 'value="donate"' not in text


# --- held amounts ------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_held_amount_says_why_and_offers_three_choices(personas):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    hold = held(approve(earned(personas.ash, personas.harbor, "80.00"), personas.fin))
    text = page(ash)
    assert "It would go over your monthly limit" in text
    assert "March 2026" in text
    assert f'action="{url("decide_hold", pk=hold.pk)}"' in text
    for choice in ("later", "take", "decline"):
        assert f'value="{choice}"' in text
    assert '<option value="2026-04">April 2026</option>' in text
    assert '<option value="2027-03">March 2027</option>' in text
    assert "2027-04" not in text


@time_machine.travel(NOW, tick=False)
def test_moving_a_held_amount_to_a_later_month(personas):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    hold = held(approve(earned(personas.ash, personas.harbor), personas.fin))
    response = ash.post(url("decide_hold", pk=hold.pk), {"choice": "later", "month": "2026-06"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.choice, hold.release_from) == (HoldChoice.LATER, datetime.date(2026, 6, 1))
    text = ash.get(response["Location"]).text
    assert "It will be paid from June 2026" in text
    assert "You chose to have it paid from June 2026" in text


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "data",
    [
        {"choice": "later"},
        {"choice": "later", "month": "2026-03"},
        {"choice": "later", "month": "2027-04"},
        {"choice": "later", "month": "June"},
        {"choice": "donate"},
        {},
    ],
)
def test_a_bad_decision_about_held_pay_changes_nothing(personas, data):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    hold = held(approve(earned(personas.ash, personas.harbor), personas.fin))
    before = writes()
    response = ash.post(url("decide_hold", pk=hold.pk), data, follow=True)
    assert response.status_code == 200
    assert "message-error" in response.text
    assert writes() == before


def test_declining_held_pay_asks_first(personas, ash):
    entry = approve(earned(personas.ash, personas.harbor), personas.fin)
    hold = held(entry)
    before = writes()
    response = ash.post(url("decide_hold", pk=hold.pk), {"choice": "decline"})
    assert response.status_code == 200
    assert "Decline this payment?" in response.text
    assert writes() == before
    response = ash.post(url("decide_hold", pk=hold.pk), {"choice": "decline", "confirm": "on"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.choice == HoldChoice.DECLINE
    assert state_of(entry) == PayState.DECLINED


def test_taking_held_pay_anyway(personas, ash):
    entry = approve(earned(personas.ash, personas.harbor), personas.fin)
    hold = held(entry)
    assert ash.post(url("decide_hold", pk=hold.pk), {"choice": "take"}).status_code == 302
    assert state_of(entry) == PayState.APPROVED
    assert "Held back by your limits" not in page(ash)


def test_someone_elses_held_pay_is_not_found(personas, ash):
    theirs = held(approve(earned(personas.river, personas.harbor), personas.fin))
    other_org = held(approve(earned(personas.otto, personas.second), personas.fin))
    before = writes()
    assert ash.post(url("decide_hold", pk=theirs.pk), {"choice": "take"}).status_code == 404
    assert ash.post(url("decide_hold", pk=other_org.pk), {"choice": "take"}).status_code == 404
    assert (
        client_for(personas.otto)
        .post(url("decide_hold", org="second", pk=theirs.pk), {"choice": "take"})
        .status_code
        == 404
    )
    assert writes() == before


# --- My choices about pay ---------------------------------------------------------------


def test_nothing_is_chosen_for_someone_who_has_not_chosen(personas, ash):
    offer_methods(
        personas.harbor,
        PaymentMethod.GIFT_CARD,
        PaymentMethod.PREPAID_CARD,
        PaymentMethod.DIRECT_DEPOSIT,
        PaymentMethod.CHECK,
    )
    text = page(ash, "my_pay_choices")
    assert "checked" not in text
    order = [
        text.index(label)
        for label in ("Direct deposit to a bank account", "Check", "Gift card", "Prepaid card")
    ]
    assert max(order[:2]) < min(order[2:])  # cards last
    assert "No fee" in text
    assert url("my_payment_details") in text
    assert "never depends on these choices" in text
    assert 'name="legal_name"' not in text
    assert 'name="mailing_address"' not in text


def test_only_offered_methods_are_listed(personas, ash):
    offer_methods(personas.harbor, PaymentMethod.CHECK, PaymentMethod.CASH)
    personas.harbor.offered_methods.filter(method=PaymentMethod.CASH).update(offered=False)
    text = page(ash, "my_pay_choices")
    assert 'value="check"' in text
    assert 'value="cash"' not in text


def test_saving_choices(personas, ash):
    offer_methods(personas.harbor)
    response = ash.post(
        url("my_pay_choices"),
        {
            "method": "check",
            "schedule": "chosen_months",
            "months": ["1", "7"],
            "monthly_cap": "250.50",
            "yearly_cap": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("my_pay")
    preference = PaymentPreference.objects.get(user=personas.ash)
    assert (preference.method, preference.months, preference.monthly_cap) == (
        "check",
        [1, 7],
        Decimal("250.50"),
    )
    assert preference.yearly_cap is None
    assert re.search(
        r'<input type="radio" name="method" value="check"[^>]* checked>',
        page(ash, "my_pay_choices"),
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"method": "gift_card"}, "We can&#x27;t pay that way here"),
        ({"method": "bitcoin"}, "We can&#x27;t pay that way here"),
        ({"method": ""}, "Choose how you want to be paid"),
        ({"schedule": ""}, "Choose when you want to be paid"),
        ({"schedule": "chosen_months"}, "Choose at least one month"),
        ({"schedule": "chosen_months", "months": ["13"]}, "Select a valid choice"),
        ({"monthly_cap": "-5"}, "A limit cannot be less than 0"),
        ({"yearly_cap": "-0.01"}, "A limit cannot be less than 0"),
        ({"yearly_cap": "lots"}, "Write an amount as a number"),
        ({"monthly_cap": "1.005"}, "at most two numbers after the point"),
    ],
)
def test_bad_choices_show_an_error_and_save_nothing(personas, ash, data, error):
    offer_methods(personas.harbor)
    before = writes()
    response = ash.post(url("my_pay_choices"), {"method": "check", "schedule": "monthly", **data})
    assert response.status_code == 200
    assert error in response.text
    assert "Nothing was saved yet" in response.text
    assert writes() == before


# --- the statement -----------------------------------------------------------------------


def statement(client: Client, query: str = "") -> tuple[StreamingHttpResponse, list[list[str]]]:
    response = client.get(url("pay_statement") + query)
    assert isinstance(response, StreamingHttpResponse)
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    return response, list(csv.reader(io.StringIO(content)))


@time_machine.travel(NOW, tick=False)
def test_the_statement_is_my_own_entries_for_the_year(personas):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    meeting = MeetingFactory.create(organization=personas.harbor, title="Spring planning")
    earned(personas.ash, personas.harbor, "60.00", meeting=meeting)
    earned(personas.ash, personas.harbor, "11.00", on=datetime.date(2025, 12, 31))
    earned(personas.river, personas.harbor, "99.00")
    response, rows = statement(ash)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="statement-2026.csv"'
    assert "no-store" in response["Cache-Control"]
    assert rows == [
        ["Date", "What for", "Hours", "State", "Amount", "Currency"],
        ["2026-03-10", "Meeting: Spring planning", "1.00", "Earned, not yet paid", "60.00", "USD"],
    ]
    response, rows = statement(ash, "?year=2025")
    assert response["Content-Disposition"] == 'attachment; filename="statement-2025.csv"'
    assert [row[4] for row in rows[1:]] == ["11.00"]


@time_machine.travel(NOW, tick=False)
def test_a_payment_reads_as_the_amount_paid_to_me(personas):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    entry = approve(earned(personas.ash, personas.harbor, "45.00"), personas.fin)
    batch_of(entry, paid_on=datetime.date(2026, 3, 12))
    _response, rows = statement(ash)
    assert rows[1:] == [
        ["2026-03-10", "Meeting", "1.00", "Paid", "45.00", "USD"],
        ["2026-03-12", "Payment: Direct deposit to a bank account", "", "Payment", "45.00", "USD"],
    ]
    assert "USD -45.00" not in page(ash)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("year", ["abc", "", "20261", "1066", "9999", "٢٠٢٥", "2025.0"])
def test_a_year_that_is_not_a_plausible_year_gives_this_years_statement(personas, year):
    ash = client_for(personas.ash)  # signed in at the travelled-to time
    response, _rows = statement(ash, f"?year={year}")
    assert response["Content-Disposition"] == 'attachment; filename="statement-2026.csv"'


@time_machine.travel(datetime.datetime(2027, 1, 1, 0, 5, tzinfo=datetime.UTC), tick=False)
def test_on_new_years_day_the_statement_is_for_the_new_year(personas):
    earned(personas.ash, personas.harbor, on=datetime.date(2026, 12, 31))
    response, rows = statement(client_for(personas.ash))
    assert response["Content-Disposition"] == 'attachment; filename="statement-2027.csv"'
    assert len(rows) == 1


def test_a_title_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(personas, ash):
    meeting = MeetingFactory.create(organization=personas.harbor, title="=HYPERLINK(1)")
    earned(personas.ash, personas.harbor, on=datetime.date.today(), meeting=meeting)
    _response, rows = statement(ash)
    assert rows[1][1] == "Meeting: =HYPERLINK(1)"  # starts with words, not the formula
    # And should a translation put the title first, the cell is still not a formula.
    assert _safe_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe_text("+1") == "'+1"
    assert _safe_text("Meeting") == "Meeting"


# --- query counts ------------------------------------------------------------------------


def bulk_history(person: User, organization, count: int, by: User) -> None:
    """`count` earned entries over two years, written in bulk (INSERT only, as the ledger
    allows): a quarter paid in a batch per month, a quarter approved, some held."""
    meeting = MeetingFactory.create(organization=organization, title="Monthly board meeting")
    start = datetime.date(2025, 1, 1)
    entries = LedgerEntry.objects.bulk_create(
        LedgerEntry(
            organization=organization,
            user=person,
            kind=EntryKind.EARNED,
            source=EntrySource.MEETING,
            reason=EntryReason.ATTENDED,
            amount=Decimal("10.00"),
            currency="USD",
            hours=Decimal("1"),
            work_date=start + datetime.timedelta(days=number % 700),
            meeting=meeting,
        )
        for number in range(count)
    )
    Approval.objects.bulk_create(
        Approval(entry=entry, approved_by=by) for entry in entries[: count // 2]
    )
    by_month: dict[datetime.date, list[LedgerEntry]] = {}
    for entry in entries[: count // 4]:
        by_month.setdefault(entry.work_date.replace(day=1), []).append(entry)
    for month, paid in by_month.items():
        batch = PaymentBatch.objects.create(
            organization=organization,
            method=PaymentMethod.CHECK,
            status=PaymentBatch.Status.PAID,
        )
        BatchItem.objects.bulk_create(BatchItem(batch=batch, entry=entry) for entry in paid)
        LedgerEntry.objects.create(
            organization=organization,
            user=person,
            kind=EntryKind.PAYMENT,
            source=EntrySource.PAYMENT,
            reason=EntryReason.BATCH_PAID,
            amount=-sum(entry.amount for entry in paid),
            currency="USD",
            work_date=month.replace(day=20),
            batch=batch,
        )
    Hold.objects.bulk_create(
        Hold(entry=entry, reason=HoldReason.MONTHLY_CAP, period_start=datetime.date(2026, 3, 1))
        for entry in entries[count // 2 : count // 2 + 3]
    )


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if isinstance(response, StreamingHttpResponse):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(captured)


# MY_PAY_QUERIES = 17, the same for 10 entries as for 10,000: session and user (2); the MFA
# checks (3); the viewer's time zone (1); the organization and the survivor-leader check
# (2); pay settings (1); totals by state (1); paid by month, which also gives the year to
# date (1); the page count and the page of entries, each with its state and what it was for
# in the same query (2); the held amounts with what they were for (1); the preference and
# its method (2); whether the details that method needs were given (1: the check needs a
# legal name and an address; a way that needs nothing asks nothing). Nothing is asked per
# entry, per month or per held amount.
MY_PAY_QUERIES = 17
# The statement: the same checks, then its year's entries in one query, read in chunks.
STATEMENT_QUERIES = 9  # 8 before the view, 1 for the entries


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("count", [10, 10_000])
def test_my_pay_costs_the_same_queries_however_long_the_record(personas, count):
    offer_methods(personas.harbor)
    prefer(personas.ash, personas.harbor, PaymentMethod.CHECK, monthly_cap=Decimal("100"))
    bulk_history(personas.ash, personas.harbor, count, personas.fin)
    client = client_for(personas.ash)
    client.get(url("my_pay"))  # the first request after signing in saves the session
    assert queries_for(client, url("my_pay")) == MY_PAY_QUERIES
    assert queries_for(client, url("my_pay") + "?page=3") == MY_PAY_QUERIES
    assert queries_for(client, url("pay_statement") + "?year=2025") == STATEMENT_QUERIES
