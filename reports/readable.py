"""A stored version as people may read it now (docs/design.md promise 2).

A published snapshot never changes, but a quote in it is only readable while its author
still allows it: when the author takes the approval back, stops saying yes to being quoted
without a name, withdraws the input, or their account is erased, the quote leaves every
version, earlier ones included. Figures are read from the snapshot as stored.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Organization
from reports.models import ReportVersion
from reports.render import ReportView
from reports.services.report_generation import usable_quotes


def readable_snapshot(
    version: ReportVersion, organization: Organization | None = None
) -> dict[str, Any]:
    """The version's snapshot without quotes that may no longer be read. One query when
    the snapshot carries a quote, none otherwise. `organization` (the version's own, already
    fetched by the caller's scoping) saves fetching it again."""
    snapshot: dict[str, Any] = dict(version.snapshot) if isinstance(version.snapshot, dict) else {}
    quotes = snapshot.get("quotes") or []
    if not quotes:
        return snapshot
    report = version.report
    if organization is not None and organization.pk == report.organization_id:
        report.organization = organization
    # Compared by id: a request deleted with its author's account is not usable either.
    usable = {quote.pk for quote in usable_quotes(report)}
    snapshot["quotes"] = [q for q in quotes if isinstance(q, dict) and q.get("id") in usable]
    return snapshot


def readable_view(version: ReportVersion, organization: Organization | None = None) -> ReportView:
    """The report view of a version with only the quotes that may still be read."""
    return ReportView.from_snapshot(
        readable_snapshot(version, organization), statement=version.statement
    )
