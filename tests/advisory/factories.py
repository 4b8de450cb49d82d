"""Factories and helpers for advisory tests."""

from __future__ import annotations

import datetime

import factory

from accounts.models import Organization, User
from advisory.models import Decision, DecisionArea, Influence, InfluenceLevel
from meetings.models import Input, InputStatus, InputVisibility, Meeting
from tests.meetings.factories import MeetingFactory


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    class Meta:
        model = Decision

    title = factory.Sequence(lambda n: f"Decision {n}")
    description = "What the program decided."
    area = DecisionArea.SERVICES
    decided_on = factory.LazyFunction(datetime.date.today)


def confirmed_input(
    author: User,
    organization: Organization,
    *,
    meeting: Meeting | None = None,
    body: str = "Shorter forms would help.",
    status: str = InputStatus.CONFIRMED,
    visibility: str = InputVisibility.ANONYMOUS,
) -> Input:
    meeting = meeting or MeetingFactory.create(organization=organization)
    return Input.objects.create(
        meeting=meeting, author=author, body=body, status=status, visibility=visibility
    )


def link(
    decision: Decision, input: Input, *, level: str = InfluenceLevel.SHAPED, **kwargs: object
) -> Influence:
    """Writes a link directly (services are tested on their own)."""
    return Influence.objects.create(
        decision=decision, input=input, level=level, rationale="It shaped the plan.", **kwargs
    )
