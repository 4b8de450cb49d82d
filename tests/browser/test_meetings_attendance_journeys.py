"""Attendance in a real browser: staff record a whole board on one screen (a wrong number
refused first, nothing saved), and a survivor finds their own attendance from My seat.
Every page is axe-checked; the `watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Attendance, MeetingRole, Reply
from meetings.services.attendance import AttendanceRow, record_attendance
from tests.browser.helpers import (
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    sign_in,
    take_screenshots,
)
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    meeting = MeetingFactory.create(
        organization=personas.harbor,
        title="Spring meeting",
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        duration_minutes=90,
    )
    MeetingInvitationFactory.create(
        meeting=meeting, user=personas.ash, reply=Reply.YES, meeting_role=MeetingRole.CHAIR
    )
    MeetingInvitationFactory.create(meeting=meeting, user=personas.river, reply=Reply.YES)
    for name in ("Jo", "Kai", "Lee"):
        person = UserFactory.create(email=f"{name.lower()}@example.test")
        MembershipFactory.create(user=person, organization=personas.harbor)
        SurvivorProfileFactory.create(user=person, chosen_name=name)
        reply = Reply.NO if name == "Lee" else Reply.YES
        MeetingInvitationFactory.create(meeting=meeting, user=person, reply=reply)
    return meeting


def test_staff_record_attendance_for_the_whole_board_on_one_screen(
    page, live_server, personas, meeting, with_totp
):
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    page.goto(f"{live_server.url}/o/harbor/meetings/{meeting.pk}/attendance/")
    expect_heading(page, "Attendance")
    check_axe(page)
    # The usual answers are filled in: who said yes came, for the meeting's length.
    expect(page.get_by_label("Ash came")).to_be_checked()
    expect(page.get_by_label("Lee came")).not_to_be_checked()
    expect(page.get_by_label("Hours for River")).to_have_value("1.50")
    expect(page.get_by_label("Meeting role for Ash")).to_have_value("chair")

    page.get_by_label("Hours for Kai").fill("-1")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Please check the list. Nothing was saved yet.")).to_be_visible()
    expect(page.get_by_text("Hours cannot be less than 0.")).to_be_visible()
    check_axe(page)
    assert not Attendance.objects.exists()

    page.get_by_label("Hours for Kai").fill("1")
    page.get_by_label("Jo came").uncheck()
    page.get_by_label("Meeting role for River").select_option(label="Note-taker")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved. 5 people's attendance changed.")).to_be_visible()
    check_axe(page)
    saved = {
        a.user.survivor_profiles.get().chosen_name: a
        for a in Attendance.objects.select_related("user")
    }
    assert (saved["Kai"].attended, saved["Kai"].hours) == (True, Decimal("1.00"))
    assert (saved["Jo"].attended, saved["Jo"].hours) == (False, Decimal("0.00"))
    assert saved["River"].meeting_role == MeetingRole.NOTE_TAKER
    assert not saved["Lee"].attended

    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Nothing had changed, so nothing new was saved.")).to_be_visible()
    assert {a.version for a in Attendance.objects.all()} == {1}


def test_a_survivor_sees_their_own_attendance(page, live_server, personas, meeting):
    record_attendance(
        meeting=meeting,
        by=personas.sam,
        rows=[
            AttendanceRow(personas.ash.pk, True, Decimal("1.5"), MeetingRole.CHAIR),
            AttendanceRow(personas.river.pk, True, Decimal("2"), MeetingRole.NOTE_TAKER),
        ],
    )
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    check_axe(page)
    page.get_by_role("link", name="My attendance").click()
    expect_heading(page, "My attendance")
    check_axe(page)
    row = page.get_by_role("row", name="Spring meeting")
    expect(row).to_contain_text("1.50")
    expect(row).to_contain_text("Chair")
    expect(page.get_by_text("Note-taker")).to_have_count(0)


def _every_cell_fits(page, selector: str) -> bool:
    """Nothing in the table reaches past the screen's right edge, and nothing scrolls."""
    return bool(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector + ' td, ' + selector + ' th')]
                .every(cell => cell.getBoundingClientRect().right <= window.innerWidth)""",
            selector,
        )
    )


def test_attendance_tables_read_row_by_row_on_a_phone(
    page, live_server, personas, meeting, with_totp
):
    """At 360 px the hours and role columns were cut off behind a scroll region a keyboard
    could not reach; on a phone each row is now read top to bottom, named by column."""
    record_attendance(
        meeting=meeting,
        by=personas.sam,
        rows=[AttendanceRow(personas.ash.pk, True, Decimal("1.5"), MeetingRole.CHAIR)],
    )
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url, personas.ash.email)
    page.goto(f"{live_server.url}/o/harbor/my-seat/attendance/")
    expect_heading(page, "My attendance")
    check_axe(page)
    assert has_no_horizontal_scroll(page, 360)
    assert _every_cell_fits(page, "table")
    expect(page.get_by_role("cell", name="Chair")).to_be_in_viewport()
    expect(page.get_by_role("cell", name="1.50")).to_be_in_viewport()
    take_screenshots(page, "attendance-mine")

    page.context.clear_cookies()
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    page.goto(f"{live_server.url}/o/harbor/meetings/{meeting.pk}/attendance/")
    expect_heading(page, "Attendance")
    check_axe(page)
    assert has_no_horizontal_scroll(page, 360)
    assert _every_cell_fits(page, "table")
    expect(page.get_by_label("Hours for Lee")).to_be_visible()
    expect(page.get_by_label("Meeting role for Lee")).to_be_visible()
    take_screenshots(page, "attendance-record")
