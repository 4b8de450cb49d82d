"""Access rules for compensation's mypay URLs, merged into the walk in tests/test_url_access.py.

Entries and holds are made on demand, straight in the database (no audit events, so the
"GET changes nothing" snapshot is unaffected). A survivor's own are theirs; everyone else
is pointed at a survivor of their own organization, and gets 404 all the same.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from accounts.models import Organization, User
from accounts.permissions import Capability
from compensation.models import (
    EntryKind,
    EntryReason,
    EntrySource,
    Hold,
    HoldReason,
    LedgerEntry,
)
from tests.url_walk import (
    ANSWERED,
    SURVIVORS,
    Rule,
    World,
    allowed,
    other_org,
    own_org,
)


def _survivor(world: World, org: Organization, who: str) -> User:
    """The persona when a survivor of this organization; otherwise one of its survivors."""
    if who in SURVIVORS and world.own_org(who) == org:
        person: User = getattr(world.personas, who)
        return person
    fallback: User = world.personas.otto if org == world.personas.second else world.personas.ash
    return fallback


def _someone_else(world: World, who: str) -> User:
    """Another survivor of Harbor than the persona."""
    other: User = world.personas.river if who == "ash" else world.personas.ash
    return other


def _entry(org: Organization, person: User) -> LedgerEntry:
    return LedgerEntry.objects.create(
        organization=org,
        user=person,
        kind=EntryKind.EARNED,
        source=EntrySource.MEETING,
        reason=EntryReason.ATTENDED,
        amount=Decimal("50.00"),
        currency="USD",
        hours=Decimal("1"),
        work_date=datetime.date.today(),
    )


def _hold(org: Organization, person: User) -> Hold:
    return Hold.objects.create(
        entry=_entry(org, person),
        reason=HoldReason.MONTHLY_CAP,
        period_start=datetime.date.today().replace(day=1),
    )


def my_pay_entry(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _entry(org, _survivor(world, org, who)).pk}


def someone_elses_pay_entry(world: World, who: str) -> dict[str, Any]:
    harbor = world.personas.harbor
    return {"org": world.own_org(who).slug, "pk": _entry(harbor, _someone_else(world, who)).pk}


def other_orgs_pay_entry(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _entry(org, _survivor(world, org, who)).pk}


def other_orgs_pay_entry_under_own_org(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": world.own_org(who).slug, "pk": _entry(org, _survivor(world, org, who)).pk}


def my_hold(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _hold(org, _survivor(world, org, who)).pk}


def someone_elses_hold(world: World, who: str) -> dict[str, Any]:
    harbor = world.personas.harbor
    return {"org": world.own_org(who).slug, "pk": _hold(harbor, _someone_else(world, who)).pk}


def other_orgs_hold(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _hold(org, _survivor(world, org, who)).pk}


def other_orgs_hold_under_own_org(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": world.own_org(who).slug, "pk": _hold(org, _survivor(world, org, who)).pk}


RULES: dict[str, Rule] = {
    "my_pay": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="a survivor leader's own pay; staff, finance, admins and funders: no",
    ),
    "my_pay_choices": Rule(allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,)),
    "pay_statement": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="their own entries only",
    ),
    "decide_hold": Rule(
        allowed(Capability.USE_OWN_SEAT, ANSWERED),
        method="POST",
        kwargs=my_hold,
        foreign=(someone_elses_hold, other_orgs_hold, other_orgs_hold_under_own_org),
        data={"choice": "take"},
        why="only the person whose pay is held decides",
    ),
    "decline_pay": Rule(
        allowed(Capability.USE_OWN_SEAT, ANSWERED),
        method="POST",
        kwargs=my_pay_entry,
        foreign=(
            someone_elses_pay_entry,
            other_orgs_pay_entry,
            other_orgs_pay_entry_under_own_org,
        ),
        why="answers with the 'are you sure?' step; only their own pay",
    ),
}
