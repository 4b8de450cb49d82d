"""Paid leadership opportunities in a real browser: a survivor co-chair posts
public-facing work paid by the hour, checking first that it pays at parity; a survivor
leader finds it first in their list because it is on a topic they chose, says they are
interested, and accepts staff's offer with their own terms ("first name only", "no
photos"); staff see the booking with those terms, mark the work done, and the survivor
finds exactly one pay entry on My pay. Every page is axe-checked at 1280 and 360 px wide
and must not scroll sideways on the phone; the `watch` fixture fails any CSP violation or
script error. With SCREENSHOTS=1 the pages are saved as docs/screenshots/opportunity-*."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import OutboxMessage
from compensation.models import EntryKind, LedgerEntry, WorkKind
from compensation.selectors.ledger import organization_today
from opportunities.models import (
    InterestStatus,
    Opportunity,
    OpportunityInterest,
    OpportunityStatus,
    PayBasis,
)
from opportunities.services.opportunities import OPPORTUNITY_OFFER, OPPORTUNITY_PAID
from tests.browser.helpers import (
    expect_heading,
)
from tests.browser.people_steps import (
    card_with,
    check_page,
    new_page,
    sign_in_staff,
    sign_in_survivor,
)
from tests.compensation.factories import hourly_rate, pay_settings
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member
from tests.support.urls import live_url as url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASH_NAME = "Ashlyn Moreno"
RIVER_NAME = "Riverine Okafor"

TITLE = "Speak at the spring volunteer training"
OTHER_TITLE = "Review the new budget summary"
NO_STORY = "Sharing your personal story is not expected."


def test_a_co_chair_posts_paid_work_and_a_survivor_is_booked_and_paid(
    page, new_context, watch, live_server, personas, with_totp
):
    harbor = personas.harbor
    today = organization_today(harbor)
    SurvivorProfileFactory.create(user=personas.ash, chosen_name=ASH_NAME)
    # River chose training as a topic they know about, so training work comes first.
    SurvivorProfileFactory.create(
        user=personas.river, chosen_name=RIVER_NAME, expertise=["training"]
    )
    board_member(personas.ash, harbor, co_chair=True)
    pay_settings(harbor, currency="USD")
    # Paid at parity: the rate is what professionals are paid for the same hour.
    hourly_rate(harbor, "50.00", benchmark_hourly=Decimal("50.00"))
    # Work on another topic that started earlier: by date alone it would come first.
    Opportunity.objects.create(
        organization=harbor,
        title=OTHER_TITLE,
        kind=WorkKind.DOCUMENT_REVIEW,
        area="budget",
        involves="Read a four-page summary and say what is unclear.",
        time_needed="Two hours, any time this month",
        hours=Decimal("2"),
        pay_basis=PayBasis.HOURLY,
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=20),
        how_chosen="Everyone who is interested.",
        created_by=personas.sam,
    )

    # --- Ash, a survivor co-chair, posts the work ---------------------------------------
    sign_in_survivor(page, live_server.url, personas.ash)
    page.get_by_role("link", name="Paid opportunities", exact=True).click()
    expect_heading(page, "Paid opportunities")
    expect(page.get_by_text(NO_STORY)).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Opportunities we posted").click()
    expect_heading(page, "Opportunities we posted")
    check_page(page)
    page.get_by_role("link", name="Post an opportunity").click()
    expect_heading(page, "Post an opportunity")
    check_page(page)

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Kind of work").select_option(label="Training others")
    page.get_by_label("Topic (optional)").select_option(label="Training")
    page.get_by_label("What it involves").fill(
        "Talk for twenty minutes with new volunteers about what makes a meeting feel safe."
    )
    page.get_by_label("Time needed").fill("One morning, with an hour to prepare")
    page.get_by_label("Hours of work, including preparation").fill("3")
    expect(page.get_by_role("radio", name="Paid by the hour")).to_be_checked()
    page.get_by_label("First day").fill(today.isoformat())
    page.get_by_label("The public will see or hear the person").check()
    page.get_by_label("How people are chosen").fill("In the order people say they are interested.")

    # The pay check first: what it pays, at parity, and nothing saved yet.
    page.get_by_role("button", name="Check the pay first").click()
    pay = page.get_by_role("status", name="What this pays")
    expect(pay).to_contain_text("50.00 an hour")
    expect(pay).to_contain_text("150.00 for 3 hours")
    expect(pay).to_contain_text("100% of what professionals are paid")
    expect(pay).to_contain_text("Nothing is saved yet.")
    expect(page.get_by_text("Below parity")).to_have_count(0)
    check_page(page, "opportunity-post")
    assert not Opportunity.objects.filter(title=TITLE).exists()
    # What was typed is still there.
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("The public will see or hear the person")).to_be_checked()

    page.get_by_role("button", name="Post it").click()
    expect_heading(page, "Opportunities we posted")
    expect(page.get_by_text("The opportunity is posted.")).to_be_visible()
    expect(card_with(page, TITLE)).to_contain_text("Open")
    check_page(page)
    posted = Opportunity.objects.get(title=TITLE)
    assert (
        posted.organization,
        posted.created_by,
        posted.kind,
        posted.area,
        posted.hours,
        posted.pay_basis,
        posted.fixed_amount,
        posted.starts_on,
        posted.public_facing,
        posted.story_expected,
        posted.status,
    ) == (
        harbor,
        personas.ash,
        WorkKind.TRAINING,
        "training",
        Decimal("3"),
        PayBasis.HOURLY,
        None,
        today,
        True,
        False,
        OpportunityStatus.OPEN,
    )

    # --- River finds it first, on a topic they chose, and says they are interested -----
    river = new_page(new_context, watch)
    sign_in_survivor(river, live_server.url, personas.river)
    river.get_by_role("link", name="Paid opportunities", exact=True).click()
    expect_heading(river, "Paid opportunities")
    cards = river.locator(".card-list > li")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text(TITLE)
    expect(cards.first).to_contain_text("On a topic you chose")
    expect(cards.nth(1)).to_contain_text(OTHER_TITLE)
    expect(cards.nth(1)).not_to_contain_text("On a topic you chose")
    # River is not a co-chair: nothing offers them posting.
    expect(river.get_by_role("link", name="Opportunities we posted")).to_have_count(0)
    check_page(river, "opportunity-list")

    river.get_by_role("link", name=TITLE).click()
    expect_heading(river, TITLE)
    expect(river.get_by_text(NO_STORY)).to_be_visible()
    expect(river.get_by_text("Yes: the public will see or hear the person.")).to_be_visible()
    expect(river.locator("main")).to_contain_text("150.00 for 3 hours")
    check_page(river, "opportunity-detail")
    river.get_by_role("button", name="I am interested").click()
    expect(
        river.get_by_text(
            "You said you are interested. Only staff can see this. You can take it back."
        )
    ).to_be_visible()
    expect(river.get_by_role("button", name="Take back my interest")).to_be_visible()
    check_page(river)
    interest = OpportunityInterest.objects.get(opportunity=posted)
    assert (interest.user, interest.status) == (personas.river, InterestStatus.INTERESTED)

    # --- Sam, staff, makes the offer -----------------------------------------------------
    staff = new_page(new_context, watch)
    sign_in_staff(staff, live_server.url, personas.sam, with_totp)
    staff.get_by_role("link", name="Paid opportunities", exact=True).click()
    expect_heading(staff, "Opportunities we posted")
    expect(card_with(staff, TITLE)).to_contain_text("1 person interested")
    check_page(staff)
    staff.get_by_role("link", name=TITLE).click()
    expect_heading(staff, TITLE)
    person = card_with(staff, RIVER_NAME)
    expect(person).to_contain_text("Interested")
    check_page(staff)
    person.get_by_role("button", name="Offer the work").click()
    expect(staff.get_by_text("The offer is made. The person has been told.")).to_be_visible()
    expect(card_with(staff, RIVER_NAME)).to_contain_text("Offered")
    check_page(staff)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.OFFERED
    assert OutboxMessage.objects.filter(recipient=personas.river, kind=OPPORTUNITY_OFFER).exists()

    # --- River accepts, with their own terms ---------------------------------------------
    river.get_by_role("link", name="Back to paid opportunities").click()
    river.get_by_role("link", name="My interest and offers").click()
    expect_heading(river, "My interest and offers")
    expect(card_with(river, TITLE)).to_contain_text("Offered")
    check_page(river)
    card_with(river, TITLE).get_by_role("link", name="Answer the offer").click()
    expect_heading(river, f"An offer: {TITLE}")
    expect(
        river.get_by_text("You do not need to give a reason, whatever you choose.")
    ).to_be_visible()
    check_page(river, "opportunity-answer")

    # Sending without a yes or a no is refused, and nothing changes.
    river.get_by_label("Use my first name only").check()
    river.get_by_role("button", name="Send my answer").click()
    expect(river.get_by_text("Choose yes or no.")).to_be_visible()
    check_page(river)
    interest.refresh_from_db()
    assert (interest.status, interest.first_name_only, interest.terms_set_at) == (
        InterestStatus.OFFERED,
        False,
        None,
    )

    river.get_by_role("radio", name="Yes, I will do this work").check()
    expect(river.get_by_label("Use my first name only")).to_be_checked()
    river.get_by_label("No photos of me").check()
    river.get_by_role("button", name="Send my answer").click()
    expect_heading(river, "My interest and offers")
    expect(river.get_by_text("You said yes. Staff have been told.")).to_be_visible()
    expect(card_with(river, TITLE)).to_contain_text("Accepted")
    expect(
        card_with(river, TITLE).get_by_role("link", name="See or change my terms")
    ).to_be_visible()
    check_page(river)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED
    assert (
        interest.first_name_only,
        interest.no_photos,
        interest.no_recording,
        interest.different_name,
        interest.no_organization_name,
    ) == (True, True, False, "", False)
    assert interest.terms_set_at is not None

    # --- Sam sees the booking with River's terms, and marks the work done ----------------
    staff.reload()
    booked = card_with(staff, RIVER_NAME)
    expect(booked).to_contain_text("Accepted")
    terms = booked.get_by_role("heading", name="The person's terms for public-facing work")
    expect(terms).to_be_visible()
    expect(booked.get_by_role("listitem").filter(has_text="No photos")).to_have_count(1)
    expect(booked.get_by_role("listitem").filter(has_text="First name only")).to_have_count(1)
    expect(booked).not_to_contain_text("No audio or video recording")
    check_page(staff, "opportunity-staff")

    staff.get_by_role("link", name="All bookings").click()
    expect_heading(staff, "Bookings")
    booking = card_with(staff, TITLE)
    expect(booking).to_contain_text(RIVER_NAME)
    expect(booking).to_contain_text("No photos")
    expect(booking).to_contain_text("First name only")
    check_page(staff, "opportunity-bookings")

    booking.get_by_role("link", name=TITLE).click()
    expect_heading(staff, TITLE)
    card_with(staff, RIVER_NAME).get_by_role(
        "link", name="Mark the work done and record the pay"
    ).click()
    expect_heading(staff, f"Mark the work done: {TITLE}")
    expect(staff.get_by_text(f"Booked: {RIVER_NAME}.")).to_be_visible()
    check_page(staff, "opportunity-complete")
    staff.get_by_label("Hours actually worked, including preparation").fill("3")
    staff.get_by_role("button", name="Mark done and record the pay").click()
    expect_heading(staff, TITLE)
    expect(
        staff.get_by_text(
            "The work is marked done and the pay is recorded. The person has been told."
        )
    ).to_be_visible()
    expect(card_with(staff, RIVER_NAME)).to_contain_text("Done, and the pay is recorded.")
    check_page(staff)

    interest.refresh_from_db()
    assert interest.status == InterestStatus.COMPLETED
    (entry,) = LedgerEntry.objects.filter(user=personas.river)
    assert interest.ledger_entry_id == entry.pk
    assert (entry.kind, entry.amount, entry.currency, entry.hours, entry.work_date) == (
        EntryKind.EARNED,
        Decimal("150.00"),
        "USD",
        Decimal("3"),
        today,
    )
    assert OutboxMessage.objects.filter(recipient=personas.river, kind=OPPORTUNITY_PAID).exists()

    # Opening the page again offers nothing more to mark: the work is paid once.
    staff.goto(url(live_server, "complete_opportunity_booking", pk=posted.pk, interest=interest.pk))
    expect(staff.get_by_text("Nothing to mark: where it stands is Done.")).to_be_visible()
    expect(staff.get_by_role("button", name="Mark done and record the pay")).to_have_count(0)
    check_page(staff)
    assert LedgerEntry.objects.filter(user=personas.river).count() == 1

    # --- River sees the pay on My pay: one entry -----------------------------------------
    river.reload()
    expect(card_with(river, TITLE)).to_contain_text("Done. The pay is in My pay.")
    check_page(river)
    river.get_by_role("link", name="Go to My pay").click()
    expect_heading(river, "My pay")
    record = river.get_by_role("table", name="Your pay record, newest first")
    rows = record.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"Paid work: {TITLE}")
    expect(rows.first).to_contain_text("USD 150.00")
    expect(rows.first).to_contain_text("Earned, not yet paid")
    expect(rows.first).to_contain_text("3")
    check_page(river, "opportunity-my-pay")
