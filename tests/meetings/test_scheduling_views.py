"""Scheduling pages: who sees what, the place hidden from non-invitees, times in the viewer's
time zone, bad input refused with nothing written, and flat query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, OutboxMessage
from meetings.models import AgendaItem, AgendaStatus, Meeting
from tests.factories import SurvivorProfileFactory, UserFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    board_member,
)
from tests.mfa import give_totp, sign_in

PLACE = "https://video.example.test/secret-room"


@pytest.fixture
def meeting(personas):
    board_member(personas.ash, personas.harbor, co_chair=True)
    board_member(personas.river, personas.harbor)
    meeting = MeetingFactory.create(
        organization=personas.harbor,
        location=PLACE,
        starts_at=datetime(2030, 6, 1, 16, 0, tzinfo=UTC),
    )
    for person in (personas.ash, personas.river):
        MeetingInvitationFactory.create(meeting=meeting, user=person)
    return meeting


def _as(client, user):
    if user.email.split("@")[0] in ("sam", "fin", "ada", "faye"):
        give_totp(user)
    sign_in(client, user)
    return client


def _url(name, meeting, **extra):
    return reverse(name, kwargs={"org": meeting.organization.slug, "pk": meeting.pk, **extra})


@pytest.mark.parametrize("who", ["ash", "river", "sam", "ada"])
def test_invitees_and_staff_see_the_place(client, personas, meeting, who):
    response = _as(client, getattr(personas, who)).get(_url("meeting", meeting))
    assert response.status_code == 200
    assert PLACE in response.content.decode()


def test_an_uninvited_survivor_of_the_same_organization_gets_404(client, personas, meeting):
    meeting.invitations.filter(user=personas.river).delete()
    response = _as(client, personas.river).get(_url("meeting", meeting))
    assert response.status_code == 404
    listing = client.get(reverse("meetings", kwargs={"org": "harbor"}))
    assert meeting.title not in listing.content.decode()
    assert PLACE not in listing.content.decode()


@pytest.mark.parametrize("who", ["fin", "faye", "otto"])
def test_others_get_404(client, personas, meeting, who):
    response = _as(client, getattr(personas, who)).get(_url("meeting", meeting))
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, meeting):
    response = client.get(_url("meeting", meeting))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_times_are_shown_in_the_viewers_time_zone(client, personas, meeting):
    personas.harbor.time_zone = "America/New_York"
    personas.harbor.save()
    SurvivorProfileFactory.create(
        user=personas.river, chosen_name="River", time_zone="Europe/Berlin"
    )
    river_page = _as(client, personas.river).get(_url("meeting", meeting)).content.decode()
    assert "18:00" in river_page
    assert "your time zone: Europe/Berlin" in river_page
    client.logout()
    sam_page = _as(client, personas.sam).get(_url("meeting", meeting)).content.decode()
    assert "12:00" in sam_page
    assert "your time zone: America/New York" in sam_page


def test_staff_schedule_in_the_organizations_time_zone(client, personas, meeting):
    personas.harbor.time_zone = "America/New_York"
    personas.harbor.save()
    date = (timezone.now() + timedelta(days=30)).date()
    response = _as(client, personas.sam).post(
        reverse("schedule_meeting", kwargs={"org": "harbor"}),
        {
            "title": "Planning",
            "date": date.isoformat(),
            "time": "09:00",
            "duration_minutes": "60",
            "format": "in_person",
            "location": "Room 2",
        },
    )
    assert response.status_code == 302
    new = Meeting.objects.get(title="Planning")
    assert timezone.localtime(new.starts_at, ZoneInfo("America/New_York")).hour == 9
    assert set(new.invitations.values_list("user__email", flat=True)) == {
        "ash@example.test",
        "river@example.test",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "2001-01-01", "has not passed yet"),
        ("duration_minutes", "5", "at least 15 minutes"),
        ("duration_minutes", "600", "at most 8 hours"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(
    client, personas, meeting, field, value, message
):
    data = {
        "title": "Planning",
        "date": (timezone.now() + timedelta(days=30)).date().isoformat(),
        "time": "09:00",
        "duration_minutes": "60",
        "format": "video",
        "location": "",
    } | {field: value}
    response = _as(client, personas.ash).post(
        reverse("schedule_meeting", kwargs={"org": "harbor"}), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.filter(title="Planning").exists()


def test_cancelled_meeting_cannot_be_changed(client, personas, meeting):
    _as(client, personas.sam)
    client.post(_url("cancel_meeting", meeting))
    told = OutboxMessage.objects.filter(kind="meeting_cancelled").count()
    assert told == 2
    response = client.post(_url("cancel_meeting", meeting), follow=True)
    assert "cancelled, so it cannot be changed" in response.content.decode()
    assert OutboxMessage.objects.filter(kind="meeting_cancelled").count() == 2


def test_a_survivor_proposes_and_a_co_chair_accepts(client, personas, meeting):
    _as(client, personas.river).post(
        _url("propose_agenda_item", meeting),
        {"title": "Outreach", "description": "", "content_note": "May be hard"},
    )
    item = AgendaItem.objects.get(title="Outreach")
    assert item.status == AgendaStatus.PROPOSED
    refused = client.post(_url("decide_agenda_item", meeting, item_pk=item.pk))
    assert refused.status_code == 404
    client.logout()
    _as(client, personas.ash).post(
        _url("decide_agenda_item", meeting, item_pk=item.pk), {"decision": "accept"}
    )
    item.refresh_from_db()
    assert item.status == AgendaStatus.ACCEPTED
    page = client.get(_url("meeting", meeting)).content.decode()
    assert "May be hard" in page
    assert "Skip this item" in page


def test_skip_toggles_without_a_reason(client, personas, meeting):
    item = AgendaItemFactory.create(meeting=meeting)
    _as(client, personas.river)
    client.post(_url("skip_agenda_item", meeting, item_pk=item.pk), {"skip": "yes"})
    assert item.skips.filter(user=personas.river).exists()
    client.post(_url("skip_agenda_item", meeting, item_pk=item.pk), {"skip": "no"})
    assert not item.skips.exists()


def test_reply(client, personas, meeting):
    _as(client, personas.river).post(_url("reply_to_meeting", meeting), {"reply": "maybe"})
    assert meeting.invitations.get(user=personas.river).reply == "maybe"


@pytest.mark.parametrize("who", ["sam", "river"])
def test_list_query_count_is_flat(client, personas, who):
    user = getattr(personas, who)
    _as(client, user)
    url = reverse("meetings", kwargs={"org": "harbor"})

    def make(n):
        for _ in range(n):
            m = MeetingFactory.create(organization=personas.harbor)
            MeetingInvitationFactory.create(meeting=m, user=personas.river)

    make(3)
    client.get(url)  # the first request of a session does one-off work
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_meeting_page_leads_to_what_people_said_and_once_started_to_attendance(
    client, personas, meeting
):
    url = reverse("meeting", kwargs={"org": "harbor", "pk": meeting.pk})
    attendance = reverse("record_attendance", kwargs={"org": "harbor", "pk": meeting.pk})
    _as(client, personas.sam)
    page = client.get(url).content.decode()
    assert reverse("meeting_input", kwargs={"org": "harbor", "pk": meeting.pk}) in page
    assert attendance not in page  # not started yet
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    assert attendance in client.get(url).content.decode()
    _as(client, personas.river)  # a board member, not a co-chair: no attendance sheet
    assert attendance not in client.get(url).content.decode()


# --- meeting roles from the meeting page ----------------------------------------------------


def _role_of(meeting, user):
    return meeting.invitations.get(user=user).meeting_role


@pytest.mark.parametrize("who", ["sam", "ada", "ash"])
def test_runners_set_meeting_roles_in_one_go(client, personas, meeting, who):
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    _as(client, getattr(personas, who))
    page = client.get(_url("meeting", meeting)).content.decode()
    assert "Meeting role for River" in page
    assert "Meeting role for A board member without a name yet" in page  # ash has no name
    assert "river@example.test" not in page
    response = client.post(
        _url("set_meeting_roles", meeting),
        {f"role_{personas.river.pk}": "note_taker", f"role_{personas.ash.pk}": "chair"},
        follow=True,
    )
    assert "The meeting roles are saved." in response.content.decode()
    assert _role_of(meeting, personas.river) == "note_taker"
    assert _role_of(meeting, personas.ash) == "chair"
    assert AuditEvent.objects.filter(action="meeting.role_set").count() == 2


@pytest.mark.parametrize("who", ["river", "fin", "faye", "otto"])
def test_others_cannot_set_meeting_roles(client, personas, meeting, who):
    response = _as(client, getattr(personas, who)).post(
        _url("set_meeting_roles", meeting), {f"role_{personas.river.pk}": "chair"}
    )
    assert response.status_code == 404
    assert _role_of(meeting, personas.river) == "participant"


def test_a_survivor_sees_no_roles_form(client, personas, meeting):
    page = _as(client, personas.river).get(_url("meeting", meeting)).content.decode()
    assert "Save meeting roles" not in page
    assert "Your role in this meeting" in page


def test_setting_roles_is_post_only(client, personas, meeting):
    assert _as(client, personas.sam).get(_url("set_meeting_roles", meeting)).status_code == 405


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"role_{river}": "note_taker", "role_{ash}": "boss"}, "Choose one of the meeting roles"),
        ({"role_{river}": "note_taker", "role_{fin}": "chair"}, "Only people invited"),
        ({"role_{river}": "note_taker", "role_me": "chair"}, "was not right"),
    ],
)
def test_bad_roles_are_refused_with_nothing_written(client, personas, meeting, bad, message):
    ids = {name: getattr(personas, name).pk for name in ("river", "ash", "fin")}
    data = {key.format(**ids): value for key, value in bad.items()}
    response = _as(client, personas.sam).post(_url("set_meeting_roles", meeting), data, follow=True)
    assert message in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert set(meeting.invitations.values_list("meeting_role", flat=True)) == {"participant"}
    assert not AuditEvent.objects.filter(action="meeting.role_set").exists()


def test_roles_of_a_cancelled_meeting_cannot_be_set(client, personas, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    response = _as(client, personas.sam).post(
        _url("set_meeting_roles", meeting),
        {f"role_{personas.river.pk}": "note_taker"},
        follow=True,
    )
    page = response.content.decode()
    assert "cancelled, so it cannot be changed" in page
    assert "Save meeting roles" not in page
    assert _role_of(meeting, personas.river) == "participant"


def test_nothing_changed_says_so(client, personas, meeting):
    response = _as(client, personas.sam).post(
        _url("set_meeting_roles", meeting),
        {f"role_{personas.river.pk}": "participant"},
        follow=True,
    )
    assert "Nothing had changed" in response.content.decode()
    assert not AuditEvent.objects.filter(action="meeting.role_set").exists()


def test_a_survivor_who_says_yes_to_taking_notes_can_draft_minutes(client, personas, meeting):
    _as(client, personas.river)
    assert client.get(_url("edit_minutes", meeting)).status_code == 404
    client.logout()
    _as(client, personas.ash).post(
        _url("set_meeting_roles", meeting), {f"role_{personas.river.pk}": "note_taker"}
    )
    client.logout()
    _as(client, personas.river)
    page = client.get(_url("meeting", meeting)).content.decode()
    assert "Your role in this meeting:</strong> Participant" in page
    assert "You are asked to be the Note-taker for this meeting" in page
    assert client.get(_url("edit_minutes", meeting)).status_code == 404  # not before a yes
    assert OutboxMessage.objects.filter(recipient=personas.river, kind="meeting_role_offered")
    client.post(_url("answer_meeting_role", meeting), {"answer": "yes"})
    page = client.get(_url("meeting", meeting)).content.decode()
    assert "Your role in this meeting:</strong> Note-taker" in page
    assert client.get(_url("edit_minutes", meeting)).status_code == 200


def test_a_meeting_role_can_be_declined_and_is_then_not_held(client, personas, meeting):
    _as(client, personas.sam).post(
        _url("set_meeting_roles", meeting), {f"role_{personas.river.pk}": "chair"}
    )
    client.logout()
    _as(client, personas.river)
    response = client.post(_url("answer_meeting_role", meeting), {"answer": "no"}, follow=True)
    page = response.content.decode()
    assert "You said no. You take part as a participant." in page
    assert "Your role in this meeting:</strong> Participant" in page
    assert AuditEvent.objects.filter(action="meeting.role_declined", actor_id=personas.river.pk)
    client.logout()
    sign_in(client, personas.sam)  # has a sign-in app since the first visit
    staff_page = client.get(_url("meeting", meeting)).content.decode()
    assert "Their answer: Said no" in staff_page
    sheet = client.get(_url("record_attendance", meeting))
    if sheet.status_code == 200:  # the sheet opens once the meeting has started
        assert 'value="chair" selected' not in sheet.content.decode()


def test_only_the_invitee_answers_and_only_yes_or_no(client, personas, meeting):
    _as(client, personas.sam).post(
        _url("set_meeting_roles", meeting), {f"role_{personas.river.pk}": "chair"}
    )
    client.logout()
    _as(client, personas.ash)  # invited, but not asked
    response = client.post(_url("answer_meeting_role", meeting), {"answer": "yes"}, follow=True)
    assert "You have not been asked to take a meeting role." in response.content.decode()
    client.logout()
    _as(client, personas.river)
    response = client.post(_url("answer_meeting_role", meeting), {"answer": "maybe"}, follow=True)
    assert "Choose yes or no." in response.content.decode()
    invitation = meeting.invitations.get(user=personas.river)
    assert (invitation.meeting_role, invitation.role_answer) == ("chair", "offered")


@pytest.mark.parametrize("who", ["sam", "river"])
def test_meeting_page_query_count_is_flat(client, personas, meeting, who):
    _as(client, getattr(personas, who))
    url = _url("meeting", meeting)

    def invite(n):
        for _ in range(n):
            person = UserFactory.create()
            SurvivorProfileFactory.create(
                user=person, organization=meeting.organization, chosen_name=f"Person {person.pk}"
            )
            MeetingInvitationFactory.create(meeting=meeting, user=person)

    invite(1)  # three invitees
    client.get(url)  # the first request of a session does one-off work
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    invite(27)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
        assert page.status_code == 200
    assert len(many) == len(few)
    if who == "sam":
        assert page.content.decode().count("<select") == 30


def test_a_meeting_that_is_over_shows_what_happened_and_asks_nothing(client, personas, meeting):
    AgendaItemFactory.create(meeting=meeting, status=AgendaStatus.ACCEPTED, title="Budget")
    AgendaItemFactory.create(meeting=meeting, status=AgendaStatus.PROPOSED, title="Outreach")
    meeting.invitations.filter(user=personas.river).update(
        meeting_role="note_taker", role_answer="offered"
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), duration_minutes=90
    )
    for who in (personas.river, personas.ash):
        page = _as(client, who).get(_url("meeting", meeting)).content.decode()
        assert "This meeting is over." in page
        for gone in ("Will you come?", "Propose a topic", "Skip this item", "Outreach"):
            assert gone not in page, gone
        assert "A meeting role for you" not in page
        assert "Meeting roles" not in page  # ash is a co-chair: no sheet to change either
        assert "Minutes" in page
        assert "What people said" in page
        client.logout()
    _as(client, personas.river)
    for name, data in (
        ("reply_to_meeting", {"reply": "yes"}),
        ("answer_meeting_role", {"answer": "yes"}),
        ("propose_agenda_item", {"title": "Late idea"}),
    ):
        response = client.post(_url(name, meeting), data, follow=True)
        assert "so this can no longer be changed" in response.content.decode(), name
    invitation = meeting.invitations.get(user=personas.river)
    assert (invitation.reply, invitation.role_answer) == ("no_reply", "offered")
    assert not AgendaItem.objects.filter(title="Late idea").exists()


def test_a_co_chair_who_takes_a_role_themselves_is_not_asked_again(client, personas, meeting):
    _as(client, personas.ash).post(
        _url("set_meeting_roles", meeting),
        {f"role_{personas.ash.pk}": "chair", f"role_{personas.river.pk}": "facilitator"},
    )
    answers = dict(meeting.invitations.values_list("user_id", "role_answer"))
    assert answers == {personas.ash.pk: "accepted", personas.river.pk: "offered"}
    offers = OutboxMessage.objects.filter(kind="meeting_role_offered")
    assert list(offers.values_list("recipient", flat=True)) == [personas.river.pk]
