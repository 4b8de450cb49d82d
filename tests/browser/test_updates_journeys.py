"""Updates and first steps in a real browser: a survivor leader with updates starts on
"What needs you now", opens one, lands on the page it is about, and the count on the home
page goes down; the list of updates puts what is new first. An admin sees members by the
name they chose, hands an invitation over in person (the link shown once, never e-mailed),
and the new person joins with it and starts on what waits for them. Every page is
axe-checked at 1280 and 360 px wide and must not scroll sideways on the phone; the `watch`
fixture fails any CSP violation or script error. With SCREENSHOTS=1 the pages are saved
as docs/screenshots/updates-*."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Invitation, OutboxMessage, User
from accounts.services.roles import create_board_role, invite_to_role
from meetings.services.input import record_input_on_behalf
from meetings.services.scheduling import schedule_meeting
from tests.browser.helpers import enter_totp, expect_heading, sign_in
from tests.browser.people_steps import check_page, new_page, sign_in_survivor
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "lantern-orchard-quiet-41"


def updates_waiting_for_ash(personas) -> None:
    harbor, ash, sam = personas.harbor, personas.ash, personas.sam
    SurvivorProfileFactory.create(user=ash, organization=harbor, chosen_name="Juniper Vale")
    board_member(ash, harbor)
    meeting = schedule_meeting(
        organization=harbor,
        by=sam,
        title="Spring planning",
        starts_at=timezone.now() + dt.timedelta(days=10),
        duration_minutes=90,
        format="video",
        location="https://video.example.test/room",
    )
    record_input_on_behalf(
        meeting=meeting, recorded_by=sam, author=ash, body="Evening meetings are hard for me."
    )
    invite_to_role(
        role=create_board_role(
            organization=harbor,
            actor=personas.ada,
            name="Treasurer",
            description="Reads the budget with staff. Sharing your personal story is not expected.",
        ),
        person=ash,
        invited_by=sam,
        starts_on=timezone.localdate(),
    )


def sign_in_admin(page, base_url: str, admin) -> None:
    sign_in(page, base_url, admin.email)
    enter_totp(page)
    expect_heading(page, "Members and invitations")
    check_page(page, "updates-home-admin")


def test_a_survivor_starts_on_what_needs_them_and_the_count_goes_down(page, live_server, personas):
    updates_waiting_for_ash(personas)
    sign_in_survivor(page, live_server.url, personas.ash)

    count = page.get_by_role("link", name="There are 3 updates for you.")
    expect(count).to_be_visible()
    needs_you = page.get_by_role("region", name="What needs you now")
    expect(needs_you.get_by_role("listitem")).to_have_count(4)
    expect(needs_you).to_contain_text("A role on the board is offered to you.")
    expect(needs_you).to_contain_text("Look at your choices about your information.")
    expect(needs_you).to_contain_text("Will you come to “Spring planning”?")
    expect(needs_you).to_contain_text("Staff wrote down something you said.")
    # What needs them comes before the page's other links.
    assert page.content().index("What needs you now") < page.content().index("My board work")
    check_page(page, "updates-home-survivor")

    needs_you.get_by_role("button", name="Staff wrote down something you said.").click()
    expect_heading(page, "Waiting for you to check")
    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_role("link", name="There are 2 updates for you.")).to_be_visible()

    page.get_by_role("link", name="There are 2 updates for you.").click()
    expect_heading(page, "Your updates")
    new = page.get_by_role("region", name="Not opened yet")
    expect(new.get_by_role("listitem")).to_have_count(2)
    opened = page.get_by_role("region", name="Opened recently")
    expect(opened).to_contain_text("Staff wrote down something you said. Check that it is right.")
    check_page(page, "updates-list")

    new.get_by_role("button", name="You are offered a role on the board.").click()
    expect_heading(page, "My roles")
    page.goto(f"{live_server.url}/o/harbor/")
    expect(page.get_by_role("link", name="There is 1 update for you.")).to_be_visible()
    assert OutboxMessage.objects.filter(recipient=personas.ash, seen_at__isnull=True).count() == 1


def test_an_admin_hands_an_invitation_over_in_person(
    page, new_context, watch, live_server, personas, with_totp, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    SurvivorProfileFactory.create(
        user=personas.ash, organization=personas.harbor, chosen_name="Juniper Vale"
    )
    with_totp(personas.ada)
    sign_in_admin(page, live_server.url, personas.ada)
    page.get_by_role("link", name="See members and invite people").click()
    expect_heading(page, "Members and invitations")
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_role("row", name="Juniper Vale Survivor leader")).to_be_visible()
    expect(members).not_to_contain_text(personas.ash.email)
    check_page(page, "updates-members")

    page.get_by_label("E-mail address", exact=True).fill("no.safe.inbox@example.test")
    page.get_by_label("Role", exact=True).select_option(label="Survivor leader")
    page.get_by_label("I will give the link to the person myself").check()
    page.get_by_role("button", name="Invite this person").click()

    expect_heading(page, "Give this link to the person")
    link = page.locator("code.invitation-link").inner_text()
    assert link.startswith(f"{live_server.url}/invitations/")
    expect(page.get_by_text("It works once, for 7 days.")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the invitation link")).to_be_visible()
    check_page(page, "updates-hand-over")
    assert Invitation.objects.get(email="no.safe.inbox@example.test").in_person
    assert mailoutbox == []

    # An address that can already sign in is refused: that person signs in instead.
    page.get_by_role("link", name="Back to members and invitations").click()
    expect(page.get_by_text("Given in person, link works until")).to_be_visible()
    page.get_by_label("E-mail address", exact=True).fill(personas.otto.email)
    page.get_by_label("Role", exact=True).select_option(label="Survivor leader")
    page.get_by_label("I will give the link to the person myself").check()
    page.get_by_role("button", name="Invite this person").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "A link cannot be given in person for this address."
    )
    expect(page.locator("code.invitation-link")).to_have_count(0)
    check_page(page)

    # The person opens the link on their own phone and starts on what waits for them.
    phone = new_page(new_context, watch)
    phone.set_viewport_size({"width": 360, "height": 800})
    phone.goto(link)
    expect_heading(phone, "Accept your invitation")
    phone.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("Type the password again").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Save password and continue").click()
    expect_heading(phone, "My seat")
    needs_you = phone.get_by_role("region", name="What needs you now")
    expect(needs_you).to_contain_text("Look at your choices about your information.")
    check_page(phone, "updates-new-member")
    assert User.objects.filter(email="no.safe.inbox@example.test").exists()
