"""Access rules for the report funder URLs, merged into the walk in tests/test_url_access.py.

Only faye funds an organization (Harbor). Reports and their published versions are made on
demand straight in the database, from a hand-made snapshot. Every other persona — members
of Harbor included — gets 404: funder pages do not exist for them. Against another
organization's report, or a draft, everyone gets 404 (tests/reports/test_report_funder.py
shows the same for a second funder).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import Organization
from accounts.permissions import Capability
from tests.reports.report_snapshots import year_snapshot
from tests.url_walk import Rule, World, allowed, only, other_org, own_org

FUNDERS = ("faye",)


def _published_report(org: Organization, *, year: int = 2025, status: str = "published") -> int:
    from reports.models import ImpactReport, ReportVersion

    report, _created = ImpactReport.objects.get_or_create(organization=org, year=year, quarter=0)
    if not report.versions.filter(status=status).exists():
        ReportVersion.objects.create(
            report=report,
            number=report.versions.count() + 1,
            status=status,
            snapshot=year_snapshot(year),
            published_at=timezone.now() if status == "published" else None,
        )
    return int(report.pk)


def own_report(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _published_report(org)}


def own_version(world: World, who: str) -> dict[str, Any]:
    return {**own_report(world, who), "number": 1}


def other_orgs_report(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _published_report(org)}


def other_orgs_report_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _published_report(world.other_org(who))}


def own_orgs_draft(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _published_report(org, year=2024, status="draft")}


def _with_number(build: Any) -> Any:
    def kwargs(world: World, who: str) -> dict[str, Any]:
        return {**build(world, who), "number": 1}

    kwargs.__name__ = f"{build.__name__}_version"
    return kwargs


FOREIGN_REPORTS = (other_orgs_report, other_orgs_report_under_own_org, own_orgs_draft)
FOREIGN_VERSIONS = tuple(_with_number(build) for build in FOREIGN_REPORTS)

RULES: dict[str, Rule] = {
    "funder_portfolio": Rule(
        only(FUNDERS), why="adds up published figures of the programs the person funds"
    ),
    "funder_reports": Rule(
        allowed(Capability.READ_FUNDED_REPORTS),
        kwargs=own_org,
        foreign=(other_org,),
        why="funders of the organization; members read the board's and staff's pages",
    ),
    "funder_report": Rule(
        allowed(Capability.READ_FUNDED_REPORTS), kwargs=own_report, foreign=FOREIGN_REPORTS
    ),
    "funder_report_version": Rule(
        allowed(Capability.READ_FUNDED_REPORTS), kwargs=own_version, foreign=FOREIGN_VERSIONS
    ),
    "funder_report_csv": Rule(
        allowed(Capability.READ_FUNDED_REPORTS), kwargs=own_version, foreign=FOREIGN_VERSIONS
    ),
    "funder_report_pdf": Rule(
        allowed(Capability.READ_FUNDED_REPORTS), kwargs=own_version, foreign=FOREIGN_VERSIONS
    ),
}
