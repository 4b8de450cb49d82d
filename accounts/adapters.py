"""allauth, extended only through its adapters: no public sign-up, neutral names, and MFA
secrets encrypted at rest with a key of their own."""

from __future__ import annotations

from functools import cache

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join only through an invitation that an admin sent after checking the
        # address is safe to use.
        return False

    def format_email_subject(self, subject: str) -> str:
        # Every subject is the neutral site name: an inbox preview must reveal nothing.
        return str(settings.SITE_DISPLAY_NAME)


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
