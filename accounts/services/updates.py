"""Marking a person's updates seen: by opening one, or all at once from their list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import record_event
from accounts.models import Organization, OutboxMessage, User
from accounts.selectors.updates import unseen_updates


@transaction.atomic
def open_update(*, user: User, message: OutboxMessage) -> str:
    """The person opened this update: it, and any other update of theirs here about the
    same page, no longer counts as new. Returns the page it is about ("" if none)."""
    if message.recipient_id != user.pk or message.organization is None:
        raise PermissionDenied
    same_page = Q(pk=message.pk) | (Q(target=message.target) if message.target else Q())
    seen = (
        unseen_updates(user, message.organization).filter(same_page).update(seen_at=timezone.now())
    )
    if seen:
        record_event(
            action=f"outbox.seen.{message.kind}"[:64],
            actor_id=user.pk,
            organization_id=message.organization_id,
            target_type="outbox_message",
            target_id=message.pk,
        )
    return message.target


@transaction.atomic
def mark_all_updates_seen(*, user: User, organization: Organization) -> int:
    seen = unseen_updates(user, organization).update(seen_at=timezone.now())
    if seen:
        record_event(
            action="outbox.seen_all",
            actor_id=user.pk,
            organization_id=organization.pk,
            target_type="user",
            target_id=user.pk,
        )
    return seen
