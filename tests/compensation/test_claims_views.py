"""Claim pages: survivors claim work and see their own claims; staff decide (finance may
not); co-chairs see decisions without names. Outside scope is 404; bad input shows a clear
error and writes nothing; the staff list costs the same queries for 5 claims as for 50."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, OutboxMessage
from compensation.models import ClaimStatus, LedgerEntry, WorkClaim, WorkKind
from compensation.services.claims import decide_claim
from tests.compensation.factories import hourly_rate, past_meeting
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory
from tests.meetings.factories import board_member
from tests.support.clients import client_for
from tests.support.pay import YESTERDAY, claim_for
from tests.support.urls import url

pytestmark = pytest.mark.django_db

PAST_NOTE = "You never have to share anything about your past."


def claim_data(**changes: str) -> dict[str, str]:
    data = {
        "kind": WorkKind.READING_MINUTES,
        "work_date": YESTERDAY.isoformat(),
        "hours": "1.25",
        "note": "",
        "meeting": "",
    }
    data.update(changes)
    return data


def names(personas: Any) -> None:
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash Willow")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River Stone")


# --- survivors: claiming -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("ash", 200), ("river", 200), ("sam", 404), ("fin", 404), ("ada", 404), ("faye", 404)],
)
def test_only_the_organizations_survivor_leaders_claim(personas, who, status):
    assert client_for(getattr(personas, who)).get(url("my_claims")).status_code == status


def test_another_organizations_survivor_gets_404(personas):
    assert client_for(personas.otto).get(url("my_claims")).status_code == 404


def test_the_claim_form_promises_nothing_about_the_past_is_asked(personas):
    html = client_for(personas.ash).get(url("my_claims")).content.decode()
    assert PAST_NOTE in html
    for label in ("Preparing for a meeting", "Reading minutes", "Checking what staff wrote down"):
        assert label in html


def test_a_claim_is_sent_and_listed_as_waiting(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    client = client_for(personas.ash)
    response = client.post(url("my_claims"), claim_data(meeting=str(meeting.pk), note="Read."))
    assert response.status_code == 302
    claim = WorkClaim.objects.get()
    assert (claim.user, claim.kind, claim.hours, claim.meeting, claim.note) == (
        personas.ash,
        WorkKind.READING_MINUTES,
        Decimal("1.25"),
        meeting,
        "Read.",
    )
    html = client.get(url("my_claims")).content.decode()
    assert "Waiting for an answer" in html
    assert "Take back" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": "0"}, "Hours cannot be less than 0.25."),
        ({"hours": "1.3"}, "Hours go in quarter hours, like 1, 1.25, 1.5 or 1.75."),
        ({"hours": "25"}, "Hours cannot be more than 24."),
        ({"hours": "lots"}, "Hours must be a number, like 1.5."),
        (
            {"work_date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
            "The date cannot be in the future.",
        ),
        ({"kind": "gardening"}, "Select a valid choice."),
    ],
)
def test_bad_claims_show_a_clear_error_and_save_nothing(personas, changes, message):
    response = client_for(personas.ash).post(url("my_claims"), claim_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkClaim.objects.exists()


def test_a_meeting_i_was_not_invited_to_is_not_offered_or_accepted(personas):
    not_mine = past_meeting(personas.harbor, personas.river)
    client = client_for(personas.ash)
    assert not_mine.title not in client.get(url("my_claims")).content.decode()
    response = client.post(url("my_claims"), claim_data(meeting=str(not_mine.pk)))
    assert response.status_code == 200
    assert not WorkClaim.objects.exists()


def test_survivors_see_only_their_own_claims_and_the_reason_for_a_decline(personas):
    mine = claim_for(personas.ash, personas.harbor, note="My note.")
    claim_for(personas.river, personas.harbor, note="River's own note.")
    decide_claim(claim=mine, by=personas.sam, approve=False, reason="Please claim it as a meeting.")
    html = client_for(personas.ash).get(url("my_claims")).content.decode()
    assert "Not approved" in html
    assert "Please claim it as a meeting." in html
    assert "River&#x27;s own note." not in html
    assert "River's own note." not in html


def test_a_survivor_takes_back_a_waiting_claim(personas):
    claim = claim_for(personas.ash, personas.harbor)
    response = client_for(personas.ash).post(url("withdraw_claim", pk=claim.pk))
    assert response.status_code == 302
    assert not WorkClaim.objects.exists()


def test_an_answered_claim_cannot_be_taken_back(personas):
    claim = claim_for(personas.ash, personas.harbor)
    decide_claim(claim=claim, by=personas.sam, approve=False, reason="No.")
    client = client_for(personas.ash)
    response = client.post(url("withdraw_claim", pk=claim.pk), follow=True)
    assert "already been answered" in response.content.decode()
    assert WorkClaim.objects.filter(pk=claim.pk).exists()


def test_someone_elses_claim_or_another_organizations_is_404(personas):
    rivers = claim_for(personas.river, personas.harbor)
    ottos = claim_for(personas.otto, personas.second)
    ash = client_for(personas.ash)
    assert ash.post(url("withdraw_claim", pk=rivers.pk)).status_code == 404
    assert ash.post(url("withdraw_claim", pk=ottos.pk)).status_code == 404
    assert ash.post(url("withdraw_claim", org="second", pk=ottos.pk)).status_code == 404
    assert WorkClaim.objects.count() == 2


# --- staff: deciding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("sam", 200), ("ada", 200), ("fin", 404), ("ash", 404), ("faye", 404), ("otto", 404)],
)
def test_staff_and_admins_decide_claims_and_finance_do_not(personas, who, status):
    assert client_for(getattr(personas, who)).get(url("pay_claims")).status_code == status


def test_the_staff_list_shows_the_chosen_name_and_the_work(personas):
    names(personas)
    claim_for(personas.ash, personas.harbor, note="Read the budget papers.")
    claim_for(personas.otto, personas.second, note="Elsewhere.")
    html = client_for(personas.sam).get(url("pay_claims")).content.decode()
    assert "Ash Willow" in html
    assert "Preparing for a meeting" in html
    assert "Read the budget papers." in html
    assert "Elsewhere." not in html
    assert "ash@example.test" not in html


def test_staff_approve_and_the_work_is_earned(personas):
    hourly_rate(personas.harbor, "40.00")
    claim = claim_for(personas.ash, personas.harbor)
    response = client_for(personas.sam).post(
        url("decide_claim", pk=claim.pk), {"decision": "approve", "reason": ""}, follow=True
    )
    assert "earned, not yet paid" in response.content.decode()
    assert LedgerEntry.objects.get(claim=claim).amount == Decimal("60.00")
    assert OutboxMessage.objects.get().kind == "claim_answered"


def test_approving_with_no_rate_says_finance_have_been_asked(personas):
    claim = claim_for(personas.ash, personas.harbor)
    response = client_for(personas.sam).post(
        url("decide_claim", pk=claim.pk), {"decision": "approve"}, follow=True
    )
    assert "finance have been asked to set one" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_declining_without_a_reason_shows_an_error_and_writes_nothing(personas):
    claim = claim_for(personas.ash, personas.harbor)
    events = AuditEvent.objects.count()
    response = client_for(personas.sam).post(
        url("decide_claim", pk=claim.pk), {"decision": "decline", "reason": "  "}
    )
    assert response.status_code == 200
    assert "Say why it is not approved." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WAITING
    assert AuditEvent.objects.count() == events
    assert not OutboxMessage.objects.exists()


def test_deciding_twice_is_refused_with_a_message(personas):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    sam = client_for(personas.sam)
    sam.post(url("decide_claim", pk=claim.pk), {"decision": "approve"})
    response = sam.post(
        url("decide_claim", pk=claim.pk), {"decision": "decline", "reason": "No."}, follow=True
    )
    assert "already answered" in response.content.decode()
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_finance_cannot_decide_a_claim(personas):
    hourly_rate(personas.harbor)
    claim = claim_for(personas.ash, personas.harbor)
    response = client_for(personas.fin).post(
        url("decide_claim", pk=claim.pk), {"decision": "approve"}
    )
    assert response.status_code == 404
    assert not LedgerEntry.objects.exists()


def test_another_organizations_claim_is_404_for_staff(personas):
    ottos = claim_for(personas.otto, personas.second)
    sam = client_for(personas.sam)
    assert sam.post(url("decide_claim", pk=ottos.pk), {"decision": "approve"}).status_code == 404
    assert (
        sam.post(url("decide_claim", org="second", pk=ottos.pk), {"decision": "approve"})
    ).status_code == 404
    assert WorkClaim.objects.get().status == ClaimStatus.WAITING


def make_claims(organization: Any, count: int) -> None:
    for number in range(count):
        person = UserFactory.create(email=f"claimant{organization.pk}-{count}-{number}@ex.test")
        MembershipFactory.create(user=person, organization=organization)
        SurvivorProfileFactory.create(user=person, chosen_name=f"Member {number}")
        claim_for(person, organization, note=f"Note {number}")


# STAFF_LIST_QUERIES = 8, the same for 5 waiting claims as for 50: session and user (2); the
# MFA check (1); the viewer's time zone (1); the organization (1); the staff membership
# check (1); counting the waiting claims for the pages (1); one page of claims with each
# person's profile and meeting joined in (1). Names, notes and meetings come with the
# claims, so nothing is asked per claim.
STAFF_LIST_QUERIES = 8


@pytest.mark.parametrize("count", [5, 50])
def test_the_staff_list_costs_the_same_queries_for_5_or_50_claims(
    personas, count, django_assert_num_queries
):
    make_claims(personas.harbor, count)
    client = client_for(personas.sam)
    client.get(url("pay_claims"))  # warm up: the session and sign-in checks settle
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        assert client.get(url("pay_claims")).status_code == 200


# --- co-chairs: decisions without names --------------------------------------------------


def test_co_chairs_see_decisions_without_names_or_notes(personas):
    names(personas)
    board_member(personas.ash, personas.harbor, co_chair=True)
    hourly_rate(personas.harbor)
    rivers = claim_for(personas.river, personas.harbor, note="River's private note.")
    decide_claim(claim=rivers, by=personas.sam, approve=False, reason="Outside the program.")
    approved = claim_for(personas.ash, personas.harbor, kind=WorkKind.SPEAKING)
    decide_claim(claim=approved, by=personas.sam, approve=True)
    claim_for(personas.river, personas.harbor, kind=WorkKind.DOCUMENT_REVIEW)  # still waiting
    html = client_for(personas.ash).get(url("claim_decisions")).content.decode()
    assert "Outside the program." in html
    assert "Not approved" in html
    assert "Speaking" in html
    assert "Reviewing documents" not in html  # waiting claims are not decisions yet
    for private in ("River Stone", "Ash Willow", "private note", "river@", "ash@"):
        assert private not in html
    assert "without seeing who claimed" in html


@pytest.mark.parametrize("who", ["river", "sam", "fin", "ada", "otto"])
def test_only_survivor_co_chairs_see_decisions(personas, who):
    board_member(personas.ash, personas.harbor, co_chair=True)
    assert client_for(getattr(personas, who)).get(url("claim_decisions")).status_code == 404


def test_a_staff_member_in_a_co_chair_role_still_gets_404(personas):
    board_member(personas.sam, personas.harbor, co_chair=True)
    assert client_for(personas.sam).get(url("claim_decisions")).status_code == 404


def test_a_co_chair_of_another_organization_gets_404(personas):
    board_member(personas.otto, personas.second, co_chair=True)
    client = client_for(personas.otto)
    assert client.get(url("claim_decisions")).status_code == 404
    assert client.get(url("claim_decisions", org="second")).status_code == 200


def test_my_claims_links_co_chairs_to_decisions(personas):
    decisions = url("claim_decisions")
    assert decisions not in client_for(personas.ash).get(url("my_claims")).content.decode()
    board_member(personas.ash, personas.harbor, co_chair=True)
    assert decisions in client_for(personas.ash).get(url("my_claims")).content.decode()
