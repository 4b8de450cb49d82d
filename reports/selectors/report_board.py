"""Reads for the board's side of reports, scoped to the person asking; outside
scope is a 404.

- every survivor leader of the organization reads the drafts and the published reports;
- survivor leaders with an active board role answer drafts and write the statement
  (the `RECOMMEND` capability);
- co-chairs choose the board's report settings;
- each author sees only the quote requests about their own input.
A person sees their own answer on a draft; everyone sees counts, never who answered how.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization, User
from reports.models import QuoteRequest, QuoteStatus, ReportVersion, SignOff, VersionStatus
from reports.selectors.reports import versions_of

OPEN = (VersionStatus.GENERATING, VersionStatus.DRAFT)


@dataclass
class BoardReports:
    drafts: list[ReportVersion] = field(default_factory=list)
    published: list[ReportVersion] = field(default_factory=list)


def reports_for_board(organization: Organization) -> BoardReports:
    """Drafts being prepared or waiting for the board, and each report's current published
    version, newest period first. One query."""
    listed = BoardReports()
    seen: set[int] = set()
    versions = (
        versions_of(organization)
        .filter(status__in=[*OPEN, VersionStatus.PUBLISHED])
        .select_related("report")
        .order_by("-report__year", "-report__quarter", "-number")
    )
    for version in versions:
        if version.status in OPEN:
            listed.drafts.append(version)
        elif version.report_id not in seen:
            seen.add(version.report_id)
            listed.published.append(version)
    return listed


def get_version_for_board(organization: Organization, pk: int) -> ReportVersion:
    try:
        return versions_of(organization).select_related("report__organization").get(pk=pk)
    except ReportVersion.DoesNotExist as exc:
        raise Http404 from exc


def newest_version_of(version: ReportVersion, *, published: bool = False) -> ReportVersion | None:
    """The newest later version of the same report the board can read (only published ones
    if asked)."""
    statuses = [VersionStatus.PUBLISHED] if published else [*OPEN, VersionStatus.PUBLISHED]
    return (
        ReportVersion.objects.filter(
            report_id=version.report_id, number__gt=version.number, status__in=statuses
        )
        .order_by("-number")
        .first()
    )


def my_signoff(version: ReportVersion, user: User) -> SignOff | None:
    return SignOff.objects.filter(version=version, user=user).first()


def my_quote_requests(user: User, organization: Organization) -> QuerySet[QuoteRequest]:
    """Requests to quote the person's own words; nobody else's, ever."""
    return (
        QuoteRequest.objects.filter(report__organization=organization, input__author=user)
        .select_related("report", "input__meeting")
        .order_by("-created_at", "-id")
    )


def quotes_waiting_for(user: User, organization: Organization) -> int:
    return my_quote_requests(user, organization).filter(status=QuoteStatus.ASKED).count()


def get_my_quote_request(user: User, organization: Organization, pk: int) -> QuoteRequest:
    try:
        return my_quote_requests(user, organization).get(pk=pk)
    except QuoteRequest.DoesNotExist as exc:
        raise Http404 from exc


def quoted_in_published(quote: QuoteRequest) -> bool:
    """Is this quote in a version a funder may already have read or downloaded?"""
    versions = ReportVersion.objects.filter(
        report_id=quote.report_id, status=VersionStatus.PUBLISHED
    ).values_list("snapshot", flat=True)
    return any(
        isinstance(snapshot, dict)
        and any(isinstance(q, dict) and q.get("id") == quote.pk for q in snapshot.get("quotes", []))
        for snapshot in versions
    )
