"""allauth, extended only through its adapters: no public sign-up, neutral names, MFA
secrets encrypted at rest with a key of their own, and no mail sent by allauth itself."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest

from accounts import sign_in_limits
from accounts.account_messages import AccountMessage
from accounts.models import User
from accounts.outbox import enqueue_account_message
from accounts.services import account_changes

logger = logging.getLogger(__name__)

# allauth's notices about changes to an account, as the outbox's neutral account messages.
# The address change itself ("account/email/email_changed") is handled on its own: it comes
# with a way to undo it.
NOTICES = {
    "account/email/email_deleted": AccountMessage.ADDRESS_REMOVED,
    "account/email/password_changed": AccountMessage.PASSWORD_CHANGED,
    "account/email/password_set": AccountMessage.PASSWORD_CHANGED,
    "account/email/password_reset": AccountMessage.PASSWORD_CHANGED,
    "mfa/email/totp_activated": AccountMessage.SIGN_IN_STEP_ADDED,
    "mfa/email/webauthn_added": AccountMessage.SIGN_IN_STEP_ADDED,
    "mfa/email/recovery_codes_generated": AccountMessage.SIGN_IN_STEP_ADDED,
    "mfa/email/totp_deactivated": AccountMessage.SIGN_IN_STEP_REMOVED,
    "mfa/email/webauthn_removed": AccountMessage.SIGN_IN_STEP_REMOVED,
}


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join only through an invitation that an admin sent after checking the
        # address is safe to use.
        return False

    def format_email_subject(self, subject: str) -> str:
        # Every subject is the neutral site name: an inbox preview must reveal nothing.
        return str(settings.SITE_DISPLAY_NAME)

    # The password step, at sign-in and when confirming it is you again: a growing delay per
    # account on top of allauth's per-address limit (see accounts.sign_in_limits).
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        limit = sign_in_limits.password_limit(sign_in_limits.normalized_address(credentials))
        if limit is not None:
            limit.begin()  # first, so a refused try uses none of the address's allowance
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            if limit is not None:
                limit.abandon()
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        sign_in_limits.password_failed(sign_in_limits.normalized_address(credentials))

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        limit = sign_in_limits.password_limit(sign_in_limits.normalized_address(credentials))
        if user is not None and limit is not None:
            limit.succeeded()
        return user

    # --- mail: everything through the outbox, nothing sent from here ---------------------
    # The outbox checks the person's safe-contact rules, writes neutral words and makes any
    # link in the worker when it sends; a request only queues a row, whatever the address.

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Reached only by mails this project turns off (sign-in codes, "no account with this
        # address"). Dropped, never sent directly: allauth's words say what the site is.
        logger.warning("Not sent: allauth's %s mail has no outbox form.", template_prefix)

    def send_confirmation_mail(
        self, request: HttpRequest | None, emailconfirmation: Any, signup: bool
    ) -> None:
        address = emailconfirmation.email_address
        enqueue_account_message(
            recipient=address.user, kind=AccountMessage.CONFIRM_ADDRESS, reference_id=address.pk
        )

    def send_password_reset_mail(self, user: User, email: str, context: dict[str, Any]) -> None:
        # Our reset form never gets here (accounts.forms.account.ResetPasswordForm); if
        # allauth's own flow ever does, the link it made is dropped and a new one made later.
        enqueue_account_message(recipient=user, kind=AccountMessage.PASSWORD_RESET)

    def send_account_already_exists_mail(self, email: str) -> None:
        """Sign-up is closed, so nobody is told an address is taken."""

    def send_notification_mail(
        self,
        template_prefix: str,
        user: User,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        context = context or {}
        if template_prefix == "account/email/email_changed":
            account_changes.record_address_change(
                user=user, old_address=context["from_email"], new_address=context["to_email"]
            )
            return
        kind = NOTICES.get(template_prefix)
        if kind is None:
            logger.warning("Not sent: allauth's %s notice has no outbox form.", template_prefix)
            return
        account_changes.notify_account_change(user=user, kind=kind, address=email or "")

    # --- confirming it's you -----------------------------------------------------------------

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Someone who signed in moments ago without any second step is not asked for their
        password again while setting one up (TOTP, then its recovery codes): staff are sent
        there straight from signing in. Later changes, and anyone who already had a second
        step when they signed in, are still asked."""
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and self._setting_up_first_second_step():
            return False
        return required

    def _setting_up_first_second_step(self) -> bool:
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        records = get_authentication_records(request, request.user)
        if not records:
            return False
        signed_in_at = float(records[0].get("at", 0))
        if time.time() - signed_in_at > settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
            return False
        had_one_already = Authenticator.objects.filter(
            user_id=request.user.pk,
            created_at__lt=datetime.fromtimestamp(signed_in_at, tz=UTC),
        ).exists()
        return not had_one_already


@cache
def mfa_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("Set MFA_ENCRYPTION_KEYS to encrypt MFA secrets.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth is untyped
    """Encrypts TOTP secrets and recovery-code seeds; a wrong key raises (fails closed)."""

    def encrypt(self, text: str) -> str:
        return mfa_fernet(tuple(settings.MFA_ENCRYPTION_KEYS)).encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        fernet = mfa_fernet(tuple(settings.MFA_ENCRYPTION_KEYS))
        return fernet.decrypt(encrypted_text.encode()).decode()

    def get_totp_issuer(self) -> str:
        return str(settings.SITE_DISPLAY_NAME)

    def _get_site_name(self) -> str:
        # Also the passkey's relying-party name shown by the browser and password manager.
        return str(settings.SITE_DISPLAY_NAME)
