"""Access rules for advisory's recommendations URLs, merged into test_url_access RULES.

Recommendations and board roles are made on demand, straight in the database (no audit
events). Recording a recommendation needs an active role on the board: the kwargs builder
gives the survivor persona one in their own organization; tests/advisory/
test_recommendations_views.py shows a survivor leader without one gets 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import Organization, User
from tests.test_url_access import (
    SURVIVORS,
    Rule,
    World,
    _roles_board_role,
    _roles_survivor_in,
    only,
    other_org,
    own_org,
)

STAFF = ("sam", "ada")


def _make_board_member(org: Organization, person: User) -> None:
    from accounts.models import AdvisoryBoard, AssignmentStatus, RoleAssignment

    board, _created = AdvisoryBoard.objects.get_or_create(organization=org, name="Advisory board")
    # Other rules' builders may already have given this person active roles (the walk
    # accepts invitations); one more is only needed when there is none.
    role = _roles_board_role(org)
    if not RoleAssignment.objects.filter(
        board=board, role=role, user=person, status=AssignmentStatus.ACTIVE
    ).exists():
        RoleAssignment.objects.create(
            board=board,
            role=role,
            user=person,
            status=AssignmentStatus.ACTIVE,
            starts_on=datetime.date.today(),
        )


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
        only(SURVIVORS),
        kwargs=own_org,
        foreign=(other_org,),
        why="every survivor leader of the organization reads the board's advice",
    ),
    "new_recommendation": Rule(
        only(SURVIVORS),
        kwargs=own_org_as_board_member,
        foreign=(other_org_as_board_member,),
        why="survivor leaders with an active board role; staff record nothing for the board",
    ),
    "recommendations": Rule(
        only(STAFF), kwargs=own_org, foreign=(other_org,), why="staff answer; finance: no"
    ),
    "answer_recommendation": Rule(
        only(STAFF),
        kwargs=own_recommendation,
        foreign=(other_orgs_recommendation, other_orgs_recommendation_under_own_org),
    ),
    "loop_health": Rule(
        only(STAFF), kwargs=own_org, foreign=(other_org,), why="figures for staff, no names"
    ),
}
