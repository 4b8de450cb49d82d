"""A crawl of everything a funder can reach, over a report made by the real engine
(promise 1): six counted survivor leaders with canary emails, chosen names and
words, a year of meetings, input, links and an approved quote; the report is generated,
approved by the board and published through the services. No canary may appear on any
page or in any download a funder reaches (HTML, CSV, the PDF's text); the approved quote
and a shown figure must."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import SurvivorProfile
from meetings.models import Attendance
from reports.models import QuoteRequest, QuoteStatus, SignOff, SignOffChoice, VersionStatus
from reports.services.report_generation import generate_version, start_report
from reports.services.report_publish import publish
from tests.advisory.factories import DecisionFactory, confirmed_input, link
from tests.meetings.factories import MeetingFactory
from tests.mfa import give_totp, sign_in
from tests.support.reports import _SKIP, YEAR, _kind, _Links, _readable, _survivor

pytestmark = pytest.mark.django_db

QUOTE = "The board listened when we asked for evening meetings."


def _seed(personas) -> list[str]:
    organization = personas.harbor
    people = [_survivor(organization, n) for n in range(6)]
    canaries: list[str] = []
    meetings = [
        MeetingFactory.create(
            organization=organization, starts_at=dt.datetime(YEAR, month, 10, 17, tzinfo=dt.UTC)
        )
        for month in (2, 5, 8, 11)
    ]
    decision = DecisionFactory.create(organization=organization, decided_on=dt.date(YEAR, 6, 1))
    for n, person in enumerate(people):
        email = f"canary-mail-{n}-qx@example.test"
        person.email = email
        person.save(update_fields=["email"])
        name = f"Canaryname{n}qx"
        SurvivorProfile.objects.update_or_create(
            user=person, organization=organization, defaults={"chosen_name": name}
        )
        words = f"Canary words {n} qx about the welcome pack."
        for meeting in meetings:
            Attendance.objects.create(
                meeting=meeting, user=person, attended=True, hours=Decimal("2")
            )
        said = confirmed_input(person, organization, meeting=meetings[0], body=words)
        link(decision, said)
        canaries += [email, name, words]
    quoted = confirmed_input(people[0], organization, meeting=meetings[1], body="Long words.")
    report_version = start_report(organization, year=YEAR, quarter=0, actor=personas.sam)
    QuoteRequest.objects.create(
        report=report_version.report,
        input=quoted,
        wording=QUOTE,
        status=QuoteStatus.APPROVED,
        answered_at=dt.datetime.now(dt.UTC),
    )
    _grant_quote(people[0], organization)
    generate_version(report_version.pk)
    report_version.refresh_from_db()
    assert report_version.status == VersionStatus.DRAFT
    for person in people:
        SignOff.objects.create(version=report_version, user=person, choice=SignOffChoice.APPROVE)
    outcome = publish(report_version, actor=personas.sam)
    assert outcome.published
    return canaries


def _grant_quote(person, organization) -> None:
    from accounts.models import ConsentScope, ConsentText
    from accounts.services.consent import ensure_consent_texts, grant_consent

    ensure_consent_texts(organization=organization)
    text = ConsentText.objects.get(
        organization=organization, scope=ConsentScope.QUOTE_ANONYMOUSLY, language="en", version=1
    )
    grant_consent(
        user=person,
        organization=organization,
        scope=ConsentScope.QUOTE_ANONYMOUSLY,
        text_version=text.version,
        language="en",
    )


def test_a_real_report_reaches_a_funder_without_any_survivors_email_name_or_words(personas):
    canaries = _seed(personas)
    give_totp(personas.faye)
    client = Client()
    sign_in(client, personas.faye)

    seen: dict[str, str] = {}
    queue = ["/"]
    while queue:
        url = queue.pop()
        if url in seen or _SKIP.match(url):
            continue
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        content = _readable(response)
        seen[url] = content
        if response["Content-Type"].startswith("text/html"):
            parser = _Links()
            parser.feed(content)
            queue += [href for href in parser.hrefs if href.startswith("/")]

    assert {"csv", "pdf", "report", "portfolio", "list"} <= {_kind(url) for url in seen}
    report_pages = [content for url, content in seen.items() if _kind(url) == "report"]
    assert any(QUOTE in content for content in report_pages)
    # Six counted people came to four meetings: the year's meetings held is shown.
    csv = next(content for url, content in seen.items() if _kind(url) == "csv")
    assert re.search(rf"Board meetings held,{YEAR} Y,4,meetings,yes", csv), csv[:2000]
    for url, content in seen.items():
        for canary in canaries:
            assert canary.lower() not in content.lower(), (url, canary)
