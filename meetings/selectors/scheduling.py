"""Reads for meetings and their agendas, scoped to the person asking. Outside scope is 404.

Staff and admins see their organization's meetings; survivor leaders see only meetings they
are invited to. The place or link is shown only to invitees and the organization's staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import Organization, User
from accounts.permissions import Capability, allows, standing_in
from accounts.selectors.profile import by_chosen_name_here, profile_here, with_profile_here
from accounts.selectors.roles import chosen_name
from meetings.models import (
    AgendaItem,
    AgendaSkip,
    AgendaStatus,
    Meeting,
    MeetingInvitation,
    MeetingRole,
)


def meetings_visible_to(user: User, organization: Organization) -> QuerySet[Meeting]:
    """Newest first, each with the viewer's own reply (`my_reply`, None if not invited)."""
    standing = standing_in(user, organization)
    meetings = Meeting.objects.filter(organization=organization)
    if not standing.may(Capability.TAKE_PART_IN_MEETINGS):
        return Meeting.objects.none()
    if not standing.may(Capability.SEE_EVERY_MEETING):
        meetings = meetings.filter(invitations__user=user)
    mine = MeetingInvitation.objects.filter(meeting=OuterRef("pk"), user=user)
    return meetings.annotate(
        my_reply=Subquery(mine.values("reply")[:1]),
        invited_count=Count("invitations", distinct=True),
    ).order_by("-starts_at", "-pk")


def get_meeting_for(user: User, organization: Organization, pk: int) -> Meeting:
    try:
        return meetings_visible_to(user, organization).select_related("organization").get(pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


def get_agenda_item_for(user: User, meeting: Meeting, pk: int) -> AgendaItem:
    """An item of a meeting the person can see (the meeting was fetched through scope)."""
    try:
        return AgendaItem.objects.select_related("meeting__organization").get(
            pk=pk, meeting=meeting
        )
    except AgendaItem.DoesNotExist as exc:
        raise Http404 from exc


def my_invitation(user: User, meeting: Meeting) -> MeetingInvitation | None:
    return MeetingInvitation.objects.filter(meeting=meeting, user=user).first()


def can_see_location(user: User, meeting: Meeting) -> bool:
    """Only invitees and the organization's staff and admins ever see the place or link."""
    if MeetingInvitation.objects.filter(meeting=meeting, user=user).exists():
        return True
    return allows(user, meeting.organization, Capability.SEE_EVERY_MEETING)


@dataclass(frozen=True)
class AgendaView:
    accepted: list[AgendaItem]  # each with `skipped` (by the viewer)
    proposed: list[AgendaItem]  # for those who decide; a proposer sees their own


@dataclass(frozen=True)
class ReplyCounts:
    yes: int
    no: int
    maybe: int
    waiting: int


def agenda_for(user: User, meeting: Meeting, *, runner: bool) -> AgendaView:
    skipped = AgendaSkip.objects.filter(item=OuterRef("pk"), user=user)
    shown = Q(status=AgendaStatus.ACCEPTED) | Q(status=AgendaStatus.PROPOSED, proposed_by=user)
    if runner:
        shown |= Q(status=AgendaStatus.PROPOSED)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .filter(shown)
        .annotate(skipped=Exists(skipped))
        .order_by("position", "created_at", "pk")
    )
    return AgendaView(
        accepted=[item for item in items if item.status == AgendaStatus.ACCEPTED],
        proposed=[item for item in items if item.status == AgendaStatus.PROPOSED],
    )


def reply_counts(meeting: Meeting) -> ReplyCounts:
    """Numbers only: who said what is nobody else's business."""
    counts = MeetingInvitation.objects.filter(meeting=meeting).aggregate(
        yes=Count("pk", filter=Q(reply="yes")),
        no=Count("pk", filter=Q(reply="no")),
        maybe=Count("pk", filter=Q(reply="maybe")),
        waiting=Count("pk", filter=Q(reply="no_reply")),
    )
    return ReplyCounts(**counts)


@dataclass(frozen=True)
class RoleRow:
    """One invitee, by chosen name (never an e-mail address), with their meeting role."""

    user_id: int
    name: str
    meeting_role: str
    # Their answer to the role offered ("Asked, no answer yet", "Said no"); empty for a
    # participant, who has nothing to answer.
    answer: str


def meeting_roles_sheet(meeting: Meeting) -> list[RoleRow]:
    """Every invitee with their meeting role, for those who run the meeting. One query
    however many are invited: the invitations with each profile joined in."""
    invitations = with_profile_here(
        MeetingInvitation.objects.filter(meeting=meeting), meeting.organization_id, person="user"
    ).order_by(by_chosen_name_here(), "user_id")
    return [
        RoleRow(
            user_id=i.user_id,
            name=chosen_name(profile_here(i)),
            meeting_role=i.meeting_role,
            answer=""
            if i.meeting_role == MeetingRole.PARTICIPANT
            else str(i.get_role_answer_display()),
        )
        for i in invitations
    ]
