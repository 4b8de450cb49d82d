"""Access rules for advisory's feedback URLs, merged into the walk in tests/test_url_access.py.

Feedback is made straight in the database (no audit events, no outbox). A survivor
persona's "own" feedback is theirs; for everyone else it is a survivor's of their own
organization, which they must not reach either (staff answer it on the staff pages).
"""

from __future__ import annotations

from typing import Any

from accounts.models import Organization, User
from accounts.permissions import Capability
from tests.url_walk import (
    ANSWERED,
    SURVIVORS,
    Rule,
    World,
    _roles_survivor_in,
    allowed,
    other_org,
    own_org,
)

STAFF = ("sam", "ada")


def _feedback(org: Organization, author: User) -> int:
    from advisory.models import Feedback

    feedback = Feedback.objects.create(
        organization=org, author=author, body="Evening meetings would suit more people."
    )
    return int(feedback.pk)


def _author(world: World, org: Organization, who: str) -> User:
    """The persona when a survivor of this organization; otherwise one of its survivors."""
    if who in SURVIVORS and world.own_org(who) == org:
        person: User = getattr(world.personas, who)
        return person
    return _roles_survivor_in(world, org)


def my_feedback(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _feedback(org, _author(world, org, who))}


def someone_elses_feedback(world: World, who: str) -> dict[str, Any]:
    """Another survivor's feedback in the persona's own organization."""
    harbor = world.personas.harbor
    author = world.personas.river if who == "ash" else world.personas.ash
    return {"org": world.own_org(who).slug, "pk": _feedback(harbor, author)}


def other_orgs_feedback(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _feedback(org, _roles_survivor_in(world, org))}


def other_orgs_feedback_under_own_org(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": world.own_org(who).slug, "pk": _feedback(org, _roles_survivor_in(world, org))}


def own_orgs_feedback(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _feedback(org, _roles_survivor_in(world, org))}


MINE_FOREIGN = (someone_elses_feedback, other_orgs_feedback, other_orgs_feedback_under_own_org)
STAFF_FOREIGN = (other_orgs_feedback, other_orgs_feedback_under_own_org)

RULES: dict[str, Rule] = {
    "my_feedback": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="any survivor leader of the organization sends feedback, at any time",
    ),
    "my_feedback_detail": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=my_feedback,
        foreign=MINE_FOREIGN,
        why="the author's own message and its answer; nobody else's",
    ),
    "share_feedback_with_board": Rule(
        allowed(Capability.USE_OWN_SEAT, ANSWERED),
        method="POST",
        kwargs=my_feedback,
        foreign=MINE_FOREIGN,
        data={"board_may_read": "on"},
        why="only the author lets the board read it",
    ),
    "board_feedback": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="survivor leaders read what authors shared, never who wrote it",
    ),
    "what_we_changed": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="what changed, never who said it",
    ),
    "feedback_inbox": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="staff and admins answer; finance: no",
    ),
    "answer_feedback": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_orgs_feedback, foreign=STAFF_FOREIGN
    ),
    "program_changes": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_org, foreign=(other_org,)
    ),
    "new_program_change": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_org, foreign=(other_org,)
    ),
}
