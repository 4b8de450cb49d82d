"""Invitations to upcoming meetings follow the survivor's own choices about their role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboxMessage, RoleAssignment
from accounts.services.roles import change_my_role
from meetings.models import MeetingInvitation
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory, board_member
from tests.mfa import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ash_on_the_board(personas):
    board_member(personas.ash, personas.harbor)
    assignment = RoleAssignment.objects.get(user=personas.ash)
    past = MeetingFactory.create(
        organization=personas.harbor, starts_at=timezone.now() - timedelta(days=7)
    )
    upcoming = MeetingFactory.create(
        organization=personas.harbor, starts_at=timezone.now() + timedelta(days=7)
    )
    for meeting in (past, upcoming):
        MeetingInvitationFactory.create(meeting=meeting, user=personas.ash)
    return assignment, past, upcoming


def test_pausing_a_role_ends_invitations_to_upcoming_meetings_only(
    personas, ash_on_the_board, django_capture_on_commit_callbacks
):
    assignment, past, upcoming = ash_on_the_board
    with django_capture_on_commit_callbacks(execute=True):
        change_my_role(assignment=assignment, person=personas.ash, action="pause")
    assert not MeetingInvitation.objects.filter(meeting=upcoming, user=personas.ash).exists()
    assert MeetingInvitation.objects.filter(meeting=past, user=personas.ash).exists()
    client = Client()
    sign_in(client, personas.ash)
    url = reverse("meeting", kwargs={"org": "harbor", "pk": upcoming.pk})
    assert client.get(url).status_code == 404  # the place and agenda are no longer theirs


def test_resuming_invites_them_again_and_tells_them(
    personas, ash_on_the_board, django_capture_on_commit_callbacks
):
    assignment, _past, upcoming = ash_on_the_board
    with django_capture_on_commit_callbacks(execute=True):
        change_my_role(assignment=assignment, person=personas.ash, action="pause")
    OutboxMessage.objects.all().delete()
    assignment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        change_my_role(assignment=assignment, person=personas.ash, action="resume")
    assert MeetingInvitation.objects.filter(meeting=upcoming, user=personas.ash).exists()
    assert OutboxMessage.objects.filter(recipient=personas.ash, kind="meeting_invitation").exists()
