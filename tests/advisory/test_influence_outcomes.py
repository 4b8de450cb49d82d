""" "What became of my input": the author alone reads their input's links, the decisions'
status and reasons, their proposals and staff's answers, and answers "Is this what you
said?" (only for their own, counted input; 404 otherwise). Authorship never reaches another
survivor. The page's query count stays flat."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisory.models import (
    AnswerChoice,
    DecisionStatus,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
    InfluenceProposal,
    ProposalStatus,
)
from advisory.services import influence as services
from meetings.models import Input, InputStatus
from meetings.services.input import withdraw_input
from tests.advisory.factories import DecisionFactory, confirmed_input, link
from tests.meetings.factories import MeetingFactory
from tests.support.advisory import html
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

# What one view of the page costs, however many inputs and links there are. Any signed-in
# survivor request costs 6 outside the view (session, user, whether a second factor is
# needed, the viewer's time zone); the view adds the
# organization and the role (the 404 check), the page's count and its inputs (meeting and
# topic joined in), the current links of the page (decision joined in), their answers, and
# the proposals (decision joined in). Nothing is asked per input or per link.
PINNED_OUTCOMES_QUERIES = 13


def outcomes_url(org, page=None) -> str:
    url = reverse("my_input_outcomes", kwargs={"org": org.slug})
    return f"{url}?page={page}" if page else url


def answer_url(influence, org=None) -> str:
    org = org or influence.decision.organization
    return reverse("answer_link", kwargs={"org": org.slug, "link_pk": influence.pk})


def propose_url(input) -> str:
    org = input.meeting.organization
    return reverse("propose_link", kwargs={"org": org.slug, "public_id": input.public_id})


@pytest.fixture
def meeting(personas):
    return MeetingFactory.create(organization=personas.harbor, title="Spring meeting")


@pytest.fixture
def decision(personas):
    return DecisionFactory.create(
        organization=personas.harbor,
        title="Evening meetings",
        status=DecisionStatus.PARTLY_ADOPTED,
        reason="Only twice a month: the building closes early.",
    )


def said(personas, meeting, author, body, **kwargs) -> Input:
    return confirmed_input(author, personas.harbor, meeting=meeting, body=body, **kwargs)


# --- what the author reads ----------------------------------------------------------------


def test_the_author_reads_each_link_with_status_level_rationale_and_reason(
    personas, meeting, decision
):
    mine = said(personas, meeting, personas.ash, "Evening meetings suit me.")
    link(decision, mine, level=InfluenceLevel.DECISIVE)
    said(personas, meeting, personas.ash, "Nothing came of this yet.")
    page = html(client_for(personas.ash), outcomes_url(personas.harbor))
    assert "Evening meetings suit me." in page
    assert "Evening meetings" in page
    assert "Partly adopted" in page
    assert "Only twice a month: the building closes early." in page
    assert "Decided it" in page
    assert "It shaped the plan." in page
    assert "Is this what you said?" in page
    assert "Nothing came of this yet." in page
    assert "Not linked to any decision yet." in page


def test_another_survivors_input_and_links_never_appear(personas, meeting, decision):
    theirs = said(personas, meeting, personas.river, "River's words")
    link(decision, theirs)
    page = html(client_for(personas.ash), outcomes_url(personas.harbor))
    assert "River" not in page
    assert "Evening meetings" not in page
    assert "You have not given any input yet." in page


def test_withdrawn_input_says_plainly_it_no_longer_counts(personas, meeting, decision):
    mine = said(personas, meeting, personas.ash, "Soon withdrawn")
    made = link(decision, mine)
    withdraw_input(input=mine, author=personas.ash)
    page = html(client_for(personas.ash), outcomes_url(personas.harbor))
    assert "Soon withdrawn" in page
    assert "You withdrew this. It no longer counts anywhere" in page
    assert "Evening meetings" not in page
    assert answer_url(made) not in page
    assert Influence.objects.filter(pk=made.pk).exists()


def test_pending_and_rejected_input_are_not_listed(personas, meeting):
    said(personas, meeting, personas.ash, "Waiting words", status=InputStatus.PENDING)
    said(personas, meeting, personas.ash, "Rejected words", status=InputStatus.REJECTED)
    page = html(client_for(personas.ash), outcomes_url(personas.harbor))
    assert "Waiting words" not in page
    assert "Rejected words" not in page


def test_a_revised_link_shows_only_the_newest_claim(personas, meeting, decision):
    first = link(decision, said(personas, meeting, personas.ash, "Words"))
    services.revise_link(link=first, by=personas.sam, level="informed", rationale="Newer.")
    page = html(client_for(personas.ash), outcomes_url(personas.harbor))
    assert "Newer." in page
    assert "It shaped the plan." not in page


def test_only_the_organizations_survivor_leaders_open_it(personas):
    url = outcomes_url(personas.harbor)
    for person in (personas.ash, personas.river):
        assert client_for(person).get(url).status_code == 200
    for person in (personas.sam, personas.ada, personas.fin, personas.faye, personas.otto):
        assert client_for(person).get(url).status_code == 404


# --- "Is this what you said?" -------------------------------------------------------------


def test_answering_and_changing_the_answer(personas, meeting, decision):
    made = link(decision, said(personas, meeting, personas.ash, "Words"))
    client = client_for(personas.ash)
    response = client.post(answer_url(made), {"answer": "yes", "page": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("?page=1")
    assert InfluenceAnswer.objects.get().answer == AnswerChoice.YES
    page = html(client, outcomes_url(personas.harbor))
    assert "Your answer now:" in page
    assert "Change my answer" in page
    data = {"answer": "not_quite", "comment": "Only on weekdays."}
    assert client.post(answer_url(made), data).status_code == 302
    answer = InfluenceAnswer.objects.get()
    assert (answer.answer, answer.comment) == (AnswerChoice.NOT_QUITE, "Only on weekdays.")
    staff_page = html(
        client_for(personas.sam),
        reverse("link_inputs", kwargs={"org": "harbor", "pk": decision.pk}),
    )
    assert "Only on weekdays." in staff_page


def test_not_quite_without_what_they_meant_is_refused(personas, meeting, decision):
    made = link(decision, said(personas, meeting, personas.ash, "Words"))
    response = client_for(personas.ash).post(answer_url(made), {"answer": "not_quite"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved yet" in body
    assert "Say what you meant." in body
    assert not InfluenceAnswer.objects.exists()


def test_an_answer_to_a_link_revised_meanwhile_is_kept_for_the_newest(personas, meeting, decision):
    first = link(decision, said(personas, meeting, personas.ash, "Words"))
    newer = services.revise_link(link=first, by=personas.sam, level="informed", rationale="N.")
    assert client_for(personas.ash).post(answer_url(first), {"answer": "yes"}).status_code == 302
    answer = InfluenceAnswer.objects.get()
    assert (answer.decision_id, answer.input_id) == (newer.decision_id, newer.input_id)


def test_a_survivor_answers_only_for_their_own_counted_input(personas, meeting, decision):
    theirs = link(decision, said(personas, meeting, personas.river, "River's"))
    gone_input = said(personas, meeting, personas.ash, "Withdrawn")
    gone = link(decision, gone_input)
    withdraw_input(input=gone_input, author=personas.ash)
    elsewhere_decision = DecisionFactory.create(organization=personas.second)
    elsewhere = link(elsewhere_decision, confirmed_input(personas.otto, personas.second))
    ash = client_for(personas.ash)
    for made in (theirs, gone):
        assert ash.post(answer_url(made), {"answer": "yes"}).status_code == 404
    assert ash.post(answer_url(elsewhere), {"answer": "yes"}).status_code == 404
    assert ash.post(answer_url(elsewhere, personas.harbor), {"answer": "yes"}).status_code == 404
    mine = link(
        DecisionFactory.create(organization=personas.harbor),
        said(personas, meeting, personas.ash, "Mine"),
    )
    for person in (personas.river, personas.sam, personas.otto):
        assert client_for(person).post(answer_url(mine), {"answer": "yes"}).status_code == 404
    assert not InfluenceAnswer.objects.exists()


def test_answering_is_post_only(personas, meeting, decision):
    made = link(decision, said(personas, meeting, personas.ash, "Words"))
    assert client_for(personas.ash).get(answer_url(made)).status_code == 405


# --- proposing ----------------------------------------------------------------------------


def test_proposing_a_link_and_reading_staffs_answer(personas, meeting, decision):
    mine = said(personas, meeting, personas.ash, "Words")
    already = DecisionFactory.create(organization=personas.harbor, title="Already linked")
    link(already, mine)
    DecisionFactory.create(organization=personas.second, title="Second's decision")
    client = client_for(personas.ash)
    page = html(client, propose_url(mine))
    assert "Evening meetings" in page
    assert "Already linked</option>" not in page
    assert "Second" not in page
    response = client.post(propose_url(mine), {"decision": decision.pk, "note": "I asked."})
    assert response.status_code == 302
    proposal = InfluenceProposal.objects.get()
    assert (proposal.input, proposal.note) == (mine, "I asked.")
    assert "Waiting for staff" in html(client, response["Location"])
    services.answer_proposal(
        proposal=proposal, by=personas.sam, accept=False, answer="It came before the meeting."
    )
    page = html(client, outcomes_url(personas.harbor))
    assert "Not accepted" in page
    assert "It came before the meeting." in page


def test_proposing_twice_is_refused_on_the_page(personas, meeting, decision):
    mine = said(personas, meeting, personas.ash, "Words")
    client = client_for(personas.ash)
    assert client.post(propose_url(mine), {"decision": decision.pk}).status_code == 302
    response = client.post(propose_url(mine), {"decision": decision.pk})
    assert response.status_code == 200
    assert "already proposed" in response.content.decode()
    assert InfluenceProposal.objects.filter(status=ProposalStatus.WAITING).count() == 1


def test_a_decision_of_another_organization_cannot_be_chosen(personas, meeting):
    mine = said(personas, meeting, personas.ash, "Words")
    elsewhere = DecisionFactory.create(organization=personas.second)
    response = client_for(personas.ash).post(propose_url(mine), {"decision": elsewhere.pk})
    assert response.status_code == 200
    assert not InfluenceProposal.objects.exists()


def test_nobody_proposes_from_someone_elses_or_uncounted_input(personas, meeting, decision):
    theirs = said(personas, meeting, personas.river, "River's")
    pending = said(personas, meeting, personas.ash, "Pending", status=InputStatus.PENDING)
    ash = client_for(personas.ash)
    assert ash.get(propose_url(theirs)).status_code == 404
    assert ash.get(propose_url(pending)).status_code == 404
    assert client_for(personas.sam).get(propose_url(theirs)).status_code == 404


def test_with_no_decisions_the_page_says_what_to_do(personas, meeting):
    mine = said(personas, meeting, personas.ash, "Words")
    assert "no decisions to choose from yet" in html(client_for(personas.ash), propose_url(mine))


# --- speed --------------------------------------------------------------------------------


def add_my_links(personas, number: int) -> None:
    """`number` links to Ash's input across five decisions, some answered, some proposed."""
    meeting = MeetingFactory.create(organization=personas.harbor)
    decisions = [DecisionFactory.create(organization=personas.harbor) for _ in range(5)]
    inputs = Input.objects.bulk_create(
        Input(meeting=meeting, author=personas.ash, body=f"Said {n}", status="confirmed")
        for n in range(max(number // 5, 1))
    )
    links = [
        Influence(decision=decisions[n % 5], input=inputs[n // 5], level="shaped", rationale="r")
        for n in range(number)
    ]
    Influence.objects.bulk_create(links)
    InfluenceAnswer.objects.bulk_create(
        InfluenceAnswer(decision=made.decision, input=made.input, answer=AnswerChoice.YES)
        for made in links[::2]
    )
    InfluenceProposal.objects.bulk_create(
        InfluenceProposal(decision=decisions[0], input=input, status="declined", answer="No.")
        for input in inputs[::2]
    )


@pytest.mark.parametrize("number", [5, 500])
def test_the_page_costs_the_same_queries_however_many_links(personas, number):
    add_my_links(personas, number)
    client = client_for(personas.ash)
    client.get(outcomes_url(personas.harbor))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(outcomes_url(personas.harbor)).status_code == 200
    assert len(queries) == PINNED_OUTCOMES_QUERIES
