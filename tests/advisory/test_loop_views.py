"""The loop-health page: staff see the figures and the input still waiting for an outcome
(meeting, date and topic; never who said it or what), change the two waiting times, and
the page asks the same number of queries for 5 decisions and inputs as for 500."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from advisory.models import AdvisorySettings, Decision, DecisionArea, Influence, InfluenceLevel
from meetings.models import Input, InputStatus, InputVisibility
from tests.advisory.factories import confirmed_input, link
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.support.advisory import NOON, decided, given
from tests.support.clients import client_for
from tests.support.urls import page, url

pytestmark = pytest.mark.django_db

# LOOP_QUERIES = 12, the same for 5 decisions and inputs as for 500: session and user (2);
# the MFA check (1); the viewer's time zone (1); the organization and the staff check (2);
# the settings (1); how many inputs wait for an outcome, and this page's with their meetings
# and topics in one join (2); recommendations waiting and overdue in one count (1); every
# current link's dates for the median (1); confirmed input and how much of it has an outcome
# in one count (1). Nothing is asked per input, decision or link.
LOOP_QUERIES = 12


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


def test_staff_see_the_figures(personas):
    harbor = personas.harbor
    topic = AgendaItemFactory.create(meeting=MeetingFactory.create(organization=harbor))
    waiting = given(personas.ash, harbor, 100, meeting=topic.meeting)
    Input.objects.filter(pk=waiting.pk).update(agenda_item=topic)
    linked = given(personas.river, harbor, 90)
    link(decided(harbor, 30), linked)
    content = page(client_for(personas.sam), url("loop_health"))
    assert "Input with no outcome after 60 days" in content
    assert topic.title in content
    assert topic.meeting.title in content
    assert "60 days" in content  # the median
    assert "1 of 2 (50%)" in content


def test_authors_and_their_words_are_never_shown(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ashley Author")
    given(
        personas.ash,
        personas.harbor,
        100,
        body="Evening meetings suit me better.",
        visibility=InputVisibility.ATTRIBUTED,
    )
    content = page(client_for(personas.ada), url("loop_health"))
    for secret in ("Ashley Author", "ash@example.test", "Evening meetings suit me better."):
        assert secret not in content


def test_an_empty_organization_says_what_to_do(personas):
    content = page(client_for(personas.sam), url("loop_health"))
    assert "No confirmed input has waited more than 60 days" in content
    assert "No input is linked to a decision yet." in content
    assert not AdvisorySettings.objects.exists()  # reading the page writes nothing


def test_staff_change_the_waiting_times(personas):
    client = client_for(personas.sam)
    data = {"recommendation_answer_days": "21", "input_outcome_days": "45"}
    response = client.post(url("loop_health"), data)
    assert response.status_code == 302
    saved = AdvisorySettings.objects.get(organization=personas.harbor)
    assert (saved.recommendation_answer_days, saved.input_outcome_days) == (21, 45)
    assert "after 45 days" in page(client, url("loop_health"))
    assert AuditEvent.objects.filter(action="advisory_settings.saved").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"recommendation_answer_days": "0", "input_outcome_days": "60"},
        {"recommendation_answer_days": "30", "input_outcome_days": "a lot"},
        {"recommendation_answer_days": "30", "input_outcome_days": "731"},
        {"recommendation_answer_days": "-5", "input_outcome_days": "60"},
    ],
)
def test_bad_waiting_times_show_an_error_and_save_nothing(personas, data):
    response = client_for(personas.sam).post(url("loop_health"), data)
    assert response.status_code == 200
    assert "Nothing was saved yet." in response.content.decode()
    assert not AdvisorySettings.objects.exists()


@pytest.mark.parametrize("who", ["ash", "fin", "otto", "faye"])
def test_others_cannot_change_the_waiting_times(personas, who):
    data = {"recommendation_answer_days": "7", "input_outcome_days": "7"}
    response = client_for(getattr(personas, who)).post(url("loop_health"), data)
    assert response.status_code == 404
    assert not AdvisorySettings.objects.exists()


def test_the_waiting_list_is_paginated(personas):
    meeting = MeetingFactory.create(organization=personas.harbor)
    for _number in range(30):
        given(personas.ash, personas.harbor, 100, meeting=meeting)
    response = client_for(personas.sam).get(url("loop_health"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["health"].stale == 30


# --- query count -------------------------------------------------------------------------


def _lots(personas, count: int) -> None:
    """`count` decisions and `count` confirmed inputs, half of them linked, in bulk."""
    harbor = personas.harbor
    meetings = [MeetingFactory.create(organization=harbor) for _n in range(3)]
    topic = AgendaItemFactory.create(meeting=meetings[0])
    long_ago = NOON - datetime.timedelta(days=200)
    inputs = Input.objects.bulk_create(
        Input(
            meeting=meetings[number % 3],
            agenda_item=topic if number % 3 == 0 else None,
            author=personas.ash if number % 2 else personas.river,
            body="Said at a meeting.",
            status=InputStatus.CONFIRMED,
            created_at=long_ago,
            confirmed_at=long_ago,
        )
        for number in range(count)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            organization=harbor,
            title=f"Decision {number}",
            area=DecisionArea.SERVICES,
            decided_on=NOON.date() - datetime.timedelta(days=number % 100),
        )
        for number in range(count)
    )
    Influence.objects.bulk_create(
        Influence(
            decision=decision, input=input, level=InfluenceLevel.SHAPED, rationale="It shaped it."
        )
        for decision, input in list(zip(decisions, inputs, strict=True))[::2]
    )
    withdrawn = confirmed_input(personas.ash, harbor, status=InputStatus.WITHDRAWN)
    link(decisions[0], withdrawn)


@pytest.mark.parametrize("count", [5, 500])
def test_the_page_asks_the_same_number_of_queries(personas, count):
    _lots(personas, count)
    client = client_for(personas.sam)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("loop_health"))
    assert response.status_code == 200
    assert response.context["health"].told.inputs == count
    assert len(queries) == LOOP_QUERIES
