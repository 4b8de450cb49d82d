"""Reads for paid leadership opportunities, scoped to the person asking; outside scope is a
404.

Who reaches what:
- survivor leaders of the organization: open opportunities (those matching their own
  expertise first), one opportunity, and only their own interest, offers and bookings;
- program staff and admins, and survivor co-chairs: posting, editing, closing;
- program staff and admins only: who expressed interest in one opportunity, in the order
  it came (never ranked or sorted by anything about the person), offers and bookings with
  the survivor's own terms for public-facing work;
- finance and funders: nothing here (the pay itself is in compensation's pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from accounts.models import ExpertiseArea, Organization, SurvivorProfile, User
from accounts.selectors.profile import with_profile_here
from compensation.money import format_money, to_cents
from compensation.selectors.rates import exact_hourly, parity_ratio, pay_settings, rate_for
from opportunities.models import (
    InterestStatus,
    Opportunity,
    OpportunityInterest,
    OpportunityStatus,
    PayBasis,
)

OPPORTUNITIES_PER_PAGE = 20
PEOPLE_PER_PAGE = 50
BOOKINGS_PER_PAGE = 30

# Interest a person still stands by: taken-back interest is gone from every staff page.
STANDING = (
    InterestStatus.INTERESTED,
    InterestStatus.OFFERED,
    InterestStatus.ACCEPTED,
    InterestStatus.DECLINED,
    InterestStatus.COMPLETED,
)
BOOKED = (InterestStatus.ACCEPTED, InterestStatus.COMPLETED)


# --- who may do what ------------------------------------------------------------------------


def area_label(area: str) -> str:
    """A topic in words (an ExpertiseArea value), or "" for none."""
    return str(ExpertiseArea(area).label) if area in ExpertiseArea.values else ""


def _area_label() -> Case:
    """The topic in words, in the query (labels in the language of the request)."""
    return Case(
        *[When(area=value, then=Value(str(label))) for value, label in ExpertiseArea.choices],
        default=Value(""),
        output_field=CharField(),
    )


# --- survivors ----------------------------------------------------------------------------


def my_expertise(user: User, organization: Organization) -> list[str]:
    """The topics the person chose in the profile they gave this organization."""
    profile = (
        SurvivorProfile.objects.filter(user=user, organization=organization)
        .only("expertise")
        .first()
    )
    if profile is None or not isinstance(profile.expertise, list):
        return []
    return [str(area) for area in profile.expertise]


def _my_status(user: User) -> Subquery:
    return Subquery(
        OpportunityInterest.objects.filter(opportunity=OuterRef("pk"), user=user).values("status")[
            :1
        ]
    )


def open_opportunities_for(user: User, organization: Organization) -> QuerySet[Opportunity]:
    """Open opportunities, those on a topic the person chose in their profile first, then
    by first day. Each carries `matches` and `my_status` (the person's own interest, if
    any) in the same query."""
    areas = my_expertise(user, organization)
    matches = Case(
        When(area__in=areas, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        Opportunity.objects.filter(organization=organization, status=OpportunityStatus.OPEN)
        .annotate(matches=matches, my_status=_my_status(user), area_label=_area_label())
        .order_by("-matches", "starts_on", "id")
    )


def get_opportunity_for_survivor(user: User, organization: Organization, pk: int) -> Opportunity:
    """An open opportunity of the organization, or one the person has their own interest
    in (so an offer or booking stays readable after it closes); else 404."""
    opportunity = (
        Opportunity.objects.filter(organization=organization, pk=pk)
        .filter(Q(status=OpportunityStatus.OPEN) | Q(interests__user=user))
        .distinct()
        .first()
    )
    if opportunity is None:
        raise Http404
    return opportunity


def my_interest_in(user: User, opportunity: Opportunity) -> OpportunityInterest | None:
    return OpportunityInterest.objects.filter(opportunity=opportunity, user=user).first()


def get_own_interest(user: User, organization: Organization, pk: int) -> OpportunityInterest:
    """The person's own interest in this organization's opportunity `pk`; anyone else's,
    or none, is a 404."""
    interest = (
        OpportunityInterest.objects.select_related("opportunity")
        .filter(opportunity__organization=organization, opportunity_id=pk, user=user)
        .first()
    )
    if interest is None:
        raise Http404
    return interest


def my_opportunity_interests(
    user: User, organization: Organization
) -> QuerySet[OpportunityInterest]:
    """The person's own interest, offers and bookings: offers waiting for an answer
    first, then the newest."""
    waiting = Case(
        When(status=InterestStatus.OFFERED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        OpportunityInterest.objects.filter(opportunity__organization=organization, user=user)
        .select_related("opportunity")
        .order_by(waiting, "-created_at", "-id")
    )


# --- posters --------------------------------------------------------------------------------


def opportunities_for_posters(
    organization: Organization, *, with_counts: bool
) -> QuerySet[Opportunity]:
    """Every opportunity of the organization, open ones first, then by first day. Staff
    also get how many people are interested and booked (counts, no names); co-chairs do
    not, since on a small board a count can point at a person."""
    open_first = Case(
        When(status=OpportunityStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    opportunities = Opportunity.objects.filter(organization=organization).annotate(
        area_label=_area_label()
    )
    if with_counts:
        opportunities = opportunities.annotate(
            interested=Count("interests", filter=Q(interests__status__in=STANDING)),
            booked=Count("interests", filter=Q(interests__status__in=BOOKED)),
        )
    return opportunities.order_by(open_first, "-starts_on", "-id")


def get_opportunity_for_poster(organization: Organization, pk: int) -> Opportunity:
    """An opportunity of this organization (call after `organization_for` with
    `POST_OPPORTUNITIES` or `LOOK_AFTER_BOARD`); else 404."""
    opportunity = Opportunity.objects.filter(organization=organization, pk=pk).first()
    if opportunity is None:
        raise Http404
    return opportunity


def has_bookings(opportunity: Opportunity) -> bool:
    return opportunity.interests.filter(status__in=BOOKED).exists()


# --- staff: people and bookings ----------------------------------------------------------


def interest_list(opportunity: Opportunity) -> QuerySet[OpportunityInterest]:
    """Everyone who expressed interest and has not taken it back, in the order it came.
    Deliberately no other order, score or sort: nothing about the person decides where
    they appear."""
    standing = OpportunityInterest.objects.filter(opportunity=opportunity, status__in=STANDING)
    return with_profile_here(
        standing.select_related("opportunity", "user"), opportunity.organization_id, person="user"
    ).order_by("created_at", "id")


def get_interest_for_staff(opportunity: Opportunity, pk: int) -> OpportunityInterest:
    interests = OpportunityInterest.objects.select_related("opportunity__organization", "user")
    interest = (
        with_profile_here(interests, opportunity.organization_id, person="user")
        .filter(opportunity=opportunity, pk=pk)
        .first()
    )
    if interest is None:
        raise Http404
    return interest


def bookings_for_staff(organization: Organization) -> QuerySet[OpportunityInterest]:
    """Every booking (accepted or done) of the organization, with the person's terms and
    the opportunity: newest first day first."""
    booked = OpportunityInterest.objects.filter(
        opportunity__organization=organization, status__in=BOOKED
    ).select_related("opportunity", "user", "ledger_entry")
    return with_profile_here(booked, organization, person="user").order_by(
        "-opportunity__starts_on", "opportunity_id", "created_at", "id"
    )


# --- pay, at parity --------------------------------------------------------------------------


@dataclass(frozen=True)
class PayPreview:
    """What the work pays and how that compares with the professional benchmark."""

    fixed: bool
    hours: Decimal
    has_rate: bool
    total: str  # the pay for the planned hours, or the fixed amount
    hourly: str  # what it comes to for one hour ("" when it cannot be worked out)
    benchmark: str
    parity: Decimal | None  # percent of the benchmark; 100 is parity
    below_parity: bool


def pay_preview(
    organization: Organization,
    *,
    pay_basis: str,
    hours: Decimal,
    fixed_amount: Decimal | None,
    on: date,
) -> PayPreview:
    currency = pay_settings(organization).currency
    rate = rate_for(organization.pk, on)
    if pay_basis == PayBasis.FIXED and fixed_amount is not None:
        total = format_money(fixed_amount, currency)
        if rate is None or hours <= 0:
            return PayPreview(True, hours, rate is not None, total, "", "", None, False)
        hourly = to_cents(fixed_amount / hours)
        parity = (hourly * 100 / rate.benchmark_hourly).quantize(Decimal("1"))
        return PayPreview(
            True,
            hours,
            True,
            total,
            format_money(hourly, currency),
            format_money(rate.benchmark_hourly, currency),
            parity,
            parity < 100,
        )
    if rate is None:
        return PayPreview(False, hours, False, "", "", "", None, False)
    parity = parity_ratio(rate)
    return PayPreview(
        False,
        hours,
        True,
        format_money(to_cents(hours * exact_hourly(rate)), currency),
        format_money(to_cents(exact_hourly(rate)), currency),
        format_money(rate.benchmark_hourly, currency),
        parity,
        parity < 100,
    )


def preview_for(opportunity: Opportunity) -> PayPreview:
    return pay_preview(
        opportunity.organization,
        pay_basis=opportunity.pay_basis,
        hours=opportunity.hours,
        fixed_amount=opportunity.fixed_amount,
        on=opportunity.starts_on,
    )
