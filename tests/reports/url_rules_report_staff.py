"""Access rules for the report staff URLs, merged into the walk in tests/test_url_access.py.

Reports and versions are made on demand straight in the database (no audit events), each in
a period of its own so a persona's action never collides with another's open draft.
Publishing a draft nobody approved is refused and redirects back to it: the rule only
checks who gets past authorization (tests/reports/test_report_staff.py checks the rest).
"""

from __future__ import annotations

from typing import Any

from accounts.models import Organization
from accounts.permissions import Capability
from tests.url_walk import ANSWERED, Rule, World, allowed, other_org, own_org

STAFF = ("sam", "ada")


def _version(org: Organization) -> tuple[int, int]:
    from django.db.models import Max

    from reports.models import ImpactReport, ReportVersion, VersionStatus

    # A year of its own, far from the years other areas' rules use (2025 and so on), and
    # free in this database however many tests ran before in this process.
    last = ImpactReport.objects.filter(organization=org, year__gte=2100).aggregate(Max("year"))
    report = ImpactReport.objects.create(
        organization=org, year=(last["year__max"] or 2099) + 1, quarter=0
    )
    version = ReportVersion.objects.create(
        report=report, number=1, status=VersionStatus.DRAFT, progress=100
    )
    return int(report.pk), int(version.pk)


def own_report(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _version(org)[0]}


def other_orgs_report(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _version(org)[0]}


def other_orgs_report_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _version(world.other_org(who))[0]}


def own_version(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _version(org)[1]}


def other_orgs_version(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _version(org)[1]}


def other_orgs_version_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _version(world.other_org(who))[1]}


REPORT_FOREIGN = (other_orgs_report, other_orgs_report_under_own_org)
VERSION_FOREIGN = (other_orgs_version, other_orgs_version_under_own_org)

RULES: dict[str, Rule] = {
    "staff_reports": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="staff and admins prepare reports; finance, survivors and funders: 404",
    ),
    "start_staff_report": Rule(
        allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
        method="POST",
        kwargs=own_org,
        foreign=(other_org,),
        why="an empty form is answered with its errors; nothing starts",
    ),
    "staff_report": Rule(
        allowed(Capability.LOOK_AFTER_BOARD), kwargs=own_report, foreign=REPORT_FOREIGN
    ),
    "ask_staff_report_quote": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_report,
        foreign=REPORT_FOREIGN,
        why="staff choose input without ever learning its author",
    ),
    "staff_report_version": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_version,
        foreign=VERSION_FOREIGN,
        why="counts of the board's answers only, never who answered how",
    ),
    "prepare_staff_report_again": Rule(
        allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
        method="POST",
        kwargs=own_version,
        foreign=VERSION_FOREIGN,
    ),
    "publish_staff_report": Rule(
        allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
        method="POST",
        kwargs=own_version,
        foreign=VERSION_FOREIGN,
        why="refused until the board approves; redirects back to the draft",
    ),
}
