"""Access rules for advisory's recommendations URLs, merged into the walk (test_url_access).

Recommendations and board roles are made on demand, straight in the database (no audit
events). Recording a recommendation needs an active role on the board: the kwargs builder
gives the survivor persona one in their own organization; tests/advisory/
test_recommendations_views.py shows a survivor leader without one gets 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import Organization
from accounts.permissions import Capability
from tests.url_walk import (
    BOARD_SEATS,
    SURVIVORS,
    Rule,
    World,
    _make_board_member,
    _roles_survivor_in,
    allowed,
    other_org,
    own_org,
)

STAFF = ("sam", "ada")


def own_org_as_board_member(world: World, who: str) -> dict[str, Any]:
    """The persona's own organization; a survivor persona holds an active board role."""
    org = world.own_org(who)
    if who in SURVIVORS:
        _make_board_member(org, getattr(world.personas, who))
    return {"org": org.slug}


def other_org_as_board_member(world: World, who: str) -> dict[str, Any]:
    """Another organization, where one of its survivors is on the board (not the persona)."""
    org = world.other_org(who)
    _make_board_member(org, _roles_survivor_in(world, org))
    return {"org": org.slug}


def _recommendation(org: Organization) -> int:
    from advisory.models import DecisionArea, Recommendation

    today = datetime.date.today()
    recommendation = Recommendation.objects.create(
        organization=org,
        text="Hold meetings in the evening.",
        area=DecisionArea.SERVICES,
        adopted_on=today,
        due_on=today + datetime.timedelta(days=30),
    )
    return int(recommendation.pk)


def own_recommendation(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _recommendation(org)}


def other_orgs_recommendation(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _recommendation(org)}


def other_orgs_recommendation_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _recommendation(world.other_org(who))}


RULES: dict[str, Rule] = {
    "board_recommendations": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="every survivor leader of the organization reads the board's advice",
    ),
    "new_recommendation": Rule(
        allowed(Capability.RECOMMEND, seats=BOARD_SEATS),
        kwargs=own_org_as_board_member,
        foreign=(other_org_as_board_member,),
        why="survivor leaders with an active board role; staff record nothing for the board",
    ),
    "recommendations": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="staff answer; finance: no",
    ),
    "answer_recommendation": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_recommendation,
        foreign=(other_orgs_recommendation, other_orgs_recommendation_under_own_org),
    ),
    "loop_health": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="figures for staff, no names",
    ),
}
