"""The one scoping point for reports, and the board's sign-off state.

- `reports_of` / `versions_of`: every read of a report or a version starts here.
- `board_voters` (in `accounts.selectors.roles`): who signs off.
- `signoff_state`: counts of approvals and objections under the board's rule. Staff see
  these counts only, never who answered how; silence never counts as approval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import Organization
from accounts.selectors.roles import board_voters
from advisory.models import SignOffRule
from advisory.selectors.recommendations import advisory_settings
from reports.models import (
    ImpactReport,
    ReportVersion,
    SignOff,
    SignOffChoice,
    VersionStatus,
)


def reports_of(organization: Organization) -> QuerySet[ImpactReport]:
    return ImpactReport.objects.filter(organization=organization)


def versions_of(organization: Organization) -> QuerySet[ReportVersion]:
    return ReportVersion.objects.filter(report__organization=organization)


def published_versions_of(organization: Organization) -> QuerySet[ReportVersion]:
    return versions_of(organization).filter(status=VersionStatus.PUBLISHED)


def current_published(report: ImpactReport) -> ReportVersion | None:
    """The version a funder reads: the newest published one."""
    return (
        ReportVersion.objects.filter(report=report, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def open_draft(report: ImpactReport) -> ReportVersion | None:
    """The version being prepared or waiting for the board, if any (at most one)."""
    return (
        ReportVersion.objects.filter(
            report=report, status__in=[VersionStatus.GENERATING, VersionStatus.DRAFT]
        )
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class SignOffState:
    rule: str
    voters: int
    approvals: int
    objections: int
    could_identify: int

    @property
    def needed(self) -> int:
        """Approvals the rule needs; at least one, so an empty board never publishes."""
        if self.rule == SignOffRule.EVERYONE:
            need = self.voters
        elif self.rule == SignOffRule.TWO_THIRDS:
            need = math.ceil(self.voters * 2 / 3)
        else:
            need = self.voters // 2 + 1
        return max(need, 1)

    @property
    def blocked(self) -> bool:
        """Someone said "this could identify someone": no rule can outvote that."""
        return self.could_identify > 0

    @property
    def met(self) -> bool:
        return not self.blocked and self.approvals >= self.needed

    @property
    def waiting(self) -> int:
        """Voters who have not answered (silence is never approval)."""
        return max(self.voters - self.approvals - self.objections, 0)


def signoff_state(version: ReportVersion) -> SignOffState:
    """Counts for one draft. Approvals and objections count over the people who are board
    voters now; "this could identify someone" counts from everyone who answered, so the
    warning stays when its author steps down from the board. Two queries."""
    organization = version.report.organization
    rule = advisory_settings(organization).report_signoff_rule
    voter_ids = board_voters(organization).values("pk")
    counts = SignOff.objects.filter(version=version).aggregate(
        approvals=Count("pk", filter=Q(choice=SignOffChoice.APPROVE, user_id__in=voter_ids)),
        objections=Count("pk", filter=Q(choice=SignOffChoice.OBJECT, user_id__in=voter_ids)),
        could_identify=Count("pk", filter=Q(choice=SignOffChoice.OBJECT, could_identify=True)),
    )
    return SignOffState(
        rule=rule,
        voters=board_voters(organization).count(),
        approvals=counts["approvals"],
        objections=counts["objections"],
        could_identify=counts["could_identify"],
    )
