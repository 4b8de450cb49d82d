"""Staff's influence pages: a decision's links with each author's answer, linking and
revising, and proposals from the people who said it. Names only with consent (each named
author's view recorded); withdrawn input's links vanish; query counts stay flat."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessRecord, ConsentScope
from accounts.services.consent import ensure_consent_texts, grant_consent, withdraw_consent
from advisory.models import (
    AnswerChoice,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
    InfluenceProposal,
    ProposalStatus,
)
from advisory.selectors.influence import LINKABLE_SHOWN
from meetings.models import Input, InputStatus, InputVisibility
from meetings.services.input import withdraw_input
from tests.advisory.factories import DecisionFactory, confirmed_input, link
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import MeetingFactory
from tests.support.advisory import html
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

NAMELESS = "A board member"
ATTR = InputVisibility.ATTRIBUTED
# What one view of a decision's links costs, however many links it has. Any signed-in
# staff request costs 4 outside the view (see PINNED_STAFF_QUERIES in
# tests/meetings/test_input_views.py). The view adds: the organization and the viewer's role
# (the 404 check), the decision, the meetings for the filter, the input left to link (one
# query, capped), the page's count and its links (input, meeting, topic and the author's
# profile joined in), the viewer's role again and the consent of every attributed author on
# the page (the labels), the answers for the page, and one bulk insert of access records
# for the named authors. Nothing is asked per link.
PINNED_LINKS_QUERIES = 15
# The proposals page: 4 outside the view, then the organization and the role, the page's
# count and its proposals (decision, input, meeting, topic and profile joined in), the role
# and the consents for the labels, and the access records in one insert.
PINNED_PROPOSALS_QUERIES = 11


def allow_attribution(organization, user) -> None:
    ensure_consent_texts(organization=organization)
    grant_consent(
        user=user,
        organization=organization,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
        text_version=1,
        language="en",
    )


def links_url(decision, **query) -> str:
    url = reverse("link_inputs", kwargs={"org": decision.organization.slug, "pk": decision.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def revise_url(influence) -> str:
    decision = influence.decision
    return reverse(
        "revise_link",
        kwargs={"org": decision.organization.slug, "pk": decision.pk, "link_pk": influence.pk},
    )


def proposals_url(org) -> str:
    return reverse("link_proposals", kwargs={"org": org.slug})


def answer_proposal_url(proposal) -> str:
    org = proposal.decision.organization
    return reverse("answer_proposal", kwargs={"org": org.slug, "pk": proposal.pk})


@pytest.fixture
def names(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ashling")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="Riverdale")


@pytest.fixture
def meeting(personas, names):
    return MeetingFactory.create(organization=personas.harbor, title="Spring meeting")


@pytest.fixture
def decision(personas):
    return DecisionFactory.create(organization=personas.harbor, title="Evening meetings")


def say(personas, meeting, author, body, **kwargs) -> Input:
    return confirmed_input(author, personas.harbor, meeting=meeting, body=body, **kwargs)


# --- a decision's links -------------------------------------------------------------------


def test_staff_see_each_link_with_its_rationale_and_the_authors_answer(personas, meeting, decision):
    said = {
        answer: say(personas, meeting, personas.ash, f"Words {n}")
        for n, answer in enumerate(["yes", "not_quite", "rather_not_say", None])
    }
    for answer, input in said.items():
        link(decision, input)
        if answer:
            comment = "I meant weekdays only." if answer == "not_quite" else ""
            InfluenceAnswer.objects.create(
                decision=decision, input=input, answer=answer, comment=comment
            )
    page = html(client_for(personas.sam), links_url(decision))
    for n in range(4):
        assert f"Words {n}" in page
    assert "It shaped the plan." in page
    assert "Shaped it" in page
    assert "Yes, this is what they said" in page
    assert "Not quite" in page
    assert "I meant weekdays only." in page
    assert "They would rather not say" in page
    assert "No answer yet" in page


def test_names_show_only_with_consent_and_each_view_is_recorded(personas, meeting, decision):
    allow_attribution(personas.harbor, personas.ash)
    link(decision, say(personas, meeting, personas.ash, "Named words", visibility=ATTR))
    link(
        decision, say(personas, meeting, personas.river, "Attributed, no consent", visibility=ATTR)
    )
    link(decision, say(personas, meeting, personas.ash, "Anonymous words"))
    page = html(client_for(personas.sam), links_url(decision))
    assert "Ashling" in page
    assert "Riverdale" not in page
    assert page.count(NAMELESS) >= 2
    records = AccessRecord.objects.filter(viewer=personas.sam)
    assert list(records.values_list("subject", "what")) == [(personas.ash.pk, "input")]


def test_a_name_goes_when_the_author_takes_back_their_consent(personas, meeting, decision):
    allow_attribution(personas.harbor, personas.ash)
    link(decision, say(personas, meeting, personas.ash, "Named words", visibility=ATTR))
    withdraw_consent(
        user=personas.ash, organization=personas.harbor, scope=ConsentScope.ATTRIBUTE_TO_STAFF
    )
    page = html(client_for(personas.sam), links_url(decision))
    assert "Ashling" not in page
    assert NAMELESS in page
    assert not AccessRecord.objects.filter(viewer=personas.sam).exists()


def test_only_staff_and_admins_of_the_organization_open_it(personas, decision):
    url = links_url(decision)
    for person in (personas.sam, personas.ada):
        assert client_for(person).get(url).status_code == 200
    for person in (personas.ash, personas.river, personas.fin, personas.faye, personas.otto):
        assert client_for(person).get(url).status_code == 404
    elsewhere = DecisionFactory.create(organization=personas.second)
    assert client_for(personas.sam).get(links_url(elsewhere)).status_code == 404


def test_linking_from_the_page(personas, meeting, decision):
    input = say(personas, meeting, personas.ash, "Evening meetings suit me.")
    client = client_for(personas.sam)
    page = html(client, links_url(decision))
    assert "Evening meetings suit me." in page
    response = client.post(
        links_url(decision),
        {"input": str(input.public_id), "level": "decisive", "rationale": "We did it."},
    )
    assert response.status_code == 302
    made = Influence.objects.get()
    assert (made.input, made.level, made.rationale) == (input, "decisive", "We did it.")
    page = html(client, response["Location"])
    assert "Linked." in page
    assert "No confirmed input is left to link" in page  # linked input leaves the choices


@pytest.mark.parametrize(
    ("status", "words"),
    [(InputStatus.PENDING, "still waiting"), (InputStatus.WITHDRAWN, "withdrew")],
)
def test_input_that_does_not_count_is_refused_on_the_page(
    personas, meeting, decision, status, words
):
    input = say(personas, meeting, personas.ash, "Not counted", status=status)
    response = client_for(personas.sam).post(
        links_url(decision),
        {"input": str(input.public_id), "level": "shaped", "rationale": "It did."},
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Influence.objects.exists()


def test_another_organizations_input_is_not_offered_nor_linked(personas, decision):
    elsewhere = confirmed_input(personas.otto, personas.second, body="Second's words")
    client = client_for(personas.sam)
    assert "Second&#x27;s words" not in html(client, links_url(decision))
    response = client.post(
        links_url(decision),
        {"input": str(elsewhere.public_id), "level": "shaped", "rationale": "It did."},
    )
    assert response.status_code == 200
    assert "Choose input from the list." in response.content.decode()
    assert not Influence.objects.exists()


def test_a_second_link_to_the_same_input_says_revise_it(personas, meeting, decision):
    input = say(personas, meeting, personas.ash, "Once only")
    link(decision, input)
    response = client_for(personas.sam).post(
        links_url(decision),
        {"input": str(input.public_id), "level": "shaped", "rationale": "Again."},
    )
    assert response.status_code == 200
    assert "already linked — revise it instead" in response.content.decode()
    assert Influence.objects.count() == 1


def test_a_rationale_is_needed(personas, meeting, decision):
    input = say(personas, meeting, personas.ash, "Words")
    response = client_for(personas.sam).post(
        links_url(decision), {"input": str(input.public_id), "level": "shaped", "rationale": ""}
    )
    assert response.status_code == 200
    assert "Nothing was saved yet" in response.content.decode()
    assert not Influence.objects.exists()


def test_the_choices_follow_the_meeting_filter(personas, meeting, decision):
    other = MeetingFactory.create(organization=personas.harbor, title="Autumn meeting")
    say(personas, meeting, personas.ash, "Spring words")
    say(personas, other, personas.ash, "Autumn words")
    client = client_for(personas.sam)
    page = html(client, links_url(decision, meeting=other.pk))
    assert "Autumn words" in page
    assert "Spring words" not in page
    page = html(client, links_url(decision, meeting=987654))
    assert "That meeting is not in the list" in page
    assert "Autumn words" in page
    assert "Spring words" in page


def test_the_choices_are_capped_and_say_so(personas, meeting, decision):
    Input.objects.bulk_create(
        Input(meeting=meeting, author=personas.ash, body=f"Word {n}", status="confirmed")
        for n in range(LINKABLE_SHOWN + 1)
    )
    page = html(client_for(personas.sam), links_url(decision))
    assert f"Only the newest {LINKABLE_SHOWN} inputs are shown" in page
    assert page.count('name="input"') == LINKABLE_SHOWN


def test_revising_from_the_page_keeps_the_old_row_and_the_answer(personas, meeting, decision):
    input = say(personas, meeting, personas.ash, "Words")
    first = link(decision, input)
    InfluenceAnswer.objects.create(decision=decision, input=input, answer=AnswerChoice.YES)
    client = client_for(personas.sam)
    response = client.post(revise_url(first), {"level": "informed", "rationale": "It informed."})
    assert response.status_code == 302
    page = html(client, response["Location"])
    assert "It informed." in page
    assert "It shaped the plan." not in page
    assert "Yes, this is what they said" in page
    assert Influence.objects.get(supersedes=first).rationale == "It informed."
    # The same form sent again (a double submit) hears why, and nothing more is written.
    response = client.post(revise_url(first), {"level": "shaped", "rationale": "Again."})
    assert response.status_code == 200
    assert "Someone changed this link" in response.content.decode()
    assert Influence.objects.count() == 2


def test_revising_needs_a_rationale(personas, meeting, decision):
    first = link(decision, say(personas, meeting, personas.ash, "Words"))
    response = client_for(personas.sam).post(revise_url(first), {"level": "shaped"})
    assert response.status_code == 200
    assert "Nothing was saved yet" in response.content.decode()
    assert Influence.objects.count() == 1


def test_a_withdrawn_inputs_link_vanishes_from_the_page_but_the_row_stays(
    personas, meeting, decision
):
    input = say(personas, meeting, personas.ash, "Soon withdrawn")
    made = link(decision, input)
    withdraw_input(input=input, author=personas.ash)
    client = client_for(personas.sam)
    page = html(client, links_url(decision))
    assert "Soon withdrawn" not in page
    assert "No input is linked to this decision yet" in page
    assert client.post(revise_url(made), {"level": "informed", "rationale": "x"}).status_code == 404
    assert Influence.objects.filter(pk=made.pk).exists()


def add_links(personas, decision, number: int) -> None:
    """`number` links, half by Ash (named, with consent) and half by River (anonymous),
    across two meetings, some answered: the same two people whatever the size."""
    allow_attribution(personas.harbor, personas.ash)
    meetings = [MeetingFactory.create(organization=personas.harbor) for _ in range(2)]
    inputs = Input.objects.bulk_create(
        Input(
            meeting=meetings[n % 2],
            author=personas.ash if n % 2 else personas.river,
            visibility=ATTR if n % 2 else InputVisibility.ANONYMOUS,
            body=f"Said {n}",
            status=InputStatus.CONFIRMED,
        )
        for n in range(number)
    )
    Influence.objects.bulk_create(
        Influence(decision=decision, input=i, level=InfluenceLevel.SHAPED, rationale="r")
        for i in inputs
    )
    InfluenceAnswer.objects.bulk_create(
        InfluenceAnswer(decision=decision, input=i, answer=AnswerChoice.YES) for i in inputs[::3]
    )


@pytest.mark.parametrize("number", [5, 500])
def test_the_links_page_costs_the_same_queries_however_many_links(
    personas, names, decision, number
):
    add_links(personas, decision, number)
    client = client_for(personas.sam)
    client.get(links_url(decision))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(links_url(decision)).status_code == 200
    assert len(queries) == PINNED_LINKS_QUERIES


# --- proposals ----------------------------------------------------------------------------


def propose(decision, input, note="") -> InfluenceProposal:
    return InfluenceProposal.objects.create(decision=decision, input=input, note=note)


def test_staff_see_waiting_proposals_named_only_with_consent(personas, meeting, decision):
    allow_attribution(personas.harbor, personas.ash)
    propose(decision, say(personas, meeting, personas.ash, "Named", visibility=ATTR), "My note")
    propose(decision, say(personas, meeting, personas.river, "Nameless", visibility=ATTR))
    gone = say(personas, meeting, personas.river, "Withdrawn words")
    propose(decision, gone)
    withdraw_input(input=gone, author=personas.river)
    page = html(client_for(personas.sam), proposals_url(personas.harbor))
    assert "Ashling" in page
    assert "My note" in page
    assert "Evening meetings" in page
    assert "Riverdale" not in page
    assert NAMELESS in page
    assert "Withdrawn words" not in page
    assert AccessRecord.objects.filter(viewer=personas.sam, subject=personas.ash).count() == 1


def test_accepting_a_proposal_from_the_page(personas, meeting, decision):
    proposal = propose(decision, say(personas, meeting, personas.ash, "Words"))
    client = client_for(personas.sam)
    response = client.post(
        answer_proposal_url(proposal),
        {"outcome": "accept", "level": "shaped", "rationale": "It did.", "answer": ""},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.influence is not None
    assert proposal.influence.origin == "proposal"
    assert "No proposals are waiting" in html(client, response["Location"])


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "decline", "answer": " "},
        {"outcome": "accept", "level": "", "rationale": "It did."},
        {"outcome": "accept", "level": "shaped", "rationale": ""},
        {},
    ],
)
def test_an_incomplete_answer_is_refused_and_nothing_changes(personas, meeting, decision, data):
    proposal = propose(decision, say(personas, meeting, personas.ash, "Words"))
    response = client_for(personas.sam).post(answer_proposal_url(proposal), data)
    assert response.status_code == 200
    assert "Nothing was saved yet" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WAITING
    assert not Influence.objects.exists()


def test_a_proposal_answered_twice_hears_it_was_answered(personas, meeting, decision):
    proposal = propose(decision, say(personas, meeting, personas.ash, "Words"))
    client = client_for(personas.sam)
    data = {"outcome": "decline", "answer": "It came first."}
    assert client.post(answer_proposal_url(proposal), data).status_code == 302
    response = client.post(answer_proposal_url(proposal), data)
    assert response.status_code == 200
    assert "already answered" in response.content.decode()


def test_proposals_are_for_the_organizations_staff_only(personas, meeting, decision):
    proposal = propose(decision, say(personas, meeting, personas.ash, "Words"))
    for person in (personas.ash, personas.river, personas.fin, personas.otto):
        assert client_for(person).get(proposals_url(personas.harbor)).status_code == 404
        data = {"outcome": "decline", "answer": "No."}
        assert client_for(person).post(answer_proposal_url(proposal), data).status_code == 404
    assert client_for(personas.sam).get(proposals_url(personas.second)).status_code == 404


@pytest.mark.parametrize("number", [5, 500])
def test_the_proposals_page_costs_the_same_queries_however_many(personas, names, decision, number):
    add_links(personas, DecisionFactory.create(organization=personas.harbor), number)
    InfluenceProposal.objects.bulk_create(
        InfluenceProposal(decision=decision, input=input, note="n") for input in Input.objects.all()
    )
    client = client_for(personas.sam)
    client.get(proposals_url(personas.harbor))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(proposals_url(personas.harbor)).status_code == 200
    assert len(queries) == PINNED_PROPOSALS_QUERIES
