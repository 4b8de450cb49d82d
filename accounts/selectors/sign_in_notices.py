"""The notice on a person's own home page that someone kept getting their sign-in wrong."""

from __future__ import annotations

from accounts.models import Organization, OutboxMessage, User
from accounts.selectors import waiting_updates_for
from accounts.services.sign_in_notices import SIGN_IN_ATTEMPTS


def sign_in_notice_for(user: User, organization: Organization) -> OutboxMessage | None:
    """The newest such update not yet seen, only ever the person's own."""
    return (
        waiting_updates_for(user, organization)
        .filter(kind=SIGN_IN_ATTEMPTS)
        .order_by("-created_at")
        .first()
    )
