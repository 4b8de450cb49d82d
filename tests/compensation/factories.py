"""Factories and small helpers for pay tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Organization, SurvivorProfile, User
from compensation.models import (
    OfferedMethod,
    PaymentMethod,
    PaymentPreference,
    PaySettings,
    RateBasis,
    StipendRate,
)
from compensation.services.accrual import accrue_attendance
from meetings.models import Attendance, Meeting, MeetingRole, Reply
from meetings.services.attendance import AttendanceRow, record_attendance
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory


class StipendRateFactory(factory.django.DjangoModelFactory[StipendRate]):
    class Meta:
        model = StipendRate

    basis = RateBasis.HOURLY
    amount = Decimal("50.00")
    benchmark_hourly = Decimal("60.00")
    minimum_paid_minutes = 60
    effective_from = datetime.date(2020, 1, 1)


def hourly_rate(organization: Organization, amount: str = "50.00", **kwargs: object) -> StipendRate:
    return StipendRateFactory.create(organization=organization, amount=Decimal(amount), **kwargs)


def offer_methods(organization: Organization, *methods: str) -> None:
    for method in methods or (PaymentMethod.DIRECT_DEPOSIT, PaymentMethod.CHECK):
        OfferedMethod.objects.get_or_create(
            organization=organization,
            method=method,
            defaults={"fees": "No fee", "on_statements": "Member services"},
        )


def prefer(
    user: User, organization: Organization, method: str = PaymentMethod.DIRECT_DEPOSIT, **kwargs
) -> PaymentPreference:
    preference, _ = PaymentPreference.objects.update_or_create(
        user=user, organization=organization, defaults={"method": method, **kwargs}
    )
    return preference


def give_payment_details(user: User, organization: Organization) -> SurvivorProfile:
    """The person has a profile here with a legal name and a safe mailing address, as
    every way to pay needs: details given already are kept, blanks are filled in."""
    local = user.email.split("@")[0].title()
    profile, _ = SurvivorProfile.objects.get_or_create(
        user=user, organization=organization, defaults={"chosen_name": local}
    )
    profile.legal_name = profile.legal_name or f"{local} Legal"
    profile.mailing_address = profile.mailing_address or f"1 {local} Street, Springfield"
    profile.save()
    return profile


def pay_settings(organization: Organization, **kwargs: object) -> PaySettings:
    settings, _ = PaySettings.objects.update_or_create(organization=organization, defaults=kwargs)
    return settings


def past_meeting(
    organization: Organization,
    *people: User,
    starts_at: datetime.datetime | None = None,
    minutes: int = 90,
) -> Meeting:
    meeting = MeetingFactory.create(
        organization=organization,
        starts_at=starts_at or timezone.now() - datetime.timedelta(hours=3),
        duration_minutes=minutes,
    )
    for person in people:
        MeetingInvitationFactory.create(meeting=meeting, user=person, reply=Reply.YES)
    return meeting


def attend(
    meeting: Meeting,
    person: User,
    *,
    by: User,
    hours: str = "1.5",
    attended: bool = True,
    role: str = MeetingRole.PARTICIPANT,
    accrue: bool = True,
) -> Attendance:
    """Records one person's attendance through the meetings service (as staff would) and,
    unless told not to, runs the accrual as the task would."""
    record_attendance(
        meeting=meeting,
        by=by,
        rows=[AttendanceRow(person.pk, attended, Decimal(hours), role)],
    )
    attendance = Attendance.objects.get(meeting=meeting, user=person)
    if accrue:
        accrue_attendance(attendance_id=attendance.pk)
    return attendance
