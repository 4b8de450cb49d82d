"""The demo, seeded once for a test module whose tests only read it.

Seeding the whole demo takes seconds; a module of read-only tests seeds it once, in a
transaction rolled back after the module's last test. Each test still runs in its own
savepoint inside it, so a test that writes (running a seeder again, say) leaves no trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


def seeded_once(*commands: str) -> Callable[..., Any]:
    """A module-scoped fixture that runs the seed `commands` in order (with DEBUG on, as the
    seeders require) and returns the last one's output. DEBUG stays on for the module's
    tests."""

    @pytest.fixture(scope="module")
    def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
        with (
            django_db_blocker.unblock(),
            override_settings(DEBUG=True),
            transaction.atomic(),
        ):
            out = StringIO()
            for command in commands:
                out = StringIO()
                call_command(command, stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)

    return seeded
