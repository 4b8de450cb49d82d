"""A text field stored encrypted with its own keys, that fails closed.

Keys come from FIELD_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first), never from
SECRET_KEY. A value that no key can decrypt raises `InvalidToken` instead of handing back
ciphertext or an empty string: a wrong key must stop the request, not corrupt data quietly.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS to store personal details.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def field_fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return field_fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    return field_fernet().decrypt(token.encode()).decode()


if TYPE_CHECKING:  # django-stubs makes fields generic; at run time they are not subscriptable
    _TextField = models.TextField[str, str]
else:
    _TextField = models.TextField


class EncryptedTextField(_TextField):
    """Optional personal details (legal name, phone, mailing address). Blank stays blank
    so "not given" needs no key; anything else is a Fernet token in the database."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str:
        if not value:
            return ""
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt_text(str(value))
