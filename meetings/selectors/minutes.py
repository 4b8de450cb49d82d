"""Reads for minutes, scoped to the person asking. Outside scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import ConsentScope, Membership, Organization, Role, User
from accounts.permissions import Capability, grants, standing_in
from accounts.selectors import get_organization_for_user
from accounts.selectors.consent import consenting_ids
from accounts.selectors.profile import by_chosen_name_here, chosen_name_here, with_profile_here
from meetings.mentions import render
from meetings.models import (
    Meeting,
    MeetingInvitation,
    MeetingRole,
    Minutes,
    MinutesComment,
    MinutesStatus,
)

# Staff and admins look after meetings; finance never reads what was said.


def invitation_of(user: User, meeting: Meeting) -> MeetingInvitation | None:
    return MeetingInvitation.objects.filter(meeting=meeting, user=user).first()


@dataclass(frozen=True)
class MinutesAccess:
    """What one person may do with one meeting's minutes."""

    organization: Organization
    meeting: Meeting
    minutes: Minutes | None
    is_program_staff: bool
    is_note_taker: bool
    is_invited_survivor: bool
    is_co_chair: bool

    @property
    def is_approved(self) -> bool:
        return self.minutes is not None and self.minutes.status == MinutesStatus.APPROVED

    @property
    def can_draft(self) -> bool:
        return self.is_program_staff or self.is_note_taker

    @property
    def can_comment(self) -> bool:
        return self.minutes is not None and not self.is_approved

    @property
    def can_approve(self) -> bool:
        return self.is_co_chair and self.minutes is not None and not self.is_approved


def may_draft(user: User, meeting: Meeting) -> bool:
    standing = standing_in(user, meeting.organization)
    if standing.may(Capability.SEE_EVERY_MEETING):
        return True
    invitation = invitation_of(user, meeting)
    return (
        standing.may(Capability.USE_OWN_SEAT)
        and invitation is not None
        and invitation.held_role == MeetingRole.NOTE_TAKER
    )


def may_read(user: User, meeting: Meeting) -> bool:
    """Staff and admins of the organization, and the survivor leaders invited."""
    standing = standing_in(user, meeting.organization)
    if standing.may(Capability.SEE_EVERY_MEETING):
        return True
    return standing.may(Capability.USE_OWN_SEAT) and invitation_of(user, meeting) is not None


def get_minutes_access(user: User, slug: str, pk: int) -> MinutesAccess:
    organization = get_organization_for_user(user, slug)
    meeting = Meeting.objects.filter(organization=organization, pk=pk).first()
    if meeting is None:
        raise Http404
    standing = standing_in(user, organization)
    is_survivor_leader = standing.may(Capability.USE_OWN_SEAT)
    invitation = invitation_of(user, meeting) if is_survivor_leader else None
    is_program_staff = standing.may(Capability.SEE_EVERY_MEETING)
    if not is_program_staff and invitation is None:
        raise Http404
    meeting.organization = organization  # the same row; saves a query per page
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        minutes.meeting = meeting
    return MinutesAccess(
        organization=organization,
        meeting=meeting,
        minutes=minutes,
        is_program_staff=is_program_staff,
        is_note_taker=invitation is not None and invitation.held_role == MeetingRole.NOTE_TAKER,
        is_invited_survivor=invitation is not None,
        is_co_chair=standing.may(Capability.CHAIR_BOARD),
    )


def comments_on(minutes: Minutes) -> QuerySet[MinutesComment]:
    """Each comment with its author's role here, in the same query."""
    author_role = Membership.objects.filter(
        user_id=OuterRef("author_id"), organization_id=minutes.meeting.organization_id
    ).values("role")[:1]
    return (
        MinutesComment.objects.filter(minutes=minutes)
        .annotate(author_role=Subquery(author_role))
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class ShownComment:
    author: str
    body: SafeString
    created_at: datetime


@dataclass(frozen=True)
class ShownMinutes:
    body: SafeString
    comments: list[ShownComment]


def minutes_shown_to(viewer: User, minutes: Minutes, *, viewer_is_staff: bool) -> ShownMinutes:
    """The minutes and their comments, the same words for every reader (see
    `meetings.mentions`): two queries however many comments and mentions (the comments,
    and for staff the names of the survivors who commented).

    Who wrote a comment is shown to staff only, by name only with `attribute_to_staff`
    (what that consent is for: staff may see that what I say is mine). Survivors never see
    which other survivor wrote what."""
    comments = list(comments_on(minutes))
    names = (
        _commenter_names(
            {
                c.author_id
                for c in comments
                if grants(c.author_role, Capability.USE_OWN_SEAT)  # type: ignore[attr-defined]  # annotated above
            },
            minutes.meeting,
        )
        if viewer_is_staff
        else {}
    )
    shown = [
        ShownComment(
            author=_comment_author(viewer, comment, names),
            body=render(comment.body),
            created_at=comment.created_at,
        )
        for comment in comments
    ]
    return ShownMinutes(body=render(minutes.body), comments=shown)


def _commenter_names(ids: set[int], meeting: Meeting) -> dict[int, str]:
    """Chosen names of the commenters who let staff see their name on what they say, in
    one query (none when nobody commented). Anyone missing reads "A board member"."""
    if not ids:
        return {}
    rows = (
        User.objects.filter(
            pk__in=ids,
            erased_at__isnull=True,
            memberships__organization_id=meeting.organization_id,
            meeting_invitations__meeting=meeting,
        )
        .filter(
            pk__in=consenting_ids(
                meeting.organization_id, ConsentScope.ATTRIBUTE_TO_STAFF, among=ids
            )
        )
        # The name the person gave this organization; one given elsewhere is never shown.
        .annotate(name=chosen_name_here(meeting.organization_id, person="pk"))
        .values_list("pk", "name")
    )
    return {pk: name.strip() for pk, name in rows if name and name.strip()}


def _comment_author(viewer: User, comment: MinutesComment, names: dict[int, str]) -> str:
    if comment.author_id == viewer.pk:
        return _("You")
    if grants(getattr(comment, "author_role", None), Capability.LOOK_AFTER_BOARD):
        return _("Staff")
    return names.get(comment.author_id) or _("A board member")


def people_to_mention(meeting: Meeting) -> QuerySet[User]:
    """Who the drafter can name: the survivor leaders invited to this meeting."""
    people = User.objects.filter(
        meeting_invitations__meeting=meeting,
        memberships__organization_id=meeting.organization_id,
        memberships__role=Role.SURVIVOR_LEADER,
        erased_at__isnull=True,
    )
    return with_profile_here(people, meeting.organization_id).order_by(by_chosen_name_here(), "pk")
