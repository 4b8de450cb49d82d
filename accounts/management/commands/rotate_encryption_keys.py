"""`manage.py rotate_encryption_keys`: re-encrypt every stored secret under the newest key.

Put the new key first in FIELD_ENCRYPTION_KEYS and/or MFA_ENCRYPTION_KEYS, keep the old keys
after it, run this, then remove the old keys. It prints counts only, never a value.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services.encryption import (
    DEFAULT_BATCH_SIZE,
    RotationCount,
    UndecryptableValueError,
    rotate_encryption_keys,
)


class Command(BaseCommand):
    help = "Re-encrypt personal details, exports and MFA secrets under the newest key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="Rows per transaction (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            rotate_encryption_keys(batch_size=options["batch_size"], progress=self._report)
        except (UndecryptableValueError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Every encrypted value is now under the newest key.")

    def _report(self, count: RotationCount) -> None:
        self.stdout.write(
            f"{count.what}: {count.rotated} re-encrypted, "
            f"{count.current} already under the newest key."
        )
