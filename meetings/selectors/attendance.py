"""Reads for attendance, scoped to the person asking. Outside scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Capability, standing_in
from accounts.selectors.profile import by_chosen_name_here, profile_here, with_profile_here
from accounts.selectors.roles import chosen_name
from compensation.pay_rules import MAX_HOURS_A_DAY, QUARTER_HOUR
from meetings.models import Attendance, Meeting, MeetingInvitation, MeetingStatus, Reply


def may_record_attendance_for(user: User, meeting: Meeting) -> bool:
    """Staff, for any meeting of theirs; a co-chair only for a meeting they were invited to
    (the others do not exist for them anywhere else either)."""
    standing = standing_in(user, meeting.organization)
    if standing.may(Capability.RECORD_ANY_ATTENDANCE):
        return True
    return (
        standing.may(Capability.RECORD_ATTENDANCE)
        and MeetingInvitation.objects.filter(meeting=meeting, user=user).exists()
    )


def why_attendance_cannot_be_recorded(meeting: Meeting) -> str | None:
    """Why this meeting takes no attendance (yet), in words for the page; None if it does."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("This meeting was cancelled, so there is no attendance to record.")
    if meeting.starts_at > timezone.now():
        return _("This meeting has not started yet. Record attendance once it has started.")
    return None


def default_hours(meeting: Meeting) -> Decimal:
    """The meeting's length in hours, rounded up to the quarter hour: rounding never
    pays anyone for less time than the meeting was planned for."""
    steps = (Decimal(meeting.duration_minutes) / 60 / QUARTER_HOUR).to_integral_value(
        rounding=ROUND_CEILING
    )
    return min(steps * QUARTER_HOUR, MAX_HOURS_A_DAY)


def get_meeting_for_attendance(organization: Organization, pk: int, user: User) -> Meeting:
    """A meeting of this organization that this person may record (call after
    `organization_for(..., RECORD_ATTENDANCE)`); anything else is 404."""
    try:
        meeting = Meeting.objects.get(pk=pk, organization=organization)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    meeting.organization = organization  # already fetched; saves a query
    if not may_record_attendance_for(user, meeting):
        raise Http404
    return meeting


@dataclass(frozen=True)
class SheetRow:
    """One invitee on the attendance sheet, with what to fill in for them."""

    user_id: int
    name: str
    reply: str
    attended: bool
    hours: Decimal
    meeting_role: str
    recorded: bool
    version: int = 0  # of the saved row; 0 before anything was saved for this person


def attendance_sheet(meeting: Meeting) -> list[SheetRow]:
    """Every invitee by chosen name, with the saved attendance or the usual answers: came
    if they said yes, the meeting's length, their meeting role. Two queries whatever the
    size of the board: the invitations with each profile joined in, and the saved rows."""
    invitations = with_profile_here(
        MeetingInvitation.objects.filter(meeting=meeting), meeting.organization_id, person="user"
    ).order_by(by_chosen_name_here(), "user_id")
    saved = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    usual_hours = default_hours(meeting)
    rows = []
    for invitation in invitations:
        attendance = saved.get(invitation.user_id)
        rows.append(
            SheetRow(
                user_id=invitation.user_id,
                name=chosen_name(profile_here(invitation)),
                reply=invitation.get_reply_display(),
                attended=attendance.attended if attendance else invitation.reply == Reply.YES,
                hours=attendance.hours if attendance and attendance.attended else usual_hours,
                meeting_role=attendance.meeting_role if attendance else invitation.held_role,
                recorded=attendance is not None,
                version=attendance.version if attendance else 0,
            )
        )
    return rows


def my_attendance(user: User, organization: Organization) -> QuerySet[Attendance]:
    """The person's own attendance in this organization, newest meeting first. Nobody
    else's: the filter is on the person asking."""
    return (
        Attendance.objects.filter(user=user, meeting__organization=organization)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-id")
    )
