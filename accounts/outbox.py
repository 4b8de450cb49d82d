"""The one way anything leaves the app: "there is an update", only where contact is allowed.

Promise 8 (safe contact): the message says nothing but that there is an update, under the
neutral site name, with no names, no content and no calendar attachment. Where contact is
not allowed the update is *held*: it waits on the person's home page instead.
"""

from __future__ import annotations

import logging
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
    User,
)

logger = logging.getLogger(__name__)

Channel = Literal["email", "sms"]

# Roles that agreed to work contact by taking the job. Survivor leaders are never in this
# set: they choose their own channels (promise 8: no contact before they have chosen one).
WORK_CONTACT_ROLES = frozenset({Role.STAFF, Role.FINANCE, Role.ADMIN})


def can_contact(*, user: User, organization: Organization, channel: Channel) -> bool:
    """May the app reach this person on this channel about this organization?"""
    if not user.is_active:
        return False
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is not None and membership.role == Role.SURVIVOR_LEADER:
        # The consent issue replaces this line with the survivor's own choice: a granted,
        # unexpired `contact_<channel>` consent and outside their quiet hours, in their
        # time zone. Until that exists, nothing is sent; updates wait on the home page.
        return False
    if channel != "email":
        return False
    if membership is not None:
        return membership.role in WORK_CONTACT_ROLES
    return FunderAccess.objects.filter(user=user, organization=organization).exists()


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
    for _step in range(batch_size):
        outcome = _send_next_pending()
        if outcome is None:
            break
        sent += outcome == OutboxStatus.SENT
    return sent


@transaction.atomic
def _send_next_pending() -> OutboxStatus | None:
    message = (
        OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=OutboxStatus.PENDING)
        .select_related("recipient", "organization")
        .order_by("created_at", "id")
        .first()
    )
    if message is None:
        return None
    if can_contact(user=message.recipient, organization=message.organization, channel="email"):
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
