"""Who sees what about missing payment details. Finance see, before making a batch, who
would be left out and what is missing — chosen names and the names of details, never a
value. The survivor reads on My pay what to add, with a link to their payment details and
the promise that their pay is kept; nobody else sees that. Query counts stay pinned."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.services.data_rights import erase_account
from accounts.services.profile import update_payment_details
from compensation.models import FinalPayout, PaymentMethod, Schedule
from tests.compensation.factories import offer_methods, prefer
from tests.factories import MembershipFactory, UserFactory
from tests.support.clients import client_for
from tests.support.pay import DASHBOARD_QUERIES, approved, earned
from tests.support.payment_files import ADDRESS, LEGAL, member, owed_by
from tests.support.urls import url

pytestmark = pytest.mark.django_db

DEPOSIT = PaymentMethod.DIRECT_DEPOSIT
RIVER_LEGAL = "Rivera Stonebridge"
RIVER_ADDRESS = "PO Box 9, Springfield"
# Words that put the gap on the person. Nothing on these pages may say them.
BLAMING = ("forgot", "failed", "fault", "error", "wrong", "invalid", "must ")


def waiting_section(page: str) -> str:
    """The dashboard's list of people left out until they add a detail."""
    start = page.index('id="waiting-for-details"')
    return page[start : page.index("</table>", start)]


def row_of(section: str, name: str) -> str:
    match = re.search(
        rf"<tr role=\"row\">\s*<th[^>]*>{re.escape(name)}</th>(.*?)</tr>", section, re.S
    )
    assert match, f"no row for {name}"
    return match.group(1)


@pytest.fixture
def harbor_pays(personas):
    offer_methods(personas.harbor, DEPOSIT, PaymentMethod.CHECK)
    return personas.harbor


# --- finance, before making a batch --------------------------------------------------------


def test_finance_see_who_lacks_what_by_chosen_name_and_never_a_value(personas, harbor_pays):
    ash = member(personas, "ash", ("", ADDRESS))  # direct deposit needs a legal name
    owed_by(personas, ash, DEPOSIT)
    river = member(personas, "river", (RIVER_LEGAL, ""))  # a check needs an address too
    owed_by(personas, river, PaymentMethod.CHECK)
    sky = member(personas, "sky", (LEGAL, ADDRESS))  # has all a check needs
    owed_by(personas, sky, PaymentMethod.CHECK)
    nobody = member(personas, "no_profile", None)
    owed_by(personas, nobody, PaymentMethod.CHECK)

    page = client_for(personas.fin).get(url("finance_dashboard")).text

    assert "3 people have approved pay that cannot go in a batch yet" in page
    section = waiting_section(page)
    assert "Direct deposit to a bank account" in row_of(section, "Ash")
    assert "legal name" in row_of(section, "Ash")
    assert "safe mailing address" not in row_of(section, "Ash")
    assert "safe mailing address" in row_of(section, "River")
    assert "legal name" not in row_of(section, "River")
    assert "legal name and safe mailing address" in row_of(
        section, "A board member without a name yet"
    )
    assert "Sky" not in section
    for value in (ADDRESS, RIVER_LEGAL, LEGAL, "Springfield"):
        assert value not in page


def test_pay_not_approved_yet_is_not_listed(personas, harbor_pays):
    ash = member(personas, "ash", None)
    prefer(ash, personas.harbor, DEPOSIT)
    earned(ash, personas.harbor)
    page = client_for(personas.fin).get(url("finance_dashboard")).text
    assert 'id="waiting-for-details"' not in page


def test_a_deleted_account_is_listed_without_a_name(personas, harbor_pays):
    gone = member(personas, "gone", ("", ADDRESS))
    owed_by(personas, gone, DEPOSIT)
    erase_account(user=gone, keep_input_anonymous=False)
    section = waiting_section(client_for(personas.fin).get(url("finance_dashboard")).text)
    assert "legal name" in row_of(section, "Someone who deleted their account")


@pytest.mark.parametrize(
    ("also_offered", "listed"),
    [((), True), ((PaymentMethod.CASH,), False)],
    ids=["every-way-needs-a-name", "cash-needs-nothing"],
)
def test_a_deleted_account_with_no_way_kept_is_listed_only_if_no_batch_could_take_it(
    personas, harbor_pays, also_offered, listed
):
    """Its last payment goes with any batch; it waits only if every way offered needs
    something that was not kept."""
    for method in also_offered:
        offer_methods(personas.harbor, method)
    gone = member(personas, "gone", ("", ""))
    approved(gone, personas.harbor)  # never chose a way to be paid
    erase_account(user=gone, keep_input_anonymous=False)
    assert FinalPayout.objects.get(user=gone).method == ""
    page = client_for(personas.fin).get(url("finance_dashboard")).text
    assert ('id="waiting-for-details"' in page) is listed
    if listed:
        row = row_of(waiting_section(page), "Someone who deleted their account")
        assert "Any way you pay" in row


def test_making_the_batch_says_who_was_left_out_and_that_they_were_told(personas, harbor_pays):
    ash = member(personas, "ash", ("", ADDRESS))
    owed_by(personas, ash, DEPOSIT)
    river = member(personas, "river", (RIVER_LEGAL, ""))
    owed_by(personas, river, DEPOSIT)
    fin = client_for(personas.fin)

    page = fin.post(url("create_batch"), {"method": DEPOSIT}, follow=True).text

    assert "Batch made: it pays 1 person." in page
    assert "1 person was left out: their way to be paid needs a detail" in page
    assert "They have been told what to add. Their pay is kept for them" in page
    assert RIVER_LEGAL not in page


def test_when_everyone_is_left_out_no_batch_is_made_and_finance_are_told_why(personas, harbor_pays):
    ash = member(personas, "ash", ("", ADDRESS))
    owed_by(personas, ash, DEPOSIT)
    page = client_for(personas.fin).post(url("create_batch"), {"method": DEPOSIT}, follow=True)
    assert page.redirect_chain[-1][0] == url("finance_dashboard")
    assert "No batch was made: nothing is left to pay right now." in page.text
    assert "1 person was left out" in page.text


# --- the survivor ---------------------------------------------------------------------------


def test_my_pay_says_what_to_add_links_to_it_and_keeps_the_pay(personas, harbor_pays):
    ash = member(personas, "ash", ("", ADDRESS))
    owed_by(personas, ash, PaymentMethod.CHECK)
    update_payment_details(
        user=ash, organization=personas.harbor, legal_name="", phone="", mailing_address=""
    )

    page = client_for(ash).get(url("my_pay")).text

    assert "What we need to pay you" in page
    assert (
        "You chose to be paid by: Check. For this, the payment needs your legal name "
        "and safe mailing address." in page
    )
    assert "Your pay is kept for you. It is paid in the next payment after you add it." in page
    details = url("my_payment_details")
    assert f'<a href="{details}">Add your legal name and safe mailing address</a>' in page
    assert f'href="{url("my_pay_choices")}"' in page
    notice = page[page.index("What we need to pay you") : page.index("</section>")]
    for word in BLAMING:
        assert word not in notice.lower()


def test_my_pay_says_nothing_once_the_detail_is_there_or_the_way_needs_none(personas, harbor_pays):
    offer_methods(personas.harbor, PaymentMethod.CASH)
    ash = member(personas, "ash", (LEGAL, ""))
    owed_by(personas, ash, DEPOSIT)
    client = client_for(ash)
    assert "What we need to pay you" not in client.get(url("my_pay")).text
    update_payment_details(
        user=ash, organization=personas.harbor, legal_name="", phone="", mailing_address=""
    )
    assert "What we need to pay you" in client.get(url("my_pay")).text
    prefer(ash, personas.harbor, PaymentMethod.CASH, schedule=Schedule.PER_MEETING)
    assert "What we need to pay you" not in client.get(url("my_pay")).text


def test_only_the_person_reads_what_they_need_to_add(personas, harbor_pays):
    ash = member(personas, "ash", ("", ADDRESS))
    owed_by(personas, ash, DEPOSIT)
    river = member(personas, "river", (RIVER_LEGAL, RIVER_ADDRESS))
    owed_by(personas, river, DEPOSIT)
    assert "What we need to pay you" not in client_for(river).get(url("my_pay")).text
    for who in (personas.sam, personas.ada, personas.fin):
        response = client_for(who).get(url("my_pay"))
        assert response.status_code == 404


def test_the_choices_page_says_what_each_way_needs(personas, harbor_pays):
    offer_methods(personas.harbor, PaymentMethod.CASH)
    ash = member(personas, "ash", None)
    page = client_for(ash).get(url("my_pay_choices")).text
    labels = re.findall(r"<label for=\"id_method_\d\">(.*?)</label>", page, re.S)
    by_way = {label.split("<span")[0].split(">")[-1].strip(): label for label in labels}
    assert "Needs from your payment details: legal name, safe mailing address" in by_way["Check"]
    assert (
        "Needs from your payment details: legal name<" in by_way["Direct deposit to a bank account"]
    )
    assert "Needs from your payment details" not in by_way["Cash"]


# --- query counts --------------------------------------------------------------------------


def _dashboard_queries(personas, missing: int) -> int:
    for number in range(missing):
        person = UserFactory.create(email=f"waiting{number}@example.test")
        MembershipFactory.create(
            user=person, organization=personas.harbor, role=Role.SURVIVOR_LEADER
        )
        owed_by(personas, person, PaymentMethod.CHECK)
    fin = client_for(personas.fin)
    with CaptureQueriesContext(connection) as queries:
        page = fin.get(url("finance_dashboard")).text
    assert page.count('<tr role="row">') == min(missing, 50) + 1  # the rows and the header
    return len(queries)


# The dashboard's pinned count (DASHBOARD_QUERIES, where every query is explained) less
# one: with no batch made yet, the page of batches is not asked for. The people waiting
# for a detail come in one query, however many they are.
WAITING_DASHBOARD_QUERIES = DASHBOARD_QUERIES - 1


@pytest.mark.parametrize("missing", [1, 60])
def test_the_dashboard_asks_the_same_queries_however_many_lack_a_detail(
    personas, harbor_pays, missing
):
    assert _dashboard_queries(personas, missing) == WAITING_DASHBOARD_QUERIES
