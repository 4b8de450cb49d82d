"""`manage.py hold_pending_messages`: after restoring an older backup, send nothing again.

Run it before starting any worker on the restored copy. Updates wait on people's home pages;
account messages and invitations are not sent. Prints counts only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.models import OutboxStatus
from accounts.outbox import hold_pending_messages


class Command(BaseCommand):
    help = "Keep every pending message from being e-mailed (for a restored older backup)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = hold_pending_messages()
        self.stdout.write(
            f"{counts[OutboxStatus.HELD]} update(s) now wait on home pages; "
            f"{counts[OutboxStatus.NOT_SENT]} account message(s) or invitation(s) will not be sent."
        )
