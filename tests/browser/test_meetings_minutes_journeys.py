"""Minutes in a real browser: the note-taker drafts them mentioning a member through the
mention list (which everyone reads as "a board member"), a board member comments, and a
survivor co-chair approves them, after which they are read-only. Every page is
axe-checked; `watch` fails any CSP violation or script error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Minutes, MinutesStatus
from tests.browser.helpers import check_axe, expect_heading, sign_in
from tests.factories import SurvivorProfileFactory
from tests.meetings.minutes_support import allow_name, make_co_chair, meeting_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page: Page, base_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")


def test_a_co_chair_approves_the_minutes(page, live_server, personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    allow_name(personas.ash, personas.harbor)
    make_co_chair(personas.ash, personas.harbor)
    meeting = meeting_with(personas, invited=("ash", "river"), note_taker="river")
    minutes_url = f"{live_server.url}/o/harbor/meetings/{meeting.pk}/minutes/"

    # River, the note-taker, drafts the minutes and mentions Ash from the list: Ash allows
    # staff to see their name, and still the minutes say "a board member".
    sign_in(page, live_server.url, personas.river.email)
    page.goto(minutes_url)
    expect_heading(page, "Minutes: Spring board meeting")
    check_axe(page)
    page.get_by_role("link", name="Write the minutes").click()
    expect_heading(page, "Write the minutes: Spring board meeting")
    check_axe(page)
    page.get_by_label("Minutes", exact=True).fill("Thanks for the flyer ideas,")
    page.get_by_label("Mention a member without naming them (optional)").select_option(label="Ash")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft minutes were saved.")).to_be_visible()
    expect(page.get_by_text("Thanks for the flyer ideas, a board member")).to_be_visible()
    expect(page.locator(".minutes-body")).not_to_contain_text("Ash")
    check_axe(page)
    sign_out(page, live_server.url)

    # Ash, a co-chair, comments and approves.
    sign_in(page, live_server.url, personas.ash.email)
    page.goto(minutes_url)
    expect_heading(page, "Minutes: Spring board meeting")
    check_axe(page)
    page.get_by_label("Your comment").fill("Looks right to me.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Your comment was added.")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("The minutes are approved. They are now read-only.")).to_be_visible()
    expect(page.get_by_text("Approved by a co-chair. These minutes are read-only.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve the minutes")).to_have_count(0)
    expect(page.get_by_role("button", name="Add comment")).to_have_count(0)
    check_axe(page)
    assert Minutes.objects.get().status == MinutesStatus.APPROVED
