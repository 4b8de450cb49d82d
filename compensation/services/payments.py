"""Paying: finance approve earned pay, gather approved pay into a batch for one payment
method — following each person's schedule and caps — open the batch's payment details for
the processor, and mark it paid.

Paid once, even when two people act at the same moment: each service locks the rows it is
about to act on (ledger entries, or the batch), then looks again in a fresh query for what
was done meanwhile. The one-to-one links from approvals and batch items to their entry are
the backstop: the database refuses a second one, and nothing of that attempt is kept.

Schedules: after each meeting pays whenever a batch is made; every other schedule pays at
most once a calendar month (a payment this month, or pay waiting in an open batch, means
not again this month), and three times a year, yearly and chosen months only in their
months. Caps: pay that would take what is paid (or waiting in an open batch) this month or
this year past the person's cap is held, and the person decides: later, anyway, or not at
all. A deleted account's last payment ignores both: it is paid at once.

Details: someone whose way to be paid needs a detail they have not given (a legal name
for direct deposit, say: `NEEDED_IN_PAYMENT_FILE`) is left out of the batch and told what
to add. Nothing is written to their pay: it stays approved, so the first batch made after
they add the detail pays it. A hold would not fit — holds wait for the person's choice
about a cap, and "later / anyway / not at all" are no answer to a missing detail — and
whether a detail is there is read afresh each time, never stored beside the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import DateTimeField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import Organization, OutboxMessage, SurvivorProfile, User
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, require
from accounts.services.access import ACCESS_PAYMENT_DETAILS, record_access_to_many
from accounts.update_kinds import page
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    FinalPayout,
    Hold,
    HoldChoice,
    HoldReason,
    LedgerEntry,
    OfferedMethod,
    PayeeDetail,
    PaymentBatch,
    PaymentMethod,
    PaymentPreference,
    Schedule,
)
from compensation.money import ZERO
from compensation.selectors.finance import (
    approved_for_batch,
    batch_user_ids,
)
from compensation.selectors.ledger import awaiting_approval, organization_today
from compensation.selectors.payee_details import details_given, missing_details
from compensation.selectors.payees import Payee, SoFar, paid_so_far, payees_for
from compensation.selectors.rates import pay_settings
from compensation.services.ledger import append_entry

PAY_HELD = "pay_held"
PAY_SENT = "pay_sent"
# Their way to be paid needs a detail they have not given; My pay says which.
PAY_NEEDS_DETAILS = "pay_needs_details"
# More than a page of approvals at once is not something a person does by hand.
MAX_APPROVALS_AT_ONCE = 500
REFERENCE_MAX_LENGTH = 120
# Schedules paid only in some months; "chosen months" uses the person's own list.
SCHEDULE_MONTHS: dict[str, frozenset[int]] = {
    Schedule.THREE_TIMES: frozenset({1, 5, 9}),
    Schedule.YEARLY: frozenset({1}),
}


# The rules' words, written once: the forms show these same messages.
METHOD_NOT_OFFERED = gettext_lazy(
    "The organization does not offer that way to pay. Nothing was made."
)
TOO_MANY_AT_ONCE = gettext_lazy("Please approve at most %(count)s at a time.")
REFERENCE_MISSING = gettext_lazy("Write the payment reference, so the payment can be found later.")


def _lock_entries(entries: models.QuerySet[LedgerEntry]) -> list[int]:
    """Lock the entries (lowest id first, so two people locking overlapping sets never
    wait on each other in a circle) and return their ids."""
    return list(entries.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))


def _insert_once[Row: models.Model](model: type[Row], rows: list[Row], refusal: str) -> list[Row]:
    """Insert the rows, or — if the database refuses one because it exists already (the
    backstop behind the locks) — refuse the whole action with `refusal`."""
    try:
        with transaction.atomic():
            return model._default_manager.bulk_create(rows)
    except IntegrityError as exc:
        raise ValidationError(refusal) from exc


# --- approving -----------------------------------------------------------------------------


@transaction.atomic
def approve_entries(*, organization: Organization, by: User, entry_ids: Iterable[int]) -> int:
    """Approve the chosen entries that are still earned and not yet approved; returns how
    many were approved. Entries of another organization, or approved meanwhile by
    someone else, are left as they are."""
    require(by, organization, Capability.HANDLE_PAY)
    ids = sorted(set(entry_ids))
    if len(ids) > MAX_APPROVALS_AT_ONCE:
        raise ValidationError(TOO_MANY_AT_ONCE % {"count": MAX_APPROVALS_AT_ONCE})
    locked = _lock_entries(LedgerEntry.objects.filter(organization=organization, pk__in=ids))
    # Looked up again after the locks: someone who approved a moment ago is seen now.
    waiting = awaiting_approval(organization).filter(pk__in=locked).order_by("pk")
    now = timezone.now()
    approvals = _insert_once(
        Approval,
        [
            Approval(entry_id=pk, approved_by=by, approved_at=now)
            for pk in waiting.values_list("pk", flat=True)
        ],
        _(
            "Someone approved some of this pay at the same moment. "
            "Nothing was saved; please look again."
        ),
    )
    for approval in approvals:
        record_event(
            action="pay.approved",
            actor_id=by.pk,
            organization_id=organization.pk,
            target_type="approval",
            target_id=approval.pk,
        )
    return len(approvals)


# --- batches -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    pk: int
    user_id: int
    amount: Decimal
    work_date: date


@dataclass
class Allocation:
    items: list[Candidate] = field(default_factory=list)
    holds: list[tuple[Candidate, str]] = field(default_factory=list)


@dataclass
class Allocations:
    """Who goes in the batch, and with what; and who is left out for a missing detail."""

    by_person: dict[int, Allocation] = field(default_factory=dict)
    left_out: dict[int, tuple[PayeeDetail, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchOutcome:
    """The batch made (None when everything due was held or left out), how many people it
    pays, how many amounts were held back over a cap, and how many people were left out
    because their way to be paid needs a detail they have not given."""

    batch: PaymentBatch | None
    people: int
    held: int
    left_out: int = 0


def is_due(payee: Payee, today: date, paid_this_month: bool) -> bool:
    """Whether the person's schedule lets them be paid today."""
    if payee.final or payee.schedule == Schedule.PER_MEETING:
        return True
    if paid_this_month:
        return False
    if payee.schedule == Schedule.CHOSEN_MONTHS:
        return today.month in payee.months
    return today.month in SCHEDULE_MONTHS.get(payee.schedule, frozenset(range(1, 13)))


def scheduled_month_start(payee: Payee, today: date) -> date | None:
    """The first day of the person's latest scheduled month, this month included (within
    the past year), or None when they have no scheduled months."""
    if payee.schedule == Schedule.CHOSEN_MONTHS:
        allowed = payee.months
    else:
        allowed = SCHEDULE_MONTHS.get(payee.schedule, frozenset(range(1, 13)))
    month = today.replace(day=1)
    for _step in range(12):
        if month.month in allowed:
            return month
        month = (month - timedelta(days=1)).replace(day=1)
    return None


def due_entries(
    payee: Payee, entries: list[Candidate], today: date, so_far: SoFar
) -> list[Candidate]:
    """What the person's schedule lets a batch pay today. When a scheduled month went by
    with no payment (nobody made a batch then), the pay earned before that month is paid
    now rather than a year later; newer pay still waits for the next scheduled month."""
    if is_due(payee, today, so_far.paid_this_month):
        return entries
    if so_far.paid_this_month:
        return []
    start = scheduled_month_start(payee, today)
    if start is None or (so_far.last_paid is not None and so_far.last_paid >= start):
        return []
    return [entry for entry in entries if entry.work_date < start]


def _cap_passed(payee: Payee, month_total: Decimal, year_total: Decimal) -> str | None:
    if payee.monthly_cap is not None and month_total > payee.monthly_cap:
        return HoldReason.MONTHLY_CAP
    if payee.yearly_cap is not None and year_total > payee.yearly_cap:
        return HoldReason.YEARLY_CAP
    return None


def allocate(
    payee: Payee, entries: list[Candidate], so_far: SoFar, take_anyway: set[int]
) -> Allocation:
    """Which of the person's approved entries go in the batch and which are held over a
    cap. Deductions count first (they only lower the totals); then pay, oldest first. Pay
    the person chose to take anyway goes in whatever the cap."""
    allocation = Allocation()
    if payee.final:
        # A deleted account's last payment: everything owed, whatever the caps were.
        allocation.items = list(entries)
    else:
        _within_caps(payee, entries, so_far, take_anyway, allocation)
    if sum((entry.amount for entry in allocation.items), ZERO) <= 0:
        allocation.items = []  # nothing to send them: a payment is never zero or negative
    return allocation


def _within_caps(
    payee: Payee,
    entries: list[Candidate],
    so_far: SoFar,
    take_anyway: set[int],
    allocation: Allocation,
) -> None:
    month_total, year_total = so_far.month, so_far.year
    for entry in sorted(entries, key=lambda e: (e.amount > 0, e.work_date, e.pk)):
        over = None
        if entry.amount > 0 and entry.pk not in take_anyway:
            over = _cap_passed(payee, month_total + entry.amount, year_total + entry.amount)
        if over:
            allocation.holds.append((entry, over))
            continue
        allocation.items.append(entry)
        month_total += entry.amount
        year_total += entry.amount


def _check_method(organization: Organization, method: str) -> None:
    offered = OfferedMethod.objects.filter(
        organization=organization, method=method, offered=True
    ).exists()
    if method not in PaymentMethod.values or not offered:
        raise ValidationError(
            METHOD_NOT_OFFERED,
            code="not_offered",
        )


@transaction.atomic
def create_batch(*, organization: Organization, by: User, method: str) -> BatchOutcome:
    """Gather approved pay for one payment method into a new batch, following each
    person's schedule and caps. Pay over a cap is held and the person told. Someone the
    method needs a detail from that they have not given is left out and told what to add.
    Refuses a method the organization does not offer, and a batch with nothing in it."""
    require(by, organization, Capability.HANDLE_PAY)
    _check_method(organization, method)
    today = organization_today(organization)
    payees = payees_for(organization, method)
    candidates = approved_for_batch(organization, today).filter(user_id__in=list(payees))
    locked = _lock_entries(LedgerEntry.objects.filter(pk__in=candidates.values("pk")))
    # Looked up again after the locks: pay put in a batch or held meanwhile is gone now.
    fresh = [
        Candidate(row["pk"], row["user"], row["amount"], row["work_date"])
        for row in approved_for_batch(organization, today)
        .filter(pk__in=locked)
        .values("pk", "user", "amount", "work_date")
    ]
    given = details_given(organization, sorted({entry.user_id for entry in fresh}))
    allocations = _allocate_everyone(organization, payees, fresh, today, method, given)
    held = _hold(organization, allocations.by_person, today, by)
    left_out = _leave_out(organization, allocations.left_out, by)
    items = [entry for allocation in allocations.by_person.values() for entry in allocation.items]
    if not items:
        if held or left_out:
            return BatchOutcome(batch=None, people=0, held=held, left_out=left_out)
        raise ValidationError(
            _("Nothing to pay by this method right now. Nothing was made."), code="empty"
        )
    batch = PaymentBatch.objects.create(organization=organization, method=method, created_by=by)
    _insert_once(
        BatchItem,
        [BatchItem(batch=batch, entry_id=entry.pk) for entry in items],
        _(
            "Some of this pay went into another batch at the same moment. "
            "Nothing was made; please try again."
        ),
    )
    record_event(
        action="pay.batch.created",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="payment_batch",
        target_id=batch.pk,
    )
    people = len({entry.user_id for entry in items})
    return BatchOutcome(batch=batch, people=people, held=held, left_out=left_out)


def _allocate_everyone(
    organization: Organization,
    payees: dict[int, Payee],
    entries: list[Candidate],
    today: date,
    method: str,
    given: Mapping[int, frozenset[str]],
) -> Allocations:
    by_person: dict[int, list[Candidate]] = {}
    for entry in entries:
        by_person.setdefault(entry.user_id, []).append(entry)
    so_far = paid_so_far(organization, sorted(by_person), today)
    take_anyway = set(
        Hold.objects.filter(
            entry_id__in=[entry.pk for entry in entries], choice=HoldChoice.TAKE
        ).values_list("entry_id", flat=True)
    )
    allocations = Allocations()
    for user_id, their_entries in by_person.items():
        payee, their_so_far = payees[user_id], so_far[user_id]
        due = due_entries(payee, their_entries, today, their_so_far)
        if not due:
            continue
        missing = missing_details(method, given.get(user_id, frozenset()))
        if missing:
            # Nothing is held or paid; only someone this batch would have paid is told.
            if sum((entry.amount for entry in due), ZERO) > 0:
                allocations.left_out[user_id] = missing
            continue
        allocations.by_person[user_id] = allocate(payee, due, their_so_far, take_anyway)
    return allocations


def _hold(
    organization: Organization, allocations: dict[int, Allocation], today: date, by: User
) -> int:
    """Write a hold for each amount over a cap, and tell each person once."""
    period: dict[str, date] = {
        HoldReason.MONTHLY_CAP: today.replace(day=1),
        HoldReason.YEARLY_CAP: today.replace(month=1, day=1),
    }
    holds = _insert_once(
        Hold,
        [
            Hold(entry_id=entry.pk, reason=reason, period_start=period[reason])
            for allocation in allocations.values()
            for entry, reason in allocation.holds
        ],
        _("Someone else was paying this at the same moment. Nothing was made; please try again."),
    )
    for hold in holds:
        record_event(
            action="pay.held",
            actor_id=by.pk,
            organization_id=organization.pk,
            target_type="hold",
            target_id=hold.pk,
        )
    told = [user_id for user_id, allocation in allocations.items() if allocation.holds]
    for person in User.objects.filter(pk__in=told).order_by("pk"):
        enqueue_update(
            recipient=person,
            organization=organization,
            kind=PAY_HELD,
            target=page("my_pay", organization) + "#held-heading",
        )
    return len(holds)


def _leave_out(
    organization: Organization, left_out: Mapping[int, tuple[PayeeDetail, ...]], by: User
) -> int:
    """Record who was left out, and tell each person (a deleted account has nobody to
    tell) — once, until they change their details or their way to be paid."""
    for user_id in sorted(left_out):
        record_event(
            action="pay.left_out_for_details",
            actor_id=by.pk,
            organization_id=organization.pk,
            target_type="user",
            target_id=user_id,
        )
    to_tell = (
        User.objects.filter(pk__in=list(left_out), erased_at__isnull=True)
        .exclude(pk__in=_told_since_last_change(organization, list(left_out)))
        .order_by("pk")
    )
    for person in to_tell:
        enqueue_update(
            recipient=person,
            organization=organization,
            kind=PAY_NEEDS_DETAILS,
            target=page("my_pay", organization),
        )
    return len(left_out)


# Stands in for "never changed" when comparing when someone was told with when they last
# changed their details or their way to be paid.
_LONG_AGO = Value(datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")), output_field=DateTimeField())


def _told_since_last_change(
    organization: Organization, user_ids: list[int]
) -> models.QuerySet[OutboxMessage, int]:
    """People already told what to add since they last changed their details here or
    their way to be paid: telling them again would say nothing new."""
    profile = SurvivorProfile.objects.filter(organization=organization, user=OuterRef("recipient"))
    preference = PaymentPreference.objects.filter(
        organization=organization, user=OuterRef("recipient")
    )
    return (
        OutboxMessage.objects.filter(
            organization=organization, kind=PAY_NEEDS_DETAILS, recipient_id__in=user_ids
        )
        .annotate(
            changed=Greatest(
                Coalesce(Subquery(profile.values("updated_at")[:1]), _LONG_AGO),
                Coalesce(Subquery(preference.values("updated_at")[:1]), _LONG_AGO),
            )
        )
        .filter(created_at__gt=F("changed"))
        .values_list("recipient", flat=True)
    )


# --- opening payment details ---------------------------------------------------------------


@transaction.atomic
def record_payment_details_opened(
    *, organization: Organization, batch: PaymentBatch, by: User
) -> int:
    """Finance opened the batch's payment details (legal names, and addresses for checks):
    one record in each person's access log. Returns how many people."""
    require(by, organization, Capability.HANDLE_PAY)
    if batch.organization_id != organization.pk:
        raise PermissionDenied
    opened = record_access_to_many(
        viewer=by,
        subject_ids=batch_user_ids(batch),
        organization=organization,
        what=ACCESS_PAYMENT_DETAILS,
    )
    record_event(
        action="pay.batch.details_opened",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="payment_batch",
        target_id=batch.pk,
    )
    return opened


# --- marking paid --------------------------------------------------------------------------


def _paid_at(organization: Organization, paid_on: date, today: date) -> datetime:
    if paid_on == today:
        return timezone.now()
    return datetime.combine(paid_on, time(12), tzinfo=ZoneInfo(organization.time_zone))


def _check_paid(
    batch: PaymentBatch, organization: Organization, reference: str, paid_on: date
) -> None:
    errors: list[str] = []
    if batch.status == PaymentBatch.Status.PAID:
        raise ValidationError(_("This batch was marked paid already. Nothing was changed."))
    if not reference:
        errors.append(str(REFERENCE_MISSING))
    if len(reference) > REFERENCE_MAX_LENGTH:
        errors.append(
            _("The reference can be at most %(count)s characters.")
            % {"count": REFERENCE_MAX_LENGTH}
        )
    zone = ZoneInfo(organization.time_zone)
    if paid_on > organization_today(organization):
        errors.append(_("The day it was paid cannot be in the future."))
    elif paid_on < batch.created_at.astimezone(zone).date():
        errors.append(_("The day it was paid cannot be before the batch was made."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mark_batch_paid(
    *, organization: Organization, by: User, batch: PaymentBatch, reference: str, paid_on: date
) -> PaymentBatch:
    """Record that the batch was paid: one payment entry per person, the reference, and an
    update for each person. Refuses a batch marked paid already. A deleted account's last
    payout details are deleted once nothing is owed to them any more."""
    require(by, organization, Capability.HANDLE_PAY)
    locked = (
        PaymentBatch.objects.select_for_update()
        .filter(pk=batch.pk, organization=organization)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    reference = reference.strip()
    _check_paid(locked, organization, reference, paid_on)
    currency = pay_settings(organization).currency
    totals = (
        BatchItem.objects.filter(batch=locked)
        .order_by()
        .values("entry__user")
        .annotate(total=Sum("entry__amount"))
        .order_by("entry__user")
    )
    paid_people = []
    for row in totals:
        append_entry(
            organization_id=organization.pk,
            user_id=row["entry__user"],
            kind=EntryKind.PAYMENT,
            source=EntrySource.PAYMENT,
            reason=EntryReason.BATCH_PAID,
            amount=-row["total"],
            currency=currency,
            work_date=paid_on,
            actor_id=by.pk,
            batch=locked,
        )
        paid_people.append(row["entry__user"])
    locked.status = PaymentBatch.Status.PAID
    locked.paid_at = _paid_at(organization, paid_on, organization_today(organization))
    locked.paid_by = by
    locked.reference = reference
    locked.save(update_fields=["status", "paid_at", "paid_by", "reference"])
    record_event(
        action="pay.batch.paid",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="payment_batch",
        target_id=locked.pk,
    )
    _tell_paid(organization, paid_people)
    _settle_final_payouts(organization, paid_people, by)
    return locked


def _tell_paid(organization: Organization, user_ids: list[int]) -> None:
    # A deleted account has nobody left to tell.
    for person in User.objects.filter(pk__in=user_ids, erased_at__isnull=True).order_by("pk"):
        enqueue_update(
            recipient=person,
            organization=organization,
            kind=PAY_SENT,
            target=page("my_pay", organization),
        )


def _settle_final_payouts(organization: Organization, user_ids: list[int], by: User) -> None:
    """Delete what was kept to pay a deleted account once its balance is settled."""
    final = FinalPayout.objects.filter(organization=organization, user_id__in=user_ids)
    owed = dict(
        LedgerEntry.objects.filter(organization=organization, user_id__in=final.values("user_id"))
        .order_by()
        .values("user")
        .annotate(total=Sum("amount"))
        .values_list("user", "total")
    )
    for payout in final:
        if owed.get(payout.user_id, ZERO) > 0:
            continue
        record_event(
            action="pay.final_payout.settled",
            actor_id=by.pk,
            organization_id=organization.pk,
            target_type="final_payout",
            target_id=payout.pk,
        )
        payout.delete()
