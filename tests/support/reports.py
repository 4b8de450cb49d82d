"""Funder reports to work with: counted survivors and a year of their activity, reports and
versions, and the crawl of a report's pages."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone
from pypdf import PdfReader

from accounts.models import (
    AssignmentStatus,
    BoardRole,
    ConsentScope,
    ConsentText,
    Organization,
    Role,
    RoleAssignment,
    User,
)
from accounts.services.consent import (
    ensure_consent_texts,
    grant_consent,
)
from accounts.services.roles import ensure_board
from advisory.models import AnswerChoice, DecisionArea, DecisionStatus, InfluenceAnswer
from meetings.models import AgendaItem, Attendance, MeetingRole, MeetingStatus
from reports.models import ImpactReport, ReportVersion, VersionStatus
from reports.services.report_generation import published_digest
from tests.advisory.factories import DecisionFactory, confirmed_input, link
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory

YEAR = 2025


def _survivor(organization: Organization, n: int, *, counted: bool = True) -> User:
    user = UserFactory.create(email=f"s{n}-{organization.slug}@example.test")
    MembershipFactory.create(user=user, organization=organization, role=Role.SURVIVOR_LEADER)
    role, _ = BoardRole.objects.get_or_create(
        organization=organization, name="Member", defaults={"description": "A seat."}
    )
    RoleAssignment.objects.create(
        board=ensure_board(organization=organization),
        role=role,
        user=user,
        status=AssignmentStatus.ACTIVE,
        starts_on=dt.date(YEAR - 1, 6, 1),
    )
    if counted:
        ensure_consent_texts(organization=organization)
        text = ConsentText.objects.get(
            organization=organization,
            scope=ConsentScope.COUNT_IN_REPORTS,
            language="en",
            version=1,
        )
        grant_consent(
            user=user,
            organization=organization,
            scope=ConsentScope.COUNT_IN_REPORTS,
            text_version=text.version,
            language="en",
        )
    return user


def _year(organization: Organization, people: list[User]) -> None:
    """Two meetings in Q1 (and a cancelled one), one in Q2; input, links and answers."""
    feb = MeetingFactory.create(organization=organization, starts_at=FEB)
    mar = MeetingFactory.create(organization=organization, starts_at=MAR)
    MeetingFactory.create(organization=organization, starts_at=MAR, status=MeetingStatus.CANCELLED)
    may = MeetingFactory.create(organization=organization, starts_at=MAY)
    for index, person in enumerate(people):
        role = MeetingRole.CHAIR if index == 0 else MeetingRole.PARTICIPANT
        Attendance.objects.create(
            meeting=feb, user=person, attended=True, hours=Decimal("1.5"), meeting_role=role
        )
        Attendance.objects.create(meeting=may, user=person, attended=True, hours=Decimal("2"))
        AgendaItem.objects.create(meeting=mar, title="A topic", proposed_by=person)
    budget = DecisionFactory.create(
        organization=organization, area=DecisionArea.BUDGET, decided_on=dt.date(YEAR, 3, 1)
    )
    DecisionFactory.create(
        organization=organization,
        area=DecisionArea.HIRING,
        decided_on=dt.date(YEAR, 3, 2),
        status=DecisionStatus.NOT_ADOPTED,
        reason="No money this year.",
    )
    for index, person in enumerate(people):
        said = confirmed_input(person, organization, meeting=feb, body=INPUT_TEXT)
        link(budget, said)
        if index % 2 == 0:
            InfluenceAnswer.objects.create(decision=budget, input=said, answer=AnswerChoice.YES)


def consent(person: Any, organization: Any, *scopes: str) -> None:
    ensure_consent_texts(organization=organization)
    for scope in scopes:
        grant_consent(
            user=person, organization=organization, scope=scope, text_version=1, language="en"
        )


def snapshot(*, quotes: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """A small stored snapshot in the agreed schema: ids, codes and numbers only."""
    return {
        "schema": 1,
        "method_version": "protection-1",
        "k": 5,
        "year": YEAR,
        "quarter": 0,
        "periods": ["Q1", "Q2", "Q3", "Q4", "Y"],
        "currency": "USD",
        "measures": [
            {
                "key": "participation.meetings",
                "section": "participation",
                "area": "",
                "unit": "meetings",
                "kind": "tally",
                "cells": {
                    "Q1": {"shown": True, "value": "3", "code": "shown"},
                    "Y": {"shown": False, "value": None, "code": "too_few"},
                },
            }
        ],
        "quotes": quotes or [],
        "hidden": 1,
        **extra,
    }


def make_report(organization: Any, *, year: int = YEAR) -> ImpactReport:
    return ImpactReport.objects.create(organization=organization, year=year, quarter=0)


def make_version(report: ImpactReport, **fields: Any) -> ReportVersion:
    defaults: dict[str, Any] = {
        "number": 1,
        "status": VersionStatus.DRAFT,
        "progress": 100,
        "snapshot": snapshot(),
        "method_version": "protection-1",
        "statement": "We read it together and it is fair.",
        "generated_at": timezone.now(),
    }
    data = defaults | fields
    # Made "now": protected against everything published so far, as generation records.
    data["snapshot"] = {
        "published_digest": published_digest(report.organization),
        **data["snapshot"],
    }
    return ReportVersion.objects.create(report=report, **data)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


# Links that end the session or leave the funder's pages: following them ends the crawl.
_SKIP = re.compile(r"^/(exit|accounts/|sessions|mfa)")


def _readable(response: Any) -> str:
    if response["Content-Type"] == "application/pdf":
        return pdf_text(response.content)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


def _kind(url: str) -> str:
    if url.endswith("/csv/"):
        return "csv"
    if url.endswith("/pdf/"):
        return "pdf"
    if "portfolio" in url:
        return "portfolio"
    if re.search(r"/funded/reports/\d+/", url):
        return "report"
    if url.endswith("/funded/reports/"):
        return "list"
    return "other"


FEB = dt.datetime(YEAR, 2, 10, 17, 0, tzinfo=dt.UTC)


MAR = dt.datetime(YEAR, 3, 10, 17, 0, tzinfo=dt.UTC)


MAY = dt.datetime(YEAR, 5, 12, 17, 0, tzinfo=dt.UTC)


INPUT_TEXT = "Canary words nobody may ever see in a report"


def pdf_text(content: bytes) -> str:
    """The PDF's text with lines joined, since a long label wraps inside its cell."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())
