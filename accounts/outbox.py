"""The one way anything leaves the app: "there is an update", only where contact is allowed.

Promise 8 (safe contact): the message says nothing but that there is an update, under the
neutral site name, with no names, no content and no calendar attachment. Where contact is
not allowed the update is *held*: it waits on the person's home page instead. In a survivor's
quiet hours it stays *pending* and goes out on a later run.

Account messages (a password-reset link, a link to confirm an e-mail address, a notice that
the account changed) are about the person, not one organization. Their rule is built on the
per-organization one: `contact_decision` is asked for every organization the person belongs
to or funds (never the profile directly), and the message

- waits (stays pending) while *any* of them says it is the person's quiet time;
- otherwise goes out by e-mail if *at least one* of them allows e-mail;
- otherwise is *not sent* at all. Nothing waits on a home page for it, and a link it would
  have carried is never made. Someone who belongs nowhere and funds nothing gets none.

An invitation goes to someone who may have no account yet. The admin who sent it confirmed
that the address is safe to use, which stands in for the person's own choice of channel; if
the address already belongs to an account, that account's quiet time still makes it wait.

Links are made when a message is sent (`accounts.account_messages`), never stored: no token
sits in the database or the broker. This module is the only place that sends mail.
"""

from __future__ import annotations

import enum
import logging
import zoneinfo
from datetime import datetime, time
from typing import Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.account_messages import INVITATION, AccountMessage, Email, compose
from accounts.audit import record_event
from accounts.models import (
    Invitation,
    Organization,
    OutboxMessage,
    OutboxStatus,
    SurvivorProfile,
    User,
)
from accounts.permissions import Capability, standing_in
from accounts.selectors.consent import has_consent
from accounts.update_kinds import is_known

logger = logging.getLogger(__name__)

Channel = Literal["email", "sms"]


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
    standing = standing_in(user, organization)
    # Survivor leaders choose their own channels (no contact before they have chosen one);
    # everyone else agreed to work e-mail by taking the job, or the funding.
    if standing.may(Capability.USE_OWN_SEAT):
        return _survivor_decision(user, organization, channel, now or timezone.now())
    if channel != "email":
        return Decision.HOLD
    return Decision.SEND if standing.may(Capability.RECEIVE_WORK_EMAIL) else Decision.HOLD


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
        # Their own zone, or the organization's when they left it to follow that one.
        zone = zoneinfo.ZoneInfo(profile.time_zone or organization.time_zone)
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


def account_contact_decision(*, user: User, now: datetime | None = None) -> Decision:
    """May the app e-mail this person about their account, now? The rule is in the module
    docstring: any organization's quiet time waits, one organization's yes is enough."""
    if not user.is_active:
        return Decision.HOLD
    moment = now or timezone.now()
    organizations = Organization.objects.filter(
        Q(memberships__user=user) | Q(funder_accesses__user=user)
    ).distinct()
    decisions = {
        contact_decision(user=user, organization=organization, channel="email", now=moment)
        for organization in organizations
    }
    if Decision.LATER in decisions:
        return Decision.LATER
    return Decision.SEND if Decision.SEND in decisions else Decision.HOLD


def _invitation_decision(message: OutboxMessage) -> Decision:
    if message.reference_id is None:
        return Decision.HOLD
    invitation = Invitation.objects.filter(id=message.reference_id).first()
    if invitation is None or not invitation.is_open:
        return Decision.HOLD
    account = User.objects.filter(email__iexact=invitation.email).first()
    if account is not None and account_contact_decision(user=account) is Decision.LATER:
        return Decision.LATER
    return Decision.SEND


@transaction.atomic
def enqueue_update(
    *, recipient: User, organization: Organization, kind: str, target: str
) -> OutboxMessage:
    """Tell one person there is an update of this kind about the page at `target` (a path
    on this site: the meeting, My pay). Sending happens in the beat job; the e-mail says
    only that there is an update, and the person's list says what it is about."""
    if not is_known(kind):
        raise ImproperlyConfigured(f"The update kind {kind!r} has no words: see update_kinds.")
    if not target:
        raise ImproperlyConfigured(f"An update of kind {kind!r} needs the page it is about.")
    message = OutboxMessage(
        recipient=recipient, organization=organization, kind=kind, target=target
    )
    return _enqueue(message)


@transaction.atomic
def enqueue_account_message(
    *,
    recipient: User,
    kind: AccountMessage,
    address: str = "",
    reference_id: int | None = None,
) -> OutboxMessage:
    """Queue an account message for one person: to `address` when given (an address the
    account no longer has), else to the account's own. The worker sends it soon after the
    commit, making its link then from `reference_id`."""
    message = OutboxMessage(
        recipient=recipient, kind=kind, address=address, reference_id=reference_id
    )
    return _enqueue(message, soon=True)


@transaction.atomic
def enqueue_invitation(*, invitation: Invitation) -> OutboxMessage:
    """Queue the e-mail for an invitation; its link is made when it is sent."""
    message = OutboxMessage(
        organization=invitation.organization, kind=INVITATION, reference_id=invitation.pk
    )
    return _enqueue(message, soon=True)


def _enqueue(message: OutboxMessage, *, soon: bool = False) -> OutboxMessage:
    message.full_clean()
    message.save()
    record_event(
        actor_id=None,
        organization_id=message.organization_id,
        action=f"outbox.enqueued.{message.kind}"[:64],
        target_type="outbox_message",
        target_id=message.pk,
    )
    if soon:
        # Someone is waiting for this one (a link they asked for, a notice that should
        # arrive while it still matters): a run now rather than at the next beat.
        transaction.on_commit(_drain_soon)
    return message


def _drain_soon() -> None:
    from accounts.tasks import drain_outbox  # the task module imports this one

    drain_outbox.delay()


def send_pending_updates(*, batch_size: int = 100) -> int:
    """Send or hold up to `batch_size` pending messages; return how many e-mails went out.

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
    decision = _decision(message)
    if decision is Decision.LATER:
        later.add(message.pk)
        return OutboxStatus.PENDING
    email = _email_for(message) if decision is Decision.SEND else None
    if email is not None:
        _send(email)
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
    elif _is_update(message):
        message.status = OutboxStatus.HELD
    else:
        message.status = OutboxStatus.NOT_SENT
    message.save(update_fields=["status", "sent_at"])
    logger.info("Outbox message %s %s", message.pk, message.status)
    return OutboxStatus(message.status)


def _is_update(message: OutboxMessage) -> bool:
    return message.organization_id is not None and message.kind != INVITATION


def _decision(message: OutboxMessage) -> Decision:
    # E-mail is the only channel anything is sent on so far; nothing sends SMS yet.
    if message.kind == INVITATION:
        return _invitation_decision(message)
    if message.recipient is None:
        return Decision.HOLD
    if message.organization is None:
        return account_contact_decision(user=message.recipient)
    return contact_decision(
        user=message.recipient, organization=message.organization, channel="email"
    )


def _email_for(message: OutboxMessage) -> Email | None:
    if not _is_update(message):
        return compose(message)
    assert message.recipient is not None  # noqa: S101  # an update always has one
    return _email_update(message.recipient)


def _email_update(recipient: User) -> Email:
    # Site default language: we do not know the recipient's yet, and the text must not
    # depend on anything about them.
    with override(settings.LANGUAGE_CODE):
        body = "\n\n".join([_("There is an update for you. Sign in to see it."), settings.SITE_URL])
    return Email(to=recipient.email, body=body)


def _send(email: Email) -> None:
    """The only place in the project that sends mail (a test holds every module to it)."""
    EmailMessage(subject=settings.SITE_DISPLAY_NAME, body=email.body, to=[email.to]).send()


@transaction.atomic
def hold_pending_messages() -> dict[OutboxStatus, int]:
    """Stop every pending message from being e-mailed; return how many went each way.

    For a copy restored from an older backup, before any worker starts: messages pending in
    the backup may have gone out after it was taken, and sending them again would repeat a
    notice or a link. Updates wait on the person's home page instead (held, as when e-mail
    is not allowed); an account message or invitation is not sent, and its link is never
    made — the person asks again, or an admin sends the invitation again.
    """
    pending = OutboxMessage.objects.select_for_update().filter(status=OutboxStatus.PENDING)
    updates = Q(organization__isnull=False) & ~Q(kind=INVITATION)
    counts = {
        OutboxStatus.HELD: pending.filter(updates).update(status=OutboxStatus.HELD),
        OutboxStatus.NOT_SENT: pending.exclude(updates).update(status=OutboxStatus.NOT_SENT),
    }
    record_event(action="outbox.pending_held")
    return counts
