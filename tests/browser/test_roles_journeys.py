"""Roles in a real browser: the admin adds the usual roles, staff invite a survivor leader
to one, and the survivor accepts it and then pauses it. Every page is axe-checked; the
`watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.models import AssignmentStatus, BoardRole, RoleAssignment
from accounts.services import roles
from tests.browser.helpers import check_axe, enter_totp, expect_heading, sign_in
from tests.factories import SurvivorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "Sharing your personal story is not expected."


def open_from_home(page: Page, link: str, heading: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    expect_heading(page, heading)
    check_axe(page)


def test_the_admin_adds_the_usual_roles_and_changes_one(page, live_server, personas, with_totp):
    with_totp(personas.ada)
    sign_in(page, live_server.url, personas.ada.email)
    enter_totp(page)
    check_axe(page)
    open_from_home(page, "Roles", "Roles")
    page.get_by_role("button", name="Add the usual roles").click()
    expect(page.get_by_text("The usual roles were added.")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Change “Speaker”").click()
    expect_heading(page, "Change “Speaker”")
    check_axe(page)
    page.get_by_label("What the role involves").fill("Speak at one event a year.")
    page.get_by_role("button", name="Save role").click()
    expect(page.get_by_text("Role saved.")).to_be_visible()
    check_axe(page)
    assert BoardRole.objects.get(name="Speaker").description.endswith(STORY)


def test_staff_invite_a_survivor_leader_to_a_role(page, live_server, personas, with_totp):
    roles.add_usual_roles(organization=personas.harbor, actor=personas.ada)
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    check_axe(page)
    open_from_home(page, "The board", "The board")
    expect(page.get_by_text("Nobody has been invited to a role yet.")).to_be_visible()
    page.get_by_label("Who to invite").select_option(label="Ash")
    page.get_by_label("Role", exact=True).select_option(label="Co-chair")
    page.get_by_label("Starts on").fill("2026-04-01")
    page.get_by_label("Ends on (optional)").fill("2026-03-01")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("The end date must be on or after the start.")).to_be_visible()
    check_axe(page)
    assert not RoleAssignment.objects.exists()
    page.get_by_label("Ends on (optional)").fill("2027-03-31")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent.")).to_be_visible()
    expect(page.get_by_role("cell", name="Ash", exact=True)).to_be_visible()
    check_axe(page)
    assignment = RoleAssignment.objects.get()
    assert (assignment.user, assignment.status) == (personas.ash, AssignmentStatus.INVITED)


def test_the_survivor_accepts_a_role_and_then_pauses_it(page, live_server, personas):
    role = roles.add_usual_roles(organization=personas.harbor, actor=personas.ada)[0]
    assignment = roles.invite_to_role(
        role=role,
        person=personas.ash,
        invited_by=personas.sam,
        starts_on=datetime.date(2026, 4, 1),
    )
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    check_axe(page)
    open_from_home(page, "My roles", "My roles")
    expect(page.get_by_text(STORY).first).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You accepted the role.")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Your role is paused.")).to_be_visible()
    expect(page.get_by_role("button", name="Start again")).to_be_visible()
    page.get_by_text("History of Board member").click()
    expect(page.get_by_role("listitem").filter(has_text="Paused").last).to_be_visible()
    check_axe(page)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PAUSED
    assert list(assignment.changes.values_list("status", flat=True)) == [
        "invited",
        "active",
        "paused",
    ]
