"""Reads for a survivor leader's own pay: My pay, their choices about pay, held amounts,
declining a payment, and the statement. Every read is filtered on the person asking;
anything else (someone else's entry or hold, another organization's) is a 404.

Built on `selectors.ledger`: states come from `state_of_entry`, never worked out here.
Amounts are formatted here, so templates only print text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dates import MONTHS

from accounts.models import Organization, User
from compensation.models import (
    EntryKind,
    EntrySource,
    Hold,
    HoldChoice,
    HoldReason,
    LedgerEntry,
    OfferedMethod,
    PaymentPreference,
    PaySettings,
    Schedule,
)
from compensation.money import ZERO, format_money
from compensation.selectors.ledger import (
    MonthPaid,
    PayState,
    PayTotals,
    describe_entry,
    described,
    organization_today,
    paid_by_month,
    paid_in_year,
    person_entries,
    state_of_entry,
    totals_for,
)
from compensation.selectors.payee_details import details_given, details_in_words, missing_details
from compensation.selectors.rates import pay_settings

PAGE_SIZE = 25
# Benefits count income by the month it is paid: two years of months is what a benefits
# office asks about; older months are in the statements.
MONTHS_SHOWN = 24
MONTHS_AHEAD = 12
# What a person may decline: pay not yet on its way to them. A deduction (a negative
# correction) is never theirs to decline, and held pay has its own choices.
DECLINABLE_STATES = frozenset({PayState.EARNED, PayState.APPROVED})
DECLINABLE_KINDS = frozenset({EntryKind.EARNED, EntryKind.ADJUSTMENT})


# --- months ------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    years, month_index = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month_index + 1, 1)


def later_months(*, reason: str, period_start: date, today: date | None = None) -> list[date]:
    """The months a held amount may be moved to (first days): from next month up to twelve
    months ahead, and after the period whose cap it would have gone over — for a yearly
    limit, that means next year, or it would only be held again."""
    this_month = (today or timezone.localdate()).replace(day=1)
    first = add_months(this_month, 1)
    if reason == HoldReason.YEARLY_CAP:
        first = max(first, date(period_start.year + 1, 1, 1))
    else:
        first = max(first, add_months(period_start, 1))
    last = add_months(this_month, MONTHS_AHEAD)
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    return months


# --- the person's entries -------------------------------------------------------------------


def my_entries(user: User, organization: Organization) -> QuerySet[LedgerEntry]:
    """The person's own entries, newest first, with their state and everything
    `describe_entry` reads, in one query."""
    return person_entries(user, organization)


def may_decline(entry: LedgerEntry) -> bool:
    """Earned or approved pay of the person's own, not yet on its way: `entry` must carry
    the `state` annotation."""
    state: str = entry.state  # type: ignore[attr-defined]
    return state in DECLINABLE_STATES and entry.kind in DECLINABLE_KINDS and entry.amount > ZERO


# --- My pay ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayRow:
    pk: int
    on: date
    what_for: str
    hours: Decimal | None
    state: str
    state_label: str
    amount: str
    can_decline: bool
    # For pay earned at a meeting: the attendance, so the person can say the hours are wrong.
    attendance_id: int | None = None


def shown_amount(entry: LedgerEntry) -> Decimal:
    """The ledger keeps a payment negative (it settles what was owed); people read it as
    the amount paid to them."""
    return -entry.amount if entry.kind == EntryKind.PAYMENT else entry.amount


def pay_row(entry: LedgerEntry) -> PayRow:
    state: str = entry.state  # type: ignore[attr-defined]
    return PayRow(
        pk=entry.pk,
        on=entry.work_date,
        what_for=describe_entry(entry),
        hours=entry.hours,
        state=state,
        state_label=str(PayState.LABELS.get(state, state)),
        amount=format_money(shown_amount(entry), entry.currency),
        can_decline=may_decline(entry),
        attendance_id=(
            entry.attendance_id
            if entry.kind == EntryKind.EARNED and entry.source == EntrySource.MEETING
            else None
        ),
    )


@dataclass(frozen=True)
class TotalLine:
    state: str
    label: str
    amount: str


def total_lines(totals: PayTotals, currency: str) -> list[TotalLine]:
    lines = (
        (PayState.EARNED, totals.earned),
        (PayState.APPROVED, totals.approved),
        (PayState.HELD, totals.held),
        (PayState.PAYING, totals.paying),
        (PayState.PAID, totals.paid),
    )
    return [
        TotalLine(state, str(PayState.LABELS[state]), format_money(amount, currency))
        for state, amount in lines
    ]


@dataclass(frozen=True)
class MonthLine:
    month: date
    amount: str


def month_lines(months: list[MonthPaid], currency: str) -> list[MonthLine]:
    return [
        MonthLine(date(paid.year, paid.month, 1), format_money(paid.amount, currency))
        for paid in months[:MONTHS_SHOWN]
    ]


@dataclass(frozen=True)
class TaxNotice:
    """Shown before pay this year reaches the tax-reporting threshold, and after."""

    threshold: str
    reached: bool
    help_url: str


def tax_notice(
    *, paid_this_year: Decimal, not_yet_paid: Decimal, settings: PaySettings
) -> TaxNotice | None:
    """None while this year's pay, with everything not yet paid, stays under the threshold.
    Earned pay is never held back because of it."""
    coming = paid_this_year + max(not_yet_paid, ZERO)
    if coming <= ZERO or coming < settings.tax_threshold:
        return None
    return TaxNotice(
        threshold=format_money(settings.tax_threshold, settings.currency),
        reached=paid_this_year >= settings.tax_threshold,
        help_url=settings.tax_help_url,
    )


@dataclass(frozen=True)
class PaySummary:
    settings: PaySettings
    year: int
    totals: list[TotalLine]
    has_pay: bool
    months: list[MonthLine]
    paid_this_year: str
    tax: TaxNotice | None


def pay_summary(user: User, organization: Organization, today: date | None = None) -> PaySummary:
    """Totals by state, paid by month, year to date and the tax notice: three queries."""
    today = today or organization_today(organization)
    settings = pay_settings(organization)
    totals = totals_for(user, organization)
    months = paid_by_month(user, organization)
    paid_this_year = paid_in_year(months, today.year)
    return PaySummary(
        settings=settings,
        year=today.year,
        totals=total_lines(totals, settings.currency),
        has_pay=any((totals.not_yet_paid, totals.paid, totals.declined)) or bool(months),
        months=month_lines(months, settings.currency),
        paid_this_year=format_money(paid_this_year, settings.currency),
        tax=tax_notice(
            paid_this_year=paid_this_year, not_yet_paid=totals.not_yet_paid, settings=settings
        ),
    )


# --- how they are paid now ----------------------------------------------------------------


def my_preference(user: User, organization: Organization) -> PaymentPreference | None:
    return PaymentPreference.objects.filter(user=user, organization=organization).first()


@dataclass(frozen=True)
class CurrentChoices:
    preference: PaymentPreference | None
    # The organization's details for the chosen method, when it is still offered.
    method: OfferedMethod | None
    monthly_cap: str
    yearly_cap: str
    # For "months I choose": the month names, in order.
    months: list[str]

    @property
    def method_not_offered(self) -> bool:
        return bool(self.preference and self.preference.method and self.method is None)


def current_choices(user: User, organization: Organization, currency: str) -> CurrentChoices:
    """What the person chose, with the method's fees and wording: two queries."""
    preference = my_preference(user, organization)
    method = None
    if preference and preference.method:
        method = OfferedMethod.objects.filter(
            organization=organization, method=preference.method, offered=True
        ).first()

    def cap(amount: Decimal | None) -> str:
        return format_money(amount, currency) if amount is not None else ""

    return CurrentChoices(
        preference=preference,
        method=method,
        monthly_cap=cap(preference.monthly_cap if preference else None),
        yearly_cap=cap(preference.yearly_cap if preference else None),
        months=_month_names(preference),
    )


@dataclass(frozen=True)
class DetailsNeeded:
    """The person's way to be paid needs details they have not given here: the way, and
    what to add, in words."""

    way: str
    missing: str


def details_needed(
    user: User, organization: Organization, choices: CurrentChoices
) -> DetailsNeeded | None:
    """What the way the person chose needs that they have not given this organization, or
    None. One query, and none when their way needs nothing; no value is read."""
    if choices.method is None or not choices.method.needed_in_payment_file:
        return None
    given = details_given(organization, [user.pk]).get(user.pk, frozenset())
    missing = missing_details(choices.method.method, given)
    if not missing:
        return None
    return DetailsNeeded(
        way=str(choices.method.get_method_display()), missing=details_in_words(missing)
    )


def _month_names(preference: PaymentPreference | None) -> list[str]:
    if preference is None or preference.schedule != Schedule.CHOSEN_MONTHS:
        return []
    return [str(MONTHS[number]) for number in preference.months if number in MONTHS]


# --- held amounts ------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldRow:
    pk: int
    on: date
    what_for: str
    amount: str
    reason: str
    reason_label: str
    period_start: date
    waiting: bool
    release_from: date | None
    later_months: list[date]


def _holding(today: date) -> Q:
    """Holds still holding pay back: waiting for the person, or moved to a month not yet
    come; on an entry neither taken back nor in a payment."""
    return (Q(choice=HoldChoice.WAITING) | Q(choice=HoldChoice.LATER, release_from__gt=today)) & Q(
        entry__reversal__isnull=True, entry__batch_item__isnull=True
    )


def held_amounts(
    user: User, organization: Organization, today: date | None = None
) -> list[HeldRow]:
    """The person's held amounts, oldest first, with the months each may move to: one
    query."""
    today = today or organization_today(organization)
    holds = (
        Hold.objects.filter(entry__user=user, entry__organization=organization)
        .filter(_holding(today))
        .select_related(*described("entry__"))
        .order_by("created_at", "id")
    )
    return [
        HeldRow(
            pk=hold.pk,
            on=hold.entry.work_date,
            what_for=describe_entry(hold.entry),
            amount=format_money(hold.entry.amount, hold.entry.currency),
            reason=hold.reason,
            reason_label=hold.get_reason_display(),
            period_start=hold.period_start,
            waiting=hold.choice == HoldChoice.WAITING,
            release_from=hold.release_from,
            later_months=later_months(
                reason=hold.reason, period_start=hold.period_start, today=today
            ),
        )
        for hold in holds
    ]


def get_own_hold(user: User, organization: Organization, pk: int) -> Hold:
    """A hold on one of the person's own entries in this organization; anything else 404."""
    hold = (
        Hold.objects.filter(pk=pk, entry__user=user, entry__organization=organization)
        .select_related(*described("entry__"))
        .first()
    )
    if hold is None:
        raise Http404
    return hold


def get_own_entry(user: User, organization: Organization, pk: int) -> LedgerEntry:
    """One of the person's own entries in this organization, with its state; else 404."""
    entry = my_entries(user, organization).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def state_now(entry_id: int, today: date | None = None) -> str:
    """The entry's state as the database has it now: call it after locking the entry."""
    state: str = (
        LedgerEntry.objects.filter(pk=entry_id)
        .annotate(state=state_of_entry(today))
        .values_list("state", flat=True)
        .get()
    )
    return state


# --- the statement -----------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    on: date
    what_for: str
    hours: Decimal | None
    state: str
    amount: Decimal
    currency: str


def statement_lines(user: User, organization: Organization, year: int) -> Iterator[StatementLine]:
    """The person's own entries dated in that year, oldest first: one query, read in
    chunks, so a long year costs no more memory than a short one."""
    entries = (
        my_entries(user, organization).filter(work_date__year=year).order_by("work_date", "id")
    )
    for entry in entries.iterator(chunk_size=500):
        state: str = entry.state  # type: ignore[attr-defined]
        yield StatementLine(
            on=entry.work_date,
            what_for=describe_entry(entry),
            hours=entry.hours,
            state=str(PayState.LABELS.get(state, state)),
            amount=shown_amount(entry),
            currency=entry.currency,
        )
