"""Decisions, input, recommendations and paid work to work with."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from advisory.models import Decision, DecisionArea, Recommendation
from compensation.models import WorkKind
from compensation.selectors.ledger import organization_today
from meetings.models import Input
from opportunities.models import Opportunity, OpportunityInterest
from opportunities.services import opportunities as service
from opportunities.services.opportunities import OpportunityTerms, PublicTerms
from tests.advisory.factories import DecisionFactory, confirmed_input
from tests.meetings.factories import MeetingFactory

TEXT = "Pay people for the time they spend reading papers."


def past_meeting(organization, **kwargs):
    return MeetingFactory.create(
        organization=organization,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        **kwargs,
    )


def a_recommendation(
    organization, *, adopted_days_ago: int = 0, due_in: int = 30, text: str = TEXT, **kwargs
):
    adopted_on = organization_today(organization) - datetime.timedelta(days=adopted_days_ago)
    return Recommendation.objects.create(
        organization=organization,
        text=text,
        area=DecisionArea.SERVICES,
        adopted_on=adopted_on,
        due_on=adopted_on + datetime.timedelta(days=due_in),
        **kwargs,
    )


NOON = datetime.datetime(2025, 6, 18, 12, 0, tzinfo=datetime.UTC)


def given(author, organization, days_ago: int, *, direct: bool = False, **kwargs) -> Input:
    """Input confirmed `days_ago` days ago; `direct` input was never pending, so it has no
    confirmation time and counts from when it was given."""
    input = confirmed_input(author, organization, **kwargs)
    when = NOON - datetime.timedelta(days=days_ago)
    Input.objects.filter(pk=input.pk).update(
        created_at=when - datetime.timedelta(days=3) if not direct else when,
        confirmed_at=None if direct else when,
    )
    input.refresh_from_db()
    return input


def decided(organization, days_ago: int) -> Decision:
    return DecisionFactory.create(
        organization=organization, decided_on=NOON.date() - datetime.timedelta(days=days_ago)
    )


def posted(personas: Any, **changes: Any) -> Opportunity:
    return service.post_opportunity(
        organization=personas.harbor, by=personas.sam, terms=terms(**changes)
    )


def offered(personas: Any, person: Any = None, **changes: Any) -> OpportunityInterest:
    opportunity = posted(personas, **changes)
    interest = service.express_interest(opportunity=opportunity, person=person or personas.ash)
    return service.make_offer(interest=interest, by=personas.sam)


def booked(personas: Any, **changes: Any) -> OpportunityInterest:
    interest = offered(personas, **changes)
    public = PublicTerms() if interest.opportunity.public_facing else None
    return service.answer_offer(interest=interest, person=personas.ash, accept=True, terms=public)


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    content: str = response.content.decode()
    return content


TODAY = timezone.localdate()


def terms(**changes: Any) -> OpportunityTerms:
    base = OpportunityTerms(
        title="Review the new intake leaflet",
        kind=WorkKind.DOCUMENT_REVIEW,
        area="communications",
        involves="Read the leaflet and say what is unclear.",
        time_needed="About three hours over a week",
        hours=Decimal("3"),
        pay_basis="hourly",
        fixed_amount=None,
        starts_on=TODAY,
        ends_on=None,
        public_facing=False,
        story_expected=False,
        how_chosen="In the order people say they are interested.",
    )
    return dataclasses.replace(base, **changes)
