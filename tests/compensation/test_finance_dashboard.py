"""The finance dashboard: each figure right, chosen names only, and the same number of
queries for 10 entries as for 10,000."""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import cycle

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, Role, SurvivorProfile, User
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    FlagStatus,
    Hold,
    HoldReason,
    HoursFlag,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
    UnpricedWork,
)
from compensation.selectors.finance import finance_dashboard, weighted_median
from tests.compensation.factories import offer_methods, pay_settings, prefer
from tests.factories import MembershipFactory, UserFactory
from tests.mfa import give_totp, sign_in
from tests.support.pay import DASHBOARD_QUERIES, approved, earned

pytestmark = pytest.mark.django_db


def finance_client(personas) -> Client:
    give_totp(personas.fin)
    client = Client()
    sign_in(client, personas.fin)
    return client


def dashboard_url(org: str = "harbor") -> str:
    return reverse("finance_dashboard", kwargs={"org": org})


def named(person: User, name: str) -> User:
    harbor = Organization.objects.get(slug="harbor")
    SurvivorProfile.objects.update_or_create(
        user=person, organization=harbor, defaults={"chosen_name": name}
    )
    return person


# --- the figures ---------------------------------------------------------------------------


def test_pay_is_counted_and_summed_by_stage(personas):
    earned(personas.ash, personas.harbor, "10.00")
    earned(personas.river, personas.harbor, "15.00")
    approved(personas.ash, personas.harbor, "20.00")
    held = approved(personas.river, personas.harbor, "40.00")
    Hold.objects.create(
        entry=held, reason=HoldReason.MONTHLY_CAP, period_start=datetime.date(2026, 3, 1)
    )
    earned(personas.otto, personas.second, "99.00")  # another organization

    dashboard = finance_dashboard(personas.harbor)

    assert (dashboard.awaiting_approval.count, dashboard.awaiting_approval.total) == (
        2,
        Decimal("25.00"),
    )
    assert (dashboard.approved.count, dashboard.approved.total) == (1, Decimal("20.00"))
    assert (dashboard.held.count, dashboard.held.total) == (1, Decimal("40.00"))


def test_flags_unpriced_work_and_people_without_a_way_to_be_paid_are_counted(personas):
    from meetings.models import Attendance
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory.create(organization=personas.harbor)
    attendance = Attendance.objects.create(
        meeting=meeting, user=personas.ash, attended=True, hours=Decimal("1.5"), version=1
    )
    HoursFlag.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        attendance=attendance,
        attendance_version=1,
        hours_expected=Decimal("2"),
    )
    HoursFlag.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        attendance=attendance,
        attendance_version=1,
        hours_expected=Decimal("2"),
        status=FlagStatus.ANSWERED,
        outcome="unchanged",
        answer="Checked the sheet.",
    )
    UnpricedWork.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        source=EntrySource.CLAIM,
        work_date=datetime.date(2026, 3, 2),
        hours=Decimal("1"),
    )
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    prefer(personas.ash, personas.harbor, PaymentMethod.CHECK)
    prefer(personas.river, personas.harbor, PaymentMethod.GIFT_CARD)  # not offered
    for person in (personas.ash, personas.river, personas.river):
        approved(person, personas.harbor)
    newcomer = UserFactory.create()
    MembershipFactory.create(user=newcomer, organization=personas.harbor, role=Role.SURVIVOR_LEADER)
    approved(newcomer, personas.harbor)  # has not chosen yet

    dashboard = finance_dashboard(personas.harbor)

    assert (dashboard.open_flags, dashboard.unpriced_work, dashboard.without_method) == (1, 1, 2)


def _paid(personas, waits: list[int]) -> None:
    """A batch paid today of earned entries for work `waits` days ago."""
    today = timezone.localdate()
    batch = PaymentBatch.objects.create(
        organization=personas.harbor,
        method=PaymentMethod.CHECK,
        status=PaymentBatch.Status.PAID,
        paid_at=timezone.now(),
    )
    for days in waits:
        entry = approved(personas.ash, personas.harbor, on=today - datetime.timedelta(days=days))
        BatchItem.objects.create(batch=batch, entry=entry)


def test_median_days_to_payment_and_share_paid_within_14_days(personas):
    _paid(personas, [3, 10, 20])
    _paid(personas, [30])
    old = PaymentBatch.objects.create(
        organization=personas.harbor,
        method=PaymentMethod.CHECK,
        status=PaymentBatch.Status.PAID,
        paid_at=timezone.now() - datetime.timedelta(days=380),
    )
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    BatchItem.objects.create(batch=old, entry=approved(personas.ash, personas.harbor, on=long_ago))

    timeliness = finance_dashboard(personas.harbor).timeliness

    assert (timeliness.measured, timeliness.median_days, timeliness.on_time_percent) == (
        4,
        Decimal(15),
        50,
    )


def test_earned_pay_not_paid_yet_counts_by_its_age_once_it_is_late(personas):
    """Counting paid batches only said "100 % on time" while pay waited 25 days for
    approval. Late pay counts whether or not it is paid; pay still within the target, and
    pay held over a limit the person chose, wait on nobody's lateness yet."""
    today = timezone.localdate()
    _paid(personas, [3, 10])
    earned(personas.ash, personas.harbor, "40.00", on=today - datetime.timedelta(days=25))
    approved(personas.river, personas.harbor, "10.00", on=today - datetime.timedelta(days=16))
    earned(personas.river, personas.harbor, on=today - datetime.timedelta(days=5))
    held = approved(personas.river, personas.harbor, on=today - datetime.timedelta(days=40))
    Hold.objects.create(entry=held, reason=HoldReason.MONTHLY_CAP, period_start=today)

    timeliness = finance_dashboard(personas.harbor).timeliness

    assert (timeliness.measured, timeliness.median_days, timeliness.on_time_percent) == (
        4,
        Decimal(13),
        50,
    )
    assert (timeliness.late_unpaid.count, timeliness.late_unpaid.total) == (2, Decimal("50.00"))
    assert timeliness.oldest_unpaid == today - datetime.timedelta(days=25)


def test_the_dashboard_puts_late_pay_first(personas):
    today = timezone.localdate()
    earned(personas.ash, personas.harbor, "40.00", on=today - datetime.timedelta(days=25))
    page = finance_client(personas).get(dashboard_url()).content.decode()
    notice = page.index("1 piece of earned pay has waited longer than 14 days")
    assert notice < page.index("Earned, waiting for you to approve")
    assert "40.00). It is for work on" in page


def test_nothing_paid_yet_shows_no_median(personas):
    timeliness = finance_dashboard(personas.harbor).timeliness
    assert (timeliness.measured, timeliness.median_days, timeliness.on_time_percent) == (
        0,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({5: 1}, Decimal(5)),
        ({1: 1, 4: 1}, Decimal("2.5")),
        ({1: 2, 9: 1}, Decimal(1)),
        ({2: 3, 8: 3}, Decimal(5)),
        ({0: 1, 3: 5, 40: 2}, Decimal(3)),
    ],
)
def test_weighted_median(counts, median):
    values = sorted(value for value, times in counts.items() for _ in range(times))
    middle = (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2
    assert weighted_median(counts) == median == Decimal(str(middle)).normalize()


def test_people_reaching_the_tax_threshold_by_chosen_name(personas):
    pay_settings(personas.harbor, tax_threshold=Decimal("100.00"))
    named(personas.ash, "Ash")
    named(personas.river, "River")
    SurvivorProfile.objects.filter(user=personas.ash, organization=personas.harbor).update(
        legal_name="Ashley Legalname"
    )
    approved(personas.ash, personas.harbor, "60.00")
    earned(personas.ash, personas.harbor, "40.00")
    earned(personas.river, personas.harbor, "99.99")
    # Paid last year does not count this year.
    last_year = PaymentBatch.objects.create(organization=personas.harbor, method="check")
    LedgerEntry.objects.create(
        organization=personas.harbor,
        user=personas.river,
        kind=EntryKind.PAYMENT,
        source=EntrySource.PAYMENT,
        reason=EntryReason.BATCH_PAID,
        amount=Decimal("-500.00"),
        currency="USD",
        work_date=timezone.localdate().replace(year=timezone.localdate().year - 1),
        batch=last_year,
    )

    near = finance_dashboard(personas.harbor).near_threshold

    assert (near.count, near.names) == (1, ["Ash"])


def test_the_page_shows_the_figures_and_the_target(personas):
    named(personas.ash, "Ash")
    SurvivorProfile.objects.filter(user=personas.ash, organization=personas.harbor).update(
        legal_name="Ashley Legalname"
    )
    pay_settings(personas.harbor, tax_threshold=Decimal("10.00"))
    earned(personas.ash, personas.harbor, "12.50")
    _paid(personas, [2])
    response = finance_client(personas).get(dashboard_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Paid within 14 days" in page
    assert "USD\u00a012.50" in page
    assert "Ash" in page
    assert "Legalname" not in page


@pytest.mark.parametrize("who", ["ash", "sam", "ada", "faye", "otto"])
def test_nobody_but_finance_sees_the_dashboard(personas, who):
    person = getattr(personas, who)
    if who in ("sam", "ada", "faye"):
        give_totp(person)
    client = Client()
    sign_in(client, person)
    assert client.get(dashboard_url()).status_code == 404


def test_finance_of_one_organization_never_see_anothers(personas):
    assert finance_client(personas).get(dashboard_url("second")).status_code == 404


# --- speed ---------------------------------------------------------------------------------


def seed(personas, entries: int) -> None:
    """`entries` ledger rows over 20 people in every stage: earned, approved, held, paid
    in batches (some for work months ago), with a few flags' worth of other rows."""
    people = [personas.ash, personas.river]
    for number in range(18):
        person = UserFactory.create(email=f"seeded{number}@example.test")
        MembershipFactory.create(
            user=person, organization=personas.harbor, role=Role.SURVIVOR_LEADER
        )
        people.append(person)
    for person in people[:10]:
        prefer(person, personas.harbor, PaymentMethod.CHECK)
    offer_methods(personas.harbor, PaymentMethod.CHECK)
    today = timezone.localdate()
    rows = LedgerEntry.objects.bulk_create(
        LedgerEntry(
            organization=personas.harbor,
            user=person,
            kind=EntryKind.EARNED,
            source=EntrySource.MEETING,
            reason=EntryReason.ATTENDED,
            amount=Decimal("75.00"),
            currency="USD",
            work_date=today - datetime.timedelta(days=number % 300),
        )
        for number, person in zip(range(entries), cycle(people), strict=False)
    )
    approved_rows = rows[: entries * 6 // 10]
    Approval.objects.bulk_create(Approval(entry=entry) for entry in approved_rows)
    paid_rows = approved_rows[: entries * 3 // 10]
    held_rows = approved_rows[entries * 3 // 10 : entries * 4 // 10]
    Hold.objects.bulk_create(
        Hold(entry=entry, reason=HoldReason.MONTHLY_CAP, period_start=today.replace(day=1))
        for entry in held_rows
    )
    for start in range(0, len(paid_rows), 50):
        batch = PaymentBatch.objects.create(
            organization=personas.harbor,
            method=PaymentMethod.CHECK,
            status=PaymentBatch.Status.PAID,
            paid_at=timezone.now(),
        )
        BatchItem.objects.bulk_create(
            BatchItem(batch=batch, entry=entry) for entry in paid_rows[start : start + 50]
        )


def dashboard_queries(personas, entries: int) -> int:
    seed(personas, entries)
    client = finance_client(personas)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(dashboard_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("entries", [10, 10_000])
def test_the_dashboard_asks_the_same_number_of_queries_for_10_or_10000_entries(personas, entries):
    assert dashboard_queries(personas, entries) == DASHBOARD_QUERIES
