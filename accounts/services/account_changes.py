"""Writes that keep an account safe on a shared device: notices of every change to the
account, undoing an address change from the old address, and password-reset requests that
take the same time whether or not the address is known.

Who we defend against, and how far:

- **Someone holding the device** of a person who is signed in. They cannot change the
  address, the password or sign-in security, nor read payment details, without confirming
  it's the person (password, sign-in app or passkey; never a code by e-mail, which the same
  device may show). If they can (a saved password), the old address is told of each change
  and can undo an address change for a week: the address comes back, the new one goes,
  and every session of the account ends, theirs included. The undo link works once, and an
  undo closes every other open change of the account, so a second change they made (to a
  second address of theirs) cannot be used to undo the owner's undo.
- **Someone who reads the old mailbox** (an abuser who knows the person) can use that
  undo link too, against a person who moved away from that address on purpose. That is
  the price of the undo, and bounded: the undo signs nobody in and sets no password, the
  dropped address is told it happened, and the old mailbox could already reset the password
  before the change. Changing the password as well as the address shuts them out.
- **Anyone on the internet** learns nothing from the password-reset form: the request
  stores the same encrypted row and queues the same task for every address, and the
  worker alone looks the address up.
"""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.account_messages import AccountMessage
from accounts.audit import record_event
from accounts.models import AddressChange, OutboxMessage, PasswordResetRequest, User
from accounts.outbox import enqueue_account_message

UNDO_UNUSABLE = "address_change_unusable"


@transaction.atomic
def notify_account_change(*, user: User, kind: AccountMessage, address: str = "") -> OutboxMessage:
    """Tell the account's address (or `address`, one it no longer has) that it changed."""
    return enqueue_account_message(recipient=user, kind=kind, address=address)


@transaction.atomic
def record_address_change(*, user: User, old_address: str, new_address: str) -> AddressChange:
    """The account's address is now `new_address`: tell `old_address`, with a way back."""
    change = AddressChange(
        user=user,
        old_address=old_address,
        new_address=new_address,
        expires_at=timezone.now() + settings.ADDRESS_CHANGE_UNDO_LIFETIME,
    )
    change.full_clean()
    change.save()
    record_event(
        action="account.address_changed",
        actor_id=user.pk,
        target_type="address_change",
        target_id=change.pk,
    )
    enqueue_account_message(
        recipient=user,
        kind=AccountMessage.ADDRESS_CHANGED,
        address=old_address,
        reference_id=change.pk,
    )
    return change


def _unusable() -> ValidationError:
    return ValidationError(_("This link has expired or was already used."), code=UNDO_UNUSABLE)


@transaction.atomic
def undo_address_change(*, public_id: uuid.UUID) -> AddressChange:
    """Put the old address back, drop the new one and end every session of the account.
    Works once, within its week; any other use raises a `ValidationError` (UNDO_UNUSABLE)."""
    change = AddressChange.objects.select_for_update().filter(public_id=public_id).first()
    if change is None or not change.is_open:
        raise _unusable()
    user = User.objects.select_for_update().get(pk=change.user_id)
    old_address = change.old_address
    if not user.is_active or user.erased_at is not None or _taken_elsewhere(user, old_address):
        raise _unusable()
    dropped = [
        address.email
        for address in EmailAddress.objects.filter(user=user)
        if address.email.lower() != old_address.lower()
    ]
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=old_address, verified=True, primary=True)
    user.email = old_address
    user.save(update_fields=["email"])
    AddressChange.objects.filter(user=user, closed_at__isnull=True).update(closed_at=timezone.now())
    _end_every_session(user)
    record_event(
        action="account.address_change_undone",
        actor_id=None,  # whoever holds the old address; nobody is signed in by this
        target_type="address_change",
        target_id=change.pk,
    )
    for address in dropped:
        enqueue_account_message(
            recipient=user, kind=AccountMessage.ADDRESS_CHANGE_UNDONE, address=address
        )
    change.refresh_from_db()
    return change


def _taken_elsewhere(user: User, address: str) -> bool:
    """Another account took the old address in the meantime: it cannot come back."""
    return (
        User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=address, verified=True)
        .exclude(user=user)
        .exists()
    )


def _end_every_session(user: User) -> None:
    for session in UserSession.objects.filter(user=user):
        session.end()


def purge_closed_address_changes() -> int:
    """Forget changes that can no longer be undone: they hold two addresses."""
    deleted, _by_model = AddressChange.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


# --- Password reset, answered the same for every address ------------------------------------


@transaction.atomic
def request_password_reset(*, address: str) -> None:
    """Someone asked for a password-reset link. Nothing here depends on whether the address
    is known: one encrypted row and one task, always. The worker does the rest. (Without a
    broker, in the local demo, tasks run inside the request: only a deployment with a
    worker keeps the time the same.)"""
    reset_request = PasswordResetRequest(address=address.strip())
    reset_request.save()
    from accounts.tasks import resolve_password_reset_request as task  # it imports this module

    request_id = reset_request.pk
    transaction.on_commit(lambda: task.delay(request_id))


@transaction.atomic
def resolve_password_reset_request(*, request_id: int) -> None:
    """In the worker: queue the link if the address is an active account's, then forget the
    request. Running it twice, or for a request already resolved, does nothing."""
    reset_request = (
        PasswordResetRequest.objects.select_for_update(skip_locked=True)
        .filter(pk=request_id)
        .first()
    )
    if reset_request is None:
        return
    user = _account_for(reset_request.address)
    reset_request.delete()
    if user is None:
        return
    record_event(
        action="account.password_reset_asked",
        actor_id=None,
        target_type="user",
        target_id=user.pk,
    )
    enqueue_account_message(recipient=user, kind=AccountMessage.PASSWORD_RESET)


def resolve_waiting_password_reset_requests() -> int:
    """Catch up on requests whose task never reached a worker (the beat job calls this)."""
    waiting = list(PasswordResetRequest.objects.values_list("pk", flat=True)[:500])
    for request_id in waiting:
        resolve_password_reset_request(request_id=request_id)
    return len(waiting)


def _account_for(address: str) -> User | None:
    return (
        User.objects.filter(email__iexact=address, is_active=True, erased_at__isnull=True)
        .order_by("pk")
        .first()
    )
