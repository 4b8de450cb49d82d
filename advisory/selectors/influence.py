"""Reads for influence links, scoped to the person asking; outside scope is a 404.

- Staff (and admins) read a decision's current links with each author's answer, the input
  they may still link, and the proposals waiting for them. Authors are labelled by
  `meetings.selectors.input.overview_rows`: a name only where the author allows it now.
- A survivor leader reads what became of their own input, and nobody else's: the
  decisions it is currently linked to, their answers and their proposals.

Links are read only through `advisory.selectors.links.current_links`, so a withdrawn
input's links vanish here as everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization, User
from accounts.permissions import Capability, scoped_organization
from advisory.models import (
    Decision,
    Influence,
    InfluenceAnswer,
    InfluenceProposal,
    ProposalStatus,
)
from advisory.selectors.links import current_links
from meetings.models import Input, InputStatus
from meetings.selectors.input import InputRow, confirmed_input_for_staff, overview_rows

LINKS_PER_PAGE = 25
PROPOSALS_PER_PAGE = 25
OUTCOMES_PER_PAGE = 20
# How much input the link form offers at once; choosing a meeting shows the rest.
LINKABLE_SHOWN = 100


# --- staff: a decision's links -----------------------------------------------------------


def get_decision_for_linking(user: User, slug: str, pk: int) -> Decision:
    """One of the organization's decisions, for its staff and admins."""
    organization = scoped_organization(user, slug, Capability.LOOK_AFTER_BOARD)
    decision = (
        Decision.objects.filter(organization=organization, pk=pk)
        .select_related("organization")
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def decision_links(decision: Decision) -> QuerySet[Influence]:
    """The decision's current links, oldest first, with what the page shows joined in."""
    return (
        current_links(decision.organization)
        .filter(decision=decision)
        .select_related("input__meeting", "input__agenda_item", "input__author")
        .order_by("created_at", "id")
    )


def get_link_of_decision(decision: Decision, link_pk: int) -> Influence:
    """A link of this decision whose input still counts. It may have been revised since the
    page was read: the service says so rather than a 404."""
    link = (
        Influence.objects.filter(
            pk=link_pk,
            decision=decision,
            input__status=InputStatus.CONFIRMED,
            input__meeting__organization=decision.organization,
        )
        .select_related("decision__organization", "input__author")
        .first()
    )
    if link is None:
        raise Http404
    return link


@dataclass(frozen=True)
class LinkRow:
    """A current link as staff see it: the input labelled by the consent rule, and the
    author's answer to "Is this what you said?" (None: no answer yet)."""

    link: Influence
    input_row: InputRow
    answer: InfluenceAnswer | None


def link_rows(user: User, decision: Decision, links: Sequence[Influence]) -> list[LinkRow]:
    """Label a page of `decision_links`: the consent check and the answers, one query each."""
    input_rows = overview_rows(user, decision.organization, [link.input for link in links])
    answers = {
        answer.input_id: answer
        for answer in InfluenceAnswer.objects.filter(
            decision=decision, input_id__in=[link.input_id for link in links]
        )
    }
    return [
        LinkRow(link=link, input_row=row, answer=answers.get(link.input_id))
        for link, row in zip(links, input_rows, strict=True)
    ]


def linkable_inputs(decision: Decision, *, meeting_id: int | None = None) -> list[Input]:
    """Confirmed input of the organization not yet linked to this decision, newest meeting
    first: at most LINKABLE_SHOWN + 1 (the extra one says there is more)."""
    linked = Influence.objects.filter(decision=decision, superseded_by__isnull=True).values(
        "input_id"
    )
    inputs = confirmed_input_for_staff(decision.organization, meeting_id=meeting_id).exclude(
        pk__in=linked
    )
    return list(inputs[: LINKABLE_SHOWN + 1])


def input_for_linking(organization: Organization, public_id: UUID) -> Input | None:
    """The input staff chose, whatever its status: the service refuses what may not be
    linked, and says why."""
    return (
        Input.objects.filter(public_id=public_id, meeting__organization=organization)
        .select_related("meeting", "author")
        .first()
    )


# --- staff: proposals from the people who said it ----------------------------------------


def _proposals_of(organization: Organization) -> QuerySet[InfluenceProposal]:
    """Proposals from input that still counts (a withdrawn input's are left out)."""
    return InfluenceProposal.objects.filter(
        decision__organization=organization,
        input__status=InputStatus.CONFIRMED,
        input__meeting__organization=organization,
    ).select_related(
        "decision__organization",
        "input__meeting",
        "input__agenda_item",
        "input__author",
    )


def waiting_proposals(organization: Organization) -> QuerySet[InfluenceProposal]:
    """Proposals waiting for staff, oldest first."""
    return (
        _proposals_of(organization)
        .filter(status=ProposalStatus.WAITING)
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class ProposalRow:
    proposal: InfluenceProposal
    input_row: InputRow


def proposal_rows(
    user: User, organization: Organization, proposals: Sequence[InfluenceProposal]
) -> list[ProposalRow]:
    rows = overview_rows(user, organization, [proposal.input for proposal in proposals])
    return [
        ProposalRow(proposal=proposal, input_row=row)
        for proposal, row in zip(proposals, rows, strict=True)
    ]


def get_proposal_for_staff(user: User, slug: str, pk: int) -> InfluenceProposal:
    """A proposal for the organization's staff and admins. One already answered is found
    too, so a second submit hears "already answered" rather than a 404."""
    organization = scoped_organization(user, slug, Capability.LOOK_AFTER_BOARD)
    proposal = _proposals_of(organization).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


# --- the author: what became of my input -------------------------------------------------


def get_my_input_to_propose_from(user: User, slug: str, public_id: UUID) -> Input:
    """The survivor leader's own confirmed input in this organization; else a 404."""
    organization = scoped_organization(user, slug, Capability.USE_OWN_SEAT)
    input = (
        Input.objects.filter(
            public_id=public_id,
            author_id=user.pk,
            meeting__organization=organization,
            status=InputStatus.CONFIRMED,
        )
        .select_related("meeting__organization", "agenda_item")
        .first()
    )
    if input is None:
        raise Http404
    return input


def decisions_to_propose(input: Input) -> QuerySet[Decision]:
    """The organization's decisions this input is not yet linked to, newest first."""
    organization = input.meeting.organization
    linked = current_links(organization).filter(input=input).values("decision_id")
    return Decision.objects.filter(organization=organization).exclude(pk__in=linked)


def my_outcome_inputs(user: User, organization: Organization) -> QuerySet[Input]:
    """Everything this person said here that counts, and what they withdrew (so the page
    can say plainly it no longer counts), newest first."""
    return (
        Input.objects.filter(
            author_id=user.pk,
            meeting__organization=organization,
            status__in=[InputStatus.CONFIRMED, InputStatus.WITHDRAWN],
        )
        .select_related("meeting", "agenda_item")
        .order_by("-created_at", "-id")
    )


@dataclass
class MyLink:
    link: Influence
    answer: InfluenceAnswer | None


@dataclass
class MyInputOutcome:
    input: Input
    links: list[MyLink] = field(default_factory=list)
    proposals: list[InfluenceProposal] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        return bool(self.input.status == InputStatus.CONFIRMED)


def my_outcomes(
    user: User, organization: Organization, inputs: Sequence[Input]
) -> list[MyInputOutcome]:
    """For a page of `my_outcome_inputs`: each input's current links with the decision,
    its answer, and its proposals. Three queries, whatever the number of links."""
    outcomes = {input.pk: MyInputOutcome(input=input) for input in inputs}
    counted = [input.pk for input in inputs if input.status == InputStatus.CONFIRMED]
    links = (
        current_links(organization)
        .filter(input_id__in=counted, input__author_id=user.pk)
        .select_related("decision")
        .order_by("-decision__decided_on", "-decision_id")
    )
    answers = {
        (answer.decision_id, answer.input_id): answer
        for answer in InfluenceAnswer.objects.filter(input_id__in=counted)
    }
    for link in links:
        answer = answers.get((link.decision_id, link.input_id))
        outcomes[link.input_id].links.append(MyLink(link=link, answer=answer))
    for proposal in InfluenceProposal.objects.filter(input_id__in=counted).select_related(
        "decision"
    ):
        outcomes[proposal.input_id].proposals.append(proposal)
    return list(outcomes.values())


def get_my_current_link(user: User, slug: str, link_pk: int) -> Influence:
    """A current link of the person's own counted input; anyone else's, or one that no
    longer counts, is a 404. A link revised since the page was read leads to the claim
    that replaced it: the answer is about the decision and the input, not one wording."""
    organization = scoped_organization(user, slug, Capability.USE_OWN_SEAT)
    mine = current_links(organization).filter(input__author_id=user.pk)
    asked = (
        Influence.objects.filter(pk=link_pk, decision__organization=organization)
        .values("decision_id", "input_id")
        .first()
    )
    if asked is None:
        raise Http404
    link = mine.filter(**asked).select_related("decision__organization", "input").first()
    if link is None:
        raise Http404
    return link


def answer_for(link: Influence) -> InfluenceAnswer | None:
    return InfluenceAnswer.objects.filter(
        decision_id=link.decision_id, input_id=link.input_id
    ).first()
