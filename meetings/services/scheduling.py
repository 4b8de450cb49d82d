"""Scheduling board meetings, invitations, replies, meeting roles and the agenda.

Staff and survivor co-chairs run meetings. Every survivor leader with an active role on the
board is invited and told through the outbox, which only ever says "there is an update".
Times are stored in UTC. Audit events carry ids and codes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import (
    AssignmentStatus,
    Organization,
    Role,
    RoleAssignment,
    User,
)
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, allows, require
from accounts.services.roles import ensure_board
from accounts.update_kinds import page
from meetings.events import meeting_cancelled
from meetings.models import (
    AgendaItem,
    AgendaSkip,
    AgendaStatus,
    Meeting,
    MeetingInvitation,
    MeetingRole,
    MeetingStatus,
    Reply,
    RoleAnswer,
)

# Staff and admins look after the board (as on the board pages); finance does not.
REPLIES = frozenset({Reply.YES, Reply.NO, Reply.MAYBE})
REMINDER_WINDOW = timedelta(hours=24)


# The rules' words, written once: the forms show these same messages.
ANSWER_MISSING = gettext_lazy("Choose yes, no or maybe.")
MEETING_CANCELLED = gettext_lazy("This meeting was cancelled, so it cannot be changed.")


def board_members_to_invite(organization: Organization) -> QuerySet[User]:
    """Survivor leaders of the organization with an active role on its board."""
    today = timezone.localdate()
    active = (
        RoleAssignment.objects.filter(
            board__organization=organization,
            status=AssignmentStatus.ACTIVE,
            starts_on__lte=today,
        )
        .exclude(ends_on__lt=today)
        .values("user_id")
    )
    return User.objects.filter(
        pk__in=active,
        is_active=True,
        memberships__organization=organization,
        memberships__role=Role.SURVIVOR_LEADER,
    ).distinct()


def _require_open(meeting: Meeting) -> None:
    """Answers, roles, topics and changes belong to a meeting still to come: once it is
    cancelled or over, only what happened is left (attendance, input, minutes)."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(MEETING_CANCELLED)
    if meeting.has_ended:
        raise ValidationError(_("This meeting is over, so this can no longer be changed."))


def _require_future(starts_at: datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a date and time that has not passed yet.")})


def meeting_page(meeting: Meeting) -> str:
    """Where an update about a meeting takes the person: the meeting's own page."""
    return page("meeting", meeting.organization, pk=meeting.pk)


def _tell_invitees(meeting: Meeting, kind: str) -> int:
    told = 0
    for invitation in meeting.invitations.select_related("user").order_by("pk"):
        enqueue_update(
            recipient=invitation.user,
            organization=meeting.organization,
            kind=kind,
            target=meeting_page(meeting),
        )
        told += 1
    return told


def _audit(action: str, by: User | None, organization: Organization, type_: str, pk: int) -> None:
    record_event(
        action=action,
        actor_id=by.pk if by is not None else None,
        organization_id=organization.pk,
        target_type=type_,
        target_id=pk,
    )


@transaction.atomic
def schedule_meeting(
    *,
    organization: Organization,
    by: User,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    format: str,  # the model's field name
    location: str,
) -> Meeting:
    require(by, organization, Capability.RUN_MEETINGS)
    _require_future(starts_at)
    meeting = Meeting(
        organization=organization,
        board=ensure_board(organization=organization),
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        format=format,
        location=location.strip(),
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    for user in board_members_to_invite(organization).order_by("pk"):
        invitation = MeetingInvitation(meeting=meeting, user=user)
        invitation.full_clean()
        invitation.save()
    _tell_invitees(meeting, "meeting_invitation")
    _audit("meeting.scheduled", by, organization, "meeting", meeting.pk)
    return meeting


@transaction.atomic
def reschedule_meeting(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    format: str,  # the model's field name
    location: str,
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require(by, meeting.organization, Capability.RUN_MEETINGS)
    _require_open(meeting)
    if starts_at != meeting.starts_at:
        _require_future(starts_at)
        meeting.reminder_sent_at = None  # a new time deserves its own reminder
    meeting.title = title.strip()
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration_minutes
    meeting.format = format
    meeting.location = location.strip()
    meeting.full_clean()
    meeting.save()
    _tell_invitees(meeting, "meeting_changed")
    _audit("meeting.rescheduled", by, meeting.organization, "meeting", meeting.pk)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require(by, meeting.organization, Capability.RUN_MEETINGS)
    _require_open(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.full_clean()
    meeting.save(update_fields=["status", "updated_at"])
    transaction.on_commit(
        partial(
            meeting_cancelled.send,
            sender=Meeting,
            meeting_id=meeting.pk,
            cancelled_at=meeting.updated_at,
        ),
        robust=True,
    )
    _tell_invitees(meeting, "meeting_cancelled")
    _audit("meeting.cancelled", by, meeting.organization, "meeting", meeting.pk)
    return meeting


@transaction.atomic
def reply_to_meeting(*, invitation: MeetingInvitation, person: User, reply: str) -> None:
    invitation = (
        MeetingInvitation.objects.select_for_update()
        .select_related("meeting__organization")
        .get(pk=invitation.pk)
    )
    if invitation.user_id != person.pk:
        raise PermissionDenied
    _require_open(invitation.meeting)
    if reply not in REPLIES:
        raise ValidationError({"reply": ANSWER_MISSING})
    invitation.reply = reply
    invitation.replied_at = timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["reply", "replied_at"])
    _audit(
        "meeting.replied",
        person,
        invitation.meeting.organization,
        "meeting_invitation",
        invitation.pk,
    )


@transaction.atomic
def set_meeting_role(*, invitation: MeetingInvitation, by: User, meeting_role: str) -> None:
    """Offer a meeting role (chair, facilitator, note-taker) to an invitee, who says yes or
    no; participant needs no answer. A role is never held without the person's yes."""
    invitation = (
        MeetingInvitation.objects.select_for_update()
        .select_related("meeting__organization")
        .get(pk=invitation.pk)
    )
    require(by, invitation.meeting.organization, Capability.RUN_MEETINGS)
    _require_open(invitation.meeting)
    if meeting_role not in MeetingRole.values:
        raise ValidationError({"meeting_role": _("Choose one of the meeting roles.")})
    invitation.meeting_role = meeting_role
    # A co-chair who takes a role themselves has already said yes to it.
    offered = meeting_role != MeetingRole.PARTICIPANT and by.pk != invitation.user_id
    invitation.role_answer = RoleAnswer.OFFERED if offered else RoleAnswer.ACCEPTED
    invitation.full_clean()
    invitation.save(update_fields=["meeting_role", "role_answer"])
    organization = invitation.meeting.organization
    if offered:
        enqueue_update(
            recipient=invitation.user,
            organization=organization,
            kind="meeting_role_offered",
            target=meeting_page(invitation.meeting),
        )
    _audit("meeting.role_set", by, organization, "meeting_invitation", invitation.pk)


@transaction.atomic
def answer_meeting_role(*, invitation: MeetingInvitation, person: User, accept: bool) -> None:
    """Only the person answers, with no reason asked. They may change their mind until the
    meeting is over; saying no leaves them a participant, nothing else changes."""
    invitation = (
        MeetingInvitation.objects.select_for_update()
        .select_related("meeting__organization")
        .get(pk=invitation.pk)
    )
    if invitation.user_id != person.pk:
        raise PermissionDenied
    _require_open(invitation.meeting)
    if invitation.meeting_role == MeetingRole.PARTICIPANT:
        raise ValidationError(_("You have not been asked to take a meeting role."))
    invitation.role_answer = RoleAnswer.ACCEPTED if accept else RoleAnswer.DECLINED
    invitation.full_clean()
    invitation.save(update_fields=["role_answer"])
    action = "meeting.role_accepted" if accept else "meeting.role_declined"
    _audit(action, person, invitation.meeting.organization, "meeting_invitation", invitation.pk)


@transaction.atomic
def set_meeting_roles(*, meeting: Meeting, by: User, roles: Mapping[int, str]) -> int:
    """Several invitees' meeting roles at once (user id -> role), all or nothing: an unknown
    role or someone not invited refuses the whole set before anything is written. Returns
    how many roles changed."""
    meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    require(by, meeting.organization, Capability.RUN_MEETINGS)
    _require_open(meeting)
    if any(role not in MeetingRole.values for role in roles.values()):
        raise ValidationError(_("Choose one of the meeting roles. Nothing was saved."))
    invitations = {i.user_id: i for i in meeting.invitations.filter(user_id__in=list(roles))}
    if len(invitations) != len(roles):
        raise ValidationError(
            _("Only people invited to this meeting can have a meeting role. Nothing was saved.")
        )
    changed = 0
    for user_id in sorted(roles):
        invitation = invitations[user_id]
        # The same role again is not a new offer: someone who said no is not asked twice
        # by pressing save on the whole sheet.
        if invitation.meeting_role != roles[user_id]:
            set_meeting_role(invitation=invitation, by=by, meeting_role=roles[user_id])
            changed += 1
    return changed


def _is_invited(user: User, meeting: Meeting) -> bool:
    return MeetingInvitation.objects.filter(meeting=meeting, user=user).exists()


def can_propose(user: User, meeting: Meeting) -> bool:
    """Invited survivor board members, staff and co-chairs of the meeting's organization."""
    organization = meeting.organization
    if allows(user, organization, Capability.RUN_MEETINGS):
        return True
    return _is_invited(user, meeting) and allows(user, organization, Capability.USE_OWN_SEAT)


@transaction.atomic
def propose_agenda_item(
    *, meeting: Meeting, by: User, title: str, description: str, content_note: str
) -> AgendaItem:
    if not can_propose(by, meeting):
        raise PermissionDenied
    _require_open(meeting)
    item = AgendaItem(
        meeting=meeting,
        title=title.strip(),
        description=description.strip(),
        content_note=content_note.strip(),
        proposed_by=by,
        status=AgendaStatus.PROPOSED,
    )
    item.full_clean()
    item.save()
    _audit("agenda.proposed", by, meeting.organization, "agenda_item", item.pk)
    return item


@transaction.atomic
def decide_agenda_item(*, item: AgendaItem, by: User, accept: bool) -> AgendaItem:
    item = (
        AgendaItem.objects.select_for_update()
        .select_related("meeting__organization")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    require(by, meeting.organization, Capability.RUN_MEETINGS)
    _require_open(meeting)
    if item.status != AgendaStatus.PROPOSED:
        raise ValidationError(_("This topic has already been decided."))
    if accept:
        last = meeting.agenda_items.filter(status=AgendaStatus.ACCEPTED).aggregate(
            last=Max("position")
        )["last"]
        item.position = (last or 0) + 1
        item.status = AgendaStatus.ACCEPTED
    else:
        item.status = AgendaStatus.NOT_TAKEN
    item.full_clean()
    item.save(update_fields=["status", "position"])
    action = "agenda.accepted" if accept else "agenda.not_taken"
    _audit(action, by, meeting.organization, "agenda_item", item.pk)
    return item


def _skippable(item: AgendaItem, person: User) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting__organization").get(pk=item.pk)
    if not _is_invited(person, item.meeting):
        raise PermissionDenied
    _require_open(item.meeting)
    if item.status != AgendaStatus.ACCEPTED:
        raise ValidationError(_("Only topics on the agenda can be skipped."))
    return item


@transaction.atomic
def skip_agenda_item(*, item: AgendaItem, person: User) -> None:
    """No reason asked, and skipping never cuts pay. The audit event names the topic, not
    the person, so no log ties anyone to a topic they chose to miss."""
    item = _skippable(item, person)
    _skip, created = AgendaSkip.objects.get_or_create(item=item, user=person)
    if created:
        _audit("agenda.skipped", None, item.meeting.organization, "agenda_item", item.pk)


@transaction.atomic
def unskip_agenda_item(*, item: AgendaItem, person: User) -> None:
    item = _skippable(item, person)
    deleted, _rows = AgendaSkip.objects.filter(item=item, user=person).delete()
    if deleted:
        _audit("agenda.unskipped", None, item.meeting.organization, "agenda_item", item.pk)


def send_meeting_reminders(*, now: datetime | None = None) -> int:
    """Remind invitees of meetings starting within 24 hours, once per meeting. The outbox
    says only that there is an update: no content, no calendar attachment. Returns how many
    meetings were reminded about."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_WINDOW,
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        reminded += _remind_one(pk, now)
    return reminded


@transaction.atomic
def _remind_one(pk: int, now: datetime) -> int:
    # Claim the meeting first: a second worker finds nothing left to claim.
    claimed = Meeting.objects.filter(
        pk=pk, reminder_sent_at__isnull=True, status=MeetingStatus.SCHEDULED
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    meeting = Meeting.objects.select_related("organization").get(pk=pk)
    for invitation in meeting.invitations.exclude(reply=Reply.NO).select_related("user"):
        enqueue_update(
            recipient=invitation.user,
            organization=meeting.organization,
            kind="meeting_reminder",
            target=meeting_page(meeting),
        )
    _audit("meeting.reminded", None, meeting.organization, "meeting", meeting.pk)
    return 1


@transaction.atomic
def sync_upcoming_invitations(*, user_id: int, organization_id: int) -> None:
    """Keep a survivor's invitations to meetings that have not started in step with their
    role: with an active role they are invited (and told); without one — paused, stepped
    down, declined — those invitations go, so the place, agenda and others' input of
    upcoming meetings are no longer theirs to see. Past meetings are never touched."""
    organization = Organization.objects.get(pk=organization_id)
    upcoming = Meeting.objects.filter(
        organization=organization, status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now()
    )
    if board_members_to_invite(organization).filter(pk=user_id).exists():
        invited_to = MeetingInvitation.objects.filter(user_id=user_id).values("meeting_id")
        for meeting in upcoming.exclude(pk__in=invited_to):
            invitation = MeetingInvitation.objects.create(meeting=meeting, user_id=user_id)
            record_event(
                action="meeting.invited",
                organization_id=organization.pk,
                target_type="meeting_invitation",
                target_id=invitation.pk,
            )
            enqueue_update(
                recipient=invitation.user,
                organization=organization,
                kind="meeting_invitation",
                target=meeting_page(meeting),
            )
        return
    removed, _counts = MeetingInvitation.objects.filter(
        user_id=user_id, meeting__in=upcoming
    ).delete()
    if removed:
        record_event(
            action="meeting.invitations_withdrawn",
            organization_id=organization.pk,
            target_type="user",
            target_id=user_id,
        )
