"""The demo's reports: last year's report published with the board's statement and at
least one hidden figure, and a draft for the last ended quarter waiting for the board —
written once, through the real engine and publish service."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.management.commands.seed_demo import HARBOR
from accounts.models import Organization
from reports.models import ImpactReport, ReportVersion, SignOff, VersionStatus
from tests.support.demo import seeded_once

pytestmark = pytest.mark.django_db


seeded = seeded_once(
    "seed_demo",
    "seed_demo_meetings",
    "seed_demo_pay",
    "seed_demo_advisory",
    "seed_demo_reports",
)


def test_last_year_is_published_with_a_statement_and_a_hidden_figure(seeded):
    assert "Added" in seeded
    last_year = timezone.localdate().year - 1
    report = ImpactReport.objects.get(year=last_year, quarter=0)
    published = report.versions.get(status=VersionStatus.PUBLISHED)
    assert published.statement.startswith("We read this report")
    assert published.snapshot["hidden"] >= 1
    assert not published.snapshot.get("unresolved")
    shown = [
        cell
        for measure in published.snapshot["measures"]
        for cell in measure["cells"].values()
        if cell["shown"]
    ]
    assert len(shown) > 20  # a real report, not a page of "fewer than 5 people"


def test_a_draft_waits_for_the_board_with_no_answers_yet(seeded):
    draft = ReportVersion.objects.get(status=VersionStatus.DRAFT)
    assert draft.report.quarter in (1, 2, 3, 4)
    assert draft.report.organization == Organization.objects.get(slug=HARBOR[0])
    assert not SignOff.objects.filter(version=draft).exists()


def test_running_it_again_adds_nothing(seeded):
    before = ReportVersion.objects.count()
    out = StringIO()
    call_command("seed_demo_reports", stdout=out)
    assert "nothing was added" in out.getvalue()
    assert ReportVersion.objects.count() == before
