"""Times in the viewer's own time zone, everywhere.

Harbor works in America/Chicago (set by its admin). Staff and Ash, who chose no zone of
their own, see Chicago time; River chose America/New_York in her profile. A meeting staff
type as 12:00 is noon in Chicago: 12:00 to Chicago viewers and 13:00 to River, on the
meeting page, the list, the minutes and the flagged-hours pages, each page naming the zone.
Reminders say only that there is an update."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.outbox import send_pending_updates
from accounts.selectors.profile import viewer_time_zone
from accounts.services.organization import update_organization_settings
from accounts.services.profile import update_profile
from compensation.services.flags import flag_hours
from meetings.models import Meeting
from meetings.services.minutes import draft_minutes
from meetings.services.scheduling import send_meeting_reminders
from tests.accounts.contact_choices import choose_email
from tests.compensation.factories import attend, past_meeting
from tests.meetings.factories import board_member
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
TITLE = "Spring planning"


@pytest.fixture
def harbor(personas):
    update_organization_settings(
        organization=personas.harbor, by=personas.ada, time_zone="America/Chicago"
    )
    personas.harbor.refresh_from_db()
    board_member(personas.ash, personas.harbor, co_chair=True)
    board_member(personas.river, personas.harbor)
    update_profile(user=personas.ash, organization=personas.harbor, chosen_name="Ash")
    choose_email(personas.river, personas.harbor, time_zone="America/New_York")
    return personas.harbor


def meeting_url(name: str, meeting: Meeting) -> str:
    return reverse(name, kwargs={"org": meeting.organization.slug, "pk": meeting.pk})


def a_day_next_month() -> date:
    return timezone.now().date() + timedelta(days=30)


def schedule_at_noon(client: Client, day: date) -> Meeting:
    response = client.post(
        reverse("schedule_meeting", kwargs={"org": "harbor"}),
        {
            "title": TITLE,
            "date": day.isoformat(),
            "time": "12:00",
            "duration_minutes": "90",
            "format": "video",
            "location": "https://video.example.test/room",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return Meeting.objects.get(title=TITLE)


def shown_time(page: str) -> tuple[str, str]:
    """The meeting's <time> element: its machine-readable UTC moment and the words shown."""
    found = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', page)
    assert found, "no <time> element on the page"
    return found.group(1), found.group(2)


def words_for(moment: datetime, zone: ZoneInfo) -> str:
    """How a page writes a moment, in a zone, by the format the pages use."""
    from django.utils.formats import date_format

    return date_format(moment.astimezone(zone), "l j F Y, H:i")


def test_staff_type_noon_in_chicago_and_each_viewer_sees_it_in_their_own_zone(personas, harbor):
    sam = client_for(personas.sam)
    form = sam.get(reverse("schedule_meeting", kwargs={"org": "harbor"})).content.decode()
    assert "In your time zone: America/Chicago." in form
    day = a_day_next_month()
    meeting = schedule_at_noon(sam, day)
    noon_in_chicago = datetime.combine(day, time(12), tzinfo=CHICAGO)
    assert meeting.starts_at == noon_in_chicago

    utc_moment = noon_in_chicago.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")
    for who, zone, clock, name in [
        (personas.sam, CHICAGO, "12:00", "America/Chicago"),
        (personas.ash, CHICAGO, "12:00", "America/Chicago"),
        (personas.river, NEW_YORK, "13:00", "America/New York"),
    ]:
        client = sam if who == personas.sam else client_for(who)
        page = client.get(meeting_url("meeting", meeting)).content.decode()
        machine, words = shown_time(page)
        assert machine == utc_moment  # the same moment for everyone
        assert words == words_for(noon_in_chicago, zone)
        assert words.endswith(clock)
        assert f"your time zone: {name}" in page
        listing = client.get(reverse("meetings", kwargs={"org": "harbor"})).content.decode()
        assert shown_time(listing)[1].endswith(clock)


def test_the_minutes_show_the_meeting_in_each_viewers_zone(personas, harbor):
    meeting = schedule_at_noon(client_for(personas.sam), a_day_next_month())
    draft_minutes(meeting=meeting, by=personas.sam, body="We planned the spring.")
    for who, clock, name in [
        (personas.sam, "12:00", "America/Chicago"),
        (personas.ash, "12:00", "America/Chicago"),
        (personas.river, "13:00", "America/New York"),
    ]:
        page = client_for(who).get(meeting_url("minutes", meeting)).content.decode()
        when = words_for(meeting.starts_at, CHICAGO if clock == "12:00" else NEW_YORK)
        assert f"Meeting on {when} (your time zone: {name})" in page
        assert when.endswith(clock)
        # No UTC time beside the local one.
        utc_clock = meeting.starts_at.astimezone(ZoneInfo("UTC")).strftime("%H:%M")
        assert utc_clock not in page


def test_reminders_stay_without_time_title_or_zone(personas, harbor):
    meeting = schedule_at_noon(client_for(personas.sam), a_day_next_month())
    # Within a day of the meeting; River has no quiet hours.
    assert send_meeting_reminders(now=meeting.starts_at - timedelta(hours=5)) == 1
    send_pending_updates()
    # The invitation and the reminder: neither says when, what or in which zone.
    to_river = [m for m in mail.outbox if personas.river.email in m.to]
    assert len(to_river) == 2
    for message in to_river:
        text = f"{message.subject}\n{message.body}"
        for never in ("12:00", "13:00", "America", TITLE, "Chicago", "New York", "UTC"):
            assert never not in text
        assert not message.attachments


def test_a_co_chair_in_new_york_types_noon_in_new_york(personas, harbor):
    board_member(personas.river, personas.harbor, co_chair=True)
    river = client_for(personas.river)
    form = river.get(reverse("schedule_meeting", kwargs={"org": "harbor"})).content.decode()
    assert "In your time zone: America/New York." in form
    day = a_day_next_month()
    meeting = schedule_at_noon(river, day)
    assert meeting.starts_at == datetime.combine(day, time(12), tzinfo=NEW_YORK)
    staff_page = client_for(personas.sam).get(meeting_url("meeting", meeting)).content.decode()
    assert shown_time(staff_page)[1].endswith("11:00")


def test_a_survivor_who_chose_no_zone_follows_the_organizations_change(personas, harbor):
    meeting = schedule_at_noon(client_for(personas.sam), a_day_next_month())
    ash = client_for(personas.ash)
    assert shown_time(ash.get(meeting_url("meeting", meeting)).content.decode())[1].endswith(
        "12:00"
    )
    update_organization_settings(organization=harbor, by=personas.ada, time_zone="America/Denver")
    page = ash.get(meeting_url("meeting", meeting)).content.decode()
    assert shown_time(page)[1].endswith("11:00")
    assert "your time zone: America/Denver" in page
    # River chose her own zone: the organization's change does not move her times.
    river_page = client_for(personas.river).get(meeting_url("meeting", meeting)).content.decode()
    assert shown_time(river_page)[1].endswith("13:00")


def test_flagged_hours_show_the_meeting_in_each_readers_zone(personas, harbor):
    day = timezone.now().date() - timedelta(days=3)
    noon = datetime.combine(day, time(12), tzinfo=CHICAGO)
    meeting = past_meeting(harbor, personas.river, starts_at=noon)
    attendance = attend(meeting, personas.river, by=personas.sam, hours="1.5")
    flag_hours(
        person=personas.river,
        organization=harbor,
        attendance=attendance,
        hours_expected=Decimal("2"),
        note="",
    )
    river_page = client_for(personas.river).get(
        reverse("flag_hours", kwargs={"org": "harbor", "attendance_id": attendance.pk})
    )
    text = river_page.content.decode()
    assert f"{day.day} {noon.strftime('%B %Y')}, 13:00" in text
    assert "your time zone: America/New York" in text
    finance = client_for(personas.fin).get(reverse("hours_flags", kwargs={"org": "harbor"}))
    text = finance.content.decode()
    assert f"{day.day} {noon.strftime('%B %Y')}, 12:00" in text
    assert "Times are in your time zone (America/Chicago)." in text


def test_the_zone_is_the_profiles_else_the_organizations(personas, harbor):
    assert viewer_time_zone(personas.river, harbor) == NEW_YORK
    assert viewer_time_zone(personas.ash, harbor) == CHICAGO  # profile, no zone chosen
    assert viewer_time_zone(personas.sam, harbor) == CHICAGO  # staff have no profile
    assert viewer_time_zone(personas.faye, harbor) == CHICAGO  # nor do funders
    assert viewer_time_zone(personas.otto, personas.second) == ZoneInfo("UTC")


def test_a_page_leaves_the_zone_behind_when_it_is_done(personas, harbor):
    client_for(personas.river).get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert timezone.get_current_timezone_name() == "UTC"
