"""Access rules for the opportunities URLs, merged into the walk in tests/test_url_access.py.

Opportunities and interest are made on demand, straight in the database (no audit events).
Survivor personas are not co-chairs here, so posting pages are 404 for them; tests/opportunities/
test_opportunities_views.py shows a co-chair posts. Survivor pages that take an opportunity
reach only the persona's own interest: another person's interest, or an opportunity of
another organization, is a 404 for everyone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from accounts.models import Organization, User
from accounts.permissions import Capability
from tests.url_walk import (
    ANSWERED,
    SURVIVORS,
    Kwargs,
    Rule,
    World,
    allowed,
    other_org,
    own_org,
)

STAFF = ("sam", "ada")


def _opportunity(org: Organization, *, status: str = "open", public: bool = True) -> Any:
    from opportunities.models import Opportunity

    return Opportunity.objects.create(
        organization=org,
        title="Speak at the spring training",
        kind="speaking",
        involves="A short talk about how the board works.",
        time_needed="One morning",
        hours=Decimal("3"),
        pay_basis="hourly",
        starts_on=datetime.date.today(),
        public_facing=public,
        how_chosen="In the order people say they are interested.",
        status=status,
    )


def _survivor_of(world: World, org: Organization, who: str) -> User:
    """The persona when they are a survivor leader of `org`; otherwise one who is."""
    if who in SURVIVORS and world.own_org(who) == org:
        persona: User = getattr(world.personas, who)
        return persona
    other: User = world.personas.otto if org == world.personas.second else world.personas.river
    return other


def _someone_else_in(world: World, org: Organization, who: str) -> User:
    """A survivor leader of `org` who is not the persona."""
    if org == world.personas.second:
        # Second has one survivor persona; make another for the "someone else" case.
        from accounts.models import Role
        from tests.factories import MembershipFactory, UserFactory

        user = UserFactory.create()
        MembershipFactory.create(user=user, organization=org, role=Role.SURVIVOR_LEADER)
        return user
    person: User = world.personas.river if who == "ash" else world.personas.ash
    return person


def _interest(opportunity: Any, user: User, status: str) -> Any:
    from opportunities.models import OpportunityInterest

    return OpportunityInterest.objects.create(opportunity=opportunity, user=user, status=status)


def own_opportunity(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _opportunity(org).pk}


def other_orgs_opportunity(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _opportunity(org).pk}


def other_orgs_opportunity_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _opportunity(world.other_org(who)).pk}


def closed_opportunity_without_own_interest(world: World, who: str) -> dict[str, Any]:
    """A closed opportunity the persona never had interest in: hidden from survivors."""
    org = world.own_org(who)
    opportunity = _opportunity(org, status="closed")
    _interest(opportunity, _someone_else_in(world, org, who), "accepted")
    return {"org": org.slug, "pk": opportunity.pk}


def _own_interest(status: str) -> Kwargs:
    def build(world: World, who: str) -> dict[str, Any]:
        org = world.own_org(who)
        opportunity = _opportunity(org)
        _interest(opportunity, _survivor_of(world, org, who), status)
        return {"org": org.slug, "pk": opportunity.pk}

    return build


def _someone_elses_interest(status: str) -> Kwargs:
    def build(world: World, who: str) -> dict[str, Any]:
        org = world.own_org(who)
        opportunity = _opportunity(org)
        _interest(opportunity, _someone_else_in(world, org, who), status)
        return {"org": org.slug, "pk": opportunity.pk}

    return build


def _other_orgs_interest(status: str) -> Kwargs:
    def build(world: World, who: str) -> dict[str, Any]:
        org = world.other_org(who)
        opportunity = _opportunity(org)
        _interest(opportunity, _someone_else_in(world, org, who), status)
        return {"org": org.slug, "pk": opportunity.pk}

    return build


def _staff_interest(status: str) -> Kwargs:
    def build(world: World, who: str) -> dict[str, Any]:
        org = world.own_org(who)
        opportunity = _opportunity(org)
        interest = _interest(opportunity, _someone_else_in(world, org, who), status)
        return {"org": org.slug, "pk": opportunity.pk, "interest": interest.pk}

    return build


def _foreign_staff_interest(status: str) -> Kwargs:
    def build(world: World, who: str) -> dict[str, Any]:
        org = world.other_org(who)
        opportunity = _opportunity(org)
        interest = _interest(opportunity, _someone_else_in(world, org, who), status)
        return {"org": org.slug, "pk": opportunity.pk, "interest": interest.pk}

    return build


def _interest_of_another_opportunity(status: str) -> Kwargs:
    """My organization's opportunity in the path, an interest in a different one."""

    def build(world: World, who: str) -> dict[str, Any]:
        org = world.own_org(who)
        elsewhere = _interest(_opportunity(org), _someone_else_in(world, org, who), status)
        return {"org": org.slug, "pk": _opportunity(org).pk, "interest": elsewhere.pk}

    return build


OPPORTUNITY_FOREIGN = (other_orgs_opportunity, other_orgs_opportunity_under_own_org)


def _survivor_foreign(status: str) -> tuple[Kwargs, ...]:
    return (_someone_elses_interest(status), _other_orgs_interest(status))


def _staff_foreign(status: str) -> tuple[Kwargs, ...]:
    return (_foreign_staff_interest(status), _interest_of_another_opportunity(status))


RULES: dict[str, Rule] = {
    # --- survivor leaders --------------------------------------------------------------
    "opportunities": Rule(
        allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,), why="open paid work"
    ),
    "my_opportunities": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="only their own interest",
    ),
    "opportunity": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_opportunity,
        foreign=(*OPPORTUNITY_FOREIGN, closed_opportunity_without_own_interest),
    ),
    "opportunity_interest": Rule(
        allowed(Capability.USE_OWN_SEAT, ANSWERED),
        method="POST",
        kwargs=own_opportunity,
        foreign=(*OPPORTUNITY_FOREIGN, closed_opportunity_without_own_interest),
    ),
    "withdraw_opportunity_interest": Rule(
        allowed(Capability.USE_OWN_SEAT, ANSWERED),
        method="POST",
        kwargs=_own_interest("interested"),
        foreign=_survivor_foreign("interested"),
        why="only their own interest; another person's is a 404",
    ),
    "answer_opportunity_offer": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=_own_interest("offered"),
        foreign=_survivor_foreign("offered"),
        why="only their own offer",
    ),
    "opportunity_terms": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=_own_interest("accepted"),
        foreign=_survivor_foreign("accepted"),
        why="only their own terms",
    ),
    "step_back_from_opportunity": Rule(
        allowed(Capability.USE_OWN_SEAT, ANSWERED),
        method="POST",
        kwargs=_own_interest("accepted"),
        foreign=_survivor_foreign("accepted"),
        why="only their own booking; another person's is a 404",
    ),
    # --- posting: staff and admins (and co-chairs, see the views tests) ----------------
    "manage_opportunities": Rule(
        allowed(Capability.POST_OPPORTUNITIES),
        kwargs=own_org,
        foreign=(other_org,),
        why="co-chairs too; finance: no",
    ),
    "new_opportunity": Rule(
        allowed(Capability.POST_OPPORTUNITIES), kwargs=own_org, foreign=(other_org,)
    ),
    "edit_opportunity": Rule(
        allowed(Capability.POST_OPPORTUNITIES), kwargs=own_opportunity, foreign=OPPORTUNITY_FOREIGN
    ),
    "end_opportunity": Rule(
        allowed(Capability.POST_OPPORTUNITIES, ANSWERED),
        method="POST",
        kwargs=own_opportunity,
        foreign=OPPORTUNITY_FOREIGN,
    ),
    # --- staff and admins only: people, offers, bookings ---------------------------------
    "opportunity_bookings": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="bookings with people's terms",
    ),
    "staff_opportunity": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_opportunity,
        foreign=OPPORTUNITY_FOREIGN,
        why="who is interested: staff of the organization only, never survivors or finance",
    ),
    "offer_opportunity": Rule(
        allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
        method="POST",
        kwargs=_staff_interest("interested"),
        foreign=_staff_foreign("interested"),
    ),
    "complete_opportunity_booking": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=_staff_interest("accepted"),
        foreign=_staff_foreign("accepted"),
    ),
}
