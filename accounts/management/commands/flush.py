"""Django's `flush`, able to empty the append-only tables on SQLite.

SQLite empties tables with DELETE, which the append-only triggers refuse (PostgreSQL uses
TRUNCATE, which fires no row triggers). Here the triggers are lifted for the flush and put
back in the same transaction. Test teardown after `transaction=True` and live-server tests
calls this command too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from accounts.audit import append_only_triggers_lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        if connections[database].vendor != "sqlite":
            super().handle(**options)
            return
        with append_only_triggers_lifted(using=database):
            super().handle(**options)
