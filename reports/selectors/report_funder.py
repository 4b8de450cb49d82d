"""What a funder may read (docs/design.md promise 1): only the *published* versions of
reports of organizations they fund. Everything else — drafts, replaced versions, another
organization's reports, and every page for someone who is a member rather than a funder —
is 404, so a funder cannot even learn that it exists.

Funder pages render from the stored snapshot: these selectors fetch the versions in one
query each, and the renderer does the rest without touching the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import funded_organizations
from reports.measures import MEASURES, MeasureInfo, area_label
from reports.models import ImpactReport, ReportVersion, VersionStatus
from reports.render import format_value
from reports.selectors.reports import published_versions_of

# Portfolio totals add up plain numbers only: a median or a ratio of one program plus
# another's means nothing, so those are never totalled.
ADDABLE_KINDS = frozenset({"count", "tally", "sum"})


@dataclass(frozen=True)
class PublishedReport:
    report: ImpactReport
    current: ReportVersion
    earlier: tuple[ReportVersion, ...]


def _group(versions: Sequence[ReportVersion]) -> list[PublishedReport]:
    """Versions ordered by report, newest number first -> one entry per report."""
    grouped: dict[int, list[ReportVersion]] = {}
    for version in versions:
        grouped.setdefault(version.report_id, []).append(version)
    return [
        PublishedReport(report=group[0].report, current=group[0], earlier=tuple(group[1:]))
        for group in grouped.values()
    ]


def published_reports(organization: Organization) -> list[PublishedReport]:
    """Every report with at least one published version, newest period first. One query;
    snapshots are left behind because the list shows none of their figures."""
    versions = (
        published_versions_of(organization)
        .select_related("report")
        .defer("snapshot", "counted_ids")
        .order_by("-report__year", "-report__quarter", "report_id", "-number")
    )
    return _group(list(versions))


def get_published_report(
    organization: Organization, pk: int, number: int | None = None
) -> tuple[ReportVersion, PublishedReport]:
    """One published version of one report (the newest when `number` is None) and the
    report's other published versions. One query; 404 for anything unpublished."""
    versions = list(
        published_versions_of(organization)
        .filter(report_id=pk)
        .select_related("report")
        .defer("counted_ids")
        .order_by("-number")
    )
    if not versions:
        raise Http404
    chosen = (
        versions[0] if number is None else next((v for v in versions if v.number == number), None)
    )
    if chosen is None:
        raise Http404
    return chosen, _group(versions)[0]


@dataclass(frozen=True)
class PortfolioRow:
    info: MeasureInfo
    label: str | Promise
    total: Decimal
    display: str
    included: int  # programs whose figure is shown and added in


@dataclass(frozen=True)
class Portfolio:
    year: int | None
    years: tuple[int, ...]
    programs: int  # every organization the funder funds
    reporting: int  # of those, with a published report for the year
    rows: tuple[PortfolioRow, ...]


def _addable(info: MeasureInfo) -> bool:
    # Per-area influence figures would make a long table; the "all areas" line carries them.
    if info.area and info.area != "all":
        return False
    return info.kind in ADDABLE_KINDS and info.unit not in {"ratio", "weeks"}


def portfolio(user: User, year: int | None) -> Portfolio:
    """Totals over the funder's programs of figures already published and shown in each
    program's current year report. A hidden figure adds nothing and the row says how many
    programs it is from. Two queries, whatever the number of programs."""
    organizations = list(funded_organizations(user))
    versions = list(
        ReportVersion.objects.filter(
            report__organization__in=organizations,
            report__quarter=0,
            status=VersionStatus.PUBLISHED,
        )
        .select_related("report")
        .defer("counted_ids")
        .order_by("-report__year", "report_id", "-number")
    )
    years = tuple(sorted({v.report.year for v in versions}, reverse=True))
    chosen = year if year in years else (years[0] if years else None)
    current = [group.current for group in _group(versions) if group.report.year == chosen]
    return Portfolio(
        year=chosen,
        years=years,
        programs=len(organizations),
        reporting=len(current),
        rows=tuple(_portfolio_rows([v.snapshot for v in current])),
    )


def _portfolio_rows(snapshots: Sequence[Mapping[str, Any]]) -> list[PortfolioRow]:
    """Add each measure's whole-year figure where it is shown; money only within one
    currency (each currency gets its own line). Reads the stored cells directly: building
    each program's whole report view cost milliseconds per program (make bench)."""
    totals: dict[tuple[str, str], tuple[Decimal, int]] = {}
    for snapshot in snapshots:
        currency = str(snapshot.get("currency", ""))
        for measure in snapshot.get("measures", ()):
            cell = measure.get("cells", {}).get("Y")
            if not cell or not cell.get("shown") or cell.get("value") is None:
                continue
            slot = (measure["key"], currency if measure.get("unit") == "money" else "")
            total, count = totals.get(slot, (Decimal(0), 0))
            totals[slot] = (total + Decimal(str(cell["value"])), count + 1)
    rows = []
    for info in MEASURES:
        if not _addable(info):
            continue
        label = (
            _("%(area)s: %(label)s") % {"area": area_label(info.area), "label": info.label}
            if info.area
            else info.label
        )
        found = [(slot, sums) for slot, sums in totals.items() if slot[0] == info.key]
        for (_key, currency), (total, count) in found:
            display = format_value(total, info.unit, currency)
            rows.append(PortfolioRow(info, label, total, display, count))
        if not found and info.unit != "money":
            # Shown nowhere: say so rather than print a total of nothing as zero.
            rows.append(PortfolioRow(info, label, Decimal(0), "", 0))
    return rows
