"""Input in a real browser: staff write down what a survivor said, the survivor corrects a
word and confirms it; a survivor gives anonymous input on a narrow phone after reading how
many people could have written it; a survivor withdraws input; staff read input across
meetings and filter it by topic. Every page is axe-checked;
the `watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Input, InputRevision, InputStatus
from meetings.services.input import give_input
from tests.browser.helpers import (
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    sign_in,
)
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, MeetingInvitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    meeting = MeetingFactory.create(organization=personas.harbor, title="Spring meeting")
    for person in (personas.ash, personas.river):
        MeetingInvitationFactory.create(meeting=meeting, user=person)
    return meeting


def open_input_page(page: Page, base_url: str, meeting) -> None:
    page.goto(f"{base_url}/o/harbor/meetings/{meeting.pk}/input/")
    expect_heading(page, "Input for Spring meeting")
    check_axe(page)


def test_staff_record_input_and_the_survivor_corrects_and_confirms_it(
    page, live_server, personas, meeting, with_totp
):
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    open_input_page(page, live_server.url, meeting)
    page.get_by_role("link", name="Write down what someone said").click()
    expect_heading(page, "Write down what someone said")
    check_axe(page)
    page.get_by_label("Who said it").select_option(label="Ash")
    page.get_by_label("What they said, in their words").fill("Bus fares should be paid later.")
    page.get_by_role("button", name="Save for them to check").click()
    expect(page.get_by_text("Saved. It counts once they check it.")).to_be_visible()
    # The staff member who wrote it down follows it up: for whom, and what happens when.
    expect(page.get_by_text("Recorded by you, waiting for them to check")).to_be_visible()
    expect(page.get_by_text("You wrote this down with Ash.")).to_be_visible()
    check_axe(page)
    input = Input.objects.get()
    assert input.status == InputStatus.PENDING
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    page.get_by_role("link", name="Waiting for you to check").click()
    expect_heading(page, "Waiting for you to check")
    check_axe(page)
    page.get_by_role("link", name="Check what was written down").click()
    expect_heading(page, "Is this what you said?")
    check_axe(page)
    expect(page.get_by_role("blockquote")).to_have_text("Bus fares should be paid later.")
    page.get_by_text("Not quite — here's what I meant").click()
    page.get_by_label("What you meant").fill("Bus fares should be paid up front.")
    check_axe(page)
    page.get_by_role("button", name="Save what I meant").click()
    expect(page.get_by_text("Thank you. It is confirmed and now counts.")).to_be_visible()
    check_axe(page)
    input.refresh_from_db()
    assert (input.status, input.body) == (
        InputStatus.CONFIRMED,
        "Bus fares should be paid up front.",
    )
    assert InputRevision.objects.get(input=input).body == "Bus fares should be paid later."


def test_a_survivor_gives_anonymous_input_on_a_narrow_phone(
    live_server, personas, meeting, new_context, watch
):
    width = 360
    context = new_context(viewport={"width": width, "height": 740})
    watch.attach_context(context)
    page = context.new_page()
    sign_in(page, live_server.url, personas.river.email)
    expect_heading(page, "My seat")
    open_input_page(page, live_server.url, meeting)
    expect(page.get_by_text("You never have to share anything about your past.")).to_be_visible()
    expect(
        page.get_by_text("2 board members were invited to this meeting", exact=False)
    ).to_be_visible()
    expect(
        page.get_by_text("Wording can give people away: avoid details only you would know.")
    ).to_be_visible()
    expect(page.get_by_label("Staff can see it is mine")).to_have_count(0)
    assert has_no_horizontal_scroll(page, width), "input page"
    page.get_by_label("What you want to say").fill("Meetings after six work better for me.")
    page.get_by_label("Anonymous to staff").check()
    page.get_by_role("button", name="Share my input").click()
    expect(page.get_by_text("Thank you. Your input is saved.")).to_be_visible()
    check_axe(page)
    assert has_no_horizontal_scroll(page, width), "input page after posting"
    input = Input.objects.get()
    assert (input.author, input.visibility) == (personas.river, "anonymous")


def test_a_survivor_withdraws_input(page, live_server, personas, meeting):
    give_input(
        meeting=meeting, author=personas.ash, body="I said too much here.", visibility="anonymous"
    )
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    open_input_page(page, live_server.url, meeting)
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("Withdrawn. Nobody else can see it now")).to_be_visible()
    expect(page.get_by_text("Withdrawn", exact=True)).to_be_visible()
    check_axe(page)
    assert Input.objects.get().status == InputStatus.WITHDRAWN


def test_staff_read_input_across_meetings_and_filter_by_topic(
    page, live_server, personas, meeting, with_totp
):
    buses = AgendaItemFactory.create(meeting=meeting, title="Buses")
    give_input(
        meeting=meeting,
        author=personas.ash,
        body="Bus fares paid up front.",
        visibility="anonymous",
        agenda_item=buses,
    )
    give_input(meeting=meeting, author=personas.river, body="Later start.", visibility="anonymous")
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    expect_heading(page, "Board overview")
    page.get_by_role("link", name="What survivor leaders said").click()
    expect_heading(page, "What survivor leaders said")
    expect(page.get_by_text("Later start.")).to_be_visible()
    check_axe(page)
    page.get_by_label("Topic").select_option(label="Buses")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("Bus fares paid up front.")).to_be_visible()
    expect(page.get_by_text("Later start.")).to_have_count(0)
    expect(page.get_by_text("Ash", exact=True)).to_have_count(0)
    check_axe(page)
