"""Staff's report pages: who may see them, what they show, and that bad input
changes nothing. Staff see counts of the board's answers, never who answered how."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ConsentScope, OutboxMessage
from meetings.models import InputVisibility
from reports.models import (
    ImpactReport,
    QuoteRequest,
    QuoteStatus,
    ReportVersion,
    SignOff,
    SignOffChoice,
    VersionStatus,
)
from reports.services.report_generation import generate_version
from reports.services.report_publish import QUOTE_REQUEST, REPORT_PUBLISHED
from tests.advisory.factories import confirmed_input
from tests.meetings.factories import MeetingFactory, board_member
from tests.support.clients import client_for
from tests.support.reports import YEAR, consent, make_report, make_version, snapshot
from tests.support.urls import url

NOBODY_ELSE = ("fin", "ash", "faye", "otto")


@pytest.fixture
def board(personas):
    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor)
        consent(person, personas.harbor, ConsentScope.COUNT_IN_REPORTS)
    return personas


# --- the list and starting a report ------------------------------------------------------


@pytest.mark.parametrize("who", ["sam", "ada"])
def test_staff_and_admins_see_an_empty_list_that_says_what_to_do(board, who):
    response = client_for(getattr(board, who)).get(url("staff_reports"))

    assert response.status_code == 200
    assert "There are no reports yet." in response.content.decode()
    assert "choose a quarter or a year that has ended" in response.content.decode()


@pytest.mark.parametrize("who", NOBODY_ELSE)
def test_nobody_else_finds_the_reports(board, who):
    report = make_report(board.harbor)
    version = make_version(report)
    client = client_for(getattr(board, who))

    for address in (
        url("staff_reports"),
        url("staff_report", pk=report.pk),
        url("staff_report_version", pk=version.pk),
        url("ask_staff_report_quote", pk=report.pk),
    ):
        assert client.get(address).status_code == 404, address
    assert client.post(url("publish_staff_report", pk=version.pk)).status_code == 404


def test_another_organizations_report_is_not_found_under_our_name(board):
    theirs = make_version(make_report(board.second))
    client = client_for(board.sam)

    assert client.get(url("staff_report_version", pk=theirs.pk)).status_code == 404
    assert client.get(url("staff_report", pk=theirs.report_id)).status_code == 404


def test_the_list_shows_each_period_its_newest_version_and_what_funders_read(board):
    report = make_report(board.harbor)
    make_version(report, status=VersionStatus.PUBLISHED, published_at=timezone.now())
    make_version(report, number=2)
    make_report(board.harbor, year=YEAR - 1)

    page = client_for(board.sam).get(url("staff_reports")).content.decode()

    assert f"{YEAR}, the whole year" in page
    assert "Version 2: Draft: waiting for the board" in page
    assert "Version 1, published on" in page
    assert "Not published yet" in page


def test_the_list_costs_the_same_queries_for_many_reports(board):
    client = client_for(board.sam)
    client.get(url("staff_reports"))  # warm the session and the site caches
    make_version(make_report(board.harbor))
    with CaptureQueriesContext(connection) as few:
        client.get(url("staff_reports"))
    for year in range(2010, 2020):
        make_version(make_report(board.harbor, year=year), number=1)
    with CaptureQueriesContext(connection) as many:
        client.get(url("staff_reports"))
    # Reports and their versions are two queries however many there are.
    assert len(many) == len(few)


def started_long_ago(organization: Any) -> None:
    organization.created_at = timezone.now() - datetime.timedelta(days=800)
    organization.save(update_fields=["created_at"])


def test_the_start_form_offers_only_ended_periods(board):
    started_long_ago(board.harbor)
    page = client_for(board.sam).get(url("staff_reports")).content.decode()
    this_year = timezone.localdate().year

    assert f'value="{this_year - 1}-0"' in page
    assert f'value="{this_year - 1}-4"' in page
    assert f'value="{this_year}-0"' not in page


def test_starting_a_period_that_has_not_ended_changes_nothing(board):
    this_year = timezone.localdate().year

    response = client_for(board.sam).post(url("start_staff_report"), {"period": f"{this_year}-0"})

    assert response.status_code == 200
    assert "Choose one of the periods listed" in response.content.decode()
    assert not ImpactReport.objects.exists()


def test_starting_an_ended_period_shows_its_progress(board):
    started_long_ago(board.harbor)
    last_year = timezone.localdate().year - 1
    client = client_for(board.sam)

    response = client.post(url("start_staff_report"), {"period": f"{last_year}-0"})

    version = ReportVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("staff_report_version", pk=version.pk)
    page = client.get(response["Location"]).content.decode()
    # htmx asks again every 3 seconds (a self-reloading page would fail WCAG 2.2.1).
    assert 'hx-trigger="every 3s"' in page
    assert "http-equiv" not in page
    assert '<progress id="report-progress" max="100" value="0">' in page
    assert "0% done" in page


# --- a version ---------------------------------------------------------------------------


def test_a_failed_version_says_so_and_offers_to_try_again(board):
    version = make_version(make_report(board.harbor), status=VersionStatus.FAILED, snapshot={})

    page = client_for(board.sam).get(url("staff_report_version", pk=version.pk)).content.decode()

    assert "could not be prepared" in page
    assert url("prepare_staff_report_again", pk=version.pk) in page
    assert "http-equiv" not in page  # nothing to wait for


def test_trying_again_prepares_a_new_version(board):
    version = make_version(make_report(board.harbor), status=VersionStatus.FAILED, snapshot={})

    response = client_for(board.sam).post(url("prepare_staff_report_again", pk=version.pk))

    newest = ReportVersion.objects.order_by("-number").first()
    assert newest is not None
    assert newest.status == VersionStatus.GENERATING
    assert response["Location"] == url("staff_report_version", pk=newest.pk)


def test_the_draft_shows_counts_and_sorted_notes_never_who_said_what(board):
    version = make_version(make_report(board.harbor))
    SignOff.objects.create(version=version, user=board.river, choice=SignOffChoice.APPROVE)
    SignOff.objects.create(
        version=version,
        user=board.ash,
        choice=SignOffChoice.OBJECT,
        could_identify=True,
        note="Zero meetings in spring points at me.",
    )

    response = client_for(board.sam).get(url("staff_report_version", pk=version.pk))

    page = response.content.decode()
    assert "The draft, exactly as a funder would see it" in page
    assert "Said it could identify someone" in page
    assert "It cannot be published" in page
    assert "Zero meetings in spring points at me." in page
    assert url("publish_staff_report", pk=version.pk) not in page
    for person in (board.ash, board.river):
        assert person.email not in page
    assert response.context["state"].approvals == 1
    assert response.context["state"].could_identify == 1
    assert response.context["notes"] == ["Zero meetings in spring points at me."]


def test_notes_come_in_alphabetical_order_not_the_order_they_came_in(board):
    version = make_version(make_report(board.harbor))
    SignOff.objects.create(
        version=version, user=board.river, choice=SignOffChoice.OBJECT, note="b: later"
    )
    SignOff.objects.create(
        version=version, user=board.ash, choice=SignOffChoice.OBJECT, note="A: first"
    )

    response = client_for(board.sam).get(url("staff_report_version", pk=version.pk))

    assert response.context["notes"] == ["A: first", "b: later"]


def test_publishing_an_approved_draft_from_the_page(board):
    version = make_version(make_report(board.harbor))
    for person in (board.ash, board.river):
        SignOff.objects.create(version=version, user=person, choice=SignOffChoice.APPROVE)
    client = client_for(board.sam)
    assert (
        url("publish_staff_report", pk=version.pk)
        in client.get(url("staff_report_version", pk=version.pk)).content.decode()
    )

    response = client.post(url("publish_staff_report", pk=version.pk), follow=True)

    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert "The report is published" in response.content.decode()
    assert OutboxMessage.objects.filter(recipient=board.faye, kind=REPORT_PUBLISHED).exists()


def test_publishing_without_the_boards_approval_changes_nothing(board):
    version = make_version(make_report(board.harbor))

    response = client_for(board.sam).post(url("publish_staff_report", pk=version.pk), follow=True)

    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert "The board has not approved it yet" in response.content.decode()
    assert not OutboxMessage.objects.filter(kind=REPORT_PUBLISHED).exists()


def test_preparing_a_draft_again_restarts_sign_off(board):
    version = make_version(make_report(board.harbor))
    SignOff.objects.create(version=version, user=board.ash, choice=SignOffChoice.APPROVE)

    response = client_for(board.sam).post(url("prepare_staff_report_again", pk=version.pk))

    version.refresh_from_db()
    assert version.status == VersionStatus.REPLACED
    newest = ReportVersion.objects.get(status=VersionStatus.GENERATING)
    assert response["Location"] == url("staff_report_version", pk=newest.pk)
    assert not SignOff.objects.filter(version=newest).exists()


# --- asking for a quote ------------------------------------------------------------------


def in_period_input(personas: Any, **kwargs: Any) -> Any:
    meeting = MeetingFactory.create(
        organization=personas.harbor,
        starts_at=datetime.datetime(YEAR, 3, 10, 18, tzinfo=datetime.UTC),
    )
    return confirmed_input(
        personas.ash,
        personas.harbor,
        meeting=meeting,
        body="Evening meetings work better for us.",
        **kwargs,
    )


def test_the_quote_form_lists_input_without_its_author(board):
    consent(board.ash, board.harbor, ConsentScope.ATTRIBUTE_TO_STAFF)
    in_period_input(board, visibility=InputVisibility.ATTRIBUTED)
    report = make_report(board.harbor)

    page = client_for(board.sam).get(url("ask_staff_report_quote", pk=report.pk)).content.decode()

    assert "Evening meetings work better for us." in page
    assert board.ash.email not in page
    assert "A board member" not in page  # no author line at all, not even a neutral one


def test_asking_for_a_quote_from_the_page(board):
    source = in_period_input(board)
    report = make_report(board.harbor)

    response = client_for(board.sam).post(
        url("ask_staff_report_quote", pk=report.pk),
        {"input": source.pk, "wording": "Evening meetings work better"},
    )

    assert response["Location"] == url("staff_report", pk=report.pk)
    quote = QuoteRequest.objects.get()
    assert quote.status == QuoteStatus.ASKED
    assert OutboxMessage.objects.filter(recipient=board.ash, kind=QUOTE_REQUEST).exists()


def test_changed_words_are_refused_with_a_clear_error(board):
    source = in_period_input(board)
    report = make_report(board.harbor)

    response = client_for(board.sam).post(
        url("ask_staff_report_quote", pk=report.pk),
        {"input": source.pk, "wording": "Evening meetings are better for everyone."},
    )

    assert response.status_code == 200
    assert "Use the exact words" in response.content.decode()
    assert not QuoteRequest.objects.exists()


def test_the_report_page_lists_versions_and_quotes(board):
    report = make_report(board.harbor)
    make_version(report, snapshot=snapshot())
    source = in_period_input(board)
    QuoteRequest.objects.create(report=report, input=source, wording="Evening meetings")

    page = client_for(board.sam).get(url("staff_report", pk=report.pk)).content.decode()

    assert "Version 1" in page
    assert "Evening meetings" in page
    assert "Waiting for the author" in page


def test_a_prepared_draft_reads_as_a_funder_would_see_it(board):
    started_long_ago(board.harbor)
    last_year = timezone.localdate().year - 1
    client = client_for(board.sam)
    client.post(url("start_staff_report"), {"period": f"{last_year}-0"})
    version = ReportVersion.objects.get()

    assert generate_version(version.pk) == VersionStatus.DRAFT

    page = client.get(url("staff_report_version", pk=version.pk)).content.decode()
    assert "The draft, exactly as a funder would see it" in page
    assert "How people are protected" in page
    assert "http-equiv" not in page
    for person in (board.ash, board.river):
        assert person.email not in page


def test_a_draft_with_unresolved_figures_offers_no_publish_button(board):
    version = make_version(
        make_report(board.harbor), snapshot=snapshot(unresolved=["2025.Y.pay.total_paid"])
    )
    for person in (board.ash, board.river):
        SignOff.objects.create(version=version, user=person, choice=SignOffChoice.APPROVE)

    page = client_for(board.sam).get(url("staff_report_version", pk=version.pk)).content.decode()

    assert "Some figures still need checking" in page
    assert url("publish_staff_report", pk=version.pk) not in page
