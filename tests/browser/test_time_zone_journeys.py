"""Time zones in a real browser: the admin moves the program from UTC to America/Chicago on
the settings page; staff schedule a meeting at 12:00, the form saying it is their time
zone; River chooses America/New_York in her profile and reads the meeting at 13:00, the
page naming her zone. Every page is axe-checked at 1280 and 360 px wide and must not
scroll sideways on the phone; the `watch` fixture fails any CSP violation or script
error. With SCREENSHOTS=1 the pages are saved as docs/screenshots/time-zone-*."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.models import AuditEvent, Organization, SurvivorProfile
from meetings.models import Meeting
from tests.browser.helpers import enter_totp, expect_heading, sign_in
from tests.browser.people_steps import check_page, new_page, sign_in_staff, sign_in_survivor
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
TITLE = "Spring planning"


def test_noon_in_chicago_reads_13_00_for_a_survivor_in_new_york(
    page, new_context, watch, live_server, personas, with_totp
):
    harbor = personas.harbor
    board_member(personas.river, harbor)
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")

    # --- Ada sets the program's time zone ------------------------------------------------
    with_totp(personas.ada)
    sign_in(page, live_server.url, personas.ada.email)
    enter_totp(page)
    expect_heading(page, "Members and invitations")
    check_page(page)
    page.get_by_role("link", name="Organization settings").click()
    expect_heading(page, "Organization settings")
    expect(page.get_by_text("Now: UTC.")).to_be_visible()
    check_page(page, "time-zone-settings")
    page.get_by_role("combobox", name="The program's time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved. Times are now shown in America/Chicago.")).to_be_visible()
    expect(page.get_by_text("Now: America/Chicago.")).to_be_visible()
    expect(page.get_by_role("combobox", name="The program's time zone")).to_have_value(
        "America/Chicago"
    )
    check_page(page, "time-zone-settings-saved")
    assert Organization.objects.get(pk=harbor.pk).time_zone == "America/Chicago"
    assert AuditEvent.objects.filter(action="organization.settings_updated").count() == 1

    # --- Sam schedules a meeting at 12:00, in their (the program's) time zone ------------
    staff = new_page(new_context, watch)
    sign_in_staff(staff, live_server.url, personas.sam, with_totp)
    staff.get_by_role("link", name="Meetings", exact=True).click()
    staff.get_by_role("link", name="Schedule a meeting").click()
    expect_heading(staff, "Schedule a meeting")
    expect(staff.get_by_text("In your time zone: America/Chicago.")).to_be_visible()
    check_page(staff, "time-zone-schedule")
    day = (timezone.now() + timedelta(days=30)).date()
    staff.get_by_label("Title").fill(TITLE)
    staff.get_by_label("Date").fill(day.isoformat())
    staff.get_by_label("Start time").fill("12:00")
    staff.get_by_label("Place or link").fill("Community room")
    staff.get_by_role("button", name="Schedule the meeting").click()
    expect_heading(staff, TITLE)
    noon = datetime.combine(day, time(12), tzinfo=CHICAGO)
    assert Meeting.objects.get(title=TITLE).starts_at == noon
    when = staff.locator("time")
    expect(when).to_have_text(date_format(noon, "l j F Y, H:i"))
    expect(when).to_contain_text("12:00")
    expect(staff.get_by_text("your time zone: America/Chicago")).to_be_visible()
    check_page(staff, "time-zone-meeting-staff")

    # --- River chooses New York time and reads the meeting at 13:00 ---------------------
    page = new_page(new_context, watch)
    sign_in_survivor(page, live_server.url, personas.river)
    page.get_by_role("link", name="My profile and how we contact you").click()
    expect_heading(page, "My profile")
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("")  # she chose none: the program's
    expect(zone.locator("option:checked")).to_have_text("The program's time zone (America/Chicago)")
    zone.select_option("America/New_York")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    check_page(page, "time-zone-profile")
    assert SurvivorProfile.objects.get(user=personas.river).time_zone == "America/New_York"

    page.goto(f"{live_server.url}/o/{harbor.slug}/")
    page.get_by_role("link", name="My meetings").click()
    expect_heading(page, "Meetings")
    listed = page.locator("li", has_text=TITLE).locator("time")
    expect(listed).to_contain_text("13:00")
    check_page(page, "time-zone-meetings-survivor")
    page.get_by_role("link", name=TITLE).click()
    expect_heading(page, TITLE)
    when = page.locator("time")
    expect(when).to_have_text(date_format(noon.astimezone(NEW_YORK), "l j F Y, H:i"))
    expect(when).to_contain_text("13:00")
    expect(page.get_by_text("your time zone: America/New York")).to_be_visible()
    # The same moment for machines, whoever reads it.
    utc = noon.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")
    expect(when).to_have_attribute("datetime", utc)
    check_page(page, "time-zone-meeting-survivor")
