"""The board's side of reports: survivor leaders read drafts exactly as a funder
would; those with an active board role approve or object and write the board's statement;
co-chairs choose the smallest group size and the sign-off rule; authors answer requests to
quote their own words. Nobody sees who answered how, bad input changes nothing, and nothing
can be answered on a version that is no longer a draft."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, ConsentScope, Role, SurvivorProfile
from accounts.services.consent import ensure_consent_texts, grant_consent
from advisory.models import AdvisorySettings, SignOffRule
from meetings.models import InputStatus
from reports.models import (
    ImpactReport,
    QuoteRequest,
    QuoteStatus,
    ReportVersion,
    SignOff,
    SignOffChoice,
    VersionStatus,
)
from reports.selectors.reports import signoff_state
from tests.advisory.factories import confirmed_input
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import board_member
from tests.support.clients import client_for
from tests.support.urls import page, url

pytestmark = pytest.mark.django_db

SNAPSHOT: dict[str, Any] = {
    "schema": 1,
    "method_version": "protection-1 test",
    "k": 5,
    "year": 2025,
    "quarter": 1,
    "periods": ["Q1"],
    "currency": "USD",
    "measures": [
        {
            "key": "participation.members",
            "section": "participation",
            "area": "",
            "unit": "people",
            "kind": "count",
            "cells": {"Q1": {"shown": True, "value": "7", "code": "shown"}},
        }
    ],
    "quotes": [],
    "hidden": 0,
}
WORDS = "Evening meetings made it possible for me to come."


def a_version(
    organization, *, status: str = VersionStatus.DRAFT, number: int = 1, **fields: Any
) -> ReportVersion:
    report, _created = ImpactReport.objects.get_or_create(
        organization=organization, year=2025, quarter=1
    )
    if status == VersionStatus.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    return ReportVersion.objects.create(
        report=report,
        number=number,
        status=status,
        progress=100 if status != VersionStatus.GENERATING else 40,
        snapshot=fields.pop("snapshot", SNAPSHOT),
        **fields,
    )


def answer(client: Client, version: ReportVersion, **data: Any):
    return client.post(url("board_report_answer", pk=version.pk), data)


# --- reading --------------------------------------------------------------------------------


def test_the_list_explains_what_happens_when_nothing_is_waiting(personas):
    html = page(client_for(personas.ash), url("board_reports"))
    assert "No report is waiting for the board" in html
    assert "Silence never counts as a yes" in html
    assert "No report has been published yet" in html


def test_survivor_leaders_see_drafts_and_the_current_published_version(personas):
    a_version(personas.harbor, status=VersionStatus.PUBLISHED, number=1)
    current = a_version(personas.harbor, status=VersionStatus.PUBLISHED, number=2)
    draft = a_version(personas.harbor, number=3)
    html = page(client_for(personas.river), url("board_reports"))
    assert url("board_report", pk=draft.pk) in html
    assert url("board_report", pk=current.pk) in html
    assert "Version 1," not in html  # only the version funders read now


def test_the_draft_is_shown_as_a_funder_would_see_it(personas):
    draft = a_version(personas.harbor, statement="We stand behind these figures.")
    html = page(client_for(personas.river), url("board_report", pk=draft.pk))
    assert 'class="report"' in html  # the shared partial, as on the funder's page
    assert "We stand behind these figures." in html
    assert "Funders cannot see it" in html


def test_a_draft_being_prepared_says_so(personas):
    draft = a_version(personas.harbor, status=VersionStatus.GENERATING, snapshot={})
    html = page(client_for(personas.ash), url("board_report", pk=draft.pk))
    assert "being prepared (40% done)" in html
    assert 'class="report"' not in html


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye", "otto"])
def test_only_the_organizations_survivor_leaders_read_its_reports(personas, who):
    draft = a_version(personas.harbor)
    client = client_for(getattr(personas, who))
    assert client.get(url("board_reports")).status_code == 404
    assert client.get(url("board_report", pk=draft.pk)).status_code == 404


# --- answering ------------------------------------------------------------------------------


def test_a_board_member_approves_and_can_change_to_an_objection(personas):
    board_member(personas.ash, personas.harbor)
    draft = a_version(personas.harbor)
    client = client_for(personas.ash)
    response = answer(client, draft, choice="approve")
    assert response.status_code == 302
    assert SignOff.objects.get(version=draft, user=personas.ash).choice == SignOffChoice.APPROVE
    answer(client, draft, choice="object", could_identify="on", note="Hide the hours.")
    signoff = SignOff.objects.get(version=draft, user=personas.ash)
    assert (signoff.choice, signoff.could_identify, signoff.note) == (
        SignOffChoice.OBJECT,
        True,
        "Hide the hours.",
    )
    assert SignOff.objects.count() == 1


def test_could_identify_someone_blocks_whatever_the_rule(personas):
    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor)
    draft = a_version(personas.harbor)
    answer(client_for(personas.river), draft, choice="approve")
    answer(client_for(personas.ash), draft, choice="object", could_identify="on")
    state = signoff_state(draft)
    assert state.blocked
    assert not state.met
    html = page(client_for(personas.river), url("board_report", pk=draft.pk))
    assert "Someone said this could identify a person" in html


def test_could_identify_someone_stays_when_its_author_steps_down(personas):
    from accounts.models import AssignmentStatus, RoleAssignment

    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor)
    draft = a_version(personas.harbor)
    answer(client_for(personas.river), draft, choice="approve")
    answer(client_for(personas.ash), draft, choice="object", could_identify="on")
    RoleAssignment.objects.filter(user=personas.ash).update(status=AssignmentStatus.STEPPED_DOWN)
    state = signoff_state(draft)
    # The objection no longer counts as a voter's answer, but its warning still blocks.
    assert (state.voters, state.approvals, state.objections) == (1, 1, 0)
    assert state.could_identify == 1
    assert state.blocked
    assert not state.met


def test_approvals_count_only_from_current_voters(personas):
    from accounts.models import AssignmentStatus, RoleAssignment

    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor)
    draft = a_version(personas.harbor)
    for person in (personas.ash, personas.river):
        answer(client_for(person), draft, choice="approve")
    RoleAssignment.objects.filter(user=personas.ash).update(status=AssignmentStatus.STEPPED_DOWN)
    state = signoff_state(draft)
    assert (state.voters, state.approvals, state.could_identify) == (1, 1, 0)


@pytest.mark.parametrize(
    ("starts", "ends", "current"),
    [
        (-1, None, True),
        (0, 0, True),  # the first and the last day of a term both count
        (-30, -1, False),  # the term ended yesterday
        (1, None, False),  # accepted, but the term starts tomorrow
    ],
)
def test_only_a_term_that_has_started_and_not_ended_is_a_seat(personas, starts, ends, current):
    from datetime import timedelta

    from accounts.models import RoleAssignment
    from accounts.permissions import Capability, allows
    from accounts.selectors.roles import board_voters

    board_member(personas.ash, personas.harbor)
    board_member(personas.river, personas.harbor)
    today = timezone.localdate()
    RoleAssignment.objects.filter(user=personas.ash).update(
        starts_on=today + timedelta(days=starts),
        ends_on=None if ends is None else today + timedelta(days=ends),
    )
    assert allows(personas.ash, personas.harbor, Capability.RECOMMEND) is current
    assert (personas.ash in board_voters(personas.harbor)) is current
    draft = a_version(personas.harbor)
    assert signoff_state(draft).voters == (2 if current else 1)
    response = answer(client_for(personas.ash), draft, choice="approve")
    assert SignOff.objects.filter(user=personas.ash).exists() is current
    assert (response.status_code == 302) is current


def test_the_board_sees_counts_never_who_answered_how(personas):
    SurvivorProfile.objects.update_or_create(
        user=personas.river, organization=personas.harbor, defaults={"chosen_name": "Riverbend"}
    )
    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor)
    draft = a_version(personas.harbor)
    answer(client_for(personas.river), draft, choice="object", note="Too small a group.")
    html = page(client_for(personas.ash), url("board_report", pk=draft.pk))
    assert "Riverbend" not in html
    assert "river@example.test" not in html
    assert "Too small a group." not in html  # a note is read by staff, without a name
    assert "Not answered yet" in html
    assert "You have not answered yet." in html


def test_answers_are_recorded_without_who_gave_them(personas):
    board_member(personas.ash, personas.harbor)
    draft = a_version(personas.harbor)
    answer(client_for(personas.ash), draft, choice="approve")
    event = AuditEvent.objects.get(action="report.signoff_given")
    assert event.actor_id is None
    assert (event.target_type, event.target_id) == ("report_version", draft.pk)


def test_silence_is_not_approval(personas):
    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor)
    draft = a_version(personas.harbor)
    answer(client_for(personas.ash), draft, choice="approve")
    state = signoff_state(draft)
    assert (state.approvals, state.waiting, state.needed, state.met) == (1, 1, 2, False)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choice": "maybe"},
        {"choice": "approve", "could_identify": "on"},
        {"choice": "approve", "note": "Looks fine."},
    ],
)
def test_a_confused_answer_saves_nothing_and_says_why(personas, data):
    board_member(personas.ash, personas.harbor)
    draft = a_version(personas.harbor)
    response = answer(client_for(personas.ash), draft, **data)
    assert response.status_code == 200
    assert "Nothing was saved yet" in response.content.decode()
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("status", [VersionStatus.PUBLISHED, VersionStatus.REPLACED])
def test_nothing_can_be_answered_on_a_version_that_is_no_longer_a_draft(personas, status):
    board_member(personas.ash, personas.harbor)
    version = a_version(personas.harbor, status=status)
    client = client_for(personas.ash)
    response = answer(client, version, choice="approve")
    assert response.status_code == 302
    assert not SignOff.objects.exists()
    html = page(client, url("board_report", pk=version.pk))
    assert "no longer a draft" in html
    assert "Save my answer" not in html


def test_a_survivor_leader_without_an_active_board_role_reads_but_cannot_answer(personas):
    draft = a_version(personas.harbor)
    client = client_for(personas.river)
    html = page(client, url("board_report", pk=draft.pk))
    assert "Save my answer" not in html
    assert answer(client, draft, choice="approve").status_code == 404
    assert client.get(url("board_report_statement", pk=draft.pk)).status_code == 404
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("who", ["sam", "ada", "fin", "faye", "otto"])
def test_nobody_else_answers_for_the_board(personas, who):
    draft = a_version(personas.harbor)
    response = answer(client_for(getattr(personas, who)), draft, choice="approve")
    assert response.status_code == 404
    assert not SignOff.objects.exists()


# --- the board's statement ------------------------------------------------------------------


def test_a_new_statement_asks_everyone_to_approve_again(personas):
    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor)
    draft = a_version(personas.harbor)
    client = client_for(personas.ash)
    assert "Changing the statement asks everyone to approve again." in page(
        client, url("board_report_statement", pk=draft.pk)
    )
    answer(client, draft, choice="approve")
    answer(client_for(personas.river), draft, choice="object", could_identify="on", note="No.")
    response = client.post(
        url("board_report_statement", pk=draft.pk), {"statement": "  Our own words.  "}, follow=True
    )
    assert "Everyone is asked to approve the report again." in response.content.decode()
    draft.refresh_from_db()
    assert draft.statement == "Our own words."
    assert draft.statement_updated_at is not None
    # The approval is gone; the objection, its warning and its note stay.
    [kept] = SignOff.objects.filter(version=draft)
    assert (kept.user_id, kept.choice, kept.could_identify) == (
        personas.river.pk,
        SignOffChoice.OBJECT,
        True,
    )
    state = signoff_state(draft)
    assert (state.approvals, state.objections, state.waiting) == (0, 1, 1)
    event = AuditEvent.objects.get(action="report.statement_saved")
    # Who wrote it is not kept: with the counts, it would say who approved and who did not.
    assert (event.target_id, event.actor_id) == (draft.pk, None)


def test_saving_the_same_statement_keeps_the_approvals(personas):
    board_member(personas.ash, personas.harbor)
    draft = a_version(personas.harbor, statement="Our own words.")
    client = client_for(personas.ash)
    answer(client, draft, choice="approve")
    response = client.post(
        url("board_report_statement", pk=draft.pk), {"statement": "Our own words. "}, follow=True
    )
    assert "It did not change." in response.content.decode()
    assert SignOff.objects.filter(version=draft, choice=SignOffChoice.APPROVE).count() == 1
    assert not AuditEvent.objects.filter(action="report.statement_saved").exists()


@pytest.mark.parametrize("who", ["sam", "ada"])
def test_staff_cannot_edit_the_statement(personas, who):
    draft = a_version(personas.harbor, statement="The board's words.")
    client = client_for(getattr(personas, who))
    assert client.get(url("board_report_statement", pk=draft.pk)).status_code == 404
    response = client.post(url("board_report_statement", pk=draft.pk), {"statement": "Staff's"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.statement == "The board's words."


def test_a_published_statement_cannot_change(personas):
    board_member(personas.ash, personas.harbor)
    version = a_version(personas.harbor, status=VersionStatus.PUBLISHED, statement="Final.")
    client = client_for(personas.ash)
    assert "no longer a draft" in page(client, url("board_report_statement", pk=version.pk))
    response = client.post(url("board_report_statement", pk=version.pk), {"statement": "New"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.statement == "Final."
    assert "no longer a draft" in page(client, url("board_report", pk=version.pk))


def test_a_statement_that_is_too_long_is_refused(personas):
    board_member(personas.ash, personas.harbor)
    draft = a_version(personas.harbor)
    response = client_for(personas.ash).post(
        url("board_report_statement", pk=draft.pk), {"statement": "x" * 5001}
    )
    assert response.status_code == 200
    assert "Nothing was saved yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.statement == ""


# --- the board's report settings ------------------------------------------------------------


def test_a_co_chair_raises_the_group_size_and_chooses_the_rule(personas):
    board_member(personas.ash, personas.harbor, co_chair=True)
    client = client_for(personas.ash)
    html = page(client, url("board_report_settings"))
    assert "can never be lower than 5" in html
    response = client.post(url("board_report_settings"), {"min_people": "8", "rule": "everyone"})
    assert response.status_code == 302
    saved = AdvisorySettings.objects.get(organization=personas.harbor)
    assert (saved.report_min_people, saved.report_signoff_rule) == (8, SignOffRule.EVERYONE)
    assert AuditEvent.objects.filter(
        action="advisory_settings.report_saved", actor_id=personas.ash.pk
    ).exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"min_people": "4", "rule": "majority"}, "can never be lower than 5"),
        ({"min_people": "51", "rule": "majority"}, "at most 50"),
        ({"min_people": "five", "rule": "majority"}, "Give a whole number"),
        ({"min_people": "6", "rule": "anyone"}, "Choose one of the rules"),
    ],
)
def test_bad_settings_change_nothing_and_say_why(personas, data, error):
    board_member(personas.ash, personas.harbor, co_chair=True)
    response = client_for(personas.ash).post(url("board_report_settings"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not AdvisorySettings.objects.exists()


@pytest.mark.parametrize("who", ["river", "sam", "ada", "fin", "faye", "otto"])
def test_only_co_chairs_change_the_report_settings(personas, who):
    board_member(personas.river, personas.harbor)  # on the board, not a co-chair
    client = client_for(getattr(personas, who))
    assert client.get(url("board_report_settings")).status_code == 404
    response = client.post(url("board_report_settings"), {"min_people": "9", "rule": "majority"})
    assert response.status_code == 404
    assert not AdvisorySettings.objects.exists()


def test_the_rule_the_co_chairs_chose_is_the_one_counted(personas):
    third = UserFactory.create(email="third@example.test")
    MembershipFactory.create(user=third, organization=personas.harbor, role=Role.SURVIVOR_LEADER)
    board_member(personas.ash, personas.harbor, co_chair=True)
    for person in (personas.river, third):
        board_member(person, personas.harbor)
    draft = a_version(personas.harbor)
    for person in (personas.river, third):
        answer(client_for(person), draft, choice="approve")
    assert signoff_state(draft).met  # two of three is more than half
    client_for(personas.ash).post(
        url("board_report_settings"), {"min_people": "5", "rule": "everyone"}
    )
    state = signoff_state(draft)
    assert (state.rule, state.needed, state.met) == (SignOffRule.EVERYONE, 3, False)


# --- quote requests -------------------------------------------------------------------------


def a_quote(author, organization, *, status: str = QuoteStatus.ASKED) -> QuoteRequest:
    report, _created = ImpactReport.objects.get_or_create(
        organization=organization, year=2025, quarter=1
    )
    said = confirmed_input(author, organization, body=WORDS)
    return QuoteRequest.objects.create(report=report, input=said, wording=WORDS, status=status)


def may_quote(author, organization) -> None:
    """The author's yes to "My words can be quoted without my name in a report"."""
    ensure_consent_texts(organization=organization)
    grant_consent(
        user=author,
        organization=organization,
        scope=ConsentScope.QUOTE_ANONYMOUSLY,
        text_version=1,
        language="en",
    )


def test_authors_see_only_requests_about_their_own_words(personas):
    mine = a_quote(personas.ash, personas.harbor)
    theirs = a_quote(personas.river, personas.harbor)
    client = client_for(personas.ash)
    html = page(client, url("my_quotes"))
    assert url("my_quote", pk=mine.pk) in html
    assert url("my_quote", pk=theirs.pk) not in html
    assert client.get(url("my_quote", pk=theirs.pk)).status_code == 404
    response = client.post(url("my_quote", pk=theirs.pk), {"action": "approve"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == QuoteStatus.ASKED


def test_the_request_says_a_download_cannot_be_recalled_and_consent_matters(personas):
    quote = a_quote(personas.ash, personas.harbor)
    html = page(client_for(personas.ash), url("my_quote", pk=quote.pk))
    assert "a downloaded copy cannot be called back" in html
    assert "must be turned on in “My choices about my information”" in html
    assert "Right now it is turned off, so you cannot say yes here yet." in html
    assert url("my_choices") in html
    assert "Saying no is always fine" in html
    assert 'value="approve"' not in html  # approving needs the choice turned on first
    assert 'value="decline"' in html
    assert "<textarea" not in html  # no reason is ever asked


def test_approving_needs_the_choice_to_be_quoted_turned_on(personas):
    quote = a_quote(personas.ash, personas.harbor)
    client = client_for(personas.ash)
    response = client.post(url("my_quote", pk=quote.pk), {"action": "approve"})
    assert response.status_code == 200
    assert "first turn on “My words can be quoted without my name in a report”" in (
        response.content.decode()
    )
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ASKED
    assert quote.answered_at is None
    assert not AuditEvent.objects.filter(target_type="quote_request").exists()

    may_quote(personas.ash, personas.harbor)
    assert 'value="approve"' in page(client, url("my_quote", pk=quote.pk))
    assert client.post(url("my_quote", pk=quote.pk), {"action": "approve"}).status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.APPROVED


def test_the_service_refuses_an_approval_without_the_choice(personas):
    from django.core.exceptions import ValidationError

    from reports.services.report_board import approve_quote

    quote = a_quote(personas.ash, personas.harbor)
    # Someone else's yes, or a yes in another organization, is not the author's yes here.
    may_quote(personas.river, personas.harbor)
    with pytest.raises(ValidationError) as refused:
        approve_quote(quote=quote, by=personas.ash)
    assert refused.value.code == "no_quote_consent"
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ASKED


@pytest.mark.parametrize(
    ("action", "status"), [("approve", QuoteStatus.APPROVED), ("decline", QuoteStatus.DECLINED)]
)
def test_the_author_approves_or_declines_with_no_reason_asked(personas, action, status):
    quote = a_quote(personas.ash, personas.harbor)
    may_quote(personas.ash, personas.harbor)
    response = client_for(personas.ash).post(url("my_quote", pk=quote.pk), {"action": action})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == status
    assert quote.answered_at is not None
    event = AuditEvent.objects.get(target_type="quote_request", target_id=quote.pk)
    assert event.actor_id is None  # naming the author would say who wrote anonymous input


def test_an_answered_request_cannot_be_answered_again(personas):
    quote = a_quote(personas.ash, personas.harbor, status=QuoteStatus.DECLINED)
    response = client_for(personas.ash).post(url("my_quote", pk=quote.pk), {"action": "approve"})
    assert response.status_code == 200
    assert "already answered" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DECLINED


def test_withdrawn_words_cannot_be_approved(personas):
    quote = a_quote(personas.ash, personas.harbor)
    may_quote(personas.ash, personas.harbor)
    quote.input.status = InputStatus.WITHDRAWN
    quote.input.save()
    response = client_for(personas.ash).post(url("my_quote", pk=quote.pk), {"action": "approve"})
    assert "cannot be quoted" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ASKED


def test_taking_back_an_unpublished_approval(personas):
    quote = a_quote(personas.ash, personas.harbor, status=QuoteStatus.APPROVED)
    response = client_for(personas.ash).post(url("my_quote", pk=quote.pk), {"action": "take_back"})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.WITHDRAWN
    assert not ReportVersion.objects.exists()


def test_taking_back_a_published_quote_publishes_a_version_without_it(personas):
    quote = a_quote(personas.ash, personas.harbor, status=QuoteStatus.APPROVED)
    snapshot = {**SNAPSHOT, "quotes": [{"id": quote.pk, "text": WORDS}]}
    published = a_version(personas.harbor, status=VersionStatus.PUBLISHED, snapshot=snapshot)
    client = client_for(personas.ash)
    assert "These words are in a published report." in page(client, url("my_quote", pk=quote.pk))
    client.post(url("my_quote", pk=quote.pk), {"action": "take_back"})
    newest = ReportVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number")[0]
    assert newest.pk != published.pk
    assert newest.snapshot["quotes"] == []
    published.refresh_from_db()
    assert published.snapshot["quotes"] == [{"id": quote.pk, "text": WORDS}]  # never changed


@pytest.mark.parametrize("who", ["sam", "ada", "fin", "faye", "otto", "river"])
def test_nobody_but_the_author_answers_a_quote_request(personas, who):
    quote = a_quote(personas.ash, personas.harbor)
    client = client_for(getattr(personas, who))
    assert client.get(url("my_quote", pk=quote.pk)).status_code == 404
    assert client.post(url("my_quote", pk=quote.pk), {"action": "approve"}).status_code == 404
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ASKED


# --- at the same moment (PostgreSQL, two connections) ---------------------------------------


@pytest.fixture
def slow_locks(monkeypatch):
    from reports.services import report_board as services
    from tests.support.races import slowed

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has one writer at a time")
    monkeypatch.setattr(services, "_locked_version", slowed(services._locked_version))
    monkeypatch.setattr(services, "_locked_quote", slowed(services._locked_quote))


@pytest.mark.django_db(transaction=True)
def test_one_answer_sent_twice_at_once_is_saved_once(personas, slow_locks):
    from reports.services.report_board import Answer, answer_draft
    from tests.support.races import race

    board_member(personas.ash, personas.harbor)
    draft = a_version(personas.harbor)

    def send(choice: str) -> Any:
        return lambda: answer_draft(version=draft, by=personas.ash, answer=Answer(choice=choice))

    results = race(send("approve"), send("object"))
    assert not [r for r in results if not isinstance(r, SignOff)]
    assert SignOff.objects.filter(version=draft, user=personas.ash).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_quote_approved_and_declined_at_once_gets_one_answer(personas, slow_locks):
    from django.core.exceptions import ValidationError

    from reports.services.report_board import approve_quote, decline_quote
    from tests.support.races import race

    quote = a_quote(personas.ash, personas.harbor)
    may_quote(personas.ash, personas.harbor)
    results = race(
        lambda: approve_quote(quote=quote, by=personas.ash),
        lambda: decline_quote(quote=quote, by=personas.ash),
    )
    [refused] = [r for r in results if isinstance(r, ValidationError)]
    assert "already answered" in refused.messages[0]
    quote.refresh_from_db()
    assert quote.status in (QuoteStatus.APPROVED, QuoteStatus.DECLINED)


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_of_the_settings_at_once_make_one_row(personas):
    from reports.services.report_board import save_report_settings
    from tests.support.races import race

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    for person in (personas.ash, personas.river):
        board_member(person, personas.harbor, co_chair=True)

    def save(person: Any, k: int) -> Any:
        return lambda: save_report_settings(
            organization=personas.harbor, by=person, min_people=k, rule="majority"
        )

    race(save(personas.ash, 6), save(personas.river, 7))
    assert AdvisorySettings.objects.filter(organization=personas.harbor).count() == 1
