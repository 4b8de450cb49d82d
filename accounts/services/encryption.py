"""Key rotation: re-encrypting every stored secret under the newest key.

Three kinds of encrypted value exist: every `EncryptedTextField` on any model (found through
the app registry), data exports (`DataExport.content`), both under FIELD_ENCRYPTION_KEYS; and
allauth's MFA secrets (the TOTP secret, the recovery-code seed) under MFA_ENCRYPTION_KEYS.

To rotate, an operator puts the new key first and keeps the old ones after it, runs
`manage.py rotate_encryption_keys`, and only then removes the old keys. Work goes in batches,
each in its own transaction. A value already under the newest key is left alone, so a second
run changes nothing. A value that no key decrypts stops the run; its batch is not changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast

from accounts.adapters import mfa_fernet
from accounts.audit import record_event
from accounts.fields import EncryptedTextField, field_fernet
from accounts.models import DataExport

DEFAULT_BATCH_SIZE = 200


@dataclass
class RotationCount:
    """How many values of one kind were re-encrypted, and how many were already current."""

    what: str
    rotated: int = 0
    current: int = 0


class UndecryptableValueError(Exception):
    def __init__(self, what: str, pk: object, setting: str) -> None:
        super().__init__(
            f"A value in {what} (row {pk}) cannot be decrypted with any key in {setting}. "
            "Nothing in its batch was changed. Add the key it was written with (after the "
            "newest one) and run the command again."
        )


class _Keys:
    def __init__(self, setting: str, newest: str, every: MultiFernet) -> None:
        self.setting = setting
        self.newest = Fernet(newest.encode())
        self.every = every

    def rotate(self, token: bytes, *, what: str, pk: object) -> bytes | None:
        """The token under the newest key, or None when it already is."""
        try:
            self.newest.decrypt(token)
        except InvalidToken:
            pass
        else:
            return None
        try:
            return self.every.rotate(token)
        except InvalidToken:
            raise UndecryptableValueError(what, pk, self.setting) from None


def _field_keys() -> _Keys:
    every = field_fernet()  # raises ImproperlyConfigured without keys
    return _Keys("FIELD_ENCRYPTION_KEYS", settings.FIELD_ENCRYPTION_KEYS[0], every)


def _mfa_keys() -> _Keys:
    every = mfa_fernet(tuple(settings.MFA_ENCRYPTION_KEYS))
    return _Keys("MFA_ENCRYPTION_KEYS", settings.MFA_ENCRYPTION_KEYS[0], every)


def encrypted_text_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted text column, once each: proxies share their concrete model's table and
    inherited fields are listed on the model that holds the column."""
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.local_fields
        if isinstance(field, EncryptedTextField)
    ]


def _stored_tokens(
    model: type[models.Model], field: EncryptedTextField
) -> models.QuerySet[Any, Any]:
    """Rows holding a value in `field`, with the stored token itself as `_token`: cast to
    plain text, so the field's decryption is not applied."""
    rows: models.QuerySet[Any, Any] = model._base_manager.exclude(**{field.attname: ""}).exclude(
        **{f"{field.attname}__isnull": True}
    )
    tokens: models.QuerySet[Any, Any] = rows.annotate(
        _token=Cast(field.attname, output_field=models.TextField())
    )
    return tokens


def _exports_with_content() -> models.QuerySet[DataExport]:
    return DataExport.objects.exclude(content__isnull=True).exclude(content=b"")


def _authenticators_with_secrets() -> models.QuerySet[Any, Any]:
    found: models.QuerySet[Any, Any] = Authenticator.objects.filter(
        type__in=list(MFA_ENCRYPTED_KEYS)
    )
    return found


def rotate_encryption_keys(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[RotationCount], None] | None = None,
) -> list[RotationCount]:
    """Re-encrypt everything under the newest keys. `progress` hears about each kind of
    value as soon as it is done, so an operator sees how far a failed run got."""
    field_keys, mfa_keys = _field_keys(), _mfa_keys()
    rotations: list[Callable[[], RotationCount]] = [
        *(
            partial(_rotate_text_column, model, field, field_keys, batch_size)
            for model, field in encrypted_text_fields()
        ),
        partial(_rotate_exports, field_keys, batch_size),
        partial(_rotate_authenticators, mfa_keys, batch_size),
    ]
    counts = []
    for rotation in rotations:
        count = rotation()
        counts.append(count)
        if progress is not None:
            progress(count)
    record_event(action="encryption_keys.rotated")
    return counts


def _batches(
    queryset: models.QuerySet[Any, Any],
    fields: Sequence[str],
    rotate_batch: Callable[[list[Any]], None],
    batch_size: int,
) -> None:
    """Walk `queryset` by primary key, `batch_size` rows at a time, each batch locked and
    handled in its own transaction."""
    after = None
    while True:
        with transaction.atomic():
            page = queryset.select_for_update().order_by("pk")
            if after is not None:
                page = page.filter(pk__gt=after)
            rows = list(page.values_list("pk", *fields)[:batch_size])
            if not rows:
                return
            rotate_batch(rows)
        after = rows[-1][0]


def _rotate_text_column(
    model: type[models.Model], field: EncryptedTextField, keys: _Keys, batch_size: int
) -> RotationCount:
    count = RotationCount(f"{model._meta.label}.{field.name}")
    manager = model._base_manager
    rows = _stored_tokens(model, field)

    def rotate_batch(batch: list[tuple[Any, str]]) -> None:
        for pk, token in batch:
            new = keys.rotate(token.encode(), what=count.what, pk=pk)
            if new is None:
                count.current += 1
                continue
            value = models.Value(new.decode(), output_field=models.TextField())
            manager.filter(pk=pk).update(**{field.attname: value})
            count.rotated += 1

    _batches(rows, ["_token"], rotate_batch, batch_size)
    return count


def _rotate_exports(keys: _Keys, batch_size: int) -> RotationCount:
    count = RotationCount("accounts.DataExport.content")

    def rotate_batch(batch: list[tuple[Any, bytes | memoryview]]) -> None:
        for pk, content in batch:
            new = keys.rotate(bytes(content), what=count.what, pk=pk)
            if new is None:
                count.current += 1
                continue
            DataExport.objects.filter(pk=pk).update(content=new)
            count.rotated += 1

    _batches(_exports_with_content(), ["content"], rotate_batch, batch_size)
    return count


# allauth keeps these values of `Authenticator.data` encrypted through the MFA adapter
# (allauth/mfa/totp/internal/auth.py, allauth/mfa/recovery_codes/internal/auth.py).
MFA_ENCRYPTED_KEYS = {
    Authenticator.Type.TOTP: ("secret",),
    Authenticator.Type.RECOVERY_CODES: ("seed",),
}
# Recovery codes carried over from an older allauth: a list of encrypted codes.
MFA_ENCRYPTED_LISTS = {Authenticator.Type.RECOVERY_CODES: ("migrated_codes",)}


def _rotate_authenticators(keys: _Keys, batch_size: int) -> RotationCount:
    count = RotationCount("allauth.mfa.Authenticator.data")

    def rotate_batch(batch: list[tuple[Any, str, dict[str, Any]]]) -> None:
        for pk, kind, data in batch:
            new = _rotated_data(kind, data, keys, what=count.what, pk=pk)
            if new is None:
                count.current += 1
                continue
            Authenticator.objects.filter(pk=pk).update(data=new)
            count.rotated += 1

    _batches(_authenticators_with_secrets(), ["type", "data"], rotate_batch, batch_size)
    return count


def _rotated_data(
    kind: str, data: dict[str, Any], keys: _Keys, *, what: str, pk: object
) -> dict[str, Any] | None:
    def rotate(token: str) -> str | None:
        new = keys.rotate(token.encode(), what=what, pk=pk)
        return None if new is None else new.decode()

    new_data = dict(data)
    changed = False
    for key in MFA_ENCRYPTED_KEYS.get(kind, ()):
        if data.get(key) and (new := rotate(data[key])) is not None:
            new_data[key], changed = new, True
    for key in MFA_ENCRYPTED_LISTS.get(kind, ()):
        if isinstance(data.get(key), list):
            tokens = [(token, rotate(token)) for token in data[key]]
            if any(new is not None for _, new in tokens):
                new_data[key] = [new or old for old, new in tokens]
                changed = True
    return new_data if changed else None


@dataclass
class CheckCount:
    """How many values of one kind the current keys decrypt, and how many they do not."""

    what: str
    readable: int = 0
    unreadable: int = 0


def check_encrypted_values(
    *, progress: Callable[[CheckCount], None] | None = None
) -> list[CheckCount]:
    """Try to decrypt every stored secret with the configured keys, changing nothing.

    Run after restoring a backup: `verify_audit_log` passes on a copy restored with the
    wrong keys, but people's details and staff's sign-in apps would be lost. Only counts
    leave this function, never a value or a row's key.
    """
    field_keys, mfa_keys = _field_keys(), _mfa_keys()
    sources: list[tuple[str, MultiFernet, Callable[[], Iterator[bytes]]]] = [
        *(
            (f"{model._meta.label}.{field.name}", field_keys.every, partial(_column, model, field))
            for model, field in encrypted_text_fields()
        ),
        ("accounts.DataExport.content", field_keys.every, _export_contents),
        ("allauth.mfa.Authenticator.data", mfa_keys.every, _authenticator_tokens),
    ]
    counts = []
    for what, fernet, tokens in sources:
        count = CheckCount(what)
        for token in tokens():
            try:
                fernet.decrypt(token)
            except InvalidToken:
                count.unreadable += 1
            else:
                count.readable += 1
        counts.append(count)
        if progress is not None:
            progress(count)
    return counts


def _column(model: type[models.Model], field: EncryptedTextField) -> Iterator[bytes]:
    tokens = _stored_tokens(model, field).values_list("_token", flat=True)
    for token in tokens.order_by("pk").iterator():
        yield token.encode()


def _export_contents() -> Iterator[bytes]:
    contents = _exports_with_content().values_list("content", flat=True)
    for content in contents.order_by("pk").iterator():
        if content is not None:
            yield bytes(content)


def _authenticator_tokens() -> Iterator[bytes]:
    secrets = _authenticators_with_secrets().values_list("type", "data")
    for kind, data in secrets.order_by("pk").iterator():
        for key in MFA_ENCRYPTED_KEYS.get(kind, ()):
            if data.get(key):
                yield data[key].encode()
        for key in MFA_ENCRYPTED_LISTS.get(kind, ()):
            if isinstance(data.get(key), list):
                yield from (token.encode() for token in data[key])
