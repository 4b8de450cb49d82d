"""`manage.py verify_encrypted_fields`: decrypt every stored secret with the configured keys.

Run it on a restored copy before letting anyone in: a copy restored with other keys passes
`verify_audit_log` but cannot show people's details or let staff sign in with their app.
It changes nothing and prints counts only, never a value. Exit 1 if any value is unreadable.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from accounts.services.encryption import CheckCount, check_encrypted_values


class Command(BaseCommand):
    help = "Check that the configured keys decrypt every encrypted value. Changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = check_encrypted_values(progress=self._report)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        unreadable = sum(count.unreadable for count in counts)
        if unreadable:
            raise CommandError(
                f"{unreadable} encrypted value(s) cannot be decrypted with the configured keys. "
                "Restore the keys this copy was written with (FIELD_ENCRYPTION_KEYS, "
                "MFA_ENCRYPTION_KEYS) before anyone signs in."
            )
        readable = sum(count.readable for count in counts)
        self.stdout.write(f"Every encrypted value can be read ({readable} values).")

    def _report(self, count: CheckCount) -> None:
        self.stdout.write(f"{count.what}: {count.readable} readable, {count.unreadable} not.")
