"""Leadership opportunities, the pages: the interest list is for the organization's staff
only and in the order interest came; a survivor sees only their own interest and offers;
the person's terms appear wherever staff see the booking; offers are answered without a
reason; completed work shows in My pay once; bad input saves nothing; the story notice is
on every opportunity page; lists paginate with flat query counts."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from compensation.models import LedgerEntry
from opportunities.models import InterestStatus, Opportunity, OpportunityInterest
from opportunities.selectors.opportunities import (
    BOOKINGS_PER_PAGE,
    OPPORTUNITIES_PER_PAGE,
    PEOPLE_PER_PAGE,
)
from opportunities.services import opportunities as service
from opportunities.services.opportunities import PublicTerms
from tests.compensation.factories import hourly_rate
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory
from tests.meetings.factories import board_member
from tests.support.advisory import booked, offered, posted
from tests.support.clients import client_for
from tests.support.urls import page, url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOT_EXPECTED = "Sharing your personal story is not expected."
YOUR_CHOICE = "How much you share is always your choice"


def survivor(name: str, *, expertise: list[str] | None = None, org: Any = None) -> Any:
    user = UserFactory.create()
    MembershipFactory.create(user=user, organization=org, role=Role.SURVIVOR_LEADER)
    SurvivorProfileFactory.create(user=user, chosen_name=name, expertise=expertise or [])
    return user


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Speak at the spring training",
        "kind": "speaking",
        "area": "training",
        "involves": "A short talk about how the board works.",
        "time_needed": "One morning",
        "hours": "3",
        "pay_basis": "hourly",
        "fixed_amount": "",
        "starts_on": TODAY.isoformat(),
        "ends_on": "",
        "how_chosen": "In the order people say they are interested.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- posting -------------------------------------------------------------------------------


def test_a_co_chair_posts_an_opportunity(personas):
    board_member(personas.ash, personas.harbor, co_chair=True)
    client = client_for(personas.ash)
    assert "Post an opportunity" in page(client, url("new_opportunity"))
    response = client.post(url("new_opportunity"), form_data())
    assert response.status_code == 302
    assert response["Location"] == url("manage_opportunities")
    opportunity = Opportunity.objects.get()
    assert opportunity.created_by == personas.ash
    listed = page(client, url("manage_opportunities"))
    assert opportunity.title in listed
    assert "people interested" not in listed  # co-chairs get no counts


def test_a_survivor_who_is_not_a_co_chair_cannot_post(personas):
    board_member(personas.ash, personas.harbor)
    client = client_for(personas.ash)
    assert client.get(url("new_opportunity")).status_code == 404
    assert client.post(url("new_opportunity"), form_data()).status_code == 404
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Give the opportunity a title."),
        ({"hours": "1.1"}, "Hours go in quarter hours"),
        ({"pay_basis": "fixed"}, "Give the fixed amount."),
        ({"ends_on": (TODAY - datetime.timedelta(days=2)).isoformat()}, "cannot be before"),
        ({"how_chosen": ""}, "Say how people are chosen"),
        ({"starts_on": "soon"}, "Give the day as a date"),
    ],
)
def test_bad_input_shows_clear_errors_and_saves_nothing(personas, change, message):
    client = client_for(personas.sam)
    response = client.post(url("new_opportunity"), form_data(**change))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved yet." in content
    assert message in content
    assert not Opportunity.objects.exists()


def test_checking_the_pay_shows_parity_and_saves_nothing(personas):
    hourly_rate(personas.harbor, "50.00")  # benchmark 60.00
    client = client_for(personas.sam)
    content = page(client, url("new_opportunity"))
    response = client.post(
        url("new_opportunity"),
        form_data(pay_basis="fixed", fixed_amount="60", hours="3", check_pay="1"),
    )
    content = response.content.decode()
    assert "USD\xa020.00 an hour: 33% of what professionals are paid" in content
    assert "Below parity" in content
    assert not Opportunity.objects.exists()
    hourly = client.post(url("new_opportunity"), form_data(check_pay="1")).content.decode()
    assert "USD\xa0150.00 for 3 hours" in hourly
    assert "83%" in hourly


def test_a_co_chair_is_told_plainly_that_staff_look_after_offered_work(personas):
    board_member(personas.river, personas.harbor, co_chair=True)
    interest = offered(personas)
    client = client_for(personas.river)
    response = client.post(
        url("edit_opportunity", pk=interest.opportunity_id), form_data(title="New title")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Staff look after work that has been offered to someone." in content
    assert "said yes" not in content
    ended = client.post(
        url("end_opportunity", pk=interest.opportunity_id), {"action": "cancel"}, follow=True
    )
    assert "Staff look after work that has been offered to someone." in ended.content.decode()
    interest.opportunity.refresh_from_db()
    assert interest.opportunity.status == "open"


@pytest.mark.parametrize("who", ["co_chair", "sam"])
def test_pay_below_parity_is_posted_only_after_a_second_press(personas, who):
    hourly_rate(personas.harbor, "50.00")  # benchmark 60.00: 83%
    if who == "co_chair":
        board_member(personas.ash, personas.harbor, co_chair=True)
        client = client_for(personas.ash)
    else:
        client = client_for(personas.sam)
    first = client.post(url("new_opportunity"), form_data())
    assert first.status_code == 200
    content = first.content.decode()
    assert "Below parity" in content
    assert "press the button again" in content
    assert not Opportunity.objects.exists()
    # Seen for other pay does not count: the warning is for these hours.
    seen = first.context["pay_key"]
    again = client.post(url("new_opportunity"), form_data(hours="4", pay_seen=seen))
    assert again.status_code == 200
    assert not Opportunity.objects.exists()
    second = client.post(url("new_opportunity"), form_data(pay_seen=seen))
    assert second.status_code == 302
    assert Opportunity.objects.count() == 1


def test_checking_below_parity_pay_first_counts_as_seeing_the_warning(personas):
    hourly_rate(personas.harbor, "50.00")
    client = client_for(personas.sam)
    checked = client.post(url("new_opportunity"), form_data(check_pay="1"))
    assert "Below parity" in checked.content.decode()
    seen = checked.context["pay_key"]
    assert f'name="pay_seen" value="{seen}"' in checked.content.decode()
    assert client.post(url("new_opportunity"), form_data(pay_seen=seen)).status_code == 302


def test_pay_at_parity_posts_with_one_press(personas):
    hourly_rate(personas.harbor, "60.00")  # at the benchmark
    client = client_for(personas.sam)
    assert client.post(url("new_opportunity"), form_data()).status_code == 302


def test_staff_post_and_land_on_the_opportunity(personas):
    client = client_for(personas.sam)
    response = client.post(url("new_opportunity"), form_data(personal_sharing="on"))
    opportunity = Opportunity.objects.get()
    assert response["Location"] == url("staff_opportunity", pk=opportunity.pk)
    assert opportunity.story_expected


# --- the story notice -----------------------------------------------------------------------


def test_every_opportunity_page_says_a_story_is_not_expected(personas):
    opportunity = posted(personas)
    content = page(client_for(personas.ash), url("opportunity", pk=opportunity.pk))
    assert NOT_EXPECTED in content
    assert NOT_EXPECTED in page(
        client_for(personas.sam), url("staff_opportunity", pk=opportunity.pk)
    )
    assert NOT_EXPECTED in page(client_for(personas.ash), url("opportunities"))


def test_when_a_story_is_asked_for_the_page_says_it_is_the_persons_choice(personas):
    opportunity = posted(personas, story_expected=True)
    content = page(client_for(personas.ash), url("opportunity", pk=opportunity.pk))
    assert YOUR_CHOICE in content
    assert "This work asks people to share their own story." in content


def test_editing_work_that_asks_for_personal_sharing_keeps_the_box_ticked(personas):
    opportunity = posted(personas, story_expected=True)
    content = page(client_for(personas.sam), url("edit_opportunity", pk=opportunity.pk))
    assert re.search(r'name="personal_sharing"[^>]*checked', content)


# --- survivors: open work, their own interest and offers ----------------------------------------


def test_matching_expertise_comes_first_then_by_date(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash", expertise=["budget"])
    posted(personas, title="Early, other topic", area="training")
    posted(
        personas,
        title="Later, my topic",
        area="budget",
        starts_on=TODAY + datetime.timedelta(days=9),
    )
    content = page(client_for(personas.ash), url("opportunities"))
    assert content.index("Later, my topic") < content.index("Early, other topic")
    assert "On a topic you chose" in content


def test_only_what_a_person_gave_this_organization_orders_and_names_them(personas):
    """Otto chose budgets and a name at Second, and has given Harbor nothing yet: Harbor's
    list is not reordered by Second's topics, and Harbor's staff see no name."""
    MembershipFactory.create(user=personas.otto, organization=personas.harbor)
    SurvivorProfileFactory.create(
        user=personas.otto,
        organization=personas.second,
        chosen_name="Otto of Second",
        expertise=["budget"],
    )
    posted(personas, title="Early, other topic", area="training")
    later = posted(
        personas, title="Later, budgets", area="budget", starts_on=TODAY + datetime.timedelta(9)
    )
    otto = client_for(personas.otto)
    content = page(otto, url("opportunities"))
    assert content.index("Early, other topic") < content.index("Later, budgets")
    assert "On a topic you chose" not in content
    otto.post(url("opportunity_interest", pk=later.pk))
    staff = page(client_for(personas.sam), url("staff_opportunity", pk=later.pk))
    assert "A board member without a name yet" in staff
    assert "Otto of Second" not in staff


def test_closed_opportunities_are_not_listed(personas):
    opportunity = posted(personas, title="Gone now")
    service.end_opportunity(opportunity=opportunity, by=personas.sam, cancel=False)
    client = client_for(personas.ash)
    assert "Gone now" not in page(client, url("opportunities"))
    assert client.get(url("opportunity", pk=opportunity.pk)).status_code == 404


def test_interest_is_expressed_and_taken_back_on_the_page(personas):
    opportunity = posted(personas)
    client = client_for(personas.ash)
    client.post(url("opportunity_interest", pk=opportunity.pk))
    interest = OpportunityInterest.objects.get(user=personas.ash)
    assert interest.status == InterestStatus.INTERESTED
    assert "Take back my interest" in page(client, url("opportunity", pk=opportunity.pk))
    client.post(url("withdraw_opportunity_interest", pk=opportunity.pk))
    interest.refresh_from_db()
    assert interest.status == InterestStatus.WITHDRAWN


def test_a_survivor_sees_only_their_own_interest_and_offers(personas):
    mine = offered(personas, title="Mine to answer")
    theirs = offered(personas, person=personas.river, title="The other offer")
    client = client_for(personas.ash)
    content = page(client, url("my_opportunities"))
    assert "Mine to answer" in content
    assert "The other offer" not in content
    assert client.get(url("answer_opportunity_offer", pk=theirs.opportunity_id)).status_code == 404
    assert (
        client.post(
            url("answer_opportunity_offer", pk=theirs.opportunity_id), {"answer": "no"}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == InterestStatus.OFFERED
    assert page(client, url("answer_opportunity_offer", pk=mine.opportunity_id))
    # Nobody's interest is shown on the survivor's page of the opportunity.
    SurvivorProfileFactory.create(user=personas.river, chosen_name="Riverside")
    detail = page(client, url("opportunity", pk=theirs.opportunity_id))
    assert "Riverside" not in detail


def test_declining_needs_no_reason(personas):
    interest = offered(personas)
    client = client_for(personas.ash)
    content = page(client, url("answer_opportunity_offer", pk=interest.opportunity_id))
    assert "You do not need to give a reason" in content
    assert "<textarea" not in content
    response = client.post(
        url("answer_opportunity_offer", pk=interest.opportunity_id), {"answer": "no"}
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == InterestStatus.DECLINED


def test_accepting_non_public_work_needs_no_reason_and_no_terms(personas):
    interest = offered(personas)
    client = client_for(personas.ash)
    client.post(url("answer_opportunity_offer", pk=interest.opportunity_id), {"answer": "yes"})
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED


def test_public_facing_work_cannot_be_accepted_without_the_terms_form(personas):
    interest = offered(personas, public_facing=True)
    client = client_for(personas.ash)
    content = page(client, url("answer_opportunity_offer", pk=interest.opportunity_id))
    assert "Your terms for public-facing work" in content
    assert 'name="terms_shown"' in content
    # An answer that did not come from the page with the terms is not an acceptance.
    response = client.post(
        url("answer_opportunity_offer", pk=interest.opportunity_id), {"answer": "yes"}
    )
    assert response.status_code == 200
    assert (
        "Choose your terms for public-facing work before you say yes." in response.content.decode()
    )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.OFFERED
    client.post(
        url("answer_opportunity_offer", pk=interest.opportunity_id),
        {"answer": "yes", "terms_shown": "1", "first_name_only": "on", "no_photos": "on"},
    )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED
    assert interest.first_name_only
    assert interest.no_photos
    assert interest.terms_set_at is not None


def test_a_person_steps_back_from_booked_work_with_one_press_and_no_reason(personas):
    interest = booked(personas)
    client = client_for(personas.ash)
    content = page(client, url("opportunity", pk=interest.opportunity_id))
    assert "I can&#x27;t do this any more" in content or "I can't do this any more" in content
    assert "<textarea" not in content
    response = client.post(url("step_back_from_opportunity", pk=interest.opportunity_id))
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == InterestStatus.DECLINED
    after = page(client, url("opportunity", pk=interest.opportunity_id))
    assert "Staff have been told" in after
    assert "do this any more</button>" not in after


# --- staff: the interest list ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ash", "river", "fin", "faye", "otto"])
def test_the_interest_list_is_for_the_organizations_staff_only(personas, who):
    interest = offered(personas)
    client = client_for(getattr(personas, who))
    assert client.get(url("staff_opportunity", pk=interest.opportunity_id)).status_code == 404
    assert client.get(url("opportunity_bookings")).status_code == 404


def test_staff_of_another_organization_get_404(personas):
    interest = offered(personas)
    elsewhere = UserFactory.create()
    MembershipFactory.create(user=elsewhere, organization=personas.second, role=Role.STAFF)
    client = client_for(elsewhere)
    assert client.get(url("staff_opportunity", pk=interest.opportunity_id)).status_code == 404
    assert (
        client.get(url("staff_opportunity", org="second", pk=interest.opportunity_id)).status_code
        == 404
    )


def test_interest_is_listed_in_the_order_it_came_whatever_the_people(personas):
    opportunity = posted(personas, area="budget")
    # Names, expertise and join dates that any sort would put in another order.
    arrivals = [
        survivor("Zara", expertise=[], org=personas.harbor),
        survivor("Abel", expertise=["budget"], org=personas.harbor),
        survivor("Mia", expertise=["budget", "policy"], org=personas.harbor),
    ]
    start = timezone.now()
    for minutes, person in enumerate(arrivals):
        interest = service.express_interest(opportunity=opportunity, person=person)
        OpportunityInterest.objects.filter(pk=interest.pk).update(
            created_at=start + datetime.timedelta(minutes=minutes)
        )
    content = page(client_for(personas.sam), url("staff_opportunity", pk=opportunity.pk))
    positions = [content.index(name) for name in ("Zara", "Abel", "Mia")]
    assert positions == sorted(positions)
    assert "On a topic" not in content  # what suits the person is never shown to staff


def test_the_interest_list_is_not_an_ordered_list(personas):
    # An ordered list is announced as "1 of 3" by screen readers: it reads like a ranking.
    interest = service.express_interest(opportunity=posted(personas), person=personas.ash)
    content = page(client_for(personas.sam), url("staff_opportunity", pk=interest.opportunity_id))
    assert "<ol" not in content
    assert '<ul class="card-list">' in content


def test_staff_offer_the_work_and_the_person_is_told(personas):
    opportunity = posted(personas)
    interest = service.express_interest(opportunity=opportunity, person=personas.ash)
    client = client_for(personas.sam)
    client.post(url("offer_opportunity", pk=opportunity.pk, interest=interest.pk))
    interest.refresh_from_db()
    assert interest.status == InterestStatus.OFFERED
    from accounts.models import OutboxMessage

    assert OutboxMessage.objects.filter(recipient=personas.ash, kind="opportunity_offer").exists()


# --- terms travel with the booking ------------------------------------------------------------


def test_the_persons_terms_appear_wherever_staff_see_the_booking(personas):
    hourly_rate(personas.harbor)
    interest = offered(personas, public_facing=True)
    service.answer_offer(
        interest=interest,
        person=personas.ash,
        accept=True,
        terms=PublicTerms(no_photos=True, first_name_only=True, different_name="Sky"),
    )
    client = client_for(personas.sam)
    pages = [
        url("staff_opportunity", pk=interest.opportunity_id),
        url("opportunity_bookings"),
        url("complete_opportunity_booking", pk=interest.opportunity_id, interest=interest.pk),
    ]
    for address in pages:
        content = page(client, address)
        assert "No photos" in content, address
        assert "First name only" in content, address
        assert "Use this name: Sky" in content, address
    # The person changes them later: every page shows the new terms.
    service.change_terms(
        interest=interest, person=personas.ash, terms=PublicTerms(no_recording=True)
    )
    for address in pages:
        content = page(client, address)
        assert "No audio or video recording" in content, address
        assert "First name only" not in content, address


# --- work done becomes pay, once ---------------------------------------------------------------


def test_marking_work_done_pays_once_and_shows_in_my_pay(personas):
    hourly_rate(personas.harbor, "50.00")
    interest = booked(personas)
    address = url("complete_opportunity_booking", pk=interest.opportunity_id, interest=interest.pk)
    client = client_for(personas.sam)
    assert "Hours actually worked" in page(client, address)
    bad = client.post(address, {"hours": "0"})
    assert bad.status_code == 200
    assert not LedgerEntry.objects.exists()
    client.post(address, {"hours": "2", "confirm_fewer": "2"})
    client.post(address, {"hours": "2", "confirm_fewer": "2"})  # a second click, or back
    assert LedgerEntry.objects.filter(user=personas.ash).count() == 1
    my_pay = page(client_for(personas.ash), url("my_pay"))
    assert "USD\xa0100.00" in my_pay
    assert "Other paid work" in my_pay


def test_cancelling_booked_work_late_on_the_page_pays_the_person(personas):
    hourly_rate(personas.harbor, "50.00")
    interest = booked(personas)
    staff = client_for(personas.sam)
    staff.post(url("end_opportunity", pk=interest.opportunity_id), {"action": "cancel"})
    assert LedgerEntry.objects.filter(user=personas.ash).count() == 1
    people = page(staff, url("staff_opportunity", pk=interest.opportunity_id))
    assert "cancelled late, so the agreed pay is recorded" in people
    assert "Mark the work done and record the pay" not in people
    mine = page(client_for(personas.ash), url("opportunity", pk=interest.opportunity_id))
    assert "cancelled late, so you are paid what was agreed" in mine
    assert "do this any more</button>" not in mine


def test_the_done_form_starts_at_the_agreed_hours(personas):
    hourly_rate(personas.harbor)
    interest = booked(personas)
    address = url("complete_opportunity_booking", pk=interest.opportunity_id, interest=interest.pk)
    content = page(client_for(personas.sam), address)
    assert 'value="3.00"' in content, content


def test_fewer_hours_than_agreed_are_paid_only_after_a_second_press(personas):
    hourly_rate(personas.harbor, "50.00")
    interest = booked(personas)  # 3 hours agreed
    address = url("complete_opportunity_booking", pk=interest.opportunity_id, interest=interest.pk)
    client = client_for(personas.sam)
    first = client.post(address, {"hours": "2"})
    assert first.status_code == 200
    content = first.content.decode()
    assert "fewer hours than agreed: 2 instead of 3" in content
    assert 'name="confirm_fewer" value="2"' in content
    assert not LedgerEntry.objects.exists()
    # A confirmation for other hours is not a confirmation of these.
    assert client.post(address, {"hours": "1.5", "confirm_fewer": "2"}).status_code == 200
    assert not LedgerEntry.objects.exists()
    second = client.post(address, {"hours": "2", "confirm_fewer": "2"})
    assert second.status_code == 302
    assert LedgerEntry.objects.get(user=personas.ash).amount.to_integral_value() == 100
    # The agreed hours, or more, need no second press.
    other = booked_for(personas, personas.river)
    address = url("complete_opportunity_booking", pk=other.opportunity_id, interest=other.pk)
    assert client.post(address, {"hours": "3"}).status_code == 302


def booked_for(personas: Any, person: Any) -> OpportunityInterest:
    opportunity = posted(personas)
    interest = service.express_interest(opportunity=opportunity, person=person)
    interest = service.make_offer(interest=interest, by=personas.sam)
    return service.answer_offer(interest=interest, person=person, accept=True)


# --- lists paginate, and ask the same number of queries however long they are -------------------


def _warm(client: Client, address: str) -> None:
    """The first request after signing in records the session: not part of the page."""
    assert client.get(address).status_code == 200


def _queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def _fill(personas: Any, count: int) -> list[Opportunity]:
    made = []
    for number in range(count):
        made.append(posted(personas, title=f"Opportunity {number}", public_facing=number % 2 == 0))
    return made


def test_the_survivor_lists_ask_a_fixed_number_of_queries(personas):
    client = client_for(personas.ash)
    for opportunity in _fill(personas, 2):
        service.express_interest(opportunity=opportunity, person=personas.ash)
    _warm(client, url("opportunities"))
    few = (_queries(client, url("opportunities")), _queries(client, url("my_opportunities")))
    for opportunity in _fill(personas, OPPORTUNITIES_PER_PAGE + 5):
        service.express_interest(opportunity=opportunity, person=personas.ash)
    many = (_queries(client, url("opportunities")), _queries(client, url("my_opportunities")))
    assert few == many == SURVIVOR_LIST_QUERIES
    assert "Page 1 of 2" in page(client, url("opportunities"))


def test_the_staff_lists_ask_a_fixed_number_of_queries(personas):
    client = client_for(personas.sam)
    opportunity = posted(personas, public_facing=True)
    hourly_rate(personas.harbor)

    def add_people(count: int) -> None:
        for number in range(count):
            person = survivor(f"Person {number}", org=personas.harbor)
            interest = service.express_interest(opportunity=opportunity, person=person)
            if number % 2 == 0:
                interest = service.make_offer(interest=interest, by=personas.sam)
                service.answer_offer(
                    interest=interest, person=person, accept=True, terms=PublicTerms(no_photos=True)
                )

    add_people(2)
    _fill(personas, 2)
    addresses = (
        url("staff_opportunity", pk=opportunity.pk),
        url("opportunity_bookings"),
        url("manage_opportunities"),
    )
    _warm(client, addresses[0])
    few = tuple(_queries(client, address) for address in addresses)
    add_people(max(PEOPLE_PER_PAGE, BOOKINGS_PER_PAGE * 2) + 3)
    _fill(personas, OPPORTUNITIES_PER_PAGE + 3)
    many = tuple(_queries(client, address) for address in addresses)
    assert few == many == STAFF_LIST_QUERIES
    assert "Page 1 of 2" in page(client, url("staff_opportunity", pk=opportunity.pk))


# The same for 2 opportunities as for a page and more: signing in, the session and the
# survivor's second-factor check as on every page, the viewer's time zone, the
# organization and role; then the page's own: open opportunities = the person's topics
# (1), how many (1), this page's with the person's own interest in a subquery (1), and
# whether they may post (role and co-chair, 2); My interest and offers = how many and this
# page's with their opportunities in one join (2). Nothing is asked per opportunity.
SURVIVOR_LIST_QUERIES = (13, 10)
# Staff, after the same signing in and time zone: one opportunity's people = the
# opportunity, how many people, this page's with their chosen names and the opportunity in
# one join, and the pay rate and settings; bookings = how many and this page's with the
# people, opportunities and pay entries in one join; posted = is this staff (for counts),
# how many and this page's with the counts of interest and bookings. Nothing is asked per
# person or opportunity.
STAFF_LIST_QUERIES = (12, 8, 9)
