"""Access rules for advisory's influence URLs, merged into the walk in tests/test_url_access.py.

Decisions, input, links and proposals are made on demand, straight in the database (no
audit events, so the "GET changes nothing" snapshot is unaffected). Staff and admins link
input and answer proposals; a survivor leader proposes links from, and answers for, their
own input only. Another organization's decision, link or proposal, and another person's
input or link, are 404 for everyone.
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
    _input_author,
    _input_of,
    allowed,
    my_input,
    my_pending_input,
    only,
    other_org,
    other_orgs_input,
    own_org,
    someone_elses_input,
)

STAFF = ("sam", "ada")


def _decision(org: Organization) -> Any:
    from tests.advisory.factories import DecisionFactory

    return DecisionFactory.create(organization=org)


def _someone_else(world: World, who: str) -> User:
    """Another of Harbor's survivors than the persona."""
    other: User = world.personas.river if who == "ash" else world.personas.ash
    return other


def _link(world: World, org: Organization, author: User, status: str = "confirmed") -> Any:
    from tests.advisory.factories import link

    return link(_decision(org), _input_of(world, org, author, status))


def _link_kwargs(org: Organization, influence: Any) -> dict[str, Any]:
    return {"org": org.slug, "pk": influence.decision_id, "link_pk": influence.pk}


# --- staff: a decision's links ------------------------------------------------------------


def own_decision(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _decision(org).pk}


def other_orgs_decision(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _decision(org).pk}


def other_orgs_decision_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _decision(world.other_org(who)).pk}


def own_link(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return _link_kwargs(org, _link(world, org, _input_author(world, org, who)))


def other_orgs_link(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return _link_kwargs(org, _link(world, org, _input_author(world, org, who)))


def other_orgs_link_under_own_decision(world: World, who: str) -> dict[str, Any]:
    """My organization and one of its decisions in the path, another organization's link."""
    theirs = other_orgs_link(world, who)
    return own_decision(world, who) | {"link_pk": theirs["link_pk"]}


def own_link_under_another_decision(world: World, who: str) -> dict[str, Any]:
    """A link of my organization, but under a decision it does not belong to."""
    mine = own_link(world, who)
    return own_decision(world, who) | {"link_pk": mine["link_pk"]}


# --- staff: proposals ---------------------------------------------------------------------


def _proposal(world: World, org: Organization, who: str) -> int:
    from advisory.models import InfluenceProposal

    input = _input_of(world, org, _input_author(world, org, who), "confirmed")
    proposal = InfluenceProposal.objects.create(decision=_decision(org), input=input)
    return int(proposal.pk)


def own_proposal(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _proposal(world, org, who)}


def other_orgs_proposal(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _proposal(world, org, who)}


def other_orgs_proposal_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _proposal(world, world.other_org(who), who)}


# --- the author's own links ---------------------------------------------------------------


def my_link(world: World, who: str) -> dict[str, Any]:
    """A link to the persona's own input; for everyone else, to a survivor's of their org."""
    org = world.own_org(who)
    influence = _link(world, org, _input_author(world, org, who))
    return {"org": org.slug, "link_pk": influence.pk}


def someone_elses_link(world: World, who: str) -> dict[str, Any]:
    influence = _link(world, world.personas.harbor, _someone_else(world, who))
    return {"org": world.own_org(who).slug, "link_pk": influence.pk}


def other_orgs_my_link(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    influence = _link(world, org, _input_author(world, org, who))
    return {"org": org.slug, "link_pk": influence.pk}


def my_withdrawn_link(world: World, who: str) -> dict[str, Any]:
    """A link to my own input that I withdrew: it no longer counts, so it is gone."""
    org = world.own_org(who)
    influence = _link(world, org, _input_author(world, org, who), "withdrawn")
    return {"org": org.slug, "link_pk": influence.pk}


DECISION_FOREIGN = (other_orgs_decision, other_orgs_decision_under_own_org)
LINK_FOREIGN = (
    other_orgs_link,
    other_orgs_link_under_own_decision,
    own_link_under_another_decision,
)

RULES: dict[str, Rule] = {
    "link_inputs": Rule(
        only(STAFF),
        kwargs=own_decision,
        foreign=DECISION_FOREIGN,
        why="staff and admins link input; names only with consent",
    ),
    "revise_link": Rule(
        only(STAFF, ANSWERED),
        method="POST",
        kwargs=own_link,
        foreign=LINK_FOREIGN,
        data={"level": "decisive", "rationale": "It decided the plan."},
    ),
    "link_proposals": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_org, foreign=(other_org,)
    ),
    "answer_proposal": Rule(
        only(STAFF, ANSWERED),
        method="POST",
        kwargs=own_proposal,
        foreign=(other_orgs_proposal, other_orgs_proposal_under_own_org),
        data={"outcome": "decline", "answer": "It came before your input."},
    ),
    "propose_link": Rule(
        only(SURVIVORS),
        kwargs=my_input,
        foreign=(someone_elses_input, other_orgs_input, my_pending_input),
        why="from their own confirmed input only",
    ),
    "my_input_outcomes": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="only their own input",
    ),
    "answer_link": Rule(
        only(SURVIVORS, ANSWERED),
        method="POST",
        kwargs=my_link,
        foreign=(someone_elses_link, other_orgs_my_link, my_withdrawn_link),
        data={"answer": "yes"},
        why="only the author answers, and only while the input counts",
    ),
}
