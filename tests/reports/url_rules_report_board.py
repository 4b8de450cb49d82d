"""Access rules for the report board URLs, merged into the walk in tests/test_url_access.py.

Reports, versions and quote requests are made on demand, straight in the database (no
audit events). Every survivor leader of the organization reads the board's reports;
answering a draft and writing its statement need an active board role (the kwargs builder
gives the survivor persona one); the settings need a co-chair role; a quote request is
reached by the author of the quoted input only. tests/reports/test_report_board.py shows
that survivor leaders without those roles, and other authors, get 404.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Organization, User
from accounts.permissions import Capability, Holder
from tests.url_walk import (
    ANSWERED,
    BOARD_SEATS,
    SURVIVORS,
    Rule,
    World,
    _input_author,
    _input_of,
    _make_board_member,
    _roles_survivor_in,
    allowed,
    other_org,
    own_org,
)

SNAPSHOT = {
    "schema": 1,
    "method_version": "test",
    "k": 5,
    "year": 2025,
    "quarter": 1,
    "periods": ["Q1"],
    "currency": "USD",
    "measures": [],
    "quotes": [],
    "hidden": 0,
}


def _draft(org: Organization) -> int:
    from reports.models import ImpactReport, ReportVersion, VersionStatus

    report, _created = ImpactReport.objects.get_or_create(organization=org, year=2025, quarter=1)
    draft = ReportVersion.objects.filter(report=report, status=VersionStatus.DRAFT).first()
    if draft is None:
        draft = ReportVersion.objects.create(
            report=report, number=1, status=VersionStatus.DRAFT, progress=100, snapshot=SNAPSHOT
        )
    return int(draft.pk)


def _make_co_chair(org: Organization, person: User) -> None:
    from accounts.permissions import is_co_chair
    from tests.meetings.factories import board_member

    if not is_co_chair(person, org):
        board_member(person, org, co_chair=True)


def own_draft(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _draft(org)}


def own_draft_as_board_member(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    if who in SURVIVORS:
        _make_board_member(org, getattr(world.personas, who))
    return {"org": org.slug, "pk": _draft(org)}


def other_orgs_draft(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    _make_board_member(org, _roles_survivor_in(world, org))
    return {"org": org.slug, "pk": _draft(org)}


def other_orgs_draft_under_own_org(world: World, who: str) -> dict[str, Any]:
    """My organization in the path (where I am on the board), another's version."""
    own = world.own_org(who)
    if who in SURVIVORS:
        _make_board_member(own, getattr(world.personas, who))
    return {"org": own.slug, "pk": _draft(world.other_org(who))}


def own_org_as_co_chair(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    if who in SURVIVORS:
        _make_co_chair(org, getattr(world.personas, who))
    return {"org": org.slug}


def other_org_with_co_chair(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    _make_co_chair(org, _roles_survivor_in(world, org))
    return {"org": org.slug}


def _quote(world: World, org: Organization, author: User) -> int:
    from reports.models import ImpactReport, QuoteRequest

    report, _created = ImpactReport.objects.get_or_create(organization=org, year=2025, quarter=1)
    input = _input_of(world, org, author, "confirmed")
    quote = QuoteRequest.objects.create(report=report, input=input, wording=input.body)
    return int(quote.pk)


def my_quote(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _quote(world, org, _input_author(world, org, who))}


def someone_elses_quote(world: World, who: str) -> dict[str, Any]:
    harbor = world.personas.harbor
    author = world.personas.river if who == "ash" else world.personas.ash
    return {"org": world.own_org(who).slug, "pk": _quote(world, harbor, author)}


def other_orgs_quote(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _quote(world, org, _roles_survivor_in(world, org))}


def other_orgs_quote_under_own_org(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    pk = _quote(world, org, _roles_survivor_in(world, org))
    return {"org": world.own_org(who).slug, "pk": pk}


DRAFT_FOREIGN = (other_orgs_draft, other_orgs_draft_under_own_org)

RULES: dict[str, Rule] = {
    "board_reports": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="every survivor leader of the organization reads the board's reports",
    ),
    "board_report": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_draft,
        foreign=DRAFT_FOREIGN,
        why="survivor leaders read the draft as a funder would; staff have their own page",
    ),
    "board_report_answer": Rule(
        allowed(Capability.RECOMMEND, ANSWERED, seats=BOARD_SEATS),
        method="POST",
        kwargs=own_draft_as_board_member,
        foreign=DRAFT_FOREIGN,
        data={"choice": "approve"},
        why="survivor leaders with an active board role; staff never answer for the board",
    ),
    "board_report_statement": Rule(
        allowed(Capability.RECOMMEND, seats=BOARD_SEATS),
        kwargs=own_draft_as_board_member,
        foreign=DRAFT_FOREIGN,
        why="the board's own words: staff cannot edit them",
    ),
    "board_report_settings": Rule(
        allowed(Capability.CHAIR_BOARD, seats=dict.fromkeys(SURVIVORS, Holder.CO_CHAIR)),
        kwargs=own_org_as_co_chair,
        foreign=(other_org_with_co_chair,),
        why="co-chairs choose the smallest group size and the sign-off rule",
    ),
    "my_quotes": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=own_org,
        foreign=(other_org,),
        why="each survivor leader sees requests about their own words only",
    ),
    "my_quote": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=my_quote,
        foreign=(someone_elses_quote, other_orgs_quote, other_orgs_quote_under_own_org),
        why="only the author of the quoted input",
    ),
}
