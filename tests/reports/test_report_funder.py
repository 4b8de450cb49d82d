"""Funder pages and the shared report view (docs/design.md promises 1, 2 and 9).

A funder reads only published versions of the programs they fund; everyone else gets 404.
Figures come from the stored snapshot: hidden figures say why, never show as zero, never
feed a share or a portfolio total. Downloads have neutral names and are not cached. A
crawl of everything a funder can reach finds no survivor's email, name or words.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConsentScope, Membership, Organization, Role
from accounts.services.consent import ensure_consent_texts, grant_consent, withdraw_consent
from reports.models import ImpactReport, QuoteRequest, QuoteStatus, ReportVersion, VersionStatus
from reports.render import ReportView, csv_rows, hidden_reason
from reports.selectors.reports import current_published
from reports.services.report_board import take_back_quote
from tests.advisory.factories import confirmed_input
from tests.factories import (
    FunderAccessFactory,
    OrganizationFactory,
    SurvivorProfileFactory,
    UserFactory,
)
from tests.mfa import give_totp, sign_in
from tests.reports.report_snapshots import cell, year_snapshot
from tests.support.reports import _SKIP, _kind, _Links, _readable, pdf_text

PERIODS = ("Q1", "Q2", "Q3", "Q4", "Y")


def publish(
    organization: Organization,
    snapshot: dict[str, Any],
    *,
    year: int = 2025,
    number: int = 1,
    status: str = VersionStatus.PUBLISHED,
    statement: str = "We read this report together and agreed to share it.",
) -> ReportVersion:
    report, _created = ImpactReport.objects.get_or_create(
        organization=organization, year=year, quarter=0
    )
    return ReportVersion.objects.create(
        report=report,
        number=number,
        status=status,
        snapshot=snapshot,
        statement=statement,
        published_at=timezone.now() if status == VersionStatus.PUBLISHED else None,
    )


@pytest.fixture
def faye_client(personas) -> Client:
    give_totp(personas.faye)
    client = Client()
    sign_in(client, personas.faye)
    return client


def _url(name: str, version: ReportVersion, **extra: Any) -> str:
    kwargs = {"org": version.report.organization.slug, "pk": version.report.pk, **extra}
    return reverse(name, kwargs=kwargs)


# --- the renderer ------------------------------------------------------------------------


def test_no_figure_reads_as_no_figure_not_as_hidden_to_protect_people():
    # Pay parity with no staff rate for the period: there is no figure, nothing was hidden.
    snapshot = year_snapshot(values={"pay.parity": {"Y": cell(None, "no_data")}})
    view = ReportView.from_snapshot(snapshot)
    parity = next(row for row in view.rows if row.key == "pay.parity").cell("Y")
    assert parity is not None
    assert not parity.shown
    assert parity.value is None
    assert parity.reason == "no figure for this period"
    assert parity.display == "No figure"
    assert hidden_reason("no_data", 5) == "no figure for this period"
    line = next(
        line
        for line in csv_rows(view)
        if line[2] == "Pay compared with staff pay" and line[3] == "2025 Y"
    )
    assert line[4] == ""
    assert line[7] == "no figure for this period"
    assert all("protect" not in value for value in line)
    # A chart's text alternative says the same.
    hours = ReportView.from_snapshot(
        year_snapshot(values={"participation.hours": {"Q2": cell(None, "no_data")}})
    )
    chart = next(chart for chart in hours.trends if chart.key == "participation-hours")
    assert "no figure for this period" in chart.description
    assert "hidden (no figure" not in chart.description


def test_the_funder_page_says_no_figure_where_there_is_none(personas, faye_client):
    snapshot = year_snapshot(
        values={
            "pay.parity": {p: cell(None, "no_data") for p in PERIODS},
            "participation.members": {"Y": cell(None, "too_few")},
        }
    )
    version = publish(personas.harbor, snapshot)
    body = faye_client.get(_url("funder_report", version)).content.decode()
    parity = _row_text(body, "Pay compared with staff pay")
    assert "No figure" in parity
    assert "no figure for this period" in parity
    assert "Hidden" not in parity
    assert "protect" not in parity
    assert "Hidden" in _row_text(body, "Survivor leaders on the board")  # others unchanged


def test_hidden_figures_say_why_in_plain_words_and_are_never_zero():
    snapshot = year_snapshot(
        values={
            "participation.members": {"Q1": cell(None, "too_few")},
            "pay.total_paid": {"Q2": cell(None, "dominance")},
            "participation.hours": {"Q3": cell(None, "complementary")},
        }
    )
    view = ReportView.from_snapshot(snapshot)
    rows = {row.key: row for row in view.rows}
    members = rows["participation.members"].cell("Q1")
    assert members is not None
    assert not members.shown
    assert members.value is None
    assert members.reason == "fewer than 5 people"
    assert rows["pay.total_paid"].cell("Q2").reason == "could reveal one person's amount"  # type: ignore[union-attr]
    assert hidden_reason("complementary", 5) == (
        "hidden so another hidden figure cannot be worked out"
    )
    # The CSV leaves the value empty and gives the reason; it never writes 0.
    line = next(
        line
        for line in csv_rows(view)
        if line[2] == "Survivor leaders on the board" and line[3] == "2025 Q1"
    )
    assert line[4] == ""
    assert line[7] == "fewer than 5 people"


def test_values_are_written_by_their_unit():
    view = ReportView.from_snapshot(year_snapshot())
    rows = {row.key: row for row in view.rows}
    assert rows["pay.total_paid"].cell("Y").display == "USD\u00a01,250.00"  # type: ignore[union-attr]
    assert rows["pay.weeks_to_payment"].cell("Y").display == "2 weeks"  # type: ignore[union-attr]
    assert rows["pay.parity"].cell("Y").display == "1.00"  # type: ignore[union-attr]
    assert rows["participation.hours"].cell("Y").display == "12.5"  # type: ignore[union-attr]


def test_a_share_is_given_only_when_both_figures_are_shown():
    snapshot = year_snapshot(
        values={
            "influence.all.decisions": {"Y": cell("10"), "Q1": cell("8")},
            "influence.all.informed": {"Y": cell("4"), "Q1": cell(None, "too_few")},
        }
    )
    view = ReportView.from_snapshot(snapshot)
    influence = next(section for section in view.sections if section.key == "influence")
    block = next(block for block in influence.areas if block.area == "all")
    informed_share = block.shares[0]
    by_period = {share.period: share for share in informed_share.cells}
    assert by_period["Y"].display == "40%"
    assert by_period["Q1"].percent is None
    assert "hidden" in by_period["Q1"].missing


def test_yes_not_quite_and_no_answer_side_by_side_with_a_share_only_if_all_shown():
    shown = year_snapshot(
        values={
            "influence.all.yes": {"Y": cell("6")},
            "influence.all.not_quite": {"Y": cell("3")},
            "influence.all.no_answer": {"Y": cell("1")},
        }
    )
    block = _all_areas(ReportView.from_snapshot(shown))
    assert [side.what for side in block.answers] == ["yes", "not_quite", "no_answer"]
    assert [side.share.display for side in block.answers if side.share] == ["60%", "30%", "10%"]
    assert block.answer_chart is not None

    one_hidden = year_snapshot(values={"influence.all.no_answer": {"Y": cell(None, "too_few")}})
    block = _all_areas(ReportView.from_snapshot(one_hidden))
    assert all(side.share is None or side.share.percent is None for side in block.answers)
    assert block.answer_chart is None


def _all_areas(view: ReportView) -> Any:
    influence = next(section for section in view.sections if section.key == "influence")
    return next(block for block in influence.areas if block.area == "all")


def test_the_partial_draws_no_bar_for_a_hidden_quarter_and_has_no_style_attributes():
    snapshot = year_snapshot(
        values={"participation.attended": {"Q2": cell(None, "too_few"), "Q1": cell("9")}}
    )
    view = ReportView.from_snapshot(snapshot, statement="Our statement.")
    chart = next(chart for chart in view.trends if chart.key == "participation-attended")
    assert [bar.shown for bar in chart.bars] == [True, False, True, True]
    assert chart.bars[1].height == 0
    assert "hidden (fewer than 5 people)" in chart.description
    html = render_to_string("advisory/reports/_report.html", {"report": view})
    assert "style=" not in html
    assert html.count('role="img"') >= len(view.trends)
    assert "<desc" in html
    assert "Our statement." in html
    assert "at least 5 people" in html


def test_a_chart_with_every_quarter_hidden_draws_nothing_but_its_table():
    hidden = {q: cell(None, "too_few") for q in ("Q1", "Q2", "Q3", "Q4")}
    view = ReportView.from_snapshot(year_snapshot(values={"participation.attended": hidden}))
    chart = next(chart for chart in view.trends if chart.key == "participation-attended")
    assert not chart.any_shown
    html = render_to_string("advisory/reports/_report.html", {"report": view})
    figure = html.split('id="chart-participation-attended-title"')[1].split("</figure>")[0]
    assert "<svg" not in figure
    assert "fewer than 5 people" in figure  # the table still says why


# --- who may read what -------------------------------------------------------------------


def test_funder_reads_their_programs_published_report(personas, faye_client):
    version = publish(personas.harbor, year_snapshot(default="17"))
    listing = faye_client.get(reverse("funder_reports", kwargs={"org": "harbor"}))
    assert listing.status_code == 200
    assert _url("funder_report", version) in listing.content.decode()
    page = faye_client.get(_url("funder_report", version))
    assert page.status_code == 200
    body = page.content.decode()
    assert "17" in body
    assert "We read this report together" in body
    assert "Survivor leaders on the board" in body
    assert "How many survivor leaders had an active role on the board." in body
    assert "no-store" in page["Cache-Control"]


def test_funder_of_another_organization_gets_404(personas):
    version = publish(personas.harbor, year_snapshot())
    other = OrganizationFactory.create(name="Elsewhere", slug="elsewhere")
    stranger = UserFactory.create(email="other-funder@example.test")
    FunderAccessFactory.create(user=stranger, organization=other)
    give_totp(stranger)
    client = Client()
    sign_in(client, stranger)
    for name, extra in (
        ("funder_report", {}),
        ("funder_report_version", {"number": 1}),
        ("funder_report_csv", {"number": 1}),
        ("funder_report_pdf", {"number": 1}),
    ):
        assert client.get(_url(name, version, **extra)).status_code == 404
    assert client.get(reverse("funder_reports", kwargs={"org": "harbor"})).status_code == 404
    # Their own program's report is there, under their own organization only.
    mine = publish(other, year_snapshot())
    assert client.get(_url("funder_report", mine)).status_code == 200
    wrong_org = reverse("funder_report", kwargs={"org": "harbor", "pk": mine.report.pk})
    assert client.get(wrong_org).status_code == 404


def test_a_draft_never_reaches_a_funder(personas, faye_client):
    published = publish(personas.harbor, year_snapshot(default="11"))
    draft = publish(
        personas.harbor, year_snapshot(default="99"), number=2, status=VersionStatus.DRAFT
    )
    page = faye_client.get(_url("funder_report", published))
    assert page.status_code == 200
    assert ">11<" in page.content.decode()
    assert ">99<" not in page.content.decode()
    for name in ("funder_report_version", "funder_report_csv", "funder_report_pdf"):
        assert faye_client.get(_url(name, draft, number=2)).status_code == 404

    only_draft = publish(
        personas.harbor, year_snapshot(), year=2024, status=VersionStatus.DRAFT, number=1
    )
    assert faye_client.get(_url("funder_report", only_draft)).status_code == 404
    listing = faye_client.get(reverse("funder_reports", kwargs={"org": "harbor"}))
    assert _url("funder_report", only_draft) not in listing.content.decode()


@pytest.mark.parametrize("who", ["ash", "river", "sam", "fin", "ada", "otto"])
def test_members_get_404_on_funder_pages(personas, who):
    version = publish(personas.harbor, year_snapshot())
    person = getattr(personas, who)
    give_totp(person)
    client = Client()
    sign_in(client, person)
    assert client.get(reverse("funder_reports", kwargs={"org": "harbor"})).status_code == 404
    assert client.get(_url("funder_report", version)).status_code == 404
    assert client.get(_url("funder_report_csv", version, number=1)).status_code == 404
    assert client.get(reverse("funder_portfolio")).status_code == 404


def test_a_member_who_also_has_a_funder_link_is_not_a_funder_here(personas):
    version = publish(personas.harbor, year_snapshot())
    FunderAccessFactory.create(user=personas.sam, organization=personas.harbor)
    give_totp(personas.sam)
    client = Client()
    sign_in(client, personas.sam)
    assert client.get(_url("funder_report", version)).status_code == 404


def test_earlier_published_versions_stay_readable(personas, faye_client):
    first = publish(personas.harbor, year_snapshot(default="21"))
    second = publish(personas.harbor, year_snapshot(default="23"), number=2)
    current = faye_client.get(_url("funder_report", first)).content.decode()
    assert ">23<" in current
    assert _url("funder_report_version", first, number=1) in current
    earlier = faye_client.get(_url("funder_report_version", second, number=1))
    assert earlier.status_code == 200
    assert ">21<" in earlier.content.decode()
    assert "earlier version" in earlier.content.decode()


QUOTED = "The board listened when we asked for evening meetings."


def approved_quote(organization: Organization, *, year: int = 2025) -> QuoteRequest:
    """A quote its author approved, of their confirmed input, with their yes to being quoted
    without a name."""
    author = UserFactory.create()
    Membership.objects.create(user=author, organization=organization, role=Role.SURVIVOR_LEADER)
    ensure_consent_texts(organization=organization)
    grant_consent(
        user=author,
        organization=organization,
        scope=ConsentScope.QUOTE_ANONYMOUSLY,
        text_version=1,
        language="en",
    )
    report, _created = ImpactReport.objects.get_or_create(
        organization=organization, year=year, quarter=0
    )
    return QuoteRequest.objects.create(
        report=report,
        input=confirmed_input(author, organization, body=QUOTED),
        wording=QUOTED,
        status=QuoteStatus.APPROVED,
    )


def _everything_a_funder_reads(client: Client, version: ReportVersion) -> str:
    number = version.number
    page = client.get(_url("funder_report_version", version, number=number))
    csv_text = b"".join(client.get(_url("funder_report_csv", version, number=number))).decode()
    pdf = pdf_text(client.get(_url("funder_report_pdf", version, number=number)).content)
    return " ".join((page.content.decode(), csv_text, pdf))


@pytest.mark.parametrize("how", ["taken_back", "withdrawn", "consent_withdrawn", "erased"])
def test_a_quote_no_longer_allowed_leaves_earlier_versions_too(personas, faye_client, how):
    quote = approved_quote(personas.harbor)
    first = publish(personas.harbor, year_snapshot(quotes=[{"id": quote.pk, "text": QUOTED}]))
    assert QUOTED in faye_client.get(_url("funder_report", first)).content.decode()
    if how == "taken_back":
        # The author takes it back: version 2 is published without it; version 1 stays.
        take_back_quote(quote=quote, by=quote.input.author)
        newest = current_published(first.report)
        assert newest is not None
        assert newest.number == 2
    elif how == "withdrawn":
        quote.status = QuoteStatus.WITHDRAWN
        quote.save()
    elif how == "consent_withdrawn":
        withdraw_consent(
            user=quote.input.author,
            organization=personas.harbor,
            scope=ConsentScope.QUOTE_ANONYMOUSLY,
        )
    else:
        QuoteRequest.objects.filter(pk=quote.pk).delete()  # deleted with the author's account
    first.refresh_from_db()
    assert first.snapshot["quotes"] == [{"id": quote.pk, "text": QUOTED}]  # stored as it was
    assert QUOTED not in _everything_a_funder_reads(faye_client, first)


def test_board_and_staff_pages_of_a_published_version_drop_it_too(personas):
    quote = approved_quote(personas.harbor)
    version = publish(personas.harbor, year_snapshot(quotes=[{"id": quote.pk, "text": QUOTED}]))
    pages = {
        personas.ash: reverse("board_report", kwargs={"org": "harbor", "pk": version.pk}),
        personas.sam: reverse("staff_report_version", kwargs={"org": "harbor", "pk": version.pk}),
    }
    clients = {}
    for person, address in pages.items():
        give_totp(person)
        clients[person] = Client()
        sign_in(clients[person], person)
        assert QUOTED in clients[person].get(address).content.decode()
    quote.status = QuoteStatus.WITHDRAWN
    quote.save()
    for person, address in pages.items():
        response = clients[person].get(address)
        assert response.status_code == 200
        assert QUOTED not in response.content.decode()


def test_a_quote_still_allowed_stays_in_every_version(personas, faye_client):
    quote = approved_quote(personas.harbor)
    first = publish(personas.harbor, year_snapshot(quotes=[{"id": quote.pk, "text": QUOTED}]))
    publish(personas.harbor, year_snapshot(quotes=[{"id": quote.pk, "text": QUOTED}]), number=2)
    page = faye_client.get(_url("funder_report_version", first, number=1)).content.decode()
    assert QUOTED in page
    assert QUOTED in pdf_text(faye_client.get(_url("funder_report_pdf", first, number=1)).content)


def test_a_quote_of_another_report_is_never_shown(personas, faye_client):
    # The id in a snapshot must be a usable request of this very report.
    elsewhere = approved_quote(personas.harbor, year=2024)
    version = publish(personas.harbor, year_snapshot(quotes=[{"id": elsewhere.pk, "text": QUOTED}]))
    assert QUOTED not in faye_client.get(_url("funder_report", version)).content.decode()


# --- downloads ---------------------------------------------------------------------------


def test_csv_download_has_a_neutral_name_and_is_not_cached(personas, faye_client):
    version = publish(
        personas.harbor,
        year_snapshot(values={"participation.members": {"Y": cell(None, "too_few")}}),
    )
    response = faye_client.get(_url("funder_report_csv", version, number=1))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report-2025.csv"'
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode()
    assert "Harbor" not in text
    line = next(
        row
        for row in text.splitlines()
        if row.startswith("Taking part,,Survivor leaders on the board,2025 Y")
    )
    assert ",,people,no,fewer than 5 people," in line


def test_pdf_download_has_a_neutral_name_and_the_figures_as_text(personas, faye_client):
    version = publish(personas.harbor, year_snapshot(default="4321"), number=2)
    response = faye_client.get(_url("funder_report_pdf", version, number=2))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-2025-v2.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "4,321" in text
    assert "Survivor leaders on the board" in text
    assert "Harbor" not in text


# --- the portfolio -----------------------------------------------------------------------


def test_portfolio_adds_only_shown_figures_and_says_from_how_many(personas, faye_client):
    second_program = OrganizationFactory.create(name="Lantern", slug="lantern")
    third_program = OrganizationFactory.create(name="Bridge", slug="bridge")
    for org in (second_program, third_program):
        FunderAccessFactory.create(user=personas.faye, organization=org)
    publish(personas.harbor, year_snapshot(values={"participation.members": {"Y": cell("7")}}))
    publish(
        second_program,
        year_snapshot(values={"participation.members": {"Y": cell(None, "too_few")}}),
    )
    # Bridge has published nothing for the year.
    response = faye_client.get(reverse("funder_portfolio"))
    assert response.status_code == 200
    body = response.content.decode()
    row = _row_text(body, "Survivor leaders on the board")
    assert ">7<" in row
    assert "from 1 of 3 programs" in row
    assert "2 of the 3 programs you fund have published" in body


def _row_text(body: str, label: str) -> str:
    start = body.index(label)
    return body[start : body.index("</tr>", start)]


def test_portfolio_totals_money_per_currency_and_never_medians(personas, faye_client):
    other = OrganizationFactory.create(name="Lantern", slug="lantern")
    FunderAccessFactory.create(user=personas.faye, organization=other)
    publish(personas.harbor, year_snapshot(values={"pay.total_paid": {"Y": cell("1000.00")}}))
    publish(other, year_snapshot(values={"pay.total_paid": {"Y": cell("250.50")}}))
    body = faye_client.get(reverse("funder_portfolio")).content.decode()
    assert "USD\u00a01,250.50" in body
    assert "Weeks to get paid" not in body
    assert "Pay compared with staff pay" not in body


# --- query counts ------------------------------------------------------------------------


# Per signed-in page, whatever it shows: the session and its user (2) and the MFA check (1)
# — 3 (reading a page writes nothing). A funder page adds the funded organization and one
# query for its versions, snapshot included: the figures never cause a query.
SIGNED_IN_PAGE = 3
# A page under one organization's address also reads the viewer's time zone there (1).
ORGANIZATION_PAGE = SIGNED_IN_PAGE + 1


def test_report_page_renders_from_the_snapshot_in_a_fixed_number_of_queries(
    personas, faye_client, django_assert_num_queries
):
    version = publish(personas.harbor, year_snapshot())
    for number in range(2, 7):
        publish(personas.harbor, year_snapshot(), number=number)
    faye_client.get(_url("funder_report", version))  # the first visit records the session
    with django_assert_num_queries(ORGANIZATION_PAGE + 2):
        response = faye_client.get(_url("funder_report", version))
    assert response.status_code == 200
    with django_assert_num_queries(ORGANIZATION_PAGE + 2):
        faye_client.get(_url("funder_report_csv", version, number=6))
    with django_assert_num_queries(ORGANIZATION_PAGE + 2):
        faye_client.get(reverse("funder_reports", kwargs={"org": "harbor"}))


def test_a_quote_costs_one_query_to_check_it_may_still_be_read(
    personas, faye_client, django_assert_num_queries
):
    quotes = [{"id": approved_quote(personas.harbor).pk, "text": QUOTED}]
    version = publish(personas.harbor, year_snapshot(quotes=quotes))
    for number in range(2, 5):
        publish(personas.harbor, year_snapshot(quotes=quotes), number=number)
    faye_client.get(_url("funder_report", version))
    # The usable quotes of the report, in one query however many the snapshot carries.
    with django_assert_num_queries(ORGANIZATION_PAGE + 3):
        response = faye_client.get(_url("funder_report_version", version, number=1))
    assert QUOTED in response.content.decode()
    with django_assert_num_queries(ORGANIZATION_PAGE + 3):
        faye_client.get(_url("funder_report_csv", version, number=4))


def test_portfolio_queries_do_not_grow_with_programs(
    personas, faye_client, django_assert_num_queries
):
    for n in range(8):
        org = OrganizationFactory.create(name=f"Program {n}", slug=f"program-{n}")
        FunderAccessFactory.create(user=personas.faye, organization=org)
        publish(org, year_snapshot())
    faye_client.get(reverse("funder_portfolio"))
    # The funded organizations, and every published year version of them in one query.
    with django_assert_num_queries(SIGNED_IN_PAGE + 2):
        faye_client.get(reverse("funder_portfolio"))


# --- the crawl ---------------------------------------------------------------------------


def seed_canaries(organization: Organization) -> list[str]:
    canaries = []
    for n in range(6):
        email = f"canary-mail-{n}-zq@example.test"
        name = f"Canaryname{n}zq"
        words = f"Canary words {n} zq: evening meetings would help."
        survivor = UserFactory.create(email=email)
        Membership.objects.create(
            user=survivor, organization=organization, role=Role.SURVIVOR_LEADER
        )
        SurvivorProfileFactory.create(user=survivor, chosen_name=name)
        confirmed_input(survivor, organization, body=words)
        canaries += [email, name, words]
    return canaries


def test_nothing_a_funder_can_reach_holds_a_survivors_email_name_or_words(personas, faye_client):
    canaries = seed_canaries(personas.harbor)
    approved = approved_quote(personas.harbor).wording
    publish(
        personas.harbor,
        year_snapshot(
            values={"participation.members": {"Y": cell(None, "too_few")}},
            quotes=[{"id": QuoteRequest.objects.get().pk, "text": approved}],
        ),
    )
    publish(personas.harbor, year_snapshot(), number=2)

    seen: dict[str, str] = {}
    queue = ["/"]
    while queue:
        url = queue.pop()
        if url in seen or _SKIP.match(url):
            continue
        response = faye_client.get(url, follow=True)
        assert response.status_code == 200, url
        content = _readable(response)
        seen[url] = content
        if response["Content-Type"].startswith("text/html"):
            parser = _Links()
            parser.feed(content)
            queue += [href for href in parser.hrefs if href.startswith("/")]

    kinds = {_kind(url) for url in seen}
    assert {"csv", "pdf", "report", "portfolio", "list"} <= kinds, sorted(seen)
    assert any(approved in content for content in seen.values())
    for url, content in seen.items():
        for canary in canaries:
            assert canary.lower() not in content.lower(), (url, canary)
