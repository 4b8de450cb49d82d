"""Scheduling in a real browser: staff schedule a meeting (a past date refused first, nothing
saved), a board member proposes a topic with a content note, a survivor co-chair puts it on
the agenda and makes the board member note-taker, and the board member skips the topic.
Every page is axe-checked; the `watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings.models import AgendaItem, AgendaSkip, AgendaStatus, Meeting, MeetingRole
from tests.browser.helpers import check_axe, enter_totp, expect_heading, sign_in
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page: Page, base_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")


def open_the_meeting(page: Page, base_url: str, title: str) -> None:
    page.goto(f"{base_url}/o/harbor/meetings/")
    expect_heading(page, "Meetings")
    check_axe(page)
    page.get_by_role("link", name=title).click()
    expect_heading(page, title)
    check_axe(page)


def test_a_meeting_is_planned_with_the_board(page, live_server, personas, with_totp):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    board_member(personas.ash, personas.harbor, co_chair=True)
    board_member(personas.river, personas.harbor)
    with_totp(personas.sam)
    base = live_server.url

    # (a) Sam, staff, schedules the meeting: a past date is refused first.
    sign_in(page, base, personas.sam.email)
    enter_totp(page)
    page.goto(f"{base}/o/harbor/meetings/")
    expect_heading(page, "Meetings")
    check_axe(page)
    page.get_by_role("link", name="Schedule a meeting").click()
    expect_heading(page, "Schedule a meeting")
    check_axe(page)
    page.get_by_label("Title").fill("Summer planning")
    page.get_by_label("Date").fill((timezone.now() - timedelta(days=2)).date().isoformat())
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("How people meet").select_option(label="Video call")
    page.get_by_label("Place or link").fill("https://video.example.test/summer")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_text("Choose a date and time that has not passed yet.")).to_be_visible()
    check_axe(page)
    assert not Meeting.objects.exists()

    page.get_by_label("Date").fill((timezone.now() + timedelta(days=14)).date().isoformat())
    page.get_by_role("button", name="Schedule the meeting").click()
    expect_heading(page, "Summer planning")
    scheduled = "The meeting is scheduled. Board members have been told."
    expect(page.get_by_text(scheduled)).to_be_visible()
    check_axe(page)
    meeting = Meeting.objects.get(title="Summer planning")
    assert set(meeting.invitations.values_list("user_id", flat=True)) == {
        personas.ash.pk,
        personas.river.pk,
    }
    sign_out(page, base)

    # (b) River, a board member, proposes a topic with a content note.
    sign_in(page, base, personas.river.email)
    expect_heading(page, "My seat")
    check_axe(page)
    open_the_meeting(page, base, "Summer planning")
    expect(page.get_by_text("Your role in this meeting: Participant")).to_be_visible()
    page.get_by_label("Topic", exact=True).fill("Outreach at the shelter")
    page.get_by_label("Content note (optional)").fill("Talks about leaving a hard situation.")
    page.get_by_role("button", name="Propose this topic").click()
    expect(
        page.get_by_text("Thank you. Your topic is proposed. The co-chairs will decide.")
    ).to_be_visible()
    expect(page.get_by_text("Waiting for the co-chairs to decide.")).to_be_visible()
    check_axe(page)
    sign_out(page, base)

    # (c) Ash, a survivor co-chair, puts it on the agenda and makes River note-taker.
    sign_in(page, base, personas.ash.email)
    expect_heading(page, "My seat")
    check_axe(page)
    open_the_meeting(page, base, "Summer planning")
    page.get_by_role("button", name="Add to the agenda — Outreach at the shelter").click()
    expect(page.get_by_text("The topic is on the agenda.")).to_be_visible()
    agenda = page.get_by_role("region", name="Agenda")
    expect(agenda.get_by_role("heading", name="Outreach at the shelter")).to_be_visible()
    expect(agenda.get_by_text("Talks about leaving a hard situation.")).to_be_visible()
    check_axe(page)
    page.get_by_label("Meeting role for River").select_option(label="Note-taker")
    page.get_by_label("Meeting role for Ash").select_option(label="Chair")
    page.get_by_role("button", name="Save meeting roles").click()
    expect(page.get_by_text("The meeting roles are saved.")).to_be_visible()
    expect(page.get_by_text("Your role in this meeting: Chair")).to_be_visible()
    check_axe(page)
    item = AgendaItem.objects.get(title="Outreach at the shelter")
    assert item.status == AgendaStatus.ACCEPTED
    sign_out(page, base)

    # River sees the topic, their new role, and skips the topic without giving a reason.
    sign_in(page, base, personas.river.email)
    expect_heading(page, "My seat")
    open_the_meeting(page, base, "Summer planning")
    # A meeting role is asked, not given: River is a participant until saying yes.
    expect(page.get_by_text("Your role in this meeting: Participant")).to_be_visible()
    expect(page.get_by_text("You are asked to be the Note-taker for this meeting.")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Yes, I will").click()
    expect(page.get_by_text("Thank you. You said yes to this role.")).to_be_visible()
    expect(page.get_by_text("Your role in this meeting: Note-taker")).to_be_visible()
    expect(page.get_by_role("button", name="No, thank you")).to_be_visible()
    expect(page.get_by_role("button", name="Save meeting roles")).to_have_count(0)
    page.get_by_role("button", name="Skip this item — Outreach at the shelter").click()
    expect(
        page.get_by_text("You are skipping this topic. You don't have to say why.")
    ).to_be_visible()
    stop = page.get_by_role("button", name="Stop skipping — Outreach at the shelter")
    expect(stop).to_be_visible()
    check_axe(page)
    assert AgendaSkip.objects.filter(item=item, user=personas.river).exists()
    assert meeting.invitations.get(user=personas.river).meeting_role == MeetingRole.NOTE_TAKER
