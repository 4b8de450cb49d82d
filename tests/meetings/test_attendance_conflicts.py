"""Two people with the same attendance sheet open: a save that would undo what the other
saved meanwhile is refused plainly, with the sheet as it is saved now; pressing Save twice,
or changing different people, is no conflict."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from meetings.models import Attendance, MeetingRole
from meetings.services.attendance import AttendanceRow, record_attendance
from tests.support.clients import client_for
from tests.support.meetings import past_meeting, sheet_data, sheet_url

pytestmark = pytest.mark.django_db

SAVED_BY_SOMEONE_ELSE = "Someone else saved this attendance sheet a moment ago"


def opened(client, meeting) -> str:
    """The sheet's hidden record of what was saved when the page was made."""
    page = client.get(sheet_url(meeting)).content.decode()
    found = re.search(r'<input type="hidden" name="saved_versions"(?: value="([^"]*)")?', page)
    assert found is not None
    return found.group(1) or ""  # nothing saved yet


def someone_else_saves(personas, meeting, person, hours: str) -> None:
    record_attendance(
        meeting=meeting,
        by=personas.sam,
        rows=[AttendanceRow(person.pk, True, Decimal(hours), MeetingRole.PARTICIPANT)],
    )


def test_a_save_that_would_undo_someone_elses_is_refused_with_the_sheet_as_saved(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    someone_else_saves(personas, meeting, personas.ash, "1.5")
    client = client_for(personas.sam)
    seen = opened(client, meeting)
    someone_else_saves(personas, meeting, personas.ash, "2")

    data = sheet_data(meeting, {personas.ash: (True, "1", MeetingRole.PARTICIPANT)})
    response = client.post(sheet_url(meeting), {**data, "saved_versions": seen}, follow=True)

    page = response.content.decode()
    assert SAVED_BY_SOMEONE_ELSE in page
    assert Attendance.objects.get(user=personas.ash).hours == Decimal("2")
    assert 'value="2.00"' in page  # the sheet as it is saved now


def test_pressing_save_twice_is_no_conflict(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    client = client_for(personas.sam)
    seen = opened(client, meeting)
    data = sheet_data(meeting, {personas.ash: (True, "1.5", MeetingRole.PARTICIPANT)})

    client.post(sheet_url(meeting), {**data, "saved_versions": seen})
    response = client.post(sheet_url(meeting), {**data, "saved_versions": seen}, follow=True)

    assert "Nothing had changed, so nothing new was saved." in response.content.decode()


def test_changes_to_different_people_both_save(personas):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    client = client_for(personas.sam)
    seen = opened(client, meeting)
    someone_else_saves(personas, meeting, personas.river, "2")

    data = sheet_data(
        meeting,
        {
            personas.ash: (True, "1", MeetingRole.PARTICIPANT),
            personas.river: (True, "2", MeetingRole.PARTICIPANT),
        },
    )
    response = client.post(sheet_url(meeting), {**data, "saved_versions": seen}, follow=True)

    assert SAVED_BY_SOMEONE_ELSE not in response.content.decode()
    saved = dict(Attendance.objects.values_list("user_id", "hours"))
    assert saved == {personas.ash.pk: Decimal("1"), personas.river.pk: Decimal("2")}


def test_a_tampered_record_of_the_sheet_is_refused_with_nothing_saved(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    data = sheet_data(meeting, {personas.ash: (True, "1", MeetingRole.PARTICIPANT)})

    response = client_for(personas.sam).post(
        sheet_url(meeting), {**data, "saved_versions": "not-a-version"}
    )

    assert response.status_code == 200
    assert "This page was out of date." in response.content.decode()
    assert not Attendance.objects.exists()
