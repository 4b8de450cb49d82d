"""The pay half of the demo, on top of the demo meetings: rates at parity, the methods the
program offers, each board member's choices, pay earned from every past meeting and from
other paid work, paid batches for the older months, one amount held over a cap, one hour
flagged, one payment declined.

Pay is earned through the real accrual service, so the demo's ledger is what attendance
really produces. Batches in the past are written directly with their past dates (the
services only ever pay "now"). Written once: if the organization has a rate, nothing is
added.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Role, SurvivorProfile, User
from accounts.services.profile import update_payment_details
from compensation.models import (
    NEEDED_IN_PAYMENT_FILE,
    Approval,
    BatchItem,
    ClaimStatus,
    EntryKind,
    EntryReason,
    EntrySource,
    Hold,
    HoldReason,
    HoursFlag,
    LedgerEntry,
    OfferedMethod,
    PaymentBatch,
    PaymentMethod,
    PaymentPreference,
    PaySettings,
    RateBasis,
    Schedule,
    StipendRate,
    WorkClaim,
    WorkKind,
)
from compensation.services.accrual import accrue_attendance, earn_for_claim
from compensation.services.ledger import append_entry, reverse_entry
from meetings.models import Attendance

HOURLY = Decimal("50.00")
BENCHMARK = Decimal("50.00")  # the program pays board members what it pays consultants

METHODS = (
    (PaymentMethod.DIRECT_DEPOSIT, True, "No fee.", "Member services", "", "Member services"),
    (
        PaymentMethod.CHECK,
        True,
        "No fee. Cashing a check at a store may cost a fee.",
        "Member services",
        "Member services, PO Box 100",
        "Member services",
    ),
    (
        PaymentMethod.PREPAID_CARD,
        True,
        "No fee to load. Some cash machines charge to take money out.",
        "MS Card",
        "Member services",
        "Member services",
    ),
    (PaymentMethod.GIFT_CARD, False, "", "", "", ""),
    (PaymentMethod.CASH, True, "No fee. Collected in person, with a receipt.", "", "", ""),
)
# Each member's choices, in board order (co-chairs first).
CHOICES: tuple[tuple[str, str, list[int], Decimal | None], ...] = (
    (PaymentMethod.DIRECT_DEPOSIT, Schedule.MONTHLY, [], None),
    (PaymentMethod.CHECK, Schedule.PER_MEETING, [], Decimal("400.00")),
    (PaymentMethod.PREPAID_CARD, Schedule.CHOSEN_MONTHS, [3, 6, 9, 12], None),
    (PaymentMethod.DIRECT_DEPOSIT, Schedule.PER_MEETING, [], None),
    (PaymentMethod.CASH, Schedule.MONTHLY, [], None),
)
UNPAID_DAYS = 45  # pay for work newer than this is still on its way
# Legal names in the demo are a chosen name and one of these: made up, and plainly so.
SURNAMES = ("Moreno", "Okafor", "Lindqvist", "Park", "Haddad")


def seed_pay(organization: Organization) -> int:
    """Write the demo's pay once; returns how many ledger entries were added."""
    if StipendRate.objects.filter(organization=organization).exists():
        return 0
    finance = _first(organization, Role.FINANCE)
    staff = _first(organization, Role.STAFF)
    members = list(
        User.objects.filter(attendance__meeting__organization=organization)
        .distinct()
        .order_by("pk")
    )
    if finance is None or staff is None or not members:
        return 0
    with transaction.atomic():
        before = LedgerEntry.objects.filter(organization=organization).count()
        _settings_and_methods(organization, finance)
        _choices(organization, members)
        _earn(organization, members, staff)
        _pay_older_months(organization, finance)
        _held_flagged_declined(organization, members)
        return LedgerEntry.objects.filter(organization=organization).count() - before


def _first(organization: Organization, role: str) -> User | None:
    return (
        User.objects.filter(memberships__organization=organization, memberships__role=role)
        .order_by("pk")
        .first()
    )


def _settings_and_methods(organization: Organization, finance: User) -> None:
    PaySettings.objects.update_or_create(
        organization=organization,
        defaults={
            "currency": "USD",
            "payer_name": "Member services",
            "payment_memo": "Services",
            "benefits_help_url": "https://example.org/free-benefits-counselling",
            "tax_help_url": "https://example.org/free-tax-help",
        },
    )
    start = timezone.localdate().replace(month=1, day=1) - datetime.timedelta(days=366)
    StipendRate.objects.create(
        organization=organization,
        basis=RateBasis.HOURLY,
        amount=HOURLY,
        minimum_paid_minutes=60,
        benchmark_hourly=BENCHMARK,
        effective_from=start,
        created_by=finance,
    )
    for method, offered, fees, statements, envelopes, tax_forms in METHODS:
        OfferedMethod.objects.create(
            organization=organization,
            method=method,
            offered=offered,
            fees=fees,
            on_statements=statements,
            on_envelopes=envelopes,
            on_tax_forms=tax_forms,
        )


def _choices(organization: Organization, members: list[User]) -> None:
    for person, (method, schedule, months, monthly_cap) in zip(members, CHOICES, strict=False):
        PaymentPreference.objects.create(
            organization=organization,
            user=person,
            method=method,
            schedule=schedule,
            months=months,
            monthly_cap=monthly_cap,
        )
    for index, person in enumerate(members):
        # Those who have not chosen were paid by direct deposit in the older months.
        method = CHOICES[index][0] if index < len(CHOICES) else PaymentMethod.DIRECT_DEPOSIT
        if NEEDED_IN_PAYMENT_FILE[method]:
            _payment_details(organization, person, index)


def _payment_details(organization: Organization, person: User, index: int) -> None:
    """What their way to be paid needs, given as they would give it: the demo's paid
    batches were paid under these, and its payment files carry no blank."""
    profile = SurvivorProfile.objects.filter(user=person, organization=organization).first()
    if profile is None:
        return
    update_payment_details(
        user=person,
        organization=organization,
        legal_name=f"{profile.chosen_name} {SURNAMES[index % len(SURNAMES)]}",
        phone=profile.phone,
        mailing_address=f"PO Box {101 + index}, Springfield",
    )


def _earn(organization: Organization, members: list[User], staff: User) -> None:
    for attendance_id in Attendance.objects.filter(meeting__organization=organization).values_list(
        "pk", flat=True
    ):
        accrue_attendance(attendance_id=attendance_id)
    today = timezone.localdate()
    work = (
        (WorkKind.PREPARATION, 300, "1"),
        (WorkKind.READING_MINUTES, 240, "0.5"),
        (WorkKind.REVIEWING_REPORTS, 120, "2"),
        (WorkKind.DOCUMENT_REVIEW, 60, "1.5"),
        (WorkKind.SPEAKING, 20, "1"),
    )
    for index, (kind, days_ago, hours) in enumerate(work):
        person = members[index % len(members)]
        claim = WorkClaim.objects.create(
            organization=organization,
            user=person,
            kind=kind,
            work_date=today - datetime.timedelta(days=days_ago),
            hours=Decimal(hours),
            note="",
            status=ClaimStatus.APPROVED,
            decided_by=staff,
            decided_at=timezone.now(),
        )
        earn_for_claim(claim, actor_id=staff.pk)
    WorkClaim.objects.create(
        organization=organization,
        user=members[0],
        kind=WorkKind.PREPARATION,
        work_date=today - datetime.timedelta(days=3),
        hours=Decimal("1"),
        note="Read the papers for next month's meeting.",
    )


def _pay_older_months(organization: Organization, finance: User) -> None:
    """Approve and pay everything older than UNPAID_DAYS, in one batch per method and
    month, each paid about ten days after the month's work."""
    cutoff = timezone.localdate() - datetime.timedelta(days=UNPAID_DAYS)
    old = (
        LedgerEntry.objects.filter(
            organization=organization,
            kind=EntryKind.EARNED,
            work_date__lte=cutoff,
            reversal__isnull=True,
        )
        .select_related("user")
        .order_by("work_date", "id")
    )
    preferences = {
        p.user_id: p.method for p in PaymentPreference.objects.filter(organization=organization)
    }
    groups: dict[tuple[str, datetime.date], list[LedgerEntry]] = {}
    for entry in old:
        method = preferences.get(entry.user_id, PaymentMethod.DIRECT_DEPOSIT)
        groups.setdefault((method, entry.work_date.replace(day=1)), []).append(entry)
    for (method, month), entries in groups.items():
        paid_on = max(entry.work_date for entry in entries) + datetime.timedelta(days=10)
        paid_at = datetime.datetime.combine(paid_on, datetime.time(12), tzinfo=datetime.UTC)
        batch = PaymentBatch.objects.create(
            organization=organization,
            method=method,
            status=PaymentBatch.Status.PAID,
            reference=f"DEMO-{month:%Y%m}-{method[:3].upper()}",
            created_by=finance,
            created_at=paid_at - datetime.timedelta(days=2),
            paid_by=finance,
            paid_at=paid_at,
        )
        totals: dict[int, Decimal] = {}
        for entry in entries:
            Approval.objects.create(
                entry=entry, approved_by=finance, approved_at=paid_at - datetime.timedelta(days=3)
            )
            BatchItem.objects.create(batch=batch, entry=entry)
            totals[entry.user_id] = totals.get(entry.user_id, Decimal("0")) + entry.amount
        for user_id, total in totals.items():
            append_entry(
                organization_id=organization.pk,
                user_id=user_id,
                kind=EntryKind.PAYMENT,
                source=EntrySource.PAYMENT,
                reason=EntryReason.BATCH_PAID,
                amount=-total,
                currency=entries[0].currency,
                work_date=paid_on,
                actor_id=finance.pk,
                batch=batch,
                created_at=paid_at,
            )


def _held_flagged_declined(organization: Organization, members: list[User]) -> None:
    unpaid = LedgerEntry.objects.filter(
        organization=organization,
        kind=EntryKind.EARNED,
        batch_item__isnull=True,
        reversal__isnull=True,
    ).order_by("-work_date", "id")
    # Held: the newest unpaid amount, over the monthly cap its owner set.
    held = unpaid.first()
    if held is not None:
        PaymentPreference.objects.filter(organization=organization, user=held.user).update(
            monthly_cap=Decimal("50.00")
        )
        Approval.objects.create(entry=held, approved_by=None)
        Hold.objects.create(
            entry=held,
            reason=HoldReason.MONTHLY_CAP,
            period_start=timezone.localdate().replace(day=1),
        )
    # Flagged: the newest meeting's hours, by the first member.
    attendance = (
        Attendance.objects.filter(
            meeting__organization=organization, user=members[0], attended=True
        )
        .order_by("-meeting__starts_at")
        .first()
    )
    if attendance is not None:
        HoursFlag.objects.create(
            organization=organization,
            user=members[0],
            attendance=attendance,
            attendance_version=attendance.version,
            hours_expected=attendance.hours + Decimal("0.5"),
            note="We stayed half an hour longer to finish the last topic.",
        )
    # Declined: one payment a member chose not to take.
    others = unpaid.exclude(pk=held.pk) if held is not None else unpaid
    entry = others.last()
    if entry is not None:
        reverse_entry(entry, reason=EntryReason.DECLINED, actor_id=entry.user_id)
