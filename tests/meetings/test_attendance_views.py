"""The attendance sheet and My attendance: who may see each, one form for every invitee,
bad input refused with nothing saved, and survivors seeing only their own."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.events import attendance_changed
from meetings.models import Attendance, MeetingRole, MeetingStatus, Reply
from meetings.services.attendance import AttendanceRow, record_attendance
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory
from tests.mfa import sign_in
from tests.support.clients import client_for
from tests.support.meetings import make_co_chair, past_meeting, sheet_data, sheet_url

pytestmark = pytest.mark.django_db

# SHEET_QUERIES = 10, the same for 3 invitees as for 15: session and user (2); the MFA check
# (1); the viewer's time zone (1); the organization (1); the staff membership check (1); the
# meeting (1); the staff check again for this meeting (1, which for a co-chair is the check
# that they were invited); the invitations with each user and profile in one join (1); the
# saved attendance rows (1). Nothing is asked per invitee, so a board of fifteen costs what
# a board of three does.
SHEET_QUERIES = 10
# Co-chairs cost one more: after the staff check comes the co-chair check.


def mine_url(org="harbor") -> str:
    return reverse("my_attendance", kwargs={"org": org})


# --- who may see the sheet ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("sam", 200),
        ("ash", 404),
        ("river", 404),
        ("fin", 404),
        ("ada", 404),
        ("faye", 404),
        ("otto", 404),
    ],
)
def test_only_staff_and_co_chairs_see_the_sheet(personas, who, status):
    meeting = past_meeting(personas.harbor, personas.ash)
    assert client_for(getattr(personas, who)).get(sheet_url(meeting)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(personas, client):
    meeting = past_meeting(personas.harbor, personas.ash)
    response = client.get(sheet_url(meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_co_chair_sees_and_saves_the_sheet(personas):
    make_co_chair(personas.ash, personas.harbor)
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    client = client_for(personas.ash)
    assert client.get(sheet_url(meeting)).status_code == 200
    data = sheet_data(
        meeting,
        {
            personas.ash: (True, "1.5", MeetingRole.CHAIR),
            personas.river: (True, "1.5", MeetingRole.PARTICIPANT),
        },
    )
    assert client.post(sheet_url(meeting), data).status_code == 302
    assert Attendance.objects.filter(recorded_by=personas.ash).count() == 2


def test_another_organizations_meeting_is_404_even_under_my_own_organization(personas):
    theirs = past_meeting(personas.second, personas.otto)
    client = client_for(personas.sam)
    assert client.get(sheet_url(theirs)).status_code == 404
    assert client.get(sheet_url(theirs, org="second")).status_code == 404
    assert client.post(sheet_url(theirs), {}).status_code == 404
    assert not Attendance.objects.exists()


def test_a_non_staff_post_saves_nothing(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    data = sheet_data(meeting, {personas.ash: (True, "8", MeetingRole.PARTICIPANT)})
    assert client_for(personas.ash).post(sheet_url(meeting), data).status_code == 404
    assert not Attendance.objects.exists()


# --- the sheet itself --------------------------------------------------------------------


def test_the_sheet_shows_every_invitee_by_chosen_name_with_the_usual_answers(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    meeting = past_meeting(personas.harbor, duration_minutes=90)
    MeetingInvitationFactory.create(
        meeting=meeting, user=personas.ash, reply=Reply.YES, meeting_role=MeetingRole.CHAIR
    )
    MeetingInvitationFactory.create(meeting=meeting, user=personas.river, reply=Reply.NO)
    page = client_for(personas.sam).get(sheet_url(meeting)).content.decode()
    assert "Ash" in page
    assert "A board member without a name yet" in page
    assert personas.ash.email not in page
    assert personas.river.email not in page
    assert f'name="attended_{personas.ash.pk}" id="id_attended_{personas.ash.pk}" checked' in page
    assert f'name="attended_{personas.river.pk}" id="id_attended_{personas.river.pk}">' in page
    assert f'name="hours_{personas.ash.pk}" value="1.50"' in page
    assert '<option value="chair" selected>' in page
    assert page.count(">Save attendance</button>") == 1  # one form, one button, everyone


def test_saving_the_sheet_records_everyone_in_one_post(personas):
    people = [personas.ash, personas.river]
    meeting = past_meeting(personas.harbor, *people)
    data = sheet_data(
        meeting,
        {
            personas.ash: (True, "1.5", MeetingRole.FACILITATOR),
            personas.river: (False, "1.5", MeetingRole.PARTICIPANT),
        },
    )
    response = client_for(personas.sam).post(sheet_url(meeting), data, follow=True)
    assert "Attendance saved. 2 people&#x27;s attendance changed." in response.content.decode()
    ash = Attendance.objects.get(user=personas.ash)
    assert (ash.attended, ash.hours, ash.meeting_role) == (
        True,
        Decimal("1.50"),
        MeetingRole.FACILITATOR,
    )
    assert Attendance.objects.get(user=personas.river).attended is False


def test_saving_the_same_sheet_twice_announces_once(personas, django_capture_on_commit_callbacks):
    meeting = past_meeting(personas.harbor, personas.ash)
    data = sheet_data(meeting, {personas.ash: (True, "1.5", MeetingRole.PARTICIPANT)})
    calls = []

    def receiver(sender, attendance_id, version, **kwargs):
        calls.append((attendance_id, version))

    attendance_changed.connect(receiver, weak=False)
    try:
        client = client_for(personas.sam)
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(sheet_url(meeting), data, follow=True)
    finally:
        attendance_changed.disconnect(receiver)
    assert calls == [(Attendance.objects.get().pk, 1)]
    assert "Nothing had changed, so nothing new was saved." in response.content.decode()


def refused(personas, meeting, data) -> str:
    response = client_for(personas.sam).post(sheet_url(meeting), data)
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    page = response.content.decode()
    assert "Please check the list. Nothing was saved yet." in page
    return page


def test_negative_hours_are_refused_on_the_page(personas):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    data = sheet_data(
        meeting,
        {
            personas.ash: (True, "1.5", MeetingRole.PARTICIPANT),
            personas.river: (True, "-1", MeetingRole.PARTICIPANT),
        },
    )
    assert "Hours cannot be less than 0." in refused(personas, meeting, data)


def test_more_than_24_hours_are_refused_on_the_page(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    data = sheet_data(meeting, {personas.ash: (True, "25", MeetingRole.PARTICIPANT)})
    assert "Hours cannot be more than 24." in refused(personas, meeting, data)


def closed(personas, meeting) -> str:
    """A meeting that takes no attendance: the page says why and offers no form, and a
    POST made anyway (an old tab) saves nothing."""
    client = client_for(personas.sam)
    page = client.get(sheet_url(meeting)).content.decode()
    assert "Save attendance" not in page
    data = sheet_data(meeting, {personas.ash: (True, "1.5", MeetingRole.PARTICIPANT)})
    response = client.post(sheet_url(meeting), data)
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    return page + response.content.decode()


def test_a_cancelled_meeting_is_refused_on_the_page(personas):
    meeting = past_meeting(personas.harbor, personas.ash, status=MeetingStatus.CANCELLED)
    assert "This meeting was cancelled" in closed(personas, meeting)


def test_a_meeting_not_yet_started_is_refused_on_the_page(personas):
    meeting = MeetingFactory.create(organization=personas.harbor)  # next week
    MeetingInvitationFactory.create(meeting=meeting, user=personas.ash)
    assert "This meeting has not started yet." in closed(personas, meeting)


def test_someone_not_invited_cannot_be_slipped_into_the_post(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    data = sheet_data(
        meeting,
        {
            personas.ash: (True, "1.5", MeetingRole.PARTICIPANT),
            personas.river: (True, "1.5", MeetingRole.PARTICIPANT),
        },
    )
    client_for(personas.sam).post(sheet_url(meeting), data)
    assert list(Attendance.objects.values_list("user", flat=True)) == [personas.ash.pk]


def add_invitees(meeting, organization, count):
    for number in range(count):
        person = UserFactory.create(email=f"board{meeting.pk}-{number}@example.test")
        MembershipFactory.create(user=person, organization=organization)
        SurvivorProfileFactory.create(user=person, chosen_name=f"Member {number}")
        MeetingInvitationFactory.create(meeting=meeting, user=person, reply=Reply.YES)


def test_the_sheet_costs_the_same_queries_for_3_or_15_invitees(personas, django_assert_num_queries):
    small = past_meeting(personas.harbor)
    large = past_meeting(personas.harbor)
    add_invitees(small, personas.harbor, 3)
    add_invitees(large, personas.harbor, 15)
    client = client_for(personas.sam)
    client.get(sheet_url(small))  # warm up: the session and sign-in checks settle
    for meeting in (small, large):
        record_attendance(
            meeting=meeting,
            by=personas.sam,
            rows=[
                AttendanceRow(
                    user_id=meeting.invitations.first().user_id,
                    attended=True,
                    hours=Decimal("1"),
                    meeting_role=MeetingRole.PARTICIPANT,
                )
            ],
        )
        with django_assert_num_queries(SHEET_QUERIES):
            assert client.get(sheet_url(meeting)).status_code == 200


# --- My attendance ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("ash", 200),
        ("river", 200),
        ("sam", 404),
        ("fin", 404),
        ("ada", 404),
        ("faye", 404),
        ("otto", 404),
    ],
)
def test_only_harbor_survivors_open_my_attendance_in_harbor(personas, who, status):
    assert client_for(getattr(personas, who)).get(mine_url()).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in_from_my_attendance(personas, client):
    response = client.get(mine_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_survivor_sees_only_their_own_attendance(personas):
    together = past_meeting(personas.harbor, personas.ash, personas.river, title="Spring meeting")
    rivers_only = past_meeting(personas.harbor, personas.river, title="River only meeting")
    record_attendance(
        meeting=together,
        by=personas.sam,
        rows=[
            AttendanceRow(personas.ash.pk, True, Decimal("1.25"), MeetingRole.NOTE_TAKER),
            AttendanceRow(personas.river.pk, True, Decimal("3.5"), MeetingRole.CHAIR),
        ],
    )
    record_attendance(
        meeting=rivers_only,
        by=personas.sam,
        rows=[AttendanceRow(personas.river.pk, True, Decimal("2"), MeetingRole.CHAIR)],
    )
    page = client_for(personas.ash).get(mine_url()).content.decode()
    assert "Spring meeting" in page
    assert "1.25" in page
    assert "Note-taker" in page
    assert "River only meeting" not in page
    assert "3.50" not in page
    assert "Chair" not in page


def test_my_attendance_is_paginated_newest_first(personas):
    for number in range(27):
        meeting = past_meeting(personas.harbor, personas.ash, title=f"Meeting {number:02d}")
        meeting.starts_at = timezone.now() - datetime.timedelta(days=number + 1)
        meeting.save()
        record_attendance(
            meeting=meeting,
            by=personas.sam,
            rows=[AttendanceRow(personas.ash.pk, True, Decimal("1"), MeetingRole.PARTICIPANT)],
        )
    client = client_for(personas.ash)
    first = client.get(mine_url()).content.decode()
    assert "Page 1 of 2" in first
    assert first.index("Meeting 00") < first.index("Meeting 01")
    assert "Meeting 25" not in first
    second = client.get(mine_url() + "?page=2").content.decode()
    assert "Meeting 25" in second
    assert "Meeting 26" in second


def test_the_survivor_home_links_to_my_attendance(personas):
    page = client_for(personas.ash).get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert mine_url() in page.content.decode()


def test_a_co_chair_sees_no_attendance_sheet_for_a_meeting_they_were_not_invited_to(personas):
    """Such a meeting does not exist for them anywhere else, so neither does its sheet."""
    make_co_chair(personas.river, personas.harbor)
    meeting = MeetingFactory.create(
        organization=personas.harbor, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    MeetingInvitationFactory.create(meeting=meeting, user=personas.ash)
    url = reverse("record_attendance", kwargs={"org": "harbor", "pk": meeting.pk})
    client = Client()
    sign_in(client, personas.river)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    with pytest.raises(PermissionDenied):
        record_attendance(
            meeting=meeting,
            by=personas.river,
            rows=[
                AttendanceRow(
                    user_id=personas.ash.pk,
                    attended=True,
                    hours=Decimal("1"),
                    meeting_role=MeetingRole.PARTICIPANT,
                )
            ],
        )
    assert not Attendance.objects.exists()
    MeetingInvitationFactory.create(meeting=meeting, user=personas.river)
    assert client.get(url).status_code == 200
