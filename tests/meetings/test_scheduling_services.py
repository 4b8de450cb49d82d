"""Scheduling services: who may do what, who is told, and reminders once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent, OutboxMessage
from meetings.models import (
    AgendaItem,
    AgendaSkip,
    AgendaStatus,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    Reply,
)
from meetings.services import scheduling as services
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    board_member,
)


def _kwargs(**overrides):
    values = {
        "title": "Board meeting",
        "starts_at": timezone.now() + timedelta(days=3),
        "duration_minutes": 90,
        "format": "video",
        "location": "https://video.example.test/room",
    }
    return values | overrides


@pytest.fixture
def board(personas):
    """Ash co-chairs harbor's board, River is a member; Otto sits on second's board."""
    board_member(personas.ash, personas.harbor, co_chair=True)
    board_member(personas.river, personas.harbor)
    board_member(personas.otto, personas.second)
    return personas


def _kinds(user):
    return sorted(OutboxMessage.objects.filter(recipient=user).values_list("kind", flat=True))


def test_staff_schedule_and_every_active_board_member_is_invited_and_told(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    invited = set(meeting.invitations.values_list("user__email", flat=True))
    assert invited == {"ash@example.test", "river@example.test"}
    assert _kinds(board.ash) == ["meeting_invitation"]
    assert _kinds(board.river) == ["meeting_invitation"]
    assert _kinds(board.otto) == []
    assert AuditEvent.objects.filter(action="meeting.scheduled", target_id=meeting.pk).exists()


def test_co_chair_may_schedule_but_a_plain_member_may_not(board):
    services.schedule_meeting(organization=board.harbor, by=board.ash, **_kwargs())
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(organization=board.harbor, by=board.river, **_kwargs())


@pytest.mark.parametrize("who", ["fin", "faye", "otto"])
def test_others_may_not_schedule(board, who):
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(organization=board.harbor, by=getattr(board, who), **_kwargs())
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"starts_at": timezone.now() - timedelta(hours=1)},
        {"duration_minutes": 5},
        {"duration_minutes": 9 * 60},
        {"format": "pigeon"},
    ],
)
def test_bad_input_writes_nothing(board, overrides):
    with pytest.raises(ValidationError):
        services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs(**overrides))
    assert not Meeting.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_reschedule_and_cancel_tell_invitees_with_no_content(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    services.reschedule_meeting(
        meeting=meeting, by=board.ash, **_kwargs(starts_at=timezone.now() + timedelta(days=5))
    )
    services.cancel_meeting(meeting=meeting, by=board.sam)
    assert _kinds(board.river) == ["meeting_cancelled", "meeting_changed", "meeting_invitation"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    # The outbox row holds a kind, never the title, place or time.
    fields = {f.name for f in OutboxMessage._meta.get_fields()}
    assert not fields & {"subject", "body", "title", "location"}
    with pytest.raises(ValidationError):
        services.reschedule_meeting(meeting=meeting, by=board.sam, **_kwargs())
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting=meeting, by=board.sam)
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(meeting=meeting, by=board.river)


def test_only_the_invitee_replies(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    invitation = meeting.invitations.get(user=board.river)
    services.reply_to_meeting(invitation=invitation, person=board.river, reply=Reply.MAYBE)
    invitation.refresh_from_db()
    assert invitation.reply == Reply.MAYBE
    with pytest.raises(PermissionDenied):
        services.reply_to_meeting(invitation=invitation, person=board.ash, reply=Reply.YES)
    with pytest.raises(ValidationError):
        services.reply_to_meeting(invitation=invitation, person=board.river, reply="no_reply")


def test_survivor_leaders_can_hold_any_meeting_role(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    invitation = meeting.invitations.get(user=board.river)
    for role in ("chair", "facilitator", "note_taker", "participant"):
        services.set_meeting_role(invitation=invitation, by=board.ash, meeting_role=role)
        invitation.refresh_from_db()
        assert invitation.meeting_role == role
    with pytest.raises(PermissionDenied):
        services.set_meeting_role(invitation=invitation, by=board.river, meeting_role="chair")


def test_an_invited_member_proposes_and_a_co_chair_accepts(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    item = services.propose_agenda_item(
        meeting=meeting, by=board.river, title="Outreach", description="", content_note=""
    )
    assert item.status == AgendaStatus.PROPOSED
    with pytest.raises(PermissionDenied):
        services.decide_agenda_item(item=item, by=board.river, accept=True)
    services.decide_agenda_item(item=item, by=board.ash, accept=True)
    item.refresh_from_db()
    assert item.status == AgendaStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.decide_agenda_item(item=item, by=board.sam, accept=False)


def test_people_outside_the_meeting_cannot_propose(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    for who in (board.otto, board.fin, board.faye):
        with pytest.raises(PermissionDenied):
            services.propose_agenda_item(
                meeting=meeting, by=who, title="A topic", description="", content_note=""
            )
    assert not AgendaItem.objects.exists()


def test_anyone_invited_skips_without_a_reason_and_can_undo(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    item = AgendaItemFactory.create(meeting=meeting, content_note="May be hard")
    services.skip_agenda_item(item=item, person=board.river)
    services.skip_agenda_item(item=item, person=board.river)
    assert AgendaSkip.objects.filter(item=item, user=board.river).count() == 1
    event = AuditEvent.objects.get(action="agenda.skipped")
    assert event.actor_id is None  # no log ties a person to a topic they chose to miss
    services.unskip_agenda_item(item=item, person=board.river)
    assert not AgendaSkip.objects.exists()
    with pytest.raises(PermissionDenied):
        services.skip_agenda_item(item=item, person=board.otto)


def test_reminders_go_once_and_only_for_the_next_day(board):
    now = timezone.now()
    soon = MeetingFactory.create(organization=board.harbor, starts_at=now + timedelta(hours=5))
    later = MeetingFactory.create(organization=board.harbor, starts_at=now + timedelta(days=3))
    gone = MeetingFactory.create(
        organization=board.harbor,
        starts_at=now + timedelta(hours=2),
        status=MeetingStatus.CANCELLED,
    )
    for meeting in (soon, later, gone):
        MeetingInvitationFactory.create(meeting=meeting, user=board.river)
    MeetingInvitationFactory.create(meeting=soon, user=board.ash, reply=Reply.NO)
    assert services.send_meeting_reminders(now=now) == 1
    assert services.send_meeting_reminders(now=now) == 0
    assert _kinds(board.river) == ["meeting_reminder"]
    assert _kinds(board.ash) == []  # said no: no reminder
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None


def test_the_celery_task_calls_the_service(board):
    from meetings.tasks import send_meeting_reminders

    meeting = MeetingFactory.create(
        organization=board.harbor, starts_at=timezone.now() + timedelta(hours=1)
    )
    MeetingInvitationFactory.create(meeting=meeting, user=board.river)
    assert send_meeting_reminders.apply().get() == 1


def test_hourly_beat_entry():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["send-meeting-reminders"]
    assert entry["task"] == "meetings.tasks.send_meeting_reminders"
    assert entry["schedule"] == timedelta(hours=1)


def test_invitations_are_unique_per_person(board):
    meeting = services.schedule_meeting(organization=board.harbor, by=board.sam, **_kwargs())
    assert MeetingInvitation.objects.filter(meeting=meeting).count() == 2
