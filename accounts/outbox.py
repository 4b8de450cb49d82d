"""The one way anything leaves the app: "there is an update", only where contact is allowed.

Promise 8 (safe contact): the message says nothing but that there is an update, under the
neutral site name, with no names, no content and no calendar attachment. Where contact is
not allowed the update is *held*: it waits on the person's home page instead. In a survivor's
quiet hours it stays *pending* and goes out on a later run.
"""

from __future__ import annotations

import enum
import logging
import zoneinfo
from datetime import datetime, time
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.audit import record_event
from accounts.models import (
    FunderAccess,
    Membership,
    Organization,
    OutboxMessage,
    OutboxStatus,
    Role,
    SurvivorProfile,
    User,
)
from accounts.selectors.consent import has_consent

logger = logging.getLogger(__name__)

Channel = Literal["email", "sms"]

# Roles that agreed to work contact by taking the job. Survivor leaders are never in this
# set: they choose their own channels (promise 8: no contact before they have chosen one).
WORK_CONTACT_ROLES = frozenset({Role.STAFF, Role.FINANCE, Role.ADMIN})


class Decision(enum.Enum):
    SEND = "send"
    LATER = "later"  # allowed, but it is the person's quiet time: stays pending
    HOLD = "hold"  # not allowed: never sent, waits on the home page


def can_contact(*, user: User, organization: Organization, channel: Channel) -> bool:
    """May the app reach this person on this channel about this organization, now?"""
    return contact_decision(user=user, organization=organization, channel=channel) is Decision.SEND


def contact_decision(
    *, user: User, organization: Organization, channel: Channel, now: datetime | None = None
) -> Decision:
    if not user.is_active:
        return Decision.HOLD
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is not None and membership.role == Role.SURVIVOR_LEADER:
        return _survivor_decision(user, organization, channel, now or timezone.now())
    if channel != "email":
        return Decision.HOLD
    if membership is not None:
        allowed = membership.role in WORK_CONTACT_ROLES
    else:
        allowed = FunderAccess.objects.filter(user=user, organization=organization).exists()
    return Decision.SEND if allowed else Decision.HOLD


def _survivor_decision(
    user: User, organization: Organization, channel: Channel, now: datetime
) -> Decision:
    """The survivor's own rules: a channel they marked safe, a yes to being contacted on it
    that still holds, and never in their quiet hours. No channel chosen means no contact.
    The rules are the ones they gave this message's organization: none given there, none
    borrowed from another."""
    profile = SurvivorProfile.objects.filter(user=user, organization=organization).first()
    if profile is None or channel not in (profile.safe_channels or []):
        return Decision.HOLD
    if not has_consent(user, organization, f"contact_{channel}", at=now):
        return Decision.HOLD
    try:
        zone = zoneinfo.ZoneInfo(profile.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return Decision.HOLD  # we cannot tell their local time, so we do not risk it
    if in_quiet_hours(profile.quiet_hours_start, profile.quiet_hours_end, now.astimezone(zone)):
        return Decision.LATER
    return Decision.SEND


def in_quiet_hours(start: time | None, end: time | None, local: datetime) -> bool:
    """Quiet from `start` until `end`, local time; the hours may run past midnight
    (21:00 to 07:00). No quiet hours unless both ends are set and differ."""
    if start is None or end is None or start == end:
        return False
    now = local.time().replace(tzinfo=None)
    if start < end:
        return start <= now < end
    return now >= start or now < end


@transaction.atomic
def enqueue_update(*, recipient: User, organization: Organization, kind: str) -> OutboxMessage:
    """Tell one person there is an update of this kind. Sending happens in the beat job."""
    message = OutboxMessage(recipient=recipient, organization=organization, kind=kind)
    message.full_clean()
    message.save()
    record_event(
        actor_id=None,
        organization_id=organization.pk,
        action=f"outbox.enqueued.{kind}"[:64],
        target_type="outbox_message",
        target_id=message.pk,
    )
    return message


def send_pending_updates(*, batch_size: int = 100) -> int:
    """Send or hold up to `batch_size` pending updates; return how many e-mails went out.

    Each message is claimed, sent and marked in its own short transaction, so two workers
    never send the same one (the row lock, skipped by the other worker) and a failure
    leaves only that message pending for the next run. An e-mail that went out just before
    a failed commit can be sent a second time: at least once, never silently lost.
    """
    sent = 0
    # In someone's quiet hours a message stays pending for a later run; skip it in this one.
    later: set[int] = set()
    for _step in range(batch_size):
        outcome = _send_next_pending(later)
        if outcome is None:
            break
        sent += outcome == OutboxStatus.SENT
    return sent


@transaction.atomic
def _send_next_pending(later: set[int]) -> OutboxStatus | None:
    message = (
        OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=OutboxStatus.PENDING)
        .exclude(pk__in=later)
        .select_related("recipient", "organization")
        .order_by("created_at", "id")
        .first()
    )
    if message is None:
        return None
    # E-mail is the only channel anything is sent on so far; nothing sends SMS yet.
    decision = contact_decision(
        user=message.recipient, organization=message.organization, channel="email"
    )
    if decision is Decision.LATER:
        later.add(message.pk)
        return OutboxStatus.PENDING
    if decision is Decision.SEND:
        _email_update(message.recipient)
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
    else:
        message.status = OutboxStatus.HELD
    message.save(update_fields=["status", "sent_at"])
    logger.info("Outbox message %s %s", message.pk, message.status)
    return OutboxStatus(message.status)


def _email_update(recipient: User) -> None:
    # Site default language: we do not know the recipient's yet, and the text must not
    # depend on anything about them.
    with override(settings.LANGUAGE_CODE):
        body = "\n\n".join([_("There is an update for you. Sign in to see it."), settings.SITE_URL])
    EmailMessage(
        subject=settings.SITE_DISPLAY_NAME,
        body=body,
        to=[recipient.email],
    ).send()
