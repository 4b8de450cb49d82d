"""Meetings to work with."""

from __future__ import annotations

import datetime

from accounts.models import AdvisoryBoard, AssignmentStatus, BoardRole, RoleAssignment


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
