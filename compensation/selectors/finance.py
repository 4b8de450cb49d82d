"""Reads for finance: the dashboard's figures, pay waiting for approval, payment batches and
the people in them, and the rows of a batch's export.

Every function takes the organization the view got from `organization_for(..., HANDLE_PAY)`, so
nothing here reaches another organization's pay; a batch from elsewhere is a 404. Pages
show chosen names only. Legal names and mailing addresses leave only through the export
(`batch_export_rows`), and the view that streams it records each opening in the person's
access log.

Each figure on the dashboard is one query whatever the number of entries: states are
derived in the database (`state_of_entry`), and the median days to payment is computed
from rows grouped by person, day of work and outcome, not from one row per entry.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.selectors.profile import chosen_name_here, profile_here, with_profile_here
from accounts.selectors.roles import chosen_name, name_or_stand_in
from compensation.models import (
    BatchItem,
    EntryKind,
    FinalPayout,
    FlagStatus,
    HoursFlag,
    LedgerEntry,
    OfferedMethod,
    PayeeDetail,
    PaymentBatch,
    PaymentMethod,
    PaymentPreference,
    UnpricedWork,
)
from compensation.money import ZERO, format_money, to_cents
from compensation.selectors.ledger import (
    DESCRIBED_WITH,
    PayState,
    awaiting_approval,
    describe_entry,
    organization_today,
    state_of_entry,
)
from compensation.selectors.payee_details import (
    blocking_details,
    details_in_words,
    given_flag,
    given_in_row,
    lacking_any,
    needed_for,
    ways_that_take,
    with_given_details,
)
from compensation.selectors.rates import offered_methods, pay_settings
from compensation.selectors.timeliness import PAID_ON_TIME_DAYS, pay_waits

# The dashboard measures payments made in the last twelve months.
MEASURED_PERIOD = timedelta(days=365)  # work in the last twelve months
# Money still owed to someone, whatever stage it is at.
NOT_YET_PAID = (PayState.EARNED, PayState.APPROVED, PayState.HELD, PayState.PAYING)
# The dashboard names at most this many people near the tax-reporting threshold.
THRESHOLD_NAMES_SHOWN = 20
# ... and at most this many people whose way to be paid needs a detail they have not given.
DETAILS_NAMES_SHOWN = 50


def method_choices(organization: Organization) -> list[tuple[str, str]]:
    """(value, label) of each way the organization pays (`offered_methods`), for a form."""
    return [(m.method, m.get_method_display()) for m in offered_methods(organization)]


def approved_for_batch(organization: Organization, today: date) -> QuerySet[LedgerEntry]:
    """Approved, not held, not in a batch — as `ledger.approved_unpaid`, with "today" taken
    where the organization is, so a hold moved to this month is released on the right day."""
    return (
        LedgerEntry.objects.filter(organization=organization)
        .annotate(state=state_of_entry(today))
        .filter(state=PayState.APPROVED)
    )


# --- the dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class CountAndSum:
    count: int
    total: Decimal
    currency: str = ""

    @property
    def shown(self) -> str:
        return format_money(self.total, self.currency)


@dataclass(frozen=True)
class Timeliness:
    """How long people waited, from the day of the work to the day they were paid (or
    until today, for pay not paid yet)."""

    measured: int
    median_days: Decimal | None
    on_time_percent: int | None
    late_unpaid: CountAndSum  # earned, not paid, and older than the target
    oldest_unpaid: date | None


@dataclass(frozen=True)
class NearThreshold:
    count: int
    names: list[str]


@dataclass(frozen=True)
class MissingLine:
    """Someone whose way to be paid needs details they have not given: their chosen name,
    the way, and what is missing, in words. Never a value."""

    name: str
    way: str
    missing: str


@dataclass(frozen=True)
class WaitingForDetails:
    count: int
    lines: list[MissingLine]


@dataclass(frozen=True)
class FinanceDashboard:
    currency: str
    awaiting_approval: CountAndSum
    approved: CountAndSum
    held: CountAndSum
    open_flags: int
    unpriced_work: int
    without_method: int
    waiting_for_details: WaitingForDetails
    timeliness: Timeliness
    tax_threshold: str
    near_threshold: NearThreshold
    methods: list[tuple[str, str]]
    target_days: int = PAID_ON_TIME_DAYS


def finance_dashboard(organization: Organization) -> FinanceDashboard:
    today = organization_today(organization)
    settings = pay_settings(organization)
    currency = settings.currency
    by_state = _count_and_sum_by_state(organization, today, currency)
    nothing = CountAndSum(0, ZERO, currency)
    methods = method_choices(organization)
    return FinanceDashboard(
        currency=currency,
        awaiting_approval=by_state.get(PayState.EARNED, nothing),
        approved=by_state.get(PayState.APPROVED, nothing),
        held=by_state.get(PayState.HELD, nothing),
        open_flags=HoursFlag.objects.filter(
            organization=organization, status=FlagStatus.OPEN
        ).count(),
        unpriced_work=UnpricedWork.objects.filter(
            organization=organization, settled_at__isnull=True
        ).count(),
        without_method=people_without_a_way_to_be_paid(organization, today),
        waiting_for_details=waiting_for_details(
            organization, today, {method for method, _label in methods}
        ),
        timeliness=timeliness(organization, today, currency),
        tax_threshold=format_money(settings.tax_threshold, currency),
        near_threshold=near_tax_threshold(organization, today, settings.tax_threshold),
        methods=methods,
    )


def _count_and_sum_by_state(
    organization: Organization, today: date, currency: str
) -> dict[str, CountAndSum]:
    rows = (
        LedgerEntry.objects.filter(organization=organization)
        .annotate(state=state_of_entry(today))
        .filter(state__in=(PayState.EARNED, PayState.APPROVED, PayState.HELD))
        .order_by()
        .values("state")
        .annotate(count=Count("id"), total=Sum("amount"))
    )
    return {
        row["state"]: CountAndSum(row["count"], to_cents(row["total"] or ZERO), currency)
        for row in rows
    }


def people_without_a_way_to_be_paid(organization: Organization, today: date) -> int:
    """People with approved pay that no batch can take: they have not chosen a way to be
    paid, or chose one the organization no longer offers."""
    offered = OfferedMethod.objects.filter(organization=organization, offered=True).values("method")
    chose = PaymentPreference.objects.filter(
        organization=organization, user=OuterRef("user"), method__in=offered
    )
    final = FinalPayout.objects.filter(
        organization=organization,
        user=OuterRef("user"),
        paid_at__isnull=True,
        method__in=offered,
    )
    return (
        approved_for_batch(organization, today)
        .filter(~Exists(chose), ~Exists(final))
        .order_by()
        .values("user")
        .distinct()
        .count()
    )


def waiting_for_details(
    organization: Organization, today: date, offered: Collection[str]
) -> WaitingForDetails:
    """People with approved pay whom every batch that could take them would leave out,
    because their way to be paid needs a detail they have not given; by chosen name, the
    people without one last. One query."""
    final = FinalPayout.objects.filter(
        organization=organization, user=OuterRef("pk"), paid_at__isnull=True
    )
    preference = PaymentPreference.objects.filter(organization=organization, user=OuterRef("pk"))
    with_pay = User.objects.filter(pk__in=approved_for_batch(organization, today).values("user"))
    rows = (
        with_given_details(with_pay, organization)
        .filter(lacking_any(PayeeDetail))
        .annotate(
            name=chosen_name_here(organization, person="pk"),
            chose=Subquery(preference.values("method")[:1]),
            final=Exists(final),
            final_method=Subquery(final.values("method")[:1]),
        )
        .order_by(F("name").asc(nulls_last=True), "pk")
        .values("name", "chose", "final", "final_method", *map(given_flag, PayeeDetail))
    )
    lines = []
    for row in rows:
        final_method = row["final_method"] or ""
        ways = ways_that_take(
            chose=row["chose"] or "", final=row["final"], final_method=final_method, offered=offered
        )
        blocking = blocking_details(ways, given_in_row(row))
        if blocking:
            lines.append(_missing_line(row, ways, blocking))
    return WaitingForDetails(count=len(lines), lines=lines[:DETAILS_NAMES_SHOWN])


def _missing_line(
    row: dict[str, Any], ways: list[str], blocking: tuple[PayeeDetail, ...]
) -> MissingLine:
    deleted = _("Someone who deleted their account")
    name = deleted if row["final"] else name_or_stand_in(row["name"])
    if len(ways) == 1:
        way = str(PaymentMethod(ways[0]).label)
    else:
        way = _("Any way you pay (their account was deleted)")
    return MissingLine(name=name, way=way, missing=details_in_words(blocking))


def timeliness(organization: Organization, today: date, currency: str = "") -> Timeliness:
    """Median days from the work to payment, and the share paid within the target, over
    earned pay for work in the last twelve months — paid, or not paid and already late
    (see `compensation.selectors.timeliness`). One query."""
    waits = pay_waits(organization, work_from=today - MEASURED_PERIOD, work_to=today, today=today)
    days: dict[int, int] = {}
    for wait in waits:
        days[wait.days] = days.get(wait.days, 0) + wait.entries
    measured = sum(days.values())
    if not measured:
        return Timeliness(0, None, None, CountAndSum(0, ZERO, currency), None)
    on_time = sum(wait.entries for wait in waits if wait.paid and not wait.late)
    late = [wait for wait in waits if not wait.paid]
    return Timeliness(
        measured=measured,
        median_days=weighted_median(days),
        on_time_percent=round(on_time * 100 / measured),
        late_unpaid=CountAndSum(
            sum(wait.entries for wait in late),
            to_cents(sum((wait.amount for wait in late), ZERO)),
            currency,
        ),
        oldest_unpaid=min((wait.work_date for wait in late), default=None),
    )


def weighted_median(counts: dict[int, int]) -> Decimal:
    """The median of values given as {value: how many times it occurs}. With an even
    number of values, the mean of the two in the middle (so it may end in .5)."""
    total = sum(counts.values())
    middle_ranks = ((total - 1) // 2, total // 2)
    middle: list[int] = []
    seen = 0
    for value in sorted(counts):
        first_rank, seen = seen, seen + counts[value]
        middle.extend(value for rank in middle_ranks if first_rank <= rank < seen)
    return Decimal(sum(middle)) / 2


def near_tax_threshold(
    organization: Organization, today: date, threshold: Decimal
) -> NearThreshold:
    """People whose pay this year — paid already, plus what is owed and not paid yet —
    reaches the tax-reporting threshold. Chosen names only. One query."""
    owed_or_paid = Case(
        When(kind=EntryKind.PAYMENT, then=-F("amount")),
        default=F("amount"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    rows = (
        LedgerEntry.objects.filter(organization=organization)
        .annotate(state=state_of_entry(today))
        .filter(Q(kind=EntryKind.PAYMENT, work_date__year=today.year) | Q(state__in=NOT_YET_PAID))
        .order_by()
        .annotate(name=chosen_name_here(organization, person="user"))
        .values("user", "name")
        .annotate(total=Sum(owed_or_paid))
        .filter(total__gte=max(threshold, Decimal("0.01")))
        .order_by(F("name").asc(nulls_last=True), "user")
    )
    names = [name_or_stand_in(row["name"]) for row in rows]
    return NearThreshold(count=len(names), names=names[:THRESHOLD_NAMES_SHOWN])


# --- approvals -----------------------------------------------------------------------------


def entries_to_approve(organization: Organization) -> QuerySet[LedgerEntry]:
    """Earned, not yet approved: oldest work first, with what each is for in the same
    query. Never the note on a claim or anything said in a meeting."""
    waiting = awaiting_approval(organization).select_related(*DESCRIBED_WITH)
    return with_profile_here(waiting, organization, person="user").order_by("work_date", "id")


@dataclass(frozen=True)
class ApprovalLine:
    pk: int
    name: str
    what_for: str
    work_date: date
    hours: Decimal | None
    amount: str


def approval_lines(entries: Iterable[LedgerEntry]) -> list[ApprovalLine]:
    return [
        ApprovalLine(
            pk=entry.pk,
            name=chosen_name(profile_here(entry)),
            what_for=describe_entry(entry),
            work_date=entry.work_date,
            hours=entry.hours,
            amount=format_money(entry.amount, entry.currency),
        )
        for entry in entries
    ]


# --- batches -------------------------------------------------------------------------------


def batches_of(organization: Organization) -> QuerySet[PaymentBatch]:
    """Newest first, each with how many people it pays and how much in all."""
    return (
        PaymentBatch.objects.filter(organization=organization)
        .annotate(
            people=Count("items__entry__user", distinct=True),
            total=Sum("items__entry__amount"),
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class BatchLine:
    batch: PaymentBatch
    people: int
    amount: str


def batch_lines(batches: Iterable[PaymentBatch], currency: str) -> list[BatchLine]:
    """Batches from `batches_of`, with their totals ready to show."""
    return [
        BatchLine(
            batch=batch,
            people=batch.people,  # type: ignore[attr-defined]  # annotated by batches_of
            amount=format_money(batch.total or ZERO, currency),  # type: ignore[attr-defined]
        )
        for batch in batches
    ]


def get_batch_for_finance(organization: Organization, public_id: UUID) -> PaymentBatch:
    batch = (
        batches_of(organization)
        .select_related("created_by", "paid_by")
        .filter(public_id=public_id)
        .first()
    )
    if batch is None:
        raise Http404
    return batch


class PersonInBatch(TypedDict):
    entry__user: int
    name: str | None
    entries: int
    total: Decimal


def batch_people(batch: PaymentBatch) -> QuerySet[BatchItem, PersonInBatch]:
    """One row per person in the batch: the chosen name they gave the batch's organization,
    how many entries, their total."""
    return (
        BatchItem.objects.filter(batch=batch)
        .order_by()
        .annotate(name=chosen_name_here(batch.organization_id, person="entry__user"))
        .values("entry__user", "name")
        .annotate(entries=Count("id"), total=Sum("entry__amount"))
        .order_by(F("name").asc(nulls_last=True), "entry__user")
    )


@dataclass(frozen=True)
class PersonLine:
    name: str
    entries: int
    amount: str


def person_lines(rows: Iterable[PersonInBatch], currency: str) -> list[PersonLine]:
    return [
        PersonLine(
            name=name_or_stand_in(row["name"]),
            entries=row["entries"],
            amount=format_money(row["total"], currency),
        )
        for row in rows
    ]


def batch_user_ids(batch: PaymentBatch) -> QuerySet[User, int]:
    """Everyone paid by the batch, by id, lowest first."""
    in_batch = BatchItem.objects.filter(batch=batch).values("entry__user")
    return User.objects.filter(pk__in=in_batch).order_by("pk").values_list("pk", flat=True)


def missing_from_batch(batch: PaymentBatch) -> list[MissingLine]:
    """People in the batch without a detail its way to pay needs — given when the batch
    was made, removed since, or a batch made before details were checked. While there is
    anyone, the payment file is not made. One query (none for a way that needs nothing)."""
    needed = needed_for(batch.method)
    in_batch = User.objects.filter(pk__in=batch_user_ids(batch))
    kept = FinalPayout.objects.filter(organization_id=batch.organization_id, user=OuterRef("pk"))
    rows = (
        with_given_details(in_batch, batch.organization_id)
        .filter(lacking_any(needed))
        .annotate(name=chosen_name_here(batch.organization_id, person="pk"), final=Exists(kept))
        .order_by(F("name").asc(nulls_last=True), "pk")
        .values("name", "final", *map(given_flag, PayeeDetail))
    )
    return [
        _missing_line(row, [batch.method], tuple(d for d in needed if d not in given_in_row(row)))
        for row in rows
    ]


class ExportRow(TypedDict):
    entry__user: int
    legal_name: str | None
    mailing_address: str | None
    total: Decimal
    final_legal_name: str | None
    final_address: str | None


def payment_file_details(method: str) -> tuple[PayeeDetail, ...]:
    """The details a payment file for this way carries, as columns: the legal name always
    (the processor maps a fixed set of columns; a way that does not need it leaves it
    empty when none was given), then the rest of what the way needs."""
    needed = needed_for(method)
    return (PayeeDetail.LEGAL_NAME, *(d for d in needed if d is not PayeeDetail.LEGAL_NAME))


def detail_in_row(row: ExportRow, detail: PayeeDetail) -> str:
    """A detail from an export row: what was kept for a deleted account, else what the
    person gave in their profile here."""
    if detail is PayeeDetail.LEGAL_NAME:
        value = row["final_legal_name"] or row["legal_name"]
    else:
        value = row["final_address"] or row["mailing_address"]
    return (value or "").strip()


def batch_export_rows(batch: PaymentBatch) -> QuerySet[BatchItem, ExportRow]:
    """One row per person: their total in the batch and the name (and, for checks, the
    address) to pay them under — from the profile they gave the batch's organization (never
    one given elsewhere), or from what was kept to pay out a deleted account. Meant to be
    read with `.iterator()`: one query, grouped by person, in constant memory."""
    final = FinalPayout.objects.filter(
        organization_id=batch.organization_id, user=OuterRef("entry__user")
    ).order_by("-created_at", "-id")
    given_here = FilteredRelation(
        "entry__user__survivor_profiles",
        condition=Q(entry__user__survivor_profiles__organization_id=batch.organization_id),
    )
    return (
        BatchItem.objects.filter(batch=batch)
        .order_by()
        .annotate(
            given_here=given_here,
            legal_name=F("given_here__legal_name"),
            mailing_address=F("given_here__mailing_address"),
        )
        .values("entry__user", "legal_name", "mailing_address")
        .annotate(
            total=Sum("entry__amount"),
            final_legal_name=Subquery(final.values("legal_name")[:1]),
            final_address=Subquery(final.values("mailing_address")[:1]),
        )
        .order_by("entry__user")
    )
