"""Starting and preparing funder reports.

Staff start a report for a period that has ended; a Celery task computes the draft
(``generate_version``) from survivor leaders who said yes to being counted, protects it
(reports.protection) and stores the snapshot. The board is then told there is a draft to
read. Audit events hold ids and codes only.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.models import ConsentScope, Organization, User
from accounts.outbox import enqueue_update
from accounts.selectors.consent import consenting_ids, counted_in_reports
from accounts.selectors.roles import board_voters
from accounts.update_kinds import page
from advisory.selectors.recommendations import advisory_settings
from compensation.selectors.ledger import organization_today
from compensation.selectors.rates import pay_settings
from meetings.models import InputStatus, Meeting
from reports.compute import build_snapshot, quarter_bounds, shown_values
from reports.models import (
    ImpactReport,
    QuoteRequest,
    QuoteStatus,
    ReportVersion,
    VersionReason,
    VersionStatus,
)
from reports.selectors.reports import open_draft, published_versions_of

logger = logging.getLogger(__name__)

# Outbox kinds: only "there is an update" is ever sent.
REPORT_DRAFT_READY = "report_draft_ready"  # (to board voters) a draft waits for you to read
REPORT_READY = "report_ready"  # (to the staff member who asked) the draft is ready

# Progress saved as the task goes, so the staff page can show it.
STEP_STARTED = 10
STEP_READ_CONSENTS = 40
STEP_COMPUTED = 70
STEP_DONE = 100


# --- reads the engine needs --------------------------------------------------------------


def counted_survivor_ids(organization: Organization, at: datetime | None = None) -> set[int]:
    """Who the report counts (`counted_in_reports`, the same people publishing checks)."""
    return set(counted_in_reports(organization, at=at))


def usable_quotes(report: ImpactReport) -> list[QuoteRequest]:
    """Quotes the author approved for this report, on input that still counts, whose
    author still says yes to being quoted without a name."""
    organization = report.organization
    return list(
        QuoteRequest.objects.filter(
            report=report,
            status=QuoteStatus.APPROVED,
            input__status=InputStatus.CONFIRMED,
            input__meeting__organization=organization,
        )
        .filter(input__author_id__in=consenting_ids(organization, ConsentScope.QUOTE_ANONYMOUSLY))
        .order_by("created_at", "id")
    )


def published_values(organization: Organization) -> dict[str, list[str]]:
    """Every value ever published for the organization, by global key: each distinct
    value once, oldest first. The rules hide a figure that differs from any of them, so
    no two versions can be subtracted."""
    values: dict[str, list[str]] = {}
    for snapshot in (
        published_versions_of(organization)
        .order_by("published_at", "id")
        .values_list("snapshot", flat=True)
    ):
        for key, value in shown_values(snapshot).items():
            seen = values.setdefault(key, [])
            if value not in seen:
                seen.append(value)
    return values


def published_digest(organization: Organization) -> str:
    """A fingerprint of everything published so far. A draft records the one it was
    protected against; if another version was published since, publishing it would
    skip those figures, so it is prepared again instead."""
    canonical = json.dumps(published_values(organization), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def period_has_ended(organization: Organization, year: int, quarter: int) -> bool:
    return quarter_bounds(year, quarter)[1] < organization_today(organization)


def ended_periods(organization: Organization) -> list[tuple[int, int]]:
    """Periods (year, quarter; 0 = the whole year) that have ended, newest first, from the
    year of the organization's first meeting (or its creation)."""
    today = organization_today(organization)
    first_meeting = Meeting.objects.filter(organization=organization).aggregate(
        first=Min("starts_at")
    )["first"]
    first_year = organization.created_at.year
    if first_meeting is not None:
        first_year = min(first_year, first_meeting.year)
    periods = [
        (year, quarter)
        for year in range(first_year, today.year + 1)
        for quarter in (0, 1, 2, 3, 4)
        if quarter_bounds(year, quarter)[1] < today
    ]
    # Newest end first; a year before its own fourth quarter (both end on 31 December).
    return sorted(periods, key=lambda p: (quarter_bounds(*p)[1], p[1] == 0), reverse=True)


# --- writes ------------------------------------------------------------------------------


def _check_period(organization: Organization, year: int, quarter: int) -> None:
    if quarter not in (0, 1, 2, 3, 4) or not 2000 <= year <= 9999:
        raise ValidationError(_("Choose a year, or one quarter of a year."))
    if not period_has_ended(organization, year, quarter):
        raise ValidationError(_("This period has not ended yet. Reports cover ended periods."))


def _enqueue(version_id: int) -> None:
    from reports.tasks import generate_report_version  # the task module imports this one

    transaction.on_commit(lambda: generate_report_version.delay(version_id))


def _new_version(
    report: ImpactReport, *, reason: str, actor_id: int | None, statement: str
) -> ReportVersion:
    number = (report.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return ReportVersion.objects.create(
        report=report,
        number=number,
        status=VersionStatus.GENERATING,
        reason=reason,
        requested_by_id=actor_id,
        statement=statement,
    )


@transaction.atomic
def start_report(
    organization: Organization, *, year: int, quarter: int, actor: User
) -> ReportVersion:
    """Start preparing a report for an ended period; the task fills it in."""
    _check_period(organization, year, quarter)
    report, _created = ImpactReport.objects.get_or_create(
        organization=organization, year=year, quarter=quarter
    )
    # One starter at a time per report: the second waits here, then sees the open draft.
    report = ImpactReport.objects.select_for_update().get(pk=report.pk)
    if open_draft(report) is not None:
        raise ValidationError(_("A draft of this report is already open."))
    newest = report.versions.order_by("-number").first()
    version = _new_version(
        report,
        reason=VersionReason.FIRST if newest is None else VersionReason.REGENERATED,
        actor_id=actor.pk,
        statement=newest.statement if newest is not None else "",
    )
    record_event(
        action="report.started",
        actor_id=actor.pk,
        organization_id=organization.pk,
        target_type="report_version",
        target_id=version.pk,
    )
    _enqueue(version.pk)
    return version


@transaction.atomic
def regenerate(report: ImpactReport, *, reason: str, actor_id: int | None) -> ReportVersion:
    """Replace the open draft (its votes stay with it, so sign-off starts again) by a new
    version with the same board statement, and prepare it."""
    report = ImpactReport.objects.select_for_update().get(pk=report.pk)
    if reason not in VersionReason.values or reason == VersionReason.FIRST:
        raise ValueError(f"not a reason to prepare a report again: {reason!r}")
    current = open_draft(report)
    newest = current or report.versions.order_by("-number").first()
    if current is not None:
        ReportVersion.objects.filter(pk=current.pk).update(status=VersionStatus.REPLACED)
    version = _new_version(
        report,
        reason=reason,
        actor_id=actor_id,
        statement=newest.statement if newest is not None else "",
    )
    record_event(
        action=f"report.regenerated.{reason}",
        actor_id=actor_id,
        organization_id=report.organization_id,
        target_type="report_version",
        target_id=version.pk,
    )
    _enqueue(version.pk)
    return version


def _progress(version_id: int, progress: int) -> bool:
    """Save progress while the version is still being prepared; False once it is not."""
    return bool(
        ReportVersion.objects.filter(pk=version_id, status=VersionStatus.GENERATING).update(
            progress=progress
        )
    )


def generate_version(version_id: int) -> str:
    """The task body: compute, protect and store the draft. Does nothing unless the version
    is being prepared, so running it twice is harmless. Returns the final status."""
    version = (
        ReportVersion.objects.select_related("report__organization").filter(pk=version_id).first()
    )
    if version is None or version.status != VersionStatus.GENERATING:
        return version.status if version is not None else ""
    try:
        return _generate(version)
    except Exception:
        # Staff see "could not be prepared" and can start again; the details go to the log
        # (ids only), never to a page.
        logger.exception("report version %s could not be prepared", version_id)
        with transaction.atomic():
            failed = ReportVersion.objects.filter(
                pk=version_id, status=VersionStatus.GENERATING
            ).update(status=VersionStatus.FAILED)
            if failed:
                record_event(
                    action="report.failed",
                    organization_id=version.report.organization_id,
                    target_type="report_version",
                    target_id=version_id,
                )
        return VersionStatus.FAILED


def _generate(version: ReportVersion) -> str:
    report = version.report
    organization = report.organization
    if not _progress(version.pk, STEP_STARTED):
        return VersionStatus.REPLACED
    counted = counted_survivor_ids(organization)
    k = advisory_settings(organization).report_min_people
    published = published_values(organization)
    digest = published_digest(organization)
    quotes: list[dict[str, Any]] = [
        {"id": quote.pk, "text": quote.wording} for quote in usable_quotes(report)
    ]
    _progress(version.pk, STEP_READ_CONSENTS)
    snapshot = build_snapshot(
        organization,
        year=report.year,
        quarter=report.quarter,
        counted_ids=counted,
        published=published,
        k=k,
        currency=pay_settings(organization).currency,
        quotes=quotes,
    )
    snapshot["published_digest"] = digest
    _progress(version.pk, STEP_COMPUTED)
    with transaction.atomic():
        locked = ReportVersion.objects.select_for_update().filter(pk=version.pk).first()
        if locked is None or locked.status != VersionStatus.GENERATING:
            return locked.status if locked is not None else ""
        locked.snapshot = snapshot
        locked.method_version = snapshot["method_version"]
        locked.counted_ids = sorted(counted)
        locked.status = VersionStatus.DRAFT
        locked.progress = STEP_DONE
        locked.generated_at = timezone.now()
        locked.save(
            update_fields=[
                "snapshot",
                "method_version",
                "counted_ids",
                "status",
                "progress",
                "generated_at",
            ]
        )
        record_event(
            action="report.draft_ready",
            organization_id=organization.pk,
            target_type="report_version",
            target_id=locked.pk,
        )
        _tell_draft_ready(organization, locked)
    return VersionStatus.DRAFT


def _tell_draft_ready(organization: Organization, version: ReportVersion) -> None:
    """The board is taken to the draft they read, the staff member who asked to their
    report's page."""
    draft = page("board_report", organization, pk=version.pk)
    for voter in board_voters(organization):
        enqueue_update(
            recipient=voter, organization=organization, kind=REPORT_DRAFT_READY, target=draft
        )
    if version.requested_by_id is None:
        return
    asker = User.objects.filter(
        pk=version.requested_by_id, erased_at__isnull=True, is_active=True
    ).first()
    if asker is not None:
        enqueue_update(
            recipient=asker,
            organization=organization,
            kind=REPORT_READY,
            target=page("staff_report", organization, pk=version.report_id),
        )
