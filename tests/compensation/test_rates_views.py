"""Finance's setup pages: rates (with parity and the work waiting for a rate), pay
settings and the ways the organization pays. Finance only; bad input is shown on the page
with nothing saved."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from compensation.models import (
    LedgerEntry,
    OfferedMethod,
    PaymentMethod,
    PaySettings,
    RateBasis,
    StipendRate,
    UnpricedWork,
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
from tests.support.clients import client_for
from tests.support.urls import url

pytestmark = pytest.mark.django_db

PAGES = ("pay_rates", "pay_settings", "pay_methods")


def page(response) -> str:
    return str(response.content.decode())


def rate_data(**changes: str) -> dict[str, str]:
    data = {
        "basis": RateBasis.HOURLY,
        "amount": "50.00",
        "meeting_role": "",
        "usual_minutes": "",
        "minimum_paid_minutes": "60",
        "late_cancellation_hours": "48",
        "late_cancellation_pay": "planned_length",
        "benchmark_hourly": "60.00",
        "effective_from": "2020-01-01",
        "effective_to": "",
    }
    return data | changes


def written() -> tuple[object, ...]:
    return (
        list(StipendRate.objects.order_by("pk").values()),
        list(PaySettings.objects.order_by("pk").values()),
        list(OfferedMethod.objects.order_by("pk").values()),
        LedgerEntry.objects.count(),
        AuditEvent.objects.count(),
    )


# --- who may see the pages ---------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("fin", 200),
        ("sam", 404),
        ("ada", 404),
        ("ash", 404),
        ("river", 404),
        ("faye", 404),
        ("otto", 404),
    ],
)
def test_only_finance_see_the_setup_pages(personas, name, who, status):
    assert client_for(getattr(personas, who)).get(url(name)).status_code == status


@pytest.mark.parametrize("name", PAGES)
def test_another_organizations_pages_do_not_exist_for_finance(personas, name):
    assert client_for(personas.fin).get(url(name, org="second")).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(personas, client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_cannot_add_a_rate(personas):
    response = client_for(personas.sam).post(url("pay_rates"), rate_data())
    assert response.status_code == 404
    assert not StipendRate.objects.exists()


# --- the rates page ----------------------------------------------------------------------


def test_every_rate_shows_its_parity_and_what_it_means(personas):
    hourly_rate(personas.harbor, "50.00", effective_to=datetime.date(2020, 12, 31))
    hourly_rate(
        personas.harbor,
        "90.00",
        basis=RateBasis.PER_MEETING,
        usual_minutes=90,
        effective_from=datetime.date(2021, 1, 1),
    )
    html = page(client_for(personas.fin).get(url("pay_rates")))
    assert "83% of a consultant" in html  # 50 an hour against 60
    assert "100% of a consultant" in html  # 90 for 90 minutes is 60 an hour
    assert "100% means paid the same as a professional consultant" in html
    assert "USD\u00a050.00 per hour" in html
    assert "USD\u00a090.00 per meeting" in html


def test_no_rates_yet_says_what_to_do(personas):
    html = page(client_for(personas.fin).get(url("pay_rates")))
    assert "There are no rates yet" in html
    assert "No work is waiting for a rate" in html


def test_finance_add_a_rate(personas):
    client = client_for(personas.fin)
    response = client.post(url("pay_rates"), rate_data(meeting_role="chair"))
    assert response.status_code == 302
    rate = StipendRate.objects.get()
    assert (rate.amount, rate.meeting_role, rate.created_by) == (
        Decimal("50.00"),
        "chair",
        personas.fin,
    )
    assert "The rate is added." in page(client.get(url("pay_rates")))


def test_work_waiting_for_a_rate_is_listed_without_names_then_priced(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ashley")
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    attend(meeting, personas.ash, by=personas.sam, hours="2")
    attend(meeting, personas.river, by=personas.sam, hours="1.5")
    client = client_for(personas.fin)
    html = page(client.get(url("pay_rates")))
    assert "2 pieces of work (3.50 hours)" in html
    assert "Meeting" in html
    assert "Ashley" not in html
    assert "ash@example.test" not in html
    response = client.post(url("pay_rates"), rate_data(), follow=True)
    assert "2 pieces of work that were waiting for a rate now count as earned pay" in page(response)
    assert LedgerEntry.objects.count() == 2
    assert "No work is waiting for a rate" in page(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "The amount must be more than 0."),
        ({"amount": "0"}, "The amount must be more than 0."),
        ({"amount": "fifty"}, "Type the amount as a number"),
        ({"amount": "50.123"}, "at most two digits after the point"),
        ({"benchmark_hourly": "0"}, "The consultant rate must be more than 0."),
        ({"basis": RateBasis.PER_MEETING}, "say how long a meeting usually is"),
        ({"effective_to": "2019-12-31"}, "The last day cannot be before the first day."),
        ({"effective_from": ""}, "Choose the first day."),
        ({"effective_from": "yesterday"}, "Type the date like 2026-05-31."),
        ({"meeting_role": "boss"}, "Select a valid choice"),
    ],
)
def test_bad_rates_are_refused_on_the_page(personas, changes, message):
    client = client_for(personas.fin)
    before = written()
    response = client.post(url("pay_rates"), rate_data(**changes))
    assert response.status_code == 200
    html = page(response)
    assert message in html
    assert "Nothing was saved yet." in html
    assert written() == before


def test_an_overlapping_rate_is_refused_on_the_page(personas):
    hourly_rate(personas.harbor, effective_from=datetime.date(2020, 1, 1))
    before = written()
    response = client_for(personas.fin).post(
        url("pay_rates"), rate_data(effective_from="2024-01-01", amount="70")
    )
    assert response.status_code == 200
    assert "Another rate for the same meeting role already covers some of these days" in page(
        response
    )
    assert written() == before


# --- ending a rate -----------------------------------------------------------------------


def test_finance_end_a_rate(personas):
    rate = hourly_rate(personas.harbor)
    client = client_for(personas.fin)
    response = client.post(url("end_pay_rate", pk=rate.pk), {"until": "2024-12-31"})
    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.effective_to == datetime.date(2024, 12, 31)


def test_ending_before_work_it_paid_for_is_refused_on_the_page(personas):
    rate = hourly_rate(personas.harbor)
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam)
    worked = LedgerEntry.objects.get().work_date
    before = written()
    response = client_for(personas.fin).post(
        url("end_pay_rate", pk=rate.pk),
        {"until": (worked - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    html = page(response)
    assert "The rate was not ended." in html
    assert "was worked out with this rate" in html
    assert written() == before


@pytest.mark.parametrize("until", ["", "soon"])
def test_ending_without_a_date_is_refused_on_the_page(personas, until):
    rate = hourly_rate(personas.harbor)
    response = client_for(personas.fin).post(url("end_pay_rate", pk=rate.pk), {"until": until})
    assert response.status_code == 200
    assert "The rate was not ended." in page(response)
    rate.refresh_from_db()
    assert rate.effective_to is None


def test_another_organizations_rate_cannot_be_ended(personas):
    theirs = hourly_rate(personas.second)
    client = client_for(personas.fin)
    for org in ("harbor", "second"):
        response = client.post(url("end_pay_rate", org=org, pk=theirs.pk), {"until": "2024-12-31"})
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.effective_to is None


def test_staff_cannot_end_a_rate(personas):
    rate = hourly_rate(personas.harbor)
    response = client_for(personas.sam).post(
        url("end_pay_rate", pk=rate.pk), {"until": "2024-12-31"}
    )
    assert response.status_code == 404


def test_ending_is_a_post_only(personas):
    rate = hourly_rate(personas.harbor)
    assert client_for(personas.fin).get(url("end_pay_rate", pk=rate.pk)).status_code == 405


# --- query count -------------------------------------------------------------------------

# RATES_PAGE_QUERIES = 11, the same for 5 rates as for 50: session and user (2); the MFA
# check (1); the viewer's time zone (1); the organization (1) and the finance role check
# (1); the pay settings, for the currency (1); the count of rates for the pages (1) and this
# page's rates, each with the last day it paid for, in one grouped query (1); the work
# waiting for a rate: its totals (1) and its lines by day (1). Parity comes from each rate's
# own columns: no query.
RATES_PAGE_QUERIES = 11


def add_rates(organization, count: int, start: int) -> None:
    for number in range(start, start + count):
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=number * 10)
        hourly_rate(
            organization,
            effective_from=day,
            effective_to=day + datetime.timedelta(days=9),
        )


def test_the_rates_page_costs_the_same_queries_for_5_or_50_rates(
    personas, django_assert_num_queries
):
    UnpricedWork.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        source="claim",
        work_date=datetime.date(1999, 1, 1),
        hours=Decimal("1"),
    )
    client = client_for(personas.fin)
    client.get(url("pay_rates"))  # warm up: the session and sign-in checks settle
    add_rates(personas.harbor, 5, 0)
    with django_assert_num_queries(RATES_PAGE_QUERIES):
        assert client.get(url("pay_rates")).status_code == 200
    add_rates(personas.harbor, 45, 5)
    with django_assert_num_queries(RATES_PAGE_QUERIES):
        response = client.get(url("pay_rates"))
    assert response.status_code == 200
    assert page(response).count("of a consultant") == 25  # one page
    assert "Page 1 of 2" in page(response)


# --- pay settings ------------------------------------------------------------------------


def settings_data(**changes: str) -> dict[str, str]:
    data = {
        "currency": "usd",
        "payer_name": "Member services",
        "payment_memo": "Services",
        "benefits_help_url": "https://benefits.example.org/",
        "tax_help_url": "",
        "tax_threshold": "2000",
    }
    return data | changes


def test_the_settings_page_shows_the_defaults_without_saving_them(personas):
    html = page(client_for(personas.fin).get(url("pay_settings")))
    assert 'value="USD"' in html
    assert 'value="2000.00"' in html
    assert "bank statements, on envelopes and on tax forms" in html
    assert "should not say what the program is about" in html
    assert not PaySettings.objects.exists()


def test_the_first_save_creates_the_settings(personas):
    response = client_for(personas.fin).post(
        url("pay_settings"), settings_data(currency="eur", tax_threshold="1500.50")
    )
    assert response.status_code == 302
    settings = PaySettings.objects.get(organization=personas.harbor)
    assert (settings.currency, settings.tax_threshold) == ("EUR", Decimal("1500.50"))


def test_saving_again_changes_the_same_settings(personas):
    existing = pay_settings(personas.harbor, payer_name="Old name")
    client_for(personas.fin).post(url("pay_settings"), settings_data(payer_name="Services Co"))
    existing.refresh_from_db()
    assert existing.payer_name == "Services Co"
    assert PaySettings.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"currency": "US"}, "three letters, like USD or EUR"),
        ({"currency": "12$"}, "three letters, like USD or EUR"),
        ({"tax_threshold": "-1"}, "The threshold cannot be less than 0."),
        ({"tax_threshold": "lots"}, "Type the amount as a number"),
        ({"payer_name": ""}, "Give a payer name"),
        ({"benefits_help_url": "not a link"}, "Type a web address"),
    ],
)
def test_bad_settings_are_refused_on_the_page(personas, changes, message):
    before = written()
    response = client_for(personas.fin).post(url("pay_settings"), settings_data(**changes))
    assert response.status_code == 200
    assert message in page(response)
    assert written() == before


# --- ways we pay -------------------------------------------------------------------------


def methods_data(**offered: bool) -> dict[str, str]:
    data = {}
    for method in PaymentMethod.values:
        if offered.get(method):
            data[f"{method}_offered"] = "on"
        for name in ("fees", "on_statements", "on_envelopes", "on_tax_forms"):
            data[f"{method}_{name}"] = "Nothing" if offered.get(method) else ""
    return data


def test_the_methods_page_lists_every_method_and_the_gift_card_note(personas):
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    prefer(personas.ash, personas.harbor, PaymentMethod.CHECK)
    html = page(client_for(personas.fin).get(url("pay_methods")))
    for _method, label in PaymentMethod.choices:
        assert str(label) in html
    assert "Gift cards and prepaid cards are never the default" in html
    assert "Chosen by 1 person." in html
    assert 'name="check_offered" id="id_check_offered" checked' in html


def test_finance_save_the_methods_in_one_go(personas):
    response = client_for(personas.fin).post(
        url("pay_methods"), methods_data(direct_deposit=True, cash=True)
    )
    assert response.status_code == 302
    assert set(OfferedMethod.objects.filter(offered=True).values_list("method", flat=True)) == {
        "direct_deposit",
        "cash",
    }


def test_an_offered_method_without_its_wording_is_refused_on_the_page(personas):
    data = methods_data(direct_deposit=True) | {"check_offered": "on"}
    before = written()
    response = client_for(personas.fin).post(url("pay_methods"), data)
    assert response.status_code == 200
    html = page(response)
    assert "People choosing this method need to know this." in html
    assert "Nothing was saved yet." in html
    assert written() == before


def test_a_refused_end_on_a_later_page_shows_next_to_its_rate(personas):
    add_rates(personas.harbor, 30, 0)
    oldest = StipendRate.objects.order_by("effective_from")[0]
    StipendRate.objects.filter(pk=oldest.pk).update(effective_to=None)
    client = client_for(personas.fin)
    end_url = url("end_pay_rate", pk=oldest.pk) + "?page=2"
    assert f'action="{end_url}"' in page(client.get(url("pay_rates") + "?page=2"))
    response = client.post(end_url, {"until": "1990-01-01"})
    assert response.status_code == 200
    assert "The last day cannot be before the rate starts" in page(response)
