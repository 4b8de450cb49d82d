"""Access rules for compensation's rates URLs, merged into the walk in tests/test_url_access.py.

Finance's setup pages: finance of the organization only. Everyone else, including the
organization's staff, admins and survivors, gets 404; so does finance under another
organization's name, or with another organization's rate under their own."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from accounts.models import Organization
from accounts.permissions import Capability
from tests.url_walk import ANSWERED, Rule, World, allowed, other_org, own_org

FINANCE = ("fin",)


def _rate_of(org: Organization) -> int:
    """A rate made straight in the database (no audit event, so the walker's "GET changes
    nothing" snapshot is unaffected)."""
    from compensation.models import RateBasis, StipendRate

    rate, _created = StipendRate.objects.get_or_create(
        organization=org,
        meeting_role="",
        defaults={
            "basis": RateBasis.HOURLY,
            "amount": Decimal("50.00"),
            "benchmark_hourly": Decimal("60.00"),
            "effective_from": datetime.date(2020, 1, 1),
        },
    )
    return int(rate.pk)


def own_rate(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _rate_of(org)}


def other_orgs_rate(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _rate_of(org)}


def other_orgs_rate_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _rate_of(world.other_org(who))}


RULES: dict[str, Rule] = {
    "pay_rates": Rule(
        allowed(Capability.HANDLE_PAY),
        kwargs=own_org,
        foreign=(other_org,),
        why="finance set rates; nobody else",
    ),
    "end_pay_rate": Rule(
        allowed(Capability.HANDLE_PAY, ANSWERED),
        method="POST",
        kwargs=own_rate,
        foreign=(other_orgs_rate, other_orgs_rate_under_own_org),
        why="an empty date is refused on the page (200); ending is finance's alone",
    ),
    "pay_settings": Rule(allowed(Capability.HANDLE_PAY), kwargs=own_org, foreign=(other_org,)),
    "pay_methods": Rule(allowed(Capability.HANDLE_PAY), kwargs=own_org, foreign=(other_org,)),
}
