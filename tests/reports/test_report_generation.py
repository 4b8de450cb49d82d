"""Starting a report and preparing its draft."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, ConsentScope, OutboxMessage
from accounts.services.consent import ensure_consent_texts, grant_consent, withdraw_consent
from reports.models import (
    ImpactReport,
    QuoteRequest,
    QuoteStatus,
    ReportVersion,
    VersionReason,
    VersionStatus,
)
from reports.services.report_generation import (
    REPORT_DRAFT_READY,
    REPORT_READY,
    ended_periods,
    generate_version,
    regenerate,
    start_report,
    usable_quotes,
)
from reports.tasks import generate_report_version
from tests.advisory.factories import confirmed_input
from tests.celery_worker import RunningWorker, celery_worker, wait_for
from tests.meetings.factories import MeetingFactory
from tests.support.reports import YEAR, _survivor, _year

__all__ = ["celery_worker"]  # the fixture, imported for pytest


@pytest.mark.django_db
def test_a_period_that_has_not_ended_is_refused(personas) -> None:
    with pytest.raises(ValidationError, match="not ended"):
        start_report(personas.harbor, year=2026, quarter=0, actor=personas.sam)
    with pytest.raises(ValidationError):
        start_report(personas.harbor, year=YEAR, quarter=5, actor=personas.sam)
    assert not ImpactReport.objects.exists()


@pytest.mark.django_db
def test_a_second_open_draft_is_refused(personas) -> None:
    first = start_report(personas.harbor, year=YEAR, quarter=2, actor=personas.sam)
    assert (first.number, first.status, first.reason) == (
        1,
        VersionStatus.GENERATING,
        VersionReason.FIRST,
    )
    with pytest.raises(ValidationError, match="already open"):
        start_report(personas.harbor, year=YEAR, quarter=2, actor=personas.sam)
    assert AuditEvent.objects.filter(action="report.started", target_id=first.pk).exists()


@pytest.mark.django_db
def test_the_task_body_prepares_a_draft_once(personas) -> None:
    people = [_survivor(personas.harbor, n) for n in range(6)]
    _year(personas.harbor, people)
    version = start_report(personas.harbor, year=YEAR, quarter=0, actor=personas.sam)
    assert generate_version(version.pk) == VersionStatus.DRAFT
    version.refresh_from_db()
    assert (version.status, version.progress) == (VersionStatus.DRAFT, 100)
    assert sorted(version.counted_ids) == sorted(p.pk for p in people)
    assert version.snapshot["method_version"] == version.method_version
    # Running it again changes nothing.
    assert generate_version(version.pk) == VersionStatus.DRAFT
    told = set(OutboxMessage.objects.values_list("recipient_id", "kind"))
    assert told == {(p.pk, REPORT_DRAFT_READY) for p in people} | {(personas.sam.pk, REPORT_READY)}


@pytest.mark.django_db
def test_preparing_again_replaces_the_draft_and_keeps_the_statement(personas) -> None:
    version = start_report(personas.harbor, year=YEAR, quarter=0, actor=personas.sam)
    generate_version(version.pk)
    ReportVersion.objects.filter(pk=version.pk).update(statement="Our own words.")
    again = regenerate(version.report, reason=VersionReason.REGENERATED, actor_id=personas.sam.pk)
    version.refresh_from_db()
    assert version.status == VersionStatus.REPLACED
    assert (again.number, again.statement, again.status) == (
        2,
        "Our own words.",
        VersionStatus.GENERATING,
    )
    # The replaced draft is left alone by a late task.
    assert generate_version(version.pk) == VersionStatus.REPLACED


@pytest.mark.worker
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_prepares_the_draft(personas, celery_worker: RunningWorker) -> None:
    people = [_survivor(personas.harbor, n) for n in range(6)]
    _year(personas.harbor, people)
    version = start_report(personas.harbor, year=YEAR, quarter=0, actor=personas.sam)
    generate_report_version.apply_async(args=(version.pk,), queue=celery_worker.queue)

    def ready() -> bool:
        version.refresh_from_db()
        return version.status == VersionStatus.DRAFT

    wait_for(ready, timeout=60)
    assert version.progress == 100
    assert version.snapshot["periods"] == ["Q1", "Q2", "Q3", "Q4", "Y"]


@pytest.mark.worker
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_draft_that_cannot_be_prepared_is_marked_failed(
    personas, celery_worker: RunningWorker
) -> None:
    version = start_report(personas.harbor, year=YEAR, quarter=0, actor=personas.sam)
    # A time zone the database and Python cannot read: computing the year fails.
    type(personas.harbor).objects.filter(pk=personas.harbor.pk).update(time_zone="Nowhere/Zone")
    generate_report_version.apply_async(args=(version.pk,), queue=celery_worker.queue)

    def failed() -> bool:
        version.refresh_from_db()
        return version.status == VersionStatus.FAILED

    wait_for(failed, timeout=60)
    assert AuditEvent.objects.filter(action="report.failed", target_id=version.pk).exists()


@pytest.mark.django_db
def test_ended_periods_newest_first(personas) -> None:
    MeetingFactory.create(
        organization=personas.harbor, starts_at=dt.datetime(2025, 2, 3, 17, tzinfo=dt.UTC)
    )
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        periods = ended_periods(personas.harbor)
    this_year = [(2026, 3), (2026, 2), (2026, 1)]
    last_year = [(2025, 0), (2025, 4), (2025, 3), (2025, 2), (2025, 1)]
    assert periods == [*this_year, *last_year]


@pytest.mark.django_db
def test_only_quotes_the_author_still_allows_are_in_the_draft(personas) -> None:
    author = _survivor(personas.harbor, 1)
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=author,
        organization=personas.harbor,
        scope=ConsentScope.QUOTE_ANONYMOUSLY,
        text_version=1,
        language="en",
    )
    version = start_report(personas.harbor, year=YEAR, quarter=0, actor=personas.sam)
    said = confirmed_input(author, personas.harbor, body="We were heard this year.")
    kept = QuoteRequest.objects.create(
        report=version.report, input=said, wording="We were heard.", status=QuoteStatus.APPROVED
    )
    QuoteRequest.objects.create(
        report=version.report,
        input=confirmed_input(author, personas.harbor),
        wording="Not approved yet.",
    )
    generate_version(version.pk)
    version.refresh_from_db()
    assert version.snapshot["quotes"] == [{"id": kept.pk, "text": "We were heard."}]
    withdraw_consent(
        user=author, organization=personas.harbor, scope=ConsentScope.QUOTE_ANONYMOUSLY
    )
    assert usable_quotes(version.report) == []


@pytest.mark.django_db
def test_a_new_version_hides_figures_that_changed_since_publication(personas) -> None:
    """Seven counted people, version 1 published; one stops being counted and the report
    is prepared again. Figures that moved (members 7 -> 6) are hidden, so the two versions
    cannot be subtracted to describe that one person; figures that did not move stay."""
    from reports.models import SignOff, SignOffChoice
    from reports.services.report_publish import publish

    people = [_survivor(personas.harbor, n) for n in range(7)]
    _year(personas.harbor, people)
    first = start_report(personas.harbor, year=YEAR, quarter=0, actor=personas.sam)
    generate_version(first.pk)
    first.refresh_from_db()
    for person in people:
        SignOff.objects.create(version=first, user=person, choice=SignOffChoice.APPROVE)
    assert publish(first, actor=personas.sam).published

    withdraw_consent(
        user=people[-1], organization=personas.harbor, scope=ConsentScope.COUNT_IN_REPORTS
    )
    second = regenerate(first.report, reason=VersionReason.CONSENT_CHANGED, actor_id=None)
    generate_version(second.pk)
    second.refresh_from_db()

    def cell(version: ReportVersion, key: str) -> dict[str, object]:
        by_key = {m["key"]: m for m in version.snapshot["measures"]}
        return dict(by_key[key]["cells"]["Y"])

    assert cell(first, "participation.members") == {"shown": True, "value": "7", "code": "shown"}
    assert cell(second, "participation.members")["code"] == "changed"
    assert cell(second, "participation.members")["value"] is None
    # Meetings held did not change: still shown, equal to what was published.
    assert cell(second, "participation.meetings") == cell(first, "participation.meetings")
