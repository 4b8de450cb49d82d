"""Helpers for the minutes tests: a meeting with the Harbor survivors invited, co-chairs,
and the `attribute_to_staff` choice."""

from __future__ import annotations

import datetime

from accounts.models import AssignmentStatus, BoardRole, ConsentScope, RoleAssignment
from accounts.selectors.consent import current_consent_text
from accounts.services.consent import ensure_consent_texts, grant_consent
from accounts.services.roles import ensure_board
from meetings.models import MeetingInvitation, MeetingRole
from tests.meetings.factories import MeetingFactory


def make_co_chair(person, organization) -> None:
    role, _created = BoardRole.objects.get_or_create(
        organization=organization,
        name="Co-chair",
        defaults={"description": "Help run meetings.", "is_co_chair": True},
    )
    RoleAssignment.objects.create(
        board=ensure_board(organization=organization),
        role=role,
        user=person,
        starts_on=datetime.date.today() - datetime.timedelta(days=1),
        status=AssignmentStatus.ACTIVE,
    )


def allow_name(person, organization) -> None:
    ensure_consent_texts(organization=organization)
    text = current_consent_text(organization, ConsentScope.ATTRIBUTE_TO_STAFF, "en")
    assert text is not None
    grant_consent(
        user=person,
        organization=organization,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
        text_version=text.version,
        language="en",
    )


def meeting_with(personas, *, invited=("ash", "river"), note_taker=None):
    meeting = MeetingFactory.create(organization=personas.harbor, title="Spring board meeting")
    for name in invited:
        MeetingInvitation.objects.create(
            meeting=meeting,
            user=getattr(personas, name),
            meeting_role=MeetingRole.NOTE_TAKER if name == note_taker else MeetingRole.PARTICIPANT,
        )
    return meeting
