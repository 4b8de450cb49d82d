"""Reads of the ledger: the state of every entry and the totals, derived in the database
from the entries and the rows that point at them — never stored.

The states, in the words pages use:

- earned, not yet paid — written, waiting for finance to approve;
- approved — finance approved it; it goes in the next payment that fits the person's
  schedule and caps;
- held — paying it would go over a cap the person set; they decide what happens;
- being paid — in a payment batch that is not marked paid yet;
- paid;
- declined — the person chose not to take it;
- corrected — taken back before it was paid, because the attendance was corrected.

An entry and the reversal that takes it back before payment cancel out and leave the
money flow; a reversal of something already paid (or being paid) is a deduction that goes
through approval and into a batch like anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from compensation.models import (
    BookedWork,
    EntryKind,
    EntryReason,
    EntrySource,
    Hold,
    HoldChoice,
    LedgerEntry,
    PaymentBatch,
)
from compensation.money import ZERO


class PayState:
    EARNED = "earned"
    APPROVED = "approved"
    HELD = "held"
    PAYING = "paying"
    PAID = "paid"
    DECLINED = "declined"
    CORRECTED = "corrected"
    # A reversal that cancels an unpaid entry, and the payment rows themselves: part of the
    # record, but not money waiting to move.
    SETTLED = "settled"
    PAYMENT = "payment"

    LABELS = {
        EARNED: _("Earned, not yet paid"),
        APPROVED: _("Approved"),
        HELD: _("Held back, waiting for your choice"),
        PAYING: _("Being paid"),
        PAID: _("Paid"),
        DECLINED: _("You chose not to take it"),
        CORRECTED: _("Corrected"),
        SETTLED: _("Correction"),
        PAYMENT: _("Payment"),
    }


def organization_today(organization: Organization) -> date:
    """Today where the organization is: months, years and pay dates count from here."""
    return timezone.now().astimezone(ZoneInfo(organization.time_zone)).date()


def state_of_entry(today: date | None = None) -> Case:
    """The expression for an entry's state (a PayState value): annotate it as `state`, so
    the state comes in the same query as the entries."""
    today = today or timezone.localdate()
    holding = Hold.objects.filter(entry=OuterRef("pk")).filter(
        Q(choice=HoldChoice.WAITING) | Q(choice=HoldChoice.LATER, release_from__gt=today)
    )
    return Case(
        When(kind=EntryKind.PAYMENT, then=Value(PayState.PAYMENT)),
        When(
            reversal__reason=EntryReason.DECLINED,
            then=Value(PayState.DECLINED),
        ),
        When(
            reversal__isnull=False,
            batch_item__isnull=True,
            then=Value(PayState.CORRECTED),
        ),
        When(
            kind=EntryKind.REVERSAL,
            reverses__batch_item__isnull=True,
            then=Value(PayState.SETTLED),
        ),
        When(batch_item__batch__status=PaymentBatch.Status.PAID, then=Value(PayState.PAID)),
        When(batch_item__isnull=False, then=Value(PayState.PAYING)),
        When(Exists(holding), then=Value(PayState.HELD)),
        When(approval__isnull=False, then=Value(PayState.APPROVED)),
        default=Value(PayState.EARNED),
        output_field=CharField(),
    )


# What `describe_entry` reads: select these with the entries (prefixed, from another
# model), so describing a page of entries asks nothing more of the database.
DESCRIBED_WITH = (
    "attendance__meeting",
    "meeting",
    "claim",
    "flag__attendance__meeting",
    "batch",
    "booked_work",
    "reverses__booked_work",
)


def described(prefix: str = "") -> list[str]:
    return [prefix + path for path in DESCRIBED_WITH]


def person_entries(user: User, organization: Organization) -> QuerySet[LedgerEntry]:
    """The person's own entries, newest first, with their state and what `describe_entry`
    reads. Nobody else's: the filter is on the person asking."""
    return (
        LedgerEntry.objects.filter(user=user, organization=organization)
        .annotate(state=state_of_entry(organization_today(organization)))
        .select_related(*DESCRIBED_WITH)
        .order_by("-work_date", "-id")
    )


# --- what an entry was for -----------------------------------------------------------------


def _meeting_title(entry: LedgerEntry) -> str:
    if entry.attendance_id is not None:
        return entry.attendance.meeting.title  # type: ignore[union-attr]
    if entry.meeting_id is not None:
        return entry.meeting.title  # type: ignore[union-attr]
    if entry.flag_id is not None:
        return entry.flag.attendance.meeting.title  # type: ignore[union-attr]
    return ""


def booked_work_of(entry: LedgerEntry) -> BookedWork | None:
    """The booked work an entry (or the entry a reversal takes back) paid for. Entries
    written before booked work had its own source have one too: the ledger could not be
    changed, so they are known by it, not by their source."""
    paid = entry.reverses if entry.reverses_id is not None else entry
    try:
        return paid.booked_work  # type: ignore[union-attr]
    except BookedWork.DoesNotExist:
        return None


def _work(entry: LedgerEntry) -> str:
    booked = booked_work_of(entry)
    if booked is not None:
        if entry.reason == EntryReason.CANCELLED_LATE:
            return gettext("Paid work the program cancelled late: %(title)s") % {
                "title": booked.title
            }
        return gettext("Paid work: %(title)s") % {"title": booked.title}
    title = _meeting_title(entry)
    if entry.source == EntrySource.LATE_CANCELLATION:
        return gettext("Meeting the program cancelled late: %(title)s") % {"title": title}
    if entry.source == EntrySource.CLAIM and entry.claim_id is not None:
        kind = entry.claim.get_kind_display()  # type: ignore[union-attr]
        return gettext("Other paid work: %(kind)s") % {"kind": kind}
    if entry.source == EntrySource.HOURS_FLAG:
        return gettext("Hours corrected: %(title)s") % {"title": title}
    if title:
        return gettext("Meeting: %(title)s") % {"title": title}
    return str(EntrySource(entry.source).label)


def describe_entry(entry: LedgerEntry) -> str:
    """What the entry was for, in plain words, the same for the person and for finance:
    the meeting, a late cancellation, booked or other paid work, a correction, or a
    payment. Never a claim's note or anything said in a meeting. Reads only what
    `DESCRIBED_WITH` selects."""
    if entry.kind == EntryKind.PAYMENT:
        method = entry.batch.get_method_display() if entry.batch_id else ""  # type: ignore[union-attr]
        if method:
            return gettext("Payment: %(method)s") % {"method": method}
        return gettext("Payment")
    if entry.kind == EntryKind.REVERSAL:
        return gettext("Taken back (%(why)s): %(work)s") % {
            "why": entry.get_reason_display(),
            "work": _work(entry),
        }
    if entry.kind == EntryKind.ADJUSTMENT:
        return gettext("Correction: %(work)s") % {"work": _work(entry)}
    return _work(entry)


@dataclass(frozen=True)
class PayTotals:
    earned: Decimal
    approved: Decimal
    held: Decimal
    paying: Decimal
    paid: Decimal
    declined: Decimal

    @property
    def not_yet_paid(self) -> Decimal:
        """Everything owed and not paid yet, whatever stage it is at."""
        return self.earned + self.approved + self.held + self.paying


def totals_for(user: User, organization: Organization) -> PayTotals:
    """One query: the sum of the person's entries in each state."""
    sums = {
        row["state"]: row["total"] or ZERO
        for row in LedgerEntry.objects.filter(user=user, organization=organization)
        .annotate(state=state_of_entry(organization_today(organization)))
        .order_by()
        .values("state")
        .annotate(total=Sum("amount"))
    }
    return PayTotals(
        earned=sums.get(PayState.EARNED, ZERO),
        approved=sums.get(PayState.APPROVED, ZERO),
        held=sums.get(PayState.HELD, ZERO),
        paying=sums.get(PayState.PAYING, ZERO),
        paid=-sums.get(PayState.PAYMENT, ZERO),
        declined=sums.get(PayState.DECLINED, ZERO),
    )


@dataclass(frozen=True)
class MonthPaid:
    year: int
    month: int
    amount: Decimal


def payments(organization: Organization) -> QuerySet[LedgerEntry]:
    """Payment rows: what was paid, negative in the ledger. A payment's `work_date` is the
    day it was marked paid, in the organization's time zone, so "paid in a month" or "paid
    so far this year" is read from it, and only from it."""
    return LedgerEntry.objects.filter(organization=organization, kind=EntryKind.PAYMENT)


def paid_by_month(user: User, organization: Organization) -> list[MonthPaid]:
    """What was paid in each month, newest first: benefits count income by the month it is
    paid. One query."""
    rows = (
        payments(organization)
        .filter(user=user)
        .annotate(year=ExtractYear("work_date"), month=ExtractMonth("work_date"))
        .order_by()
        .values("year", "month")
        .annotate(total=Sum("amount"))
        .order_by("-year", "-month")
    )
    return [MonthPaid(row["year"], row["month"], -row["total"]) for row in rows]


def paid_in_year(months: list[MonthPaid], year: int) -> Decimal:
    """Paid so far in that year, from `paid_by_month` (no query of its own)."""
    return sum((paid.amount for paid in months if paid.year == year), ZERO)


def awaiting_approval(organization: Organization) -> QuerySet[LedgerEntry]:
    """Entries finance can approve: earned, not yet paid (positive or a deduction)."""
    return (
        LedgerEntry.objects.filter(organization=organization)
        .annotate(state=state_of_entry(organization_today(organization)))
        .filter(state=PayState.EARNED)
    )


def approved_unpaid(organization: Organization) -> QuerySet[LedgerEntry]:
    """Approved, not held, not in a batch yet: what a new batch may take (subject to each
    person's method, schedule and caps)."""
    return (
        LedgerEntry.objects.filter(organization=organization)
        .annotate(state=state_of_entry(organization_today(organization)))
        .filter(state=PayState.APPROVED)
    )
