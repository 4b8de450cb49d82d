"""Factories for meetings. Other areas append their own at the end."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import AdvisoryBoard, Organization, User
from meetings.models import (
    AgendaItem,
    AgendaStatus,
    Meeting,
    MeetingFormat,
    MeetingInvitation,
)
from tests.factories import OrganizationFactory, UserFactory


def _board_for(organization: Organization) -> AdvisoryBoard:
    from accounts.services.roles import ensure_board

    return ensure_board(organization=organization)


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    organization = factory.SubFactory(OrganizationFactory)
    board = factory.LazyAttribute(lambda o: _board_for(o.organization))
    title = factory.Sequence(lambda n: f"Board meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    duration_minutes = 90
    format = MeetingFormat.VIDEO
    location = factory.Sequence(lambda n: f"https://video.example.test/room-{n}")


class MeetingInvitationFactory(factory.django.DjangoModelFactory[MeetingInvitation]):
    class Meta:
        model = MeetingInvitation

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)


class AgendaItemFactory(factory.django.DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Topic {n}")
    description = ""
    content_note = ""
    status = AgendaStatus.ACCEPTED
    position = factory.Sequence(lambda n: n)


def board_member(user: User, organization: Organization, *, co_chair: bool = False) -> None:
    """Give `user` an active role on the organization's board (a co-chair role if asked)."""
    from accounts.models import AssignmentStatus, BoardRole, RoleAssignment

    role, _created = BoardRole.objects.get_or_create(
        organization=organization,
        name="Co-chair" if co_chair else "Member",
        defaults={"description": "A seat on the board.", "is_co_chair": co_chair},
    )
    RoleAssignment.objects.create(
        board=_board_for(organization),
        role=role,
        user=user,
        status=AssignmentStatus.ACTIVE,
        starts_on=timezone.localdate() - timedelta(days=1),
    )
