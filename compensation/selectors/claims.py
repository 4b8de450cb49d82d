"""Reads for other paid work (claims) and flagged hours, always scoped to the person asking.
Outside scope is a 404.

- survivor leaders: their own claims, their own attendance and the flags they made;
- program staff and admins: claims waiting for a decision;
- survivor co-chairs: decisions on claims, without names or notes;
- finance: open flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization, User
from accounts.selectors.profile import with_profile_here
from compensation.models import ClaimStatus, FlagOutcome, FlagStatus, HoursFlag, WorkClaim
from meetings.models import Attendance, Meeting, MeetingInvitation

# --- survivors: their own --------------------------------------------------------------------


def my_claims(user: User, organization: Organization) -> QuerySet[WorkClaim]:
    """The person's own claims, newest first. Nobody else's: the filter is on the person."""
    return WorkClaim.objects.filter(user=user, organization=organization).select_related("meeting")


def get_my_claim(user: User, organization: Organization, pk: int) -> WorkClaim:
    try:
        return my_claims(user, organization).get(pk=pk)
    except WorkClaim.DoesNotExist as exc:
        raise Http404 from exc


def meetings_for_claims(user: User, organization: Organization) -> QuerySet[Meeting]:
    """Meetings a claim may be for: only those the person was invited to."""
    invited = MeetingInvitation.objects.filter(user=user).values("meeting_id")
    return Meeting.objects.filter(organization=organization, pk__in=invited).order_by(
        "-starts_at", "-id"
    )


def get_my_attendance(user: User, organization: Organization, pk: int) -> Attendance:
    """The person's own attendance at one of this organization's meetings; anyone else's,
    or another organization's, does not exist for them."""
    try:
        return Attendance.objects.select_related("meeting").get(
            pk=pk, user=user, meeting__organization=organization
        )
    except Attendance.DoesNotExist as exc:
        raise Http404 from exc


def my_flags(user: User, organization: Organization) -> QuerySet[HoursFlag]:
    """The person's own flags, newest first, each with its meeting."""
    return HoursFlag.objects.filter(user=user, organization=organization).select_related(
        "attendance__meeting"
    )


def flags_for_attendance(attendance: Attendance) -> QuerySet[HoursFlag]:
    """Flags on one attendance row, newest first; the caller has already scoped the row."""
    return HoursFlag.objects.filter(attendance=attendance)


def has_open_flag(attendance: Attendance) -> bool:
    return HoursFlag.objects.filter(attendance=attendance, status=FlagStatus.OPEN).exists()


def was_corrected(attendance: Attendance) -> bool:
    """Finance already corrected pay for these hours, as they are recorded now. A second
    correction of the same recorded hours would pay the difference twice."""
    return HoursFlag.objects.filter(
        attendance=attendance,
        attendance_version=attendance.version,
        outcome=FlagOutcome.CORRECTED,
    ).exists()


# --- program staff and admins: deciding claims -----------------------------------------------


def claims_waiting(organization: Organization) -> QuerySet[WorkClaim]:
    """Claims waiting for a decision, oldest first, each with the claimant's profile (for
    the chosen name) and meeting joined in, so a page of them costs one query."""
    waiting = WorkClaim.objects.filter(organization=organization, status=ClaimStatus.WAITING)
    return with_profile_here(
        waiting.select_related("user", "meeting"), organization, person="user"
    ).order_by("created_at", "id")


def get_claim_for_staff(organization: Organization, pk: int) -> WorkClaim:
    """One of this organization's claims (call after `organization_for(..., LOOK_AFTER_BOARD)`)."""
    claims = WorkClaim.objects.select_related("user", "meeting")
    try:
        return with_profile_here(claims, organization, person="user").get(
            pk=pk, organization=organization
        )
    except WorkClaim.DoesNotExist as exc:
        raise Http404 from exc


# --- survivor co-chairs: decisions without names ---------------------------------------------


@dataclass(frozen=True)
class ClaimDecision:
    """A decided claim as co-chairs see it. It holds no person and no note on purpose: the
    board can check decisions are fair without learning who claimed what."""

    kind: str
    kind_label: str
    work_date: date
    hours: Decimal
    approved: bool
    reason: str


def decided_claims(organization: Organization) -> QuerySet[WorkClaim]:
    """Decided claims, most recently decided first. Only the columns co-chairs may see are
    loaded: no person, no note, no meeting."""
    return (
        WorkClaim.objects.filter(organization=organization)
        .exclude(status=ClaimStatus.WAITING)
        .only("kind", "work_date", "hours", "status", "reason", "decided_at")
        .order_by("-decided_at", "-id")
    )


def as_decisions(claims: list[WorkClaim]) -> list[ClaimDecision]:
    return [
        ClaimDecision(
            kind=claim.kind,
            kind_label=claim.get_kind_display(),
            work_date=claim.work_date,
            hours=claim.hours,
            approved=claim.status == ClaimStatus.APPROVED,
            reason=claim.reason,
        )
        for claim in claims
    ]


# --- finance: answering flags ----------------------------------------------------------------


def open_flags(organization: Organization) -> QuerySet[HoursFlag]:
    """Flags waiting for finance, oldest first, with the person's profile (chosen name) and
    the attendance and its meeting joined in: one query for a page of them."""
    flags = HoursFlag.objects.filter(organization=organization, status=FlagStatus.OPEN)
    return with_profile_here(
        flags.select_related("user", "attendance__meeting"), organization, person="user"
    ).order_by("created_at", "id")


def get_flag_for_finance(organization: Organization, pk: int) -> HoursFlag:
    """One of this organization's flags (call after `organization_for(..., HANDLE_PAY)`)."""
    flags = HoursFlag.objects.select_related("user", "attendance__meeting")
    try:
        return with_profile_here(flags, organization, person="user").get(
            pk=pk, organization=organization
        )
    except HoursFlag.DoesNotExist as exc:
        raise Http404 from exc
