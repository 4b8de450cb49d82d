"""Staff's decisions, the board's decision log and both decision pages cost the same number
of queries for 5 decisions as for 500: counts come in grouped queries, pages hold 25."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from advisory.models import (
    AnswerChoice,
    Decision,
    DecisionArea,
    DecisionStatus,
    DecisionStatusChange,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
)
from meetings.models import Input, InputStatus
from tests.meetings.factories import MeetingFactory
from tests.support.clients import client_for
from tests.support.urls import url

pytestmark = pytest.mark.django_db

SIZES = [5, 500]
AREAS = list(DecisionArea.values)
STATUSES = [DecisionStatus.UNDER_CONSIDERATION, DecisionStatus.ADOPTED, DecisionStatus.NOT_ADOPTED]


def make_decisions(personas: Any, count: int) -> Decision:
    """`count` decisions across areas and statuses, each with a timeline step, two current
    links (one answered "yes", one "not quite") and a withdrawn input's answered link that
    no count may include. Returns the newest."""
    harbor = personas.harbor
    meeting = MeetingFactory.create(organization=harbor)
    today = datetime.date.today()
    decisions = Decision.objects.bulk_create(
        Decision(
            organization=harbor,
            title=f"Decision {number}",
            area=AREAS[number % len(AREAS)],
            status=STATUSES[number % len(STATUSES)],
            reason="No money." if STATUSES[number % len(STATUSES)] == "not_adopted" else "",
            decided_on=today - datetime.timedelta(days=number),
            meeting=meeting,
        )
        for number in range(count)
    )
    DecisionStatusChange.objects.bulk_create(
        DecisionStatusChange(decision=d, status=d.status, reason=d.reason) for d in decisions
    )
    authors = (personas.ash, personas.river, personas.ash)
    statuses = (InputStatus.CONFIRMED, InputStatus.CONFIRMED, InputStatus.WITHDRAWN)
    inputs = Input.objects.bulk_create(
        Input(meeting=meeting, author=authors[n % 3], body=f"Input {n}", status=statuses[n % 3])
        for n in range(3 * count)
    )
    Influence.objects.bulk_create(
        Influence(
            decision=decisions[n // 3],
            input=given,
            level=InfluenceLevel.SHAPED,
            rationale="It shaped the plan.",
        )
        for n, given in enumerate(inputs)
    )
    InfluenceAnswer.objects.bulk_create(
        InfluenceAnswer(
            decision=decisions[n // 3],
            input=given,
            answer=AnswerChoice.YES if n % 3 == 0 else AnswerChoice.NOT_QUITE,
            comment="" if n % 3 == 0 else "I meant weekends.",
        )
        for n, given in enumerate(inputs)
    )
    return decisions[0]


def assert_flat(client: Any, page: str, expected: int, django_assert_num_queries: Any) -> str:
    client.get(page)  # warm up: the session and sign-in checks settle
    with django_assert_num_queries(expected):
        response = client.get(page)
    assert response.status_code == 200
    return str(response.content.decode())


# STAFF_LIST_QUERIES = 10: session and user (2); the MFA check (1); the viewer's time zone
# (1); the organization (1); the staff role (1); counting the decisions for the pages (1);
# one page of decisions with their meeting joined in (1); the page's current links and their
# answers, each counted in one grouped query (2).
STAFF_LIST_QUERIES = 10


@pytest.mark.parametrize("count", SIZES)
def test_staff_list_is_flat(personas, count, django_assert_num_queries):
    make_decisions(personas, count)
    html = assert_flat(
        client_for(personas.sam), url("decisions"), STAFF_LIST_QUERIES, django_assert_num_queries
    )
    assert html.count("2 pieces of input are linked to it.") == min(count, 25)


# STAFF_DECISION_QUERIES = 10: as the list up to the staff role (6); the decision with its
# meeting (1); its timeline (1); its current links and answers counted (2).
STAFF_DECISION_QUERIES = 10


@pytest.mark.parametrize("count", SIZES)
def test_staff_decision_page_is_flat(personas, count, django_assert_num_queries):
    decision = make_decisions(personas, count)
    assert_flat(
        client_for(personas.sam),
        url("decision", pk=decision.pk),
        STAFF_DECISION_QUERIES,
        django_assert_num_queries,
    )


# BOARD_LOG_QUERIES = 13: as staff's list (10); the decisions counted by area in one grouped
# query (1); and, for a survivor without a second factor, the check that they need none
# (2: no staff-like role, no funder access).
BOARD_LOG_QUERIES = 13


@pytest.mark.parametrize("count", SIZES)
def test_board_log_is_flat(personas, count, django_assert_num_queries):
    make_decisions(personas, count)
    html = assert_flat(
        client_for(personas.ash), url("decision_log"), BOARD_LOG_QUERIES, django_assert_num_queries
    )
    assert html.count("2 pieces of input are linked to it.") == min(count, 25)
    assert html.count('class="answer-counts"') == min(count, 25)


# BOARD_DECISION_QUERIES = 13: as staff's decision page (10); the "not quite" comments of
# its current links (1); and the check that a survivor needs no second factor (2).
BOARD_DECISION_QUERIES = 13


@pytest.mark.parametrize("count", SIZES)
def test_board_decision_page_is_flat(personas, count, django_assert_num_queries):
    decision = make_decisions(personas, count)
    html = assert_flat(
        client_for(personas.ash),
        url("board_decision", pk=decision.pk),
        BOARD_DECISION_QUERIES,
        django_assert_num_queries,
    )
    assert "I meant weekends." in html
