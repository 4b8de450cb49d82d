"""Access rules for advisory's decisions URLs, merged into the walk in tests/test_url_access.py.

Decisions are made on demand, straight in the database (no audit events, so the "GET
changes nothing" snapshot is unaffected). Staff and admins log decisions; the survivor
leaders of the organization read the board's decision log; finance and funders reach
neither. Another organization's decision is 404 under its own slug and under the persona's.
"""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import Organization
from accounts.permissions import Capability
from tests.url_walk import ANSWERED, Rule, World, allowed, other_org, own_org

STAFF = ("sam", "ada")


def _decision(org: Organization) -> int:
    from advisory.models import Decision, DecisionArea, DecisionStatus, DecisionStatusChange

    decision = Decision.objects.create(
        organization=org,
        title="Shorter intake forms",
        area=DecisionArea.INTAKE,
        status=DecisionStatus.UNDER_CONSIDERATION,
        decided_on=datetime.date.today(),
    )
    DecisionStatusChange.objects.create(decision=decision, status=decision.status)
    return int(decision.pk)


def own_decision(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _decision(org)}


def other_orgs_decision(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _decision(org)}


def other_orgs_decision_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _decision(world.other_org(who))}


DECISION_FOREIGN = (other_orgs_decision, other_orgs_decision_under_own_org)

RULES: dict[str, Rule] = {
    "decisions": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="staff and admins log decisions",
    ),
    "new_decision": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_org, foreign=(other_org,)
    ),
    "decision": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_decision, foreign=DECISION_FOREIGN
    ),
    "change_decision_status": Rule(
        allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
        method="POST",
        kwargs=own_decision,
        foreign=DECISION_FOREIGN,
        data={"status": "adopted", "reason": ""},
    ),
    "edit_decision": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_decision, foreign=DECISION_FOREIGN
    ),
    "decision_log": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="the organization's survivor leaders; staff use their own pages",
    ),
    "board_decision": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_decision,
        foreign=DECISION_FOREIGN,
        why="counts and 'not quite' comments, never who said them",
    ),
}
