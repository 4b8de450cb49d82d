"""Telling a person, on their safe channel, that someone kept getting their password or
code wrong. The update says only that; the home page says what they can do. No source
address and no time finer than the day is kept or shown."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record_event
from accounts.models import Organization, OutboxMessage, User
from accounts.outbox import Decision, contact_decision, enqueue_update
from accounts.permissions import organizations_visible_to

SIGN_IN_ATTEMPTS = "sign_in_attempts"
TELL_AT_MOST_EVERY = timedelta(days=1)


@transaction.atomic
def tell_of_failed_sign_ins(*, user_id: int) -> OutboxMessage | None:
    """One update, at most once a day, however many steps or workers report wrong tries."""
    # The row lock makes a second task for the same person wait, then see this one's update.
    user = (
        User.objects.select_for_update()
        .filter(pk=user_id, is_active=True, erased_at__isnull=True)
        .first()
    )
    if user is None:
        return None
    recently = timezone.now() - TELL_AT_MOST_EVERY
    if OutboxMessage.objects.filter(
        recipient=user, kind=SIGN_IN_ATTEMPTS, created_at__gt=recently
    ).exists():
        return None
    organization = _organization_to_tell(user)
    if organization is None:
        return None
    # The notice itself is on the home page, shown once; the update's link leads to what
    # the person can check afterwards: where their account is signed in.
    return enqueue_update(
        recipient=user,
        organization=organization,
        kind=SIGN_IN_ATTEMPTS,
        target=reverse("usersessions_list"),
    )


def _organization_to_tell(user: User) -> Organization | None:
    """One update is enough. It goes where the person's contact rules let it reach them
    (now, or after their quiet hours); if none does, it waits on the home page of the first
    organization they joined or fund."""
    organizations = list(organizations_visible_to(user).order_by("pk"))
    for organization in organizations:
        decision = contact_decision(user=user, organization=organization, channel="email")
        if decision is not Decision.HOLD:
            return organization
    return organizations[0] if organizations else None


@transaction.atomic
def mark_sign_in_notices_seen(*, user: User, organization: Organization) -> int:
    """The person read the notice on their home page: it no longer waits there."""
    seen = OutboxMessage.objects.filter(
        recipient_id=user.pk,
        organization=organization,
        kind=SIGN_IN_ATTEMPTS,
        seen_at__isnull=True,
    ).update(seen_at=timezone.now())
    if seen:
        record_event(
            action=f"outbox.seen.{SIGN_IN_ATTEMPTS}",
            actor_id=user.pk,
            organization_id=organization.pk,
            target_type="user",
            target_id=user.pk,
        )
    return seen
