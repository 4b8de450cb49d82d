"""The recommendation pages: the board records and reads, staff answer. Overdue shows on
every page, bad answers save nothing, who recorded a recommendation is never shown, and
the lists ask the same number of queries however many recommendations there are."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import AssignmentStatus, RoleAssignment
from advisory.models import Recommendation, RecommendationResponse
from tests.advisory.factories import DecisionFactory
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member
from tests.support.advisory import TEXT, a_recommendation, past_meeting
from tests.support.clients import client_for
from tests.support.urls import page, url

pytestmark = pytest.mark.django_db

# A fixed noon in Harbor (UTC), so "today" and "overdue" do not depend on when tests run.
NOON = datetime.datetime(2025, 6, 18, 12, 0, tzinfo=datetime.UTC)
TODAY = NOON.date()
OVERDUE = "Overdue: no answer yet"

# LIST_QUERIES = 9, the same for 3 recommendations as for 45 (more than a page): session and
# user (2); the MFA check (1); the viewer's time zone (1); the organization and the staff
# check (2); how many recommendations, and this page's with their meetings in one join (2);
# the decisions of this page's recommendations, in one prefetch (1). Nothing is asked per
# recommendation.
LIST_QUERIES = 9
# BOARD_QUERIES = 13: as above, but a survivor's sign-in asks whether they must use a
# second factor (3: the MFA check, a work role, funder access) and the page asks whether
# they hold an active board role, for the link to record one (2: role, board role).
BOARD_QUERIES = 13


def answer_url(recommendation, org: str = "harbor") -> str:
    return url("answer_recommendation", org=org, pk=recommendation.pk)


# --- recording ---------------------------------------------------------------------------


def test_an_active_board_member_records_a_recommendation(personas):
    board_member(personas.ash, personas.harbor)
    meeting = past_meeting(personas.harbor)
    client = client_for(personas.ash)
    assert page(client, url("new_recommendation"))
    response = client.post(
        url("new_recommendation"),
        {
            "text": TEXT,
            "area": "budget",
            "meeting": meeting.pk,
            "adopted_on": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("board_recommendations")
    recommendation = Recommendation.objects.get()
    assert recommendation.meeting == meeting


@pytest.mark.parametrize("status", [None, AssignmentStatus.PAUSED, AssignmentStatus.INVITED])
def test_survivor_leaders_without_an_active_board_role_get_404(personas, status):
    if status is not None:
        board_member(personas.river, personas.harbor)
        RoleAssignment.objects.filter(user=personas.river).update(status=status)
    client = client_for(personas.river)
    assert client.get(url("new_recommendation")).status_code == 404
    assert client.post(url("new_recommendation"), {"text": TEXT}).status_code == 404
    assert not Recommendation.objects.exists()


def test_a_future_adoption_date_is_refused_with_nothing_saved(personas):
    board_member(personas.ash, personas.harbor)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client_for(personas.ash).post(
        url("new_recommendation"),
        {"text": TEXT, "area": "budget", "adopted_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_another_organizations_meeting_cannot_be_chosen(personas):
    board_member(personas.ash, personas.harbor)
    theirs = past_meeting(personas.second)
    response = client_for(personas.ash).post(
        url("new_recommendation"),
        {
            "text": TEXT,
            "area": "budget",
            "meeting": theirs.pk,
            "adopted_on": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "past meetings" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_only_board_members_see_the_link_to_record_one(personas):
    board_member(personas.ash, personas.harbor)
    record = url("new_recommendation")
    assert record in page(client_for(personas.ash), url("board_recommendations"))
    assert record not in page(client_for(personas.river), url("board_recommendations"))


# --- overdue, on every page --------------------------------------------------------------


def test_a_recommendation_past_its_due_date_shows_as_overdue(personas):
    with time_machine.travel(NOON, tick=False):
        recommendation = a_recommendation(personas.harbor, adopted_days_ago=31, due_in=30)
        assert recommendation.due_on == TODAY - datetime.timedelta(days=1)
        assert OVERDUE in page(client_for(personas.river), url("board_recommendations"))
        staff = client_for(personas.sam)
        assert OVERDUE in page(staff, url("recommendations"))
        assert OVERDUE in page(staff, answer_url(recommendation))
        assert "1 overdue" in page(staff, url("loop_health"))


def test_on_its_due_date_a_recommendation_is_not_yet_overdue(personas):
    with time_machine.travel(NOON, tick=False):
        a_recommendation(personas.harbor, adopted_days_ago=30, due_in=30)
        board = page(client_for(personas.river), url("board_recommendations"))
        assert OVERDUE not in board
        assert "Waiting for an answer" in board


def test_overdue_is_judged_by_the_organizations_day(personas):
    """Late on the due date in Honolulu is already the next day in UTC."""
    personas.harbor.time_zone = "Pacific/Honolulu"
    personas.harbor.save()
    evening_in_honolulu = datetime.datetime(2025, 6, 19, 5, 0, tzinfo=datetime.UTC)
    with time_machine.travel(evening_in_honolulu, tick=False):
        # Honolulu's today is 18 June: a recommendation due that day is not overdue yet.
        a_recommendation(personas.harbor, adopted_days_ago=30, due_in=30)
        assert OVERDUE not in page(client_for(personas.sam), url("recommendations"))


def test_an_answered_recommendation_is_never_overdue(personas):
    with time_machine.travel(NOON, tick=False):
        a_recommendation(
            personas.harbor,
            adopted_days_ago=60,
            due_in=30,
            response=RecommendationResponse.DECLINED,
            response_reason="We cannot afford it this year.",
        )
        board = page(client_for(personas.river), url("board_recommendations"))
        assert OVERDUE not in board
        assert "Declined" in board
        assert "We cannot afford it this year." in board


def test_staff_see_overdue_recommendations_first(personas):
    with time_machine.travel(NOON, tick=False):
        answered = a_recommendation(
            personas.harbor,
            adopted_days_ago=1,
            response=RecommendationResponse.ACCEPTED,
            response_reason="Yes.",
        )
        waiting = a_recommendation(personas.harbor, adopted_days_ago=2)
        overdue = a_recommendation(personas.harbor, adopted_days_ago=40)
        response = client_for(personas.sam).get(url("recommendations"))
    listed = [r.pk for r in response.context["page"].object_list]
    assert listed == [overdue.pk, waiting.pk, answered.pk]


# --- what the board reads ----------------------------------------------------------------


def test_the_board_reads_the_answer_reasons_and_decisions_but_never_who_recorded_it(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ashley Recorder")
    SurvivorProfileFactory.create(user=personas.sam, chosen_name="Sam Answerer")
    decision = DecisionFactory.create(organization=personas.harbor, title="Paid reading time")
    recommendation = a_recommendation(
        personas.harbor,
        adopted_by=personas.ash,
        response=RecommendationResponse.ACCEPTED,
        response_reason="From April.",
        responded_by=personas.sam,
    )
    recommendation.decisions.add(decision)
    for reader in (personas.ash, personas.river):
        board = page(client_for(reader), url("board_recommendations"))
        assert TEXT in board
        assert "From April." in board
        assert "Paid reading time" in board
        assert recommendation.due_on.strftime("%B") in board
        for secret in ("Ashley Recorder", "Sam Answerer", "ash@example.test", "sam@example."):
            assert secret not in board


def test_each_organization_reads_only_its_own(personas):
    a_recommendation(personas.second, text="Advice of the second board.")
    assert "Advice of the second board." not in page(
        client_for(personas.river), url("board_recommendations")
    )
    assert "Advice of the second board." in page(
        client_for(personas.otto), url("board_recommendations", org="second")
    )


# --- staff answer ------------------------------------------------------------------------


def answer_data(**changes) -> dict[str, object]:
    return {"response": "accepted_in_part", "reason": "From April.", "decisions": []} | changes


def test_staff_answer_and_link_decisions(personas):
    recommendation = a_recommendation(personas.harbor)
    decision = DecisionFactory.create(organization=personas.harbor)
    client = client_for(personas.sam)
    assert page(client, answer_url(recommendation))
    response = client.post(answer_url(recommendation), answer_data(decisions=[decision.pk]))
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.response == RecommendationResponse.ACCEPTED_IN_PART
    assert list(recommendation.decisions.all()) == [decision]


def test_answering_without_a_reason_shows_an_error_and_saves_nothing(personas):
    recommendation = a_recommendation(personas.harbor)
    response = client_for(personas.sam).post(answer_url(recommendation), answer_data(reason=""))
    assert response.status_code == 200
    assert "Give your reasons" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.response == ""


def test_linking_another_organizations_decision_shows_an_error_and_saves_nothing(personas):
    recommendation = a_recommendation(personas.harbor)
    theirs = DecisionFactory.create(organization=personas.second)
    response = client_for(personas.sam).post(
        answer_url(recommendation), answer_data(decisions=[theirs.pk])
    )
    assert response.status_code == 200
    assert "Choose only decisions of this organization." in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.response == ""
    assert not recommendation.decisions.exists()


def test_the_answer_page_offers_only_this_organizations_decisions(personas):
    DecisionFactory.create(organization=personas.harbor, title="Ours to link")
    DecisionFactory.create(organization=personas.second, title="Theirs, never offered")
    content = page(client_for(personas.sam), answer_url(a_recommendation(personas.harbor)))
    assert "Ours to link" in content
    assert "Theirs, never offered" not in content


def test_staff_change_an_answer_starting_from_the_saved_one(personas):
    decision = DecisionFactory.create(organization=personas.harbor)
    recommendation = a_recommendation(
        personas.harbor, response=RecommendationResponse.DECLINED, response_reason="Not now."
    )
    recommendation.decisions.add(decision)
    client = client_for(personas.ada)
    response = client.get(answer_url(recommendation))
    form = response.context["form"]
    assert form["response"].value() == RecommendationResponse.DECLINED
    assert form["reason"].value() == "Not now."
    assert form["decisions"].value() == [decision.pk]
    client.post(answer_url(recommendation), answer_data(response="accepted", reason="Now yes."))
    recommendation.refresh_from_db()
    assert (recommendation.response, recommendation.response_reason) == ("accepted", "Now yes.")
    assert not recommendation.decisions.exists()


def test_another_organizations_recommendation_is_404_under_my_own(personas):
    theirs = a_recommendation(personas.second)
    client = client_for(personas.sam)
    assert client.get(answer_url(theirs)).status_code == 404
    assert client.post(answer_url(theirs), answer_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.response == ""


# --- query counts ------------------------------------------------------------------------


def _many(organization, count: int) -> None:
    decisions = DecisionFactory.create_batch(3, organization=organization)
    meeting = past_meeting(organization)
    for number in range(count):
        recommendation = a_recommendation(
            organization, adopted_days_ago=number % 50, meeting=meeting
        )
        recommendation.decisions.add(*decisions[: number % 3])


def _queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [3, 45])
def test_the_staff_list_asks_the_same_number_of_queries(personas, count):
    _many(personas.harbor, count)
    assert _queries(client_for(personas.sam), url("recommendations")) == LIST_QUERIES


@pytest.mark.parametrize("count", [3, 45])
def test_the_board_page_asks_the_same_number_of_queries(personas, count):
    _many(personas.harbor, count)
    assert _queries(client_for(personas.river), url("board_recommendations")) == BOARD_QUERIES


def test_the_lists_are_paginated(personas):
    _many(personas.harbor, 25)
    response = client_for(personas.sam).get(url("recommendations"))
    assert len(response.context["page"].object_list) == 20
    assert "Page 1 of 2" in response.content.decode()
