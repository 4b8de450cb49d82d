"""Pay earned: from attendance, from meetings the program cancelled late, from approved
claims, and from finance's answer to flagged hours.

Exactly once: every path locks the row it pays for, looks for what is already written, and
the ledger's unique constraints refuse a second earned entry for the same attendance
version, meeting and person, or claim — so a task delivered twice, or attendance saved
again, writes nothing new. A correction of attendance takes back (reverses) what earlier
versions earned and writes one new entry.

Pay never depends on any consent, and skipping a hard agenda item never changes it: the
hours recorded on the attendance sheet are what count. Work on a day no rate covers is
flagged for finance (`UnpricedWork`), never paid as zero, and priced as soon as a rate
covering it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Organization
from compensation.models import (
    BookedWork,
    EntryKind,
    EntryReason,
    EntrySource,
    HoursFlag,
    LateCancellationPay,
    LedgerEntry,
    RateBasis,
    StipendRate,
    UnpricedWork,
    WorkClaim,
)
from compensation.money import to_cents
from compensation.pay_rules import is_cancelled_late, minimum_block, paid_hours
from compensation.selectors.rates import exact_hourly, pay_settings, rate_for
from compensation.services.ledger import append_entry, reverse_entry
from meetings.models import Attendance, Meeting, MeetingInvitation, MeetingStatus, Reply
from meetings.selectors.attendance import default_hours


def meeting_date(meeting: Meeting, organization: Organization) -> date:
    """The meeting's day where the organization is: the day its pay counts for."""
    return meeting.starts_at.astimezone(ZoneInfo(organization.time_zone)).date()


def meeting_pay(rate: StipendRate, hours: Decimal) -> Decimal:
    """Pay for time at a meeting: a fixed amount, or the hours (at least the minimum paid
    block) at the hourly rate."""
    if rate.basis == RateBasis.PER_MEETING:
        return rate.amount
    return to_cents(paid_hours(rate, hours) * rate.amount)


def work_pay(rate: StipendRate, hours: Decimal) -> Decimal:
    """Pay for other work (preparation, reading minutes, …): the hours at the rate's
    hourly equivalent, rounded once at the end (a fixed meeting amount is divided by the
    meeting's usual length without rounding first)."""
    return to_cents(hours * exact_hourly(rate))


def _live_earned(queryset: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    return queryset.filter(kind=EntryKind.EARNED, reversal__isnull=True)


def _currency(organization: Organization) -> str:
    return pay_settings(organization).currency


# --- attendance --------------------------------------------------------------------------


@transaction.atomic
def accrue_attendance(*, attendance_id: int) -> LedgerEntry | None:
    """Bring the ledger in line with the attendance as it is now. Returns the new earned
    entry, or None when there was nothing (new) to pay."""
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("meeting__organization")
        .filter(pk=attendance_id)
        .first()
    )
    if attendance is None:
        return None
    version = attendance.version
    done = LedgerEntry.objects.filter(
        attendance=attendance, attendance_version=version, kind=EntryKind.EARNED
    ).exists()
    if (
        done
        or UnpricedWork.objects.filter(attendance=attendance, attendance_version=version).exists()
    ):
        return None
    # What earlier versions earned goes, and so does any correction finance made to those
    # hours after a flag: the corrected sheet replaces both, or they would be paid twice.
    earlier = LedgerEntry.objects.filter(
        attendance=attendance,
        kind__in=(EntryKind.EARNED, EntryKind.ADJUSTMENT),
        reversal__isnull=True,
    ).exclude(attendance_version=version)
    for entry in earlier:
        reverse_entry(entry, reason=EntryReason.ATTENDANCE_CORRECTED, actor_id=None)
    UnpricedWork.objects.filter(attendance=attendance, settled_at__isnull=True).update(
        settled_at=timezone.now()
    )
    if not attendance.attended or attendance.hours <= 0:
        return None
    return _pay_attendance(attendance)


def _pay_attendance(attendance: Attendance) -> LedgerEntry | None:
    organization = attendance.meeting.organization
    on = meeting_date(attendance.meeting, organization)
    rate = rate_for(organization.pk, on, attendance.meeting_role)
    if rate is None:
        UnpricedWork.objects.create(
            organization=organization,
            user_id=attendance.user_id,
            source=EntrySource.MEETING,
            work_date=on,
            hours=attendance.hours,
            meeting_role=attendance.meeting_role,
            attendance=attendance,
            attendance_version=attendance.version,
        )
        return None
    return append_entry(
        organization_id=organization.pk,
        user_id=attendance.user_id,
        kind=EntryKind.EARNED,
        source=EntrySource.MEETING,
        reason=EntryReason.ATTENDED,
        amount=meeting_pay(rate, attendance.hours),
        currency=_currency(organization),
        work_date=on,
        actor_id=attendance.recorded_by_id,
        hours=attendance.hours,
        rate=rate,
        attendance=attendance,
        attendance_version=attendance.version,
    )


def attendance_needing_pay() -> QuerySet[Attendance]:
    """Attendance whose current version the ledger has not caught up with: a safety net
    for an announcement that never reached a worker."""
    earned_now = LedgerEntry.objects.filter(
        attendance=OuterRef("pk"), attendance_version=OuterRef("version"), kind=EntryKind.EARNED
    )
    flagged_now = UnpricedWork.objects.filter(
        attendance=OuterRef("pk"), attendance_version=OuterRef("version")
    )
    earlier_live = _live_earned(LedgerEntry.objects.filter(attendance=OuterRef("pk"))).exclude(
        attendance_version=OuterRef("version")
    )
    return (
        Attendance.objects.annotate(
            earned_now=Exists(earned_now),
            flagged_now=Exists(flagged_now),
            earlier_live=Exists(earlier_live),
        )
        .filter(earned_now=False, flagged_now=False)
        .filter(Q(attended=True, hours__gt=0) | Q(earlier_live=True))
    )


# --- late cancellation -------------------------------------------------------------------


@dataclass(frozen=True)
class LateCancellation:
    paid: int
    flagged: int


@transaction.atomic
def accrue_late_cancellation(*, meeting_id: int, cancelled_at: datetime) -> LateCancellation:
    """Pay everyone invited who had not said no, when the program cancelled with less
    notice than the rate's rule allows. Once per meeting and person."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(pk=meeting_id, status=MeetingStatus.CANCELLED)
        .first()
    )
    if meeting is None:
        return LateCancellation(0, 0)
    organization = meeting.organization
    on = meeting_date(meeting, organization)
    paid = flagged = 0
    invitations = MeetingInvitation.objects.filter(meeting=meeting).exclude(reply=Reply.NO)
    already = set(
        LedgerEntry.objects.filter(
            meeting=meeting, source=EntrySource.LATE_CANCELLATION, kind=EntryKind.EARNED
        ).values_list("user_id", flat=True)
    ) | set(
        UnpricedWork.objects.filter(
            meeting=meeting, source=EntrySource.LATE_CANCELLATION
        ).values_list("user_id", flat=True)
    )
    for invitation in invitations:
        if invitation.user_id in already:
            continue
        rate = rate_for(organization.pk, on, invitation.meeting_role)
        if not is_cancelled_late(starts_at=meeting.starts_at, cancelled_at=cancelled_at, rate=rate):
            continue
        hours = default_hours(meeting)
        if rate is None:
            UnpricedWork.objects.create(
                organization=organization,
                user_id=invitation.user_id,
                source=EntrySource.LATE_CANCELLATION,
                work_date=on,
                hours=hours,
                meeting_role=invitation.meeting_role,
                meeting=meeting,
            )
            flagged += 1
            continue
        if _pay_late_cancellation(meeting, invitation, rate, hours, on) is not None:
            paid += 1
    return LateCancellation(paid, flagged)


def _late_cancellation_amount(rate: StipendRate, hours: Decimal) -> tuple[Decimal, Decimal]:
    if rate.late_cancellation_pay == LateCancellationPay.MINIMUM_BLOCK:
        hours = minimum_block(rate)
        if rate.basis == RateBasis.PER_MEETING:
            return hours, work_pay(rate, hours)
    return hours, meeting_pay(rate, hours)


def _pay_late_cancellation(
    meeting: Meeting, invitation: MeetingInvitation, rate: StipendRate, hours: Decimal, on: date
) -> LedgerEntry | None:
    hours, amount = _late_cancellation_amount(rate, hours)
    if amount <= 0:
        return None
    return append_entry(
        organization_id=meeting.organization_id,
        user_id=invitation.user_id,
        kind=EntryKind.EARNED,
        source=EntrySource.LATE_CANCELLATION,
        reason=EntryReason.CANCELLED_LATE,
        amount=amount,
        currency=_currency(meeting.organization),
        work_date=on,
        actor_id=None,
        hours=hours,
        rate=rate,
        meeting=meeting,
    )


@dataclass(frozen=True)
class BookedWorkTerms:
    """What booked work is, in pay's words: one of the kinds of paid work, and its title."""

    kind: str
    title: str


# --- claims and flags --------------------------------------------------------------------


def earn_for_claim(claim: WorkClaim, *, actor_id: int | None) -> LedgerEntry | None:
    """Called by the claims service, inside its transaction, once a claim is approved.
    Returns None when no rate covers the day (the claim is then flagged for finance)."""
    if LedgerEntry.objects.filter(claim=claim, kind=EntryKind.EARNED).exists():
        return None
    rate = rate_for(claim.organization_id, claim.work_date)
    if rate is None:
        UnpricedWork.objects.get_or_create(
            claim=claim,
            defaults={
                "organization_id": claim.organization_id,
                "user_id": claim.user_id,
                "source": EntrySource.CLAIM,
                "work_date": claim.work_date,
                "hours": claim.hours,
            },
        )
        return None
    return _pay_claim(claim, rate, actor_id)


def _pay_claim(claim: WorkClaim, rate: StipendRate, actor_id: int | None) -> LedgerEntry:
    return append_entry(
        organization_id=claim.organization_id,
        user_id=claim.user_id,
        kind=EntryKind.EARNED,
        source=EntrySource.CLAIM,
        reason=EntryReason.CLAIM_APPROVED,
        amount=work_pay(rate, claim.hours),
        currency=_currency(claim.organization),
        work_date=claim.work_date,
        actor_id=actor_id,
        hours=claim.hours,
        rate=rate,
        claim=claim,
    )


def earn_for_booked_work(
    *,
    organization: Organization,
    user_id: int,
    work: BookedWorkTerms,
    work_date: date,
    hours: Decimal,
    fixed_amount: Decimal | None,
    actor_id: int | None,
    cancelled_late: bool = False,
) -> LedgerEntry | None:
    """One earned entry for a booked piece of paid work (an opportunity), called inside the
    caller's transaction while it holds the booking's row lock; the caller keeps the entry
    on the booking, which is what stops a second one. The entry's `BookedWork` says what
    the work was, so My pay and finance name it.

    A fixed amount is paid as agreed. Hourly work is the hours (never fewer than the
    minimum paid block) at the organization's rate for that day; None when no rate covers
    it, so the caller can refuse and write nothing (work is never paid as zero).
    `cancelled_late`: the program cancelled the work late, and the entry says so."""
    rate = rate_for(organization.pk, work_date)
    if fixed_amount is not None:
        amount = fixed_amount
    elif rate is None:
        return None
    else:
        hours = paid_hours(rate, hours)
        amount = work_pay(rate, hours)
    entry = append_entry(
        organization_id=organization.pk,
        user_id=user_id,
        kind=EntryKind.EARNED,
        source=EntrySource.BOOKED_WORK,
        reason=EntryReason.CANCELLED_LATE if cancelled_late else EntryReason.CLAIM_APPROVED,
        amount=amount,
        currency=_currency(organization),
        work_date=work_date,
        actor_id=actor_id,
        hours=hours if hours > 0 else None,
        rate=rate,
    )
    BookedWork.objects.create(entry=entry, kind=work.kind, title=work.title)
    return entry


def correct_for_flag(
    flag: HoursFlag, *, hours: Decimal, actor_id: int | None
) -> LedgerEntry | None:
    """Called by the flags service, inside its transaction, when finance correct flagged
    hours: one adjustment for the difference in pay between the recorded hours and the
    corrected ones. None when the difference is nothing."""
    attendance = flag.attendance
    organization = flag.organization
    on = meeting_date(attendance.meeting, organization)
    # Priced by the rate that paid the recorded hours, so the difference is exact even if
    # a rate for this meeting role was added for past days since.
    paid_by = (
        _live_earned(LedgerEntry.objects.filter(attendance=attendance))
        .select_related("rate")
        .order_by("-id")
        .first()
    )
    rate = (
        paid_by.rate
        if paid_by is not None
        else rate_for(organization.pk, on, attendance.meeting_role)
    )
    if rate is None:
        return None
    difference = meeting_pay(rate, hours) - meeting_pay(rate, attendance.hours)
    if rate.basis == RateBasis.PER_MEETING:
        difference = work_pay(rate, hours - attendance.hours)
    if difference == 0:
        return None
    return append_entry(
        organization_id=organization.pk,
        user_id=flag.user_id,
        kind=EntryKind.ADJUSTMENT,
        source=EntrySource.HOURS_FLAG,
        reason=EntryReason.FLAG_ANSWERED,
        amount=difference,
        currency=_currency(organization),
        work_date=on,
        actor_id=actor_id,
        hours=hours - attendance.hours,
        rate=rate,
        attendance=attendance,
        attendance_version=attendance.version,
        flag=flag,
    )


# --- pricing what was flagged for a missing rate -------------------------------------------


@transaction.atomic
def price_unpriced_work(*, organization_id: int) -> int:
    """After finance add a rate: pay every flagged piece of work that a rate now covers.
    Returns how many were paid."""
    paid = 0
    # Attendance first, then the waiting work: the same order as `accrue_attendance`, so a
    # correction saved at this moment waits for the pricing (or the other way round) and
    # never misses an entry it should take back.
    list(
        Attendance.objects.select_for_update()
        .filter(
            pk__in=UnpricedWork.objects.filter(
                organization_id=organization_id, settled_at__isnull=True
            ).values("attendance_id")
        )
        .values_list("pk", flat=True)
    )
    waiting = (
        UnpricedWork.objects.select_for_update(of=("self",))
        .filter(organization_id=organization_id, settled_at__isnull=True)
        .select_related("attendance__meeting__organization", "meeting__organization", "claim")
    )
    for work in waiting:
        if _price_one(work):
            paid += 1
    return paid


def _price_one(work: UnpricedWork) -> bool:
    rate = rate_for(work.organization_id, work.work_date, work.meeting_role)
    if rate is None:
        return False
    now = timezone.now()
    if work.attendance is not None:
        current = work.attendance
        if current.version != work.attendance_version or not current.attended:
            UnpricedWork.objects.filter(pk=work.pk).update(settled_at=now)
            return False
        append_entry(
            organization_id=work.organization_id,
            user_id=work.user_id,
            kind=EntryKind.EARNED,
            source=EntrySource.MEETING,
            reason=EntryReason.ATTENDED,
            amount=meeting_pay(rate, current.hours),
            currency=_currency(current.meeting.organization),
            work_date=work.work_date,
            actor_id=None,
            hours=current.hours,
            rate=rate,
            attendance=current,
            attendance_version=current.version,
        )
    elif work.meeting is not None:
        invitation = MeetingInvitation(user_id=work.user_id, meeting_role=work.meeting_role)
        _pay_late_cancellation(work.meeting, invitation, rate, work.hours, work.work_date)
    elif work.claim is not None:
        _pay_claim(work.claim, rate, None)
    UnpricedWork.objects.filter(pk=work.pk).update(settled_at=now)
    return True
