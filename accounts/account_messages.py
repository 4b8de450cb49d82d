"""What account messages and invitations say, and the links they carry.

The words never say what the site is, name nobody and tell nothing about anyone's work;
the subject is always the neutral site name (set by the outbox). Someone who reads the
inbox over the person's shoulder learns only that some account changed.

Every link is made here, when the outbox sends the message, and never stored: no token sits
in the database or in the broker, and a message that is never sent never had one.

- a password reset: allauth's own token generator (it covers the password and the account's
  addresses, so a reset link stops working once either changes);
- confirming an e-mail address: allauth's HMAC confirmation key for that address;
- undoing an address change: a key signed with the site's secret, for the change's id, that
  works for `ADDRESS_CHANGE_UNDO_LIFETIME` and once (the change row records the use);
- an invitation: a new token whose hash replaces the invitation's (only the hash is kept).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from accounts.models import AddressChange, OutboxMessage, User


class AccountMessage(enum.StrEnum):
    """The `kind` of each account message in the outbox."""

    PASSWORD_RESET = "account.password_reset"  # noqa: S105  # a message kind, not a secret
    CONFIRM_ADDRESS = "account.confirm_address"
    ADDRESS_CHANGE_ASKED = "account.address_change_asked"
    ADDRESS_CHANGED = "account.address_changed"  # to the old address, with the undo link
    ADDRESS_REMOVED = "account.address_removed"
    ADDRESS_CHANGE_UNDONE = "account.address_change_undone"  # to the address that was dropped
    PASSWORD_CHANGED = "account.password_changed"  # noqa: S105  # a message kind
    SIGN_IN_STEP_ADDED = "account.sign_in_step_added"
    SIGN_IN_STEP_REMOVED = "account.sign_in_step_removed"


# An invitation is not an account message (it may go to someone with no account yet), but
# its link is made the same way.
INVITATION = "invitation.email"

UNDO_SALT = "accounts.address-change-undo"


@dataclass(frozen=True)
class Email:
    to: str
    body: str


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def compose(message: OutboxMessage) -> Email | None:
    """The e-mail for an account message or an invitation, its link made now; None when
    there is nothing to send any more (the address was confirmed or removed, the change
    was undone or expired, the invitation was used or revoked, the account was closed)."""
    composer = _COMPOSERS.get(message.kind)
    if composer is None:
        return None
    # Site default language: the words must not depend on anything about the reader.
    with override(settings.LANGUAGE_CODE):
        return composer(message)


# --- links -----------------------------------------------------------------------------


def password_reset_link(user: User) -> str:
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": token},
    )
    return site_url(path)


def confirm_address_link(address: EmailAddress) -> str:
    key = EmailConfirmationHMAC(address).key
    return site_url(reverse("account_confirm_email", args=[key]))


def undo_link(change: AddressChange) -> str:
    token = signing.dumps(str(change.public_id), salt=UNDO_SALT)
    return site_url(reverse("undo_address_change", kwargs={"token": token}))


def read_undo_token(token: str) -> uuid.UUID | None:
    """The change an undo link is for, while the link is young enough; None otherwise."""
    max_age = settings.ADDRESS_CHANGE_UNDO_LIFETIME
    try:
        return uuid.UUID(str(signing.loads(token, salt=UNDO_SALT, max_age=max_age)))
    except (signing.BadSignature, ValueError):
        return None


# --- words -----------------------------------------------------------------------------


def _with_link(first: str, link: str) -> str:
    return "\n\n".join([first, link, _("If you did not ask for it, you can ignore this message.")])


def _notice(first: str) -> str:
    return "\n\n".join(
        [
            first,
            _("If it was you, you can ignore this message."),
            _("If it was not you, choose a new password here:"),
            site_url(reverse("account_reset_password")),
        ]
    )


def _active(user: User | None) -> User | None:
    return user if user is not None and user.is_active and user.erased_at is None else None


def _password_reset(message: OutboxMessage) -> Email | None:
    user = _active(message.recipient)
    if user is None or not user.has_usable_password():
        return None
    body = _with_link(_("Here is the link you asked for."), password_reset_link(user))
    return Email(to=user.email, body=body)


def _confirm_address(message: OutboxMessage) -> Email | None:
    user = _active(message.recipient)
    if user is None or message.reference_id is None:
        return None
    address = EmailAddress.objects.filter(
        id=message.reference_id, user=user, verified=False
    ).first()
    if address is None:
        return None
    first = _("Here is the link you asked for, to confirm this e-mail address.")
    return Email(to=address.email, body=_with_link(first, confirm_address_link(address)))


def _address_changed(message: OutboxMessage) -> Email | None:
    user = _active(message.recipient)
    if user is None or message.reference_id is None:
        return None
    change = AddressChange.objects.filter(id=message.reference_id, user=user).first()
    if change is None or not change.is_open:
        return None
    days = settings.ADDRESS_CHANGE_UNDO_LIFETIME.days
    body = "\n\n".join(
        [
            _("The e-mail address for your account was changed to a new one."),
            _("If it was you, you can ignore this message."),
            ngettext(
                "If it was not you, open this link within %(days)d day to put this address "
                "back. It also signs everyone out of your account.",
                "If it was not you, open this link within %(days)d days to put this address "
                "back. It also signs everyone out of your account.",
                days,
            )
            % {"days": days},
            undo_link(change),
        ]
    )
    return Email(to=message.address or change.old_address, body=body)


def _address_change_undone(message: OutboxMessage) -> Email | None:
    # To the address that was dropped: it is no longer on the account, so nothing in this
    # message points anywhere.
    if _active(message.recipient) is None or not message.address:
        return None
    body = _(
        "The e-mail address for an account was changed back from this address to the one it "
        "had before, and everyone was signed out of it."
    )
    return Email(to=message.address, body=body)


NOTICES: dict[str, Promise] = {
    AccountMessage.ADDRESS_CHANGE_ASKED: gettext_lazy(
        "Someone asked to change the e-mail address for your account to a new one."
    ),
    AccountMessage.ADDRESS_REMOVED: gettext_lazy(
        "An e-mail address was removed from your account."
    ),
    AccountMessage.PASSWORD_CHANGED: gettext_lazy("The password for your account was changed."),
    AccountMessage.SIGN_IN_STEP_ADDED: gettext_lazy(
        "A way to confirm it is you when you sign in was added to your account."
    ),
    AccountMessage.SIGN_IN_STEP_REMOVED: gettext_lazy(
        "A way to confirm it is you when you sign in was removed from your account."
    ),
}


def _account_notice(message: OutboxMessage) -> Email | None:
    user = _active(message.recipient)
    if user is None:
        return None
    return Email(to=message.address or user.email, body=_notice(str(NOTICES[message.kind])))


def _invitation(message: OutboxMessage) -> Email | None:
    # Imported here: the invitation service queues this message through the outbox, which
    # reaches this module.
    from accounts.services.invitations import issue_invitation_link

    if message.reference_id is None:
        return None
    issued = issue_invitation_link(invitation_id=message.reference_id)
    if issued is None:
        return None
    address, link = issued
    context = {
        "site_name": settings.SITE_DISPLAY_NAME,
        "link": link,
        "days": settings.INVITATION_LIFETIME.days,
    }
    return Email(to=address, body=render_to_string("emails/invitation.txt", context))


_COMPOSERS: dict[str, Callable[[OutboxMessage], Email | None]] = {
    AccountMessage.PASSWORD_RESET: _password_reset,
    AccountMessage.CONFIRM_ADDRESS: _confirm_address,
    AccountMessage.ADDRESS_CHANGED: _address_changed,
    AccountMessage.ADDRESS_CHANGE_UNDONE: _address_change_undone,
    **dict.fromkeys(NOTICES, _account_notice),
    INVITATION: _invitation,
}
