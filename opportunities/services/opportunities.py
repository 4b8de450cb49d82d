"""Writes for paid leadership opportunities.

- Staff, admins and survivor co-chairs post, edit, close or cancel an opportunity.
- Survivor leaders express interest privately, take it back, and accept or decline an
  offer without giving a reason. For public-facing work they set their own terms before
  accepting (and may change them later); staff see the terms with the booking. They may
  step back from work they said yes to at any time before it is done, again with no reason.
- Staff offer the work to a person who expressed interest, and mark a booking done: that
  writes exactly one pay entry through the compensation services. The booking's row is
  locked while it is marked, so marking it twice (or twice at once) pays once.
- Cancelling work within the organization's late-cancellation notice pays each booking
  what was agreed, once (the entry is kept on the booking, as for work done).
- People are told only through the outbox, which says nothing but "there is an update".

Every write checks everything first: bad input raises ValidationError and writes nothing.
Audit events carry ids and codes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import ExpertiseArea, Organization, User
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, allows
from accounts.selectors.roles import staff_of
from accounts.update_kinds import page
from compensation.models import WorkKind
from compensation.pay_rules import booked_hours_error, is_cancelled_late
from compensation.selectors.ledger import organization_today
from compensation.selectors.rates import rate_for
from compensation.services.accrual import BookedWorkTerms, earn_for_booked_work
from compensation.services.rates import LAST_DAY_BEFORE_FIRST
from opportunities.models import (
    InterestStatus,
    Opportunity,
    OpportunityInterest,
    OpportunityStatus,
    PayBasis,
)
from opportunities.selectors.opportunities import (
    BOOKED,
    has_bookings,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Outbox kinds: short codes, never content.
OPPORTUNITY_OFFER = "opportunity_offer"  # to the person offered the work
OPPORTUNITY_ANSWERED = "opportunity_answered"  # to staff and admins
OPPORTUNITY_CANCELLED = "opportunity_cancelled"  # to people with an offer or booking
OPPORTUNITY_PAID = "opportunity_paid"  # to the person whose work was marked done
OPPORTUNITY_CHANGED = "opportunity_changed"  # to people with an offer or booking

TITLE_MAX = 200
TEXT_MAX = 5000
TIME_NEEDED_MAX = 200
NAME_MAX = 80

# The rules' words, written once: the forms show these same messages.
TITLE_MISSING = gettext_lazy("Give the opportunity a title.")
KIND_MISSING = gettext_lazy("Choose the kind of work.")
AREA_UNKNOWN = gettext_lazy("Choose a topic from the list, or no topic.")
INVOLVES_MISSING = gettext_lazy("Say what the work involves.")
TIME_NEEDED_MISSING = gettext_lazy("Say how much time it needs, like “two mornings in May”.")
PAY_BASIS_MISSING = gettext_lazy("Choose how it is paid.")
FIXED_AMOUNT_MISSING = gettext_lazy("Give the fixed amount. It must be more than 0.")
HOW_CHOSEN_MISSING = gettext_lazy("Say how people are chosen, so everyone knows it is fair.")
NAME_TOO_LONG = gettext_lazy("Keep the name to 80 characters or fewer.")
TERMS_NOT_SHOWN = gettext_lazy("Choose your terms for public-facing work before you say yes.")


# Said in more than one place below, so written once here.
TEXT_TOO_LONG = gettext_lazy("Keep it to 5000 characters or fewer.")


def _audit(action: str, actor: User | None, organization_id: int, target: str, pk: int) -> None:
    record_event(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        organization_id=organization_id,
        target_type=target,
        target_id=pk,
    )


# --- posting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpportunityTerms:
    title: str
    kind: str
    area: str
    involves: str
    time_needed: str
    hours: Decimal
    pay_basis: str
    fixed_amount: Decimal | None
    starts_on: date
    ends_on: date | None
    public_facing: bool
    story_expected: bool
    how_chosen: str


def pay_and_days_errors(
    *,
    pay_basis: str | None,
    fixed_amount: Decimal | None,
    starts_on: date | None,
    ends_on: date | None,
) -> dict[str, StrOrPromise]:
    """The rules across an opportunity's fields, by field: the form shows these as they are
    typed, and posting checks them again."""
    errors: dict[str, StrOrPromise] = {}
    if pay_basis not in PayBasis.values:
        errors["pay_basis"] = PAY_BASIS_MISSING
    elif pay_basis == PayBasis.FIXED:
        if fixed_amount is None or fixed_amount <= 0:
            errors["fixed_amount"] = FIXED_AMOUNT_MISSING
    elif fixed_amount is not None:
        errors["fixed_amount"] = _(
            "Hourly work is paid at the organization's rate. Leave the fixed amount empty."
        )
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = LAST_DAY_BEFORE_FIRST
    return errors


def _terms_errors(terms: OpportunityTerms) -> dict[str, StrOrPromise]:
    errors: dict[str, StrOrPromise] = {}
    if not terms.title.strip():
        errors["title"] = TITLE_MISSING
    elif len(terms.title) > TITLE_MAX:
        errors["title"] = _("Keep the title to 200 characters or fewer.")
    if terms.kind not in WorkKind.values:
        errors["kind"] = KIND_MISSING
    if terms.area and terms.area not in ExpertiseArea.values:
        errors["area"] = AREA_UNKNOWN
    if not terms.involves.strip():
        errors["involves"] = INVOLVES_MISSING
    elif len(terms.involves) > TEXT_MAX:
        errors["involves"] = str(TEXT_TOO_LONG)
    if not terms.time_needed.strip():
        errors["time_needed"] = TIME_NEEDED_MISSING
    elif len(terms.time_needed) > TIME_NEEDED_MAX:
        errors["time_needed"] = _("Keep it to 200 characters or fewer.")
    hours_problem = booked_hours_error(terms.hours)
    if hours_problem:
        errors["hours"] = hours_problem
    errors.update(
        pay_and_days_errors(
            pay_basis=terms.pay_basis,
            fixed_amount=terms.fixed_amount,
            starts_on=terms.starts_on,
            ends_on=terms.ends_on,
        )
    )
    if not terms.how_chosen.strip():
        errors["how_chosen"] = HOW_CHOSEN_MISSING
    elif len(terms.how_chosen) > TEXT_MAX:
        errors["how_chosen"] = str(TEXT_TOO_LONG)
    return errors


def _apply(opportunity: Opportunity, terms: OpportunityTerms) -> None:
    opportunity.title = terms.title.strip()
    opportunity.kind = terms.kind
    opportunity.area = terms.area
    opportunity.involves = terms.involves.strip()
    opportunity.time_needed = terms.time_needed.strip()
    opportunity.hours = terms.hours
    opportunity.pay_basis = terms.pay_basis
    opportunity.fixed_amount = terms.fixed_amount if terms.pay_basis == PayBasis.FIXED else None
    opportunity.starts_on = terms.starts_on
    opportunity.ends_on = terms.ends_on
    opportunity.public_facing = terms.public_facing
    opportunity.story_expected = terms.story_expected
    opportunity.how_chosen = terms.how_chosen.strip()


@transaction.atomic
def post_opportunity(
    *, organization: Organization, by: User, terms: OpportunityTerms
) -> Opportunity:
    if not allows(by, organization, Capability.POST_OPPORTUNITIES):
        raise PermissionDenied
    errors = _terms_errors(terms)
    if errors:
        raise ValidationError(errors)
    opportunity = Opportunity(organization=organization, created_by=by)
    _apply(opportunity, terms)
    opportunity.full_clean()
    opportunity.save()
    _audit("opportunity.posted", by, organization.pk, "opportunity", opportunity.pk)
    return opportunity


def _locked_opportunity(opportunity: Opportunity) -> Opportunity:
    locked = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(pk=opportunity.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This opportunity no longer exists."))
    return locked


# Work that has been offered to someone: staff look after it from then on.
WITH_PEOPLE = (InterestStatus.OFFERED, *BOOKED)
# People who hold an offer or a booking, and so are told when the work changes.
HOLDING = (InterestStatus.OFFERED, InterestStatus.ACCEPTED)


def _refuse_co_chair_once_offered(locked: Opportunity, by: User) -> None:
    """Co-chairs post work and may change, close or cancel it until it is offered to
    someone; after that only staff do, since they made the offer and answer for it. The
    words are neutral: they must not tell a co-chair that someone said yes."""
    if allows(by, locked.organization, Capability.LOOK_AFTER_BOARD):
        return
    if locked.interests.filter(status__in=WITH_PEOPLE).exists():
        raise ValidationError(_("Staff look after work that has been offered to someone."))


def _agreed(source: OpportunityTerms | Opportunity) -> tuple[object, ...]:
    """What a person said yes to: the pay, the hours, the dates and what the work
    involves and asks of them. None of it changes under a booking."""
    return (
        source.pay_basis,
        source.fixed_amount if source.pay_basis == PayBasis.FIXED else None,
        source.hours,
        source.starts_on,
        source.ends_on,
        source.involves.strip(),
        source.time_needed.strip(),
        source.public_facing,
        source.story_expected,
    )


@transaction.atomic
def edit_opportunity(*, opportunity: Opportunity, by: User, terms: OpportunityTerms) -> Opportunity:
    """Open opportunities only. Once someone has said yes, the pay, hours, dates and what
    the work involves and asks of people stay as they agreed to; the title and how people
    are chosen may still be made clearer. Co-chairs change only work not yet offered to
    anyone. Everyone holding an offer or a booking is told of a change."""
    locked = _locked_opportunity(opportunity)
    if not allows(by, locked.organization, Capability.POST_OPPORTUNITIES):
        raise PermissionDenied
    if locked.status != OpportunityStatus.OPEN:
        raise ValidationError(_("Only open opportunities can be changed."))
    _refuse_co_chair_once_offered(locked, by)
    errors = _terms_errors(terms)
    if errors:
        raise ValidationError(errors)
    before = _agreed(locked)
    if before != _agreed(terms) and has_bookings(locked):
        raise ValidationError(
            _(
                "Someone has already said yes to this work, so its pay, hours, dates and "
                "what it involves cannot change. You can still make the title or how people "
                "are chosen clearer. For different work, post a new opportunity."
            )
        )
    shown = (locked.title, locked.kind, locked.area, locked.how_chosen, *before)
    _apply(locked, terms)
    locked.full_clean()
    locked.save()
    _audit("opportunity.edited", by, locked.organization_id, "opportunity", locked.pk)
    after = (
        locked.title,
        locked.kind,
        locked.area,
        locked.how_chosen,
        *_agreed(locked),
    )
    if after != shown:
        holders = OpportunityInterest.objects.filter(
            opportunity=locked, status__in=HOLDING
        ).select_related("user")
        for interest in holders:
            enqueue_update(
                recipient=interest.user,
                organization=locked.organization,
                kind=OPPORTUNITY_CHANGED,
                target=page("opportunity", locked.organization, pk=locked.pk),
            )
    return locked


@transaction.atomic
def end_opportunity(*, opportunity: Opportunity, by: User, cancel: bool) -> Opportunity:
    """Close it (no new interest or offers; bookings stay and are paid when done), or
    cancel it (the work will not happen; people with an offer or booking are told, and
    bookings cancelled late are paid: see `_bookings_cancelled_late`). Co-chairs close or
    cancel only work not yet offered to anyone."""
    locked = _locked_opportunity(opportunity)
    if not allows(by, locked.organization, Capability.POST_OPPORTUNITIES):
        raise PermissionDenied
    _refuse_co_chair_once_offered(locked, by)
    if locked.status == OpportunityStatus.CANCELLED or (
        locked.status == OpportunityStatus.CLOSED and not cancel
    ):
        raise ValidationError(_("This opportunity is already closed. Nothing was changed."))
    # Every row lock is taken before the first audit event: writing one takes the audit
    # chain's lock, and a lock taken after it could wait on someone waiting for the chain.
    to_pay = _bookings_cancelled_late(locked) if cancel else []
    locked.status = OpportunityStatus.CANCELLED if cancel else OpportunityStatus.CLOSED
    locked.save(update_fields=["status"])
    action = "opportunity.cancelled" if cancel else "opportunity.closed"
    _audit(action, by, locked.organization_id, "opportunity", locked.pk)
    for booking in to_pay:
        _pay_cancelled_late(locked, booking, by)
    if cancel:
        waiting = OpportunityInterest.objects.filter(
            opportunity=locked,
            status__in=(InterestStatus.OFFERED, InterestStatus.ACCEPTED),
        ).select_related("user")
        for interest in waiting:
            enqueue_update(
                recipient=interest.user,
                organization=locked.organization,
                kind=OPPORTUNITY_CANCELLED,
                target=page("opportunity", locked.organization, pk=locked.pk),
            )
    return locked


def cancelled_late(opportunity: Opportunity) -> bool:
    """Pay's rule for meetings (`compensation.pay_rules`), with notice running to the start
    of the work's first day where the organization is."""
    organization = opportunity.organization
    starts = datetime.combine(
        opportunity.starts_on, time.min, tzinfo=ZoneInfo(organization.time_zone)
    )
    return is_cancelled_late(
        starts_at=starts,
        cancelled_at=timezone.now(),
        rate=rate_for(organization.pk, opportunity.starts_on),
    )


def _bookings_cancelled_late(opportunity: Opportunity) -> list[OpportunityInterest]:
    """Bookings to pay because the work is cancelled late, locked (not yet paid ones
    only). Bookings further ahead are only told. Hourly work on a day no rate covers
    cannot be priced, so then the cancellation is refused before anything is written."""
    if not cancelled_late(opportunity):
        return []
    bookings = list(
        OpportunityInterest.objects.select_for_update(of=("self",)).filter(
            opportunity=opportunity, status=InterestStatus.ACCEPTED, ledger_entry__isnull=True
        )
    )
    hourly = opportunity.pay_basis == PayBasis.HOURLY
    if bookings and hourly and rate_for(opportunity.organization_id, opportunity.starts_on) is None:
        raise ValidationError(
            _(
                "This work is being cancelled late, so the people booked are paid, but no "
                "pay rate covers its first day yet. Ask finance to add a rate, then cancel "
                "it. Nothing was changed."
            )
        )
    return bookings


def _booked(opportunity: Opportunity) -> BookedWorkTerms:
    return BookedWorkTerms(kind=opportunity.kind, title=opportunity.title)


def _pay_cancelled_late(opportunity: Opportunity, booking: OpportunityInterest, by: User) -> None:
    """What was agreed: the fixed amount, or the agreed hours at the rate for the first
    day, never less than the minimum paid block. (The meetings' option of paying only the
    minimum block is for meetings; booked work was agreed at a set size.) The booking
    keeps its entry, as when it is marked done, so it is paid once whatever happens next."""
    entry = earn_for_booked_work(
        organization=opportunity.organization,
        user_id=booking.user_id,
        work=_booked(opportunity),
        work_date=opportunity.starts_on,
        hours=opportunity.hours,
        fixed_amount=opportunity.fixed_amount,
        actor_id=by.pk,
        cancelled_late=True,
    )
    if entry is None:  # checked in _bookings_cancelled_late; never pay as zero
        raise ValidationError(_("No pay rate covers this day yet. Nothing was changed."))
    booking.ledger_entry = entry
    booking.save(update_fields=["ledger_entry"])
    _audit(
        "opportunity.paid_cancelled_late",
        by,
        opportunity.organization_id,
        "opportunity",
        opportunity.pk,
    )


# --- survivor leaders -------------------------------------------------------------------------


def _locked_interest(interest: OpportunityInterest) -> OpportunityInterest:
    locked = (
        OpportunityInterest.objects.select_for_update(of=("self",))
        .select_related("opportunity__organization", "user")
        .filter(pk=interest.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This no longer exists. Nothing was changed."))
    return locked


@transaction.atomic
def express_interest(*, opportunity: Opportunity, person: User) -> OpportunityInterest:
    """Private: staff see it, other survivors never do. Saying it again changes nothing;
    saying it again after taking it back puts the person at the end of the list, as if
    new."""
    locked = _locked_opportunity(opportunity)
    if not allows(person, locked.organization, Capability.USE_OWN_SEAT):
        raise PermissionDenied
    if locked.status != OpportunityStatus.OPEN:
        raise ValidationError(_("This opportunity is closed, so it takes no new interest."))
    interest, created = OpportunityInterest.objects.get_or_create(opportunity=locked, user=person)
    if not created and interest.status == InterestStatus.WITHDRAWN:
        interest.status = InterestStatus.INTERESTED
        interest.created_at = timezone.now()
        interest.save(update_fields=["status", "created_at"])
    elif not created:
        return interest
    _audit("opportunity.interest", person, locked.organization_id, "opportunity", locked.pk)
    return interest


@transaction.atomic
def withdraw_interest(*, interest: OpportunityInterest, person: User) -> OpportunityInterest:
    locked = _locked_interest(interest)
    if locked.user_id != person.pk:
        raise PermissionDenied
    if locked.status != InterestStatus.INTERESTED:
        raise ValidationError(
            _("You can take back interest only before an offer. Answer the offer instead.")
        )
    locked.status = InterestStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    _audit(
        "opportunity.interest_withdrawn",
        person,
        locked.opportunity.organization_id,
        "opportunity",
        locked.opportunity_id,
    )
    return locked


@dataclass(frozen=True)
class PublicTerms:
    """The survivor's own terms for public-facing work."""

    no_photos: bool = False
    no_recording: bool = False
    first_name_only: bool = False
    different_name: str = ""
    no_organization_name: bool = False


def _set_terms(interest: OpportunityInterest, terms: PublicTerms) -> None:
    name = terms.different_name.strip()
    if len(name) > NAME_MAX:
        raise ValidationError({"different_name": [NAME_TOO_LONG]})
    interest.no_photos = terms.no_photos
    interest.no_recording = terms.no_recording
    interest.first_name_only = terms.first_name_only
    interest.different_name = name
    interest.no_organization_name = terms.no_organization_name
    interest.terms_set_at = timezone.now()


TERMS_FIELDS = [
    "no_photos",
    "no_recording",
    "first_name_only",
    "different_name",
    "no_organization_name",
    "terms_set_at",
]


@transaction.atomic
def answer_offer(
    *,
    interest: OpportunityInterest,
    person: User,
    accept: bool,
    terms: PublicTerms | None = None,
) -> OpportunityInterest:
    """Yes or no, never a reason. Public-facing work cannot be accepted without the
    person's own terms (the accept form always carries them).

    The opportunity is locked first (the order edit_opportunity and end_opportunity take
    too), so a yes and a change to the work never cross: the change waits and then sees
    the booking, or the yes waits and then the person is told of the change."""
    _locked_opportunity(interest.opportunity)
    locked = _locked_interest(interest)
    if locked.user_id != person.pk:
        raise PermissionDenied
    if locked.status != InterestStatus.OFFERED:
        raise ValidationError(_("There is no offer waiting for an answer. Nothing was changed."))
    opportunity = locked.opportunity
    if accept and opportunity.status == OpportunityStatus.CANCELLED:
        raise ValidationError(_("This work was cancelled, so it cannot be accepted."))
    fields = ["status", "answered_at"]
    if accept and opportunity.public_facing:
        if terms is None:
            raise ValidationError(TERMS_NOT_SHOWN)
        _set_terms(locked, terms)
        fields += TERMS_FIELDS
    locked.status = InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED
    locked.answered_at = timezone.now()
    locked.save(update_fields=fields)
    action = "opportunity.offer_accepted" if accept else "opportunity.offer_declined"
    organization = opportunity.organization
    _audit(action, person, organization.pk, "opportunity", opportunity.pk)
    _tell_staff_answered(opportunity)
    return locked


def _tell_staff_answered(opportunity: Opportunity) -> None:
    organization = opportunity.organization
    for member in staff_of(organization):
        enqueue_update(
            recipient=member,
            organization=organization,
            kind=OPPORTUNITY_ANSWERED,
            target=page("staff_opportunity", organization, pk=opportunity.pk),
        )


@transaction.atomic
def change_terms(
    *, interest: OpportunityInterest, person: User, terms: PublicTerms
) -> OpportunityInterest:
    """The person changes their terms for a booked public-facing piece of work."""
    locked = _locked_interest(interest)
    if locked.user_id != person.pk:
        raise PermissionDenied
    if locked.status != InterestStatus.ACCEPTED or not locked.opportunity.public_facing:
        raise ValidationError(
            _("Terms can be changed only for public-facing work you said yes to.")
        )
    _set_terms(locked, terms)
    locked.save(update_fields=TERMS_FIELDS)
    organization = locked.opportunity.organization
    _audit(
        "opportunity.terms_changed", person, organization.pk, "opportunity", locked.opportunity_id
    )
    _tell_staff_answered(locked.opportunity)
    return locked


@transaction.atomic
def step_back(*, interest: OpportunityInterest, person: User) -> OpportunityInterest:
    """The person steps back from work they said yes to: no reason is asked, and nothing
    about them or their seat changes. Staff are told (only "there is an update"). Work
    already marked done, or already paid, is over, so there is nothing to step back from."""
    locked = _locked_interest(interest)
    if locked.user_id != person.pk:
        raise PermissionDenied
    if locked.status == InterestStatus.COMPLETED or locked.ledger_entry_id is not None:
        raise ValidationError(
            _("This work is done or already paid, so there is nothing to step back from.")
        )
    if locked.status != InterestStatus.ACCEPTED:
        raise ValidationError(_("You have not said yes to this work. Nothing was changed."))
    # Declined, as if they had said no to the offer: staff may offer it to someone else.
    locked.status = InterestStatus.DECLINED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    organization = locked.opportunity.organization
    _audit(
        "opportunity.stepped_back", person, organization.pk, "opportunity", locked.opportunity_id
    )
    _tell_staff_answered(locked.opportunity)
    return locked


# --- staff: offers and work done --------------------------------------------------------------


@transaction.atomic
def make_offer(*, interest: OpportunityInterest, by: User) -> OpportunityInterest:
    locked = _locked_interest(interest)
    opportunity = locked.opportunity
    if not allows(by, opportunity.organization, Capability.LOOK_AFTER_BOARD):
        raise PermissionDenied
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError(_("This opportunity is closed, so no new offers can be made."))
    if locked.status != InterestStatus.INTERESTED:
        raise ValidationError(
            _("An offer can be made only to someone who is interested and has no offer yet.")
        )
    locked.status = InterestStatus.OFFERED
    locked.offered_at = timezone.now()
    locked.save(update_fields=["status", "offered_at"])
    _audit("opportunity.offered", by, opportunity.organization_id, "opportunity", opportunity.pk)
    enqueue_update(
        recipient=locked.user,
        organization=opportunity.organization,
        kind=OPPORTUNITY_OFFER,
        target=page("opportunity", opportunity.organization, pk=opportunity.pk),
    )
    return locked


@dataclass(frozen=True)
class Completion:
    interest: OpportunityInterest
    # Already marked done before: nothing new was written or paid.
    already_done: bool


@transaction.atomic
def complete_booking(
    *, interest: OpportunityInterest, by: User, hours: Decimal | None = None
) -> Completion:
    """Staff mark a booking done: exactly one pay entry. Hourly work is paid for the hours
    actually worked (never less than the minimum paid block), at the organization's rate
    for the day; a fixed amount as agreed. The page asks staff to confirm hours fewer
    than agreed before they get here.

    The booking's row is locked first, so a second marking (even one at the same moment)
    waits, then finds it done and pays nothing."""
    locked = _locked_interest(interest)
    opportunity = locked.opportunity
    organization = opportunity.organization
    if not allows(by, organization, Capability.LOOK_AFTER_BOARD):
        raise PermissionDenied
    if locked.status == InterestStatus.COMPLETED or locked.ledger_entry_id is not None:
        return Completion(locked, already_done=True)
    if locked.status not in BOOKED:
        raise ValidationError(_("Only work the person said yes to can be marked done."))
    today = organization_today(organization)
    if opportunity.starts_on > today:
        raise ValidationError(_("This work has not started yet, so it cannot be marked done."))
    work_date = min(opportunity.ends_on or opportunity.starts_on, today)
    if opportunity.pay_basis == PayBasis.HOURLY:
        problem = booked_hours_error(hours)
        if problem:
            raise ValidationError({"hours": [problem]})
        assert hours is not None  # noqa: S101  # checked just above
        worked = hours
        fixed: Decimal | None = None
    else:
        worked = opportunity.hours
        fixed = opportunity.fixed_amount
    entry = earn_for_booked_work(
        organization=organization,
        user_id=locked.user_id,
        work=_booked(opportunity),
        work_date=work_date,
        hours=worked,
        fixed_amount=fixed,
        actor_id=by.pk,
    )
    if entry is None:
        raise ValidationError(
            _(
                "No pay rate covers this day yet, so the pay cannot be worked out. Ask "
                "finance to add a rate, then mark it done. Nothing was saved."
            )
        )
    locked.status = InterestStatus.COMPLETED
    locked.completed_at = timezone.now()
    locked.ledger_entry = entry
    locked.save(update_fields=["status", "completed_at", "ledger_entry"])
    _audit("opportunity.completed", by, organization.pk, "opportunity", opportunity.pk)
    enqueue_update(
        recipient=locked.user,
        organization=organization,
        kind=OPPORTUNITY_PAID,
        target=page("my_pay", organization),
    )
    return Completion(locked, already_done=False)
