"""Which rate pays for what, and how it compares with the professional benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Organization
from compensation.models import (
    EntrySource,
    LedgerEntry,
    OfferedMethod,
    PaymentMethod,
    PaymentPreference,
    PaySettings,
    RateBasis,
    StipendRate,
    UnpricedWork,
)
from compensation.money import format_money, minutes_as_hours, to_cents
from meetings.models import MeetingRole


def rates_on(organization_id: int, on: date) -> QuerySet[StipendRate]:
    """Every rate of the organization in effect on that day."""
    return StipendRate.objects.filter(
        organization_id=organization_id, effective_from__lte=on
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def rate_for(organization_id: int, on: date, meeting_role: str = "") -> StipendRate | None:
    """The rate for work on that day: one for this meeting role if there is one, otherwise
    the rate for any role. None means no rate covers the day: the work is flagged for
    finance, never paid as zero."""
    found = {rate.meeting_role: rate for rate in rates_on(organization_id, on).order_by("-id")}
    if meeting_role and meeting_role in found:
        return found[meeting_role]
    return found.get("")


def exact_hourly(rate: StipendRate) -> Decimal:
    """What the rate pays for one hour, unrounded: the hourly amount, or a fixed meeting
    amount over the meeting's usual length. Round once, at the end of a calculation."""
    if rate.basis == RateBasis.HOURLY:
        return rate.amount
    return rate.amount / minutes_as_hours(rate.usual_minutes or 60)


def hourly_equivalent(rate: StipendRate) -> Decimal:
    """What the rate pays for one hour, to the cent."""
    return to_cents(exact_hourly(rate))


def parity_ratio(rate: StipendRate) -> Decimal:
    """Hourly equivalent ÷ the benchmark for professional consultants, as a percentage with
    no decimals (100 means paid at parity)."""
    return (hourly_equivalent(rate) * 100 / rate.benchmark_hourly).quantize(Decimal("1"))


def pay_settings(organization: Organization) -> PaySettings:
    """The organization's pay settings, or the defaults (unsaved) until finance change them:
    reading never writes."""
    found = PaySettings.objects.filter(organization=organization).first()
    return found or PaySettings(organization=organization)


# --- for finance's rates and settings pages ------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    """One rate as the rates page shows it, with its parity worked out."""

    rate: StipendRate
    role: str
    amount: str
    hourly: str
    benchmark: str
    parity: Decimal
    last_paid_day: date | None


def rates_for_finance(organization: Organization) -> QuerySet[StipendRate]:
    """Every rate of the organization, newest first, each with the latest day of work it
    paid for (ending it earlier would cut that pay off). One query."""
    return (
        StipendRate.objects.filter(organization=organization)
        .annotate(last_paid_day=Max("entries__work_date"))
        .order_by("-effective_from", "meeting_role", "-id")
    )


def meeting_role_label(meeting_role: str) -> str:
    """A rate's meeting role in words; blank means any role."""
    if meeting_role in MeetingRole.values:
        return str(MeetingRole(meeting_role).label)
    return str(_("Any meeting role"))


def rate_row(rate: StipendRate, currency: str) -> RateRow:
    return RateRow(
        rate=rate,
        role=meeting_role_label(rate.meeting_role),
        amount=format_money(rate.amount, currency),
        hourly=format_money(hourly_equivalent(rate), currency),
        benchmark=format_money(rate.benchmark_hourly, currency),
        parity=parity_ratio(rate),
        last_paid_day=getattr(rate, "last_paid_day", None),
    )


def get_rate_for_finance(organization: Organization, pk: int) -> StipendRate:
    """A rate of this organization (call after `organization_for(..., HANDLE_PAY)`); else 404."""
    rate = StipendRate.objects.filter(organization=organization, pk=pk).first()
    if rate is None:
        raise Http404
    return rate


def latest_paid_day(rate: StipendRate) -> date | None:
    """The latest day of work whose pay was worked out with this rate."""
    found: date | None = LedgerEntry.objects.filter(rate=rate).aggregate(day=Max("work_date"))[
        "day"
    ]
    return found


def unpriced_work_waiting(organization: Organization) -> QuerySet[UnpricedWork]:
    """Work no rate covered, still waiting for one. No names: finance only need the day,
    the hours and what kind of work it was, to see which rate is missing."""
    return UnpricedWork.objects.filter(organization=organization, settled_at__isnull=True)


@dataclass(frozen=True)
class WaitingGroup:
    work_date: date
    source: str
    meeting_role: str
    pieces: int
    hours: Decimal

    @property
    def source_label(self) -> str:
        return str(EntrySource(self.source).label)

    @property
    def role_label(self) -> str:
        return meeting_role_label(self.meeting_role)


@dataclass(frozen=True)
class WaitingWork:
    """Work waiting for a rate, a day (and kind of work) to a line, earliest first."""

    groups: list[WaitingGroup]
    pieces: int
    hours: Decimal
    first_day: date | None
    last_day: date | None


WAITING_LINES = 25


def waiting_for_a_rate(organization: Organization) -> WaitingWork:
    """Two queries whatever the amount of work: the totals, and the earliest lines."""
    waiting = unpriced_work_waiting(organization)
    totals = waiting.aggregate(
        pieces=Count("id"),
        hours=Sum("hours"),
        first_day=Min("work_date"),
        last_day=Max("work_date"),
    )
    if not totals["pieces"]:
        return WaitingWork([], 0, Decimal("0"), None, None)
    lines = (
        waiting.order_by()
        .values("work_date", "source", "meeting_role")
        .annotate(pieces=Count("id"), hours=Sum("hours"))
        .order_by("work_date", "source", "meeting_role")[:WAITING_LINES]
    )
    return WaitingWork(
        groups=[WaitingGroup(**line) for line in lines],
        pieces=totals["pieces"],
        hours=totals["hours"],
        first_day=totals["first_day"],
        last_day=totals["last_day"],
    )


def method_settings(organization: Organization) -> dict[str, OfferedMethod]:
    """What the organization has said about each payment method, by method, offered or
    not. A method finance never saved is missing here: it is not offered."""
    return {m.method: m for m in OfferedMethod.objects.filter(organization=organization)}


# Cards are offered last and never chosen for anyone: they cost people more to use.
CARDS = frozenset({PaymentMethod.PREPAID_CARD, PaymentMethod.GIFT_CARD})
_CHOICE_ORDER = {value: number for number, value in enumerate(PaymentMethod.values)}


def offered_methods(organization: Organization) -> list[OfferedMethod]:
    """The ways the organization pays, in the order of the choices, cards last."""
    methods = OfferedMethod.objects.filter(organization=organization, offered=True)
    return sorted(methods, key=lambda m: (m.method in CARDS, _CHOICE_ORDER.get(m.method, 0)))


def method_choice_counts(organization: Organization) -> dict[str, int]:
    """How many people chose each method. Counts only, no names."""
    rows = (
        PaymentPreference.objects.filter(organization=organization)
        .exclude(method="")
        .values("method")
        .annotate(people=Count("id"))
        .order_by()
    )
    return {row["method"]: row["people"] for row in rows}
