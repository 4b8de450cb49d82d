"""Meetings to work with, and the attendance sheet's address and form data."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.models import AdvisoryBoard, AssignmentStatus, BoardRole, RoleAssignment
from meetings.models import Reply
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory


def make_co_chair(person, organization):
    board, _ = AdvisoryBoard.objects.get_or_create(organization=organization, name="Advisory board")
    role = BoardRole.objects.create(
        organization=organization, name="Co-chair", description="Runs meetings.", is_co_chair=True
    )
    return RoleAssignment.objects.create(
        board=board,
        role=role,
        user=person,
        status=AssignmentStatus.ACTIVE,
        starts_on=datetime.date.today() - datetime.timedelta(days=30),
    )


def past_meeting(organization, *people, **kwargs):
    meeting = MeetingFactory.create(
        organization=organization,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        **kwargs,
    )
    for person in people:
        MeetingInvitationFactory.create(meeting=meeting, user=person, reply=Reply.YES)
    return meeting


def sheet_url(meeting, org="harbor") -> str:
    return reverse("record_attendance", kwargs={"org": org, "pk": meeting.pk})


def sheet_data(meeting, rows: dict[Any, tuple[bool, str, str]]) -> dict[str, str]:
    """POST data for the whole sheet: rows maps a user to (came, hours, role)."""
    data = {}
    for user, (came, hours, role) in rows.items():
        if came:
            data[f"attended_{user.pk}"] = "on"
        data[f"hours_{user.pk}"] = hours
        data[f"role_{user.pk}"] = role
    return data
