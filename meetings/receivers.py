"""Meetings' subscriptions to accounts' domain events."""

from __future__ import annotations

from typing import Any

from accounts.events import role_assignment_changed
from meetings.services.scheduling import sync_upcoming_invitations


def on_role_assignment_changed(
    sender: object, *, user_id: int, organization_id: int, **kwargs: Any
) -> None:
    sync_upcoming_invitations(user_id=user_id, organization_id=organization_id)


def connect() -> None:
    role_assignment_changed.connect(
        on_role_assignment_changed, dispatch_uid="meetings.sync_upcoming_invitations"
    )
