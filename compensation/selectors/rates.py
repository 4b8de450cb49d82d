"""Which rate pays for what, and how it compares with the professional benchmark."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.models import Organization
from compensation.models import PaySettings, RateBasis, StipendRate
from compensation.money import minutes_as_hours, to_cents


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


def hourly_equivalent(rate: StipendRate) -> Decimal:
    """What the rate pays for one hour: the hourly amount, or a fixed meeting amount over
    the meeting's usual length."""
    if rate.basis == RateBasis.HOURLY:
        return rate.amount
    return to_cents(rate.amount / minutes_as_hours(rate.usual_minutes or 60))


def parity_ratio(rate: StipendRate) -> Decimal:
    """Hourly equivalent ÷ the benchmark for professional consultants, as a percentage with
    no decimals (100 means paid at parity)."""
    return (hourly_equivalent(rate) * 100 / rate.benchmark_hourly).quantize(Decimal("1"))


def pay_settings(organization: Organization) -> PaySettings:
    """The organization's pay settings, or the defaults (unsaved) until finance change them:
    reading never writes."""
    found = PaySettings.objects.filter(organization=organization).first()
    return found or PaySettings(organization=organization)
