"""Publishing reports, taking quotes back out, and asking for quotes (promise 2)."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import (
    AuditEvent,
    ConsentScope,
    Membership,
    OutboxMessage,
    Role,
    RoleAssignment,
)
from accounts.selectors.roles import board_voters
from accounts.services.consent import (
    expire_consents,
    withdraw_consent,
)
from accounts.services.roles import change_my_role
from meetings.models import InputStatus
from reports.models import (
    ImpactReport,
    QuoteRequest,
    QuoteStatus,
    ReportVersion,
    SignOff,
    SignOffChoice,
    VersionReason,
    VersionStatus,
)
from reports.selectors.reports import current_published, signoff_state
from reports.services.report_generation import (
    counted_survivor_ids,
    generate_version,
    start_report,
)
from reports.services.report_publish import (
    QUOTE_REQUEST,
    REPORT_PUBLISHED,
    ask_for_quote,
    is_faithful_quote,
    publish,
    reissue_unusable_quotes,
    reissue_without_quote,
)
from tests.advisory.factories import confirmed_input
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory, board_member
from tests.support.reports import consent, make_report, make_version, snapshot

YEAR = 2025


@pytest.fixture
def board(personas):
    """ash and river on harbor's board, both counted; ash lets a quote of theirs be used."""
    harbor = personas.harbor
    for person in (personas.ash, personas.river):
        board_member(person, harbor)
        consent(person, harbor, ConsentScope.COUNT_IN_REPORTS)
    consent(personas.ash, harbor, ConsentScope.QUOTE_ANONYMOUSLY)
    return personas


def approved_quote(
    report: ImpactReport, author: Any, words: str = "Pay us on time."
) -> QuoteRequest:
    meeting = MeetingFactory.create(
        organization=report.organization,
        starts_at=datetime.datetime(YEAR, 5, 1, 18, tzinfo=datetime.UTC),
    )
    source = confirmed_input(author, report.organization, meeting=meeting, body=words)
    return QuoteRequest.objects.create(
        report=report, input=source, wording=words, status=QuoteStatus.APPROVED
    )


def approve_all(version: ReportVersion, *people: Any) -> None:
    for person in people:
        SignOff.objects.create(version=version, user=person, choice=SignOffChoice.APPROVE)


def told(kind: str) -> set[int]:
    return set(OutboxMessage.objects.filter(kind=kind).values_list("recipient_id", flat=True))


# --- publish -----------------------------------------------------------------------------


def test_publishing_an_approved_draft_tells_funders_and_the_board(board):
    report = make_report(board.harbor)
    version = make_version(report, counted_ids=[board.ash.pk, board.river.pk])
    approve_all(version, board.ash, board.river)

    outcome = publish(version, actor=board.sam)

    version.refresh_from_db()
    assert outcome.published
    assert outcome.version == version
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_by_id == board.sam.pk
    assert version.published_at is not None
    assert current_published(report) == version
    assert told(REPORT_PUBLISHED) == {board.faye.pk, board.ash.pk, board.river.pk}
    event = AuditEvent.objects.get(action="report.published")
    assert (event.target_type, event.target_id) == ("report_version", version.pk)


def test_silence_is_not_approval(board):
    version = make_version(make_report(board.harbor), counted_ids=[board.ash.pk])
    approve_all(version, board.ash)  # one of two: a majority needs both

    with pytest.raises(ValidationError, match="1 of 2 approvals"):
        publish(version, actor=board.sam)

    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert not told(REPORT_PUBLISHED)


def test_could_identify_someone_blocks_whatever_the_approvals(board):
    third = UserFactory.create()
    MembershipFactory.create(user=third, organization=board.harbor, role="survivor_leader")
    board_member(third, board.harbor)
    version = make_version(make_report(board.harbor))
    approve_all(version, board.ash, board.river)
    SignOff.objects.create(
        version=version, user=third, choice=SignOffChoice.OBJECT, could_identify=True
    )
    assert signoff_state(version).approvals >= signoff_state(version).needed

    with pytest.raises(ValidationError, match="could identify someone"):
        publish(version, actor=board.sam)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_unresolved_figures_refuse_publication(board):
    version = make_version(
        make_report(board.harbor), snapshot=snapshot(unresolved=["2025.Y.pay.total_paid"])
    )
    approve_all(version, board.ash, board.river)

    with pytest.raises(ValidationError, match="still need checking"):
        publish(version, actor=board.sam)


@pytest.mark.parametrize(
    "status", [VersionStatus.GENERATING, VersionStatus.FAILED, VersionStatus.REPLACED]
)
def test_only_a_draft_can_be_published(board, status):
    version = make_version(make_report(board.harbor), status=status)
    approve_all(version, board.ash, board.river)

    with pytest.raises(ValidationError, match="Only a draft"):
        publish(version, actor=board.sam)


@pytest.mark.parametrize("who", ["fin", "ash", "faye", "otto"])
def test_only_staff_and_admins_publish(board, who):
    version = make_version(make_report(board.harbor))
    approve_all(version, board.ash, board.river)

    with pytest.raises(PermissionDenied):
        publish(version, actor=getattr(board, who))


def test_a_count_withdrawal_since_the_draft_restarts_sign_off(board):
    report = make_report(board.harbor)
    version = make_version(report, counted_ids=[board.ash.pk, board.river.pk])
    approve_all(version, board.ash, board.river)
    withdraw_consent(
        user=board.river, organization=board.harbor, scope=ConsentScope.COUNT_IN_REPORTS
    )

    outcome = publish(version, actor=board.sam)

    version.refresh_from_db()
    assert not outcome.published
    assert outcome.restarted
    assert version.status == VersionStatus.REPLACED
    draft = outcome.version
    assert draft.pk != version.pk
    assert draft.number == 2
    assert draft.reason == VersionReason.CONSENT_CHANGED
    assert draft.status == VersionStatus.GENERATING
    assert draft.statement == version.statement
    assert signoff_state(draft).approvals == 0  # the old answers stay with the old draft
    assert current_published(report) is None
    assert not told(REPORT_PUBLISHED)
    assert AuditEvent.objects.filter(action="report.publish_restarted").exists()


def test_a_quote_taken_back_since_the_draft_restarts_sign_off(board):
    report = make_report(board.harbor)
    quote = approved_quote(report, board.ash)
    version = make_version(report, snapshot=snapshot(quotes=[{"id": quote.pk, "text": "x"}]))
    approve_all(version, board.ash, board.river)
    QuoteRequest.objects.filter(pk=quote.pk).update(status=QuoteStatus.WITHDRAWN)

    outcome = publish(version, actor=board.sam)

    assert outcome.restarted
    assert outcome.version.reason == VersionReason.CONSENT_CHANGED


def test_a_usable_quote_is_published(board):
    report = make_report(board.harbor)
    quote = approved_quote(report, board.ash)
    version = make_version(
        report, snapshot=snapshot(quotes=[{"id": quote.pk, "text": "Pay us on time."}])
    )
    approve_all(version, board.ash, board.river)

    assert publish(version, actor=board.sam).published


def test_a_published_version_cannot_be_changed(board):
    version = make_version(make_report(board.harbor))
    approve_all(version, board.ash, board.river)
    publish(version, actor=board.sam)

    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(statement="Staff words")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.statement == "We read it together and it is fair."


# --- taking a quote back out -------------------------------------------------------------


def published_with_quote(personas: Any) -> tuple[ImpactReport, ReportVersion, QuoteRequest]:
    report = make_report(personas.harbor)
    quote = approved_quote(report, personas.ash)
    consent(personas.river, personas.harbor, ConsentScope.QUOTE_ANONYMOUSLY)
    other = {
        "id": approved_quote(report, personas.river, "Another quote.").pk,
        "text": "Another quote.",
    }
    version = make_version(
        report,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        snapshot=snapshot(quotes=[{"id": quote.pk, "text": "Pay us on time."}, other]),
        counted_ids=[personas.ash.pk],
    )
    return report, version, quote


def test_reissue_without_quote_keeps_the_figures_and_the_statement(board):
    report, first, quote = published_with_quote(board)
    QuoteRequest.objects.filter(pk=quote.pk).update(status=QuoteStatus.WITHDRAWN)

    reissued = reissue_without_quote(quote)

    assert reissued is not None
    assert reissued.status == VersionStatus.PUBLISHED
    assert reissued.reason == VersionReason.QUOTE_WITHDRAWN
    assert reissued.number == 2
    assert current_published(report) == reissued
    expected = copy.deepcopy(first.snapshot)
    expected["quotes"] = [q for q in expected["quotes"] if q["id"] != quote.pk]
    assert reissued.snapshot == expected
    assert reissued.snapshot["measures"] == first.snapshot["measures"]
    assert reissued.statement == first.statement
    assert reissued.counted_ids == first.counted_ids
    first.refresh_from_db()
    assert first.status == VersionStatus.PUBLISHED  # the old version is never touched
    assert board.faye.pk in told(REPORT_PUBLISHED)


def test_reissuing_twice_does_nothing_more(board):
    report, _first, quote = published_with_quote(board)
    reissue_without_quote(quote)

    assert reissue_without_quote(quote) is None
    assert ReportVersion.objects.filter(report=report).count() == 2


def test_an_open_draft_quoting_it_is_prepared_again(board):
    report, _first, quote = published_with_quote(board)
    draft = make_version(
        report, number=2, snapshot=snapshot(quotes=[{"id": quote.pk, "text": "x"}])
    )

    reissue_without_quote(quote)

    draft.refresh_from_db()
    assert draft.status == VersionStatus.REPLACED
    numbers = dict(ReportVersion.objects.filter(report=report).values_list("number", "status"))
    assert numbers == {
        1: VersionStatus.PUBLISHED,
        2: VersionStatus.REPLACED,
        3: VersionStatus.PUBLISHED,
        4: VersionStatus.GENERATING,
    }


def test_an_open_draft_without_it_keeps_its_sign_off_and_stays_newest(board):
    report, _first, quote = published_with_quote(board)
    draft = make_version(report, number=2)
    approve_all(draft, board.ash)

    reissued = reissue_without_quote(quote)

    draft.refresh_from_db()
    assert reissued is not None
    assert reissued.number == 3
    assert draft.status == VersionStatus.DRAFT
    assert draft.number == 4
    assert signoff_state(draft).approvals == 1


def test_ending_quote_consent_takes_the_quote_out_at_once(
    board, django_capture_on_commit_callbacks
):
    report, _first, _quote = published_with_quote(board)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(
            user=board.ash, organization=board.harbor, scope=ConsentScope.QUOTE_ANONYMOUSLY
        )

    current = current_published(report)
    assert current is not None
    assert current.number == 2
    assert [q["text"] for q in current.snapshot["quotes"]] == ["Another quote."]


def test_an_expired_quote_consent_takes_the_quote_out(board, django_capture_on_commit_callbacks):
    report, _first, _quote = published_with_quote(board)

    later = timezone.now() + datetime.timedelta(days=400)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        expire_consents()

    current = current_published(report)
    assert current is not None
    assert current.reason == VersionReason.QUOTE_WITHDRAWN
    assert current.snapshot["quotes"] == []  # both authors' yeses ran out


def test_ending_another_consent_reissues_nothing(board, django_capture_on_commit_callbacks):
    report, first, _quote = published_with_quote(board)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(
            user=board.ash, organization=board.harbor, scope=ConsentScope.CONTACT_EMAIL
        )

    assert current_published(report) == first


def test_the_hourly_catch_up_takes_out_quotes_whose_input_is_gone(board):
    report, _first, quote = published_with_quote(board)
    quote.input.delete()  # the author deleted their account and their input with it

    assert reissue_unusable_quotes() >= 1
    current = current_published(report)
    assert current is not None
    assert quote.pk not in {q["id"] for q in current.snapshot["quotes"]}
    assert reissue_unusable_quotes() == 0  # nothing left to take out


# --- asking for a quote ------------------------------------------------------------------


def in_period(personas: Any, *, body: str = "Evening meetings work better for us.", **kw: Any):
    meeting = MeetingFactory.create(
        organization=personas.harbor,
        starts_at=datetime.datetime(YEAR, 3, 10, 18, tzinfo=datetime.UTC),
    )
    return confirmed_input(personas.ash, personas.harbor, meeting=meeting, body=body, **kw)


def test_asking_for_a_quote_tells_only_the_author(board):
    report = make_report(board.harbor)
    source = in_period(board)

    quote = ask_for_quote(
        report=report, input_id=source.pk, wording="Evening meetings ... for us.", actor=board.sam
    )

    assert quote.status == QuoteStatus.ASKED
    assert quote.requested_by_id == board.sam.pk
    assert told(QUOTE_REQUEST) == {board.ash.pk}
    assert AuditEvent.objects.filter(action="report.quote_asked", target_id=quote.pk).exists()


@pytest.mark.parametrize(
    ("wording", "field"),
    [
        ("Evening meetings work best for us.", "wording"),  # changed, not shortened
        ("", "wording"),
        ("x" * 1001, "wording"),
    ],
)
def test_changed_or_empty_words_change_nothing(board, wording, field):
    report = make_report(board.harbor)
    source = in_period(board)

    with pytest.raises(ValidationError) as raised:
        ask_for_quote(report=report, input_id=source.pk, wording=wording, actor=board.sam)

    assert field in raised.value.message_dict
    assert not QuoteRequest.objects.exists()
    assert not told(QUOTE_REQUEST)


def test_input_outside_the_period_or_not_confirmed_cannot_be_quoted(board):
    report = make_report(board.harbor)
    elsewhere = confirmed_input(
        board.ash,
        board.harbor,
        meeting=MeetingFactory.create(
            organization=board.harbor,
            starts_at=datetime.datetime(YEAR + 1, 1, 10, 18, tzinfo=datetime.UTC),
        ),
    )
    waiting = in_period(board, status=InputStatus.PENDING)
    for source in (elsewhere, waiting):
        with pytest.raises(ValidationError) as raised:
            ask_for_quote(report=report, input_id=source.pk, wording=source.body, actor=board.sam)
        assert "input" in raised.value.message_dict
    assert not QuoteRequest.objects.exists()


def test_the_same_input_is_asked_about_once_per_report(board):
    report = make_report(board.harbor)
    source = in_period(board)
    ask_for_quote(report=report, input_id=source.pk, wording=source.body, actor=board.sam)

    with pytest.raises(ValidationError, match="already asked"):
        ask_for_quote(report=report, input_id=source.pk, wording=source.body, actor=board.sam)
    assert QuoteRequest.objects.count() == 1


def test_another_organizations_input_cannot_be_quoted(board):
    report = make_report(board.harbor)
    theirs = confirmed_input(board.otto, board.second)

    with pytest.raises(ValidationError):
        ask_for_quote(report=report, input_id=theirs.pk, wording=theirs.body, actor=board.sam)


@pytest.mark.parametrize(
    ("wording", "faithful"),
    [
        ("Shorter forms would help.", True),
        ("Shorter   forms\nwould help.", True),
        ("Shorter forms ... help.", True),
        ("Shorter forms … help.", True),
        ("help. ... Shorter forms", False),  # out of order
        ("Longer forms would help.", False),
        ("...", False),
    ],
)
def test_a_quote_may_be_shortened_never_changed(wording, faithful):
    assert is_faithful_quote(wording, "Shorter forms would help.") is faithful


def test_a_report_published_since_the_draft_restarts_sign_off(board):
    """The draft was protected against what was published when it was made; publishing
    it after another version went out would skip that check, so it is prepared again."""
    harbor = board.harbor
    draft = make_version(make_report(harbor))
    approve_all(draft, board.ash, board.river)
    other = make_version(make_report(harbor, year=YEAR - 1))
    approve_all(other, board.ash, board.river)
    assert publish(other, actor=board.sam).published

    outcome = publish(draft, actor=board.sam)

    assert not outcome.published
    draft.refresh_from_db()
    assert draft.status == VersionStatus.REPLACED
    assert outcome.version.reason == VersionReason.PUBLISHED_CHANGED
    assert outcome.version.status == VersionStatus.GENERATING
    assert not SignOff.objects.filter(version=outcome.version).exists()


def test_a_draft_made_before_the_board_raised_k_is_not_published(board):
    from advisory.models import AdvisorySettings

    harbor = board.harbor
    draft = make_version(make_report(harbor))  # made with k = 5
    approve_all(draft, board.ash, board.river)
    AdvisorySettings.objects.create(organization=harbor, report_min_people=8)

    with pytest.raises(ValidationError, match="raised the smallest group"):
        publish(draft, actor=board.sam)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_deleting_an_account_takes_its_quotes_out_of_published_reports_at_once(board):
    from accounts.services.data_rights import erase_account

    report, _first, quote = published_with_quote(board)

    erase_account(user=board.ash, keep_input_anonymous=False)

    current = current_published(report)
    assert current is not None
    assert current.reason == VersionReason.QUOTE_WITHDRAWN
    assert quote.pk not in {q["id"] for q in current.snapshot["quotes"]}
    assert not QuoteRequest.objects.filter(pk=quote.pk).exists()


# --- who is counted: preparing and publishing agree ----------------------------------------


def _step_down_from_the_board(person: Any, organization: Any) -> None:
    assignment = RoleAssignment.objects.get(user=person, board__organization=organization)
    change_my_role(assignment=assignment, person=person, action="step_down")


def _leave_the_organization(person: Any, organization: Any) -> None:
    Membership.objects.filter(user=person, organization=organization).delete()


def _lose_the_survivor_leader_role(person: Any, organization: Any) -> None:
    Membership.objects.filter(user=person, organization=organization).update(role=Role.STAFF)


@pytest.mark.parametrize(
    ("step_down", "still_counted"),
    [
        (_step_down_from_the_board, True),
        (_leave_the_organization, False),
        (_lose_the_survivor_leader_role, False),
    ],
)
def test_preparing_and_publishing_count_the_same_people_after_someone_steps_down(
    board, step_down, still_counted
):
    """A report is prepared, then ash steps down. Whoever preparing the report again would
    count, publishing counts too: the draft is published when ash would still be counted,
    and prepared again when ash would not."""
    version = start_report(board.harbor, year=YEAR, quarter=0, actor=board.sam)
    assert generate_version(version.pk) == VersionStatus.DRAFT
    version.refresh_from_db()
    assert set(version.counted_ids) == {board.ash.pk, board.river.pk}

    step_down(board.ash, board.harbor)
    counted_when_prepared_again = counted_survivor_ids(board.harbor)
    assert (board.ash.pk in counted_when_prepared_again) is still_counted
    approve_all(version, *board_voters(board.harbor))
    outcome = publish(version, actor=board.sam)

    assert outcome.published is (set(version.counted_ids) <= counted_when_prepared_again)
    assert outcome.published is still_counted
    if not still_counted:
        assert outcome.version.reason == VersionReason.CONSENT_CHANGED
