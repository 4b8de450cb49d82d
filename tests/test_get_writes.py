"""The check the URL walker wraps around every GET: it fails on any write but an access
record, so a page that writes when it is only read is caught."""

from __future__ import annotations

import pytest

from accounts.models import AccessRecord, OutboxMessage
from tests.support.db_writes import only_access_records_written, written_tables


def test_the_written_tables_are_read_from_the_sql():
    assert written_tables(
        [
            'SELECT "a"."id" FROM "a"',
            'INSERT INTO "accounts_outboxmessage" ("id") VALUES (1)',
            'UPDATE "django_session" SET "session_data" = %s',
            "DELETE FROM mfa_authenticator WHERE id = 1",
        ]
    ) == ["accounts_outboxmessage", "django_session", "mfa_authenticator"]


def test_an_access_record_may_be_written_and_nothing_else(personas):
    with only_access_records_written():
        AccessRecord.objects.create(
            viewer=personas.sam, subject=personas.ash, organization=personas.harbor, what="input"
        )
    with (
        pytest.raises(AssertionError, match="accounts_outboxmessage"),
        only_access_records_written("GET a page"),
    ):
        OutboxMessage.objects.create(
            recipient=personas.ash, organization=personas.harbor, kind="pay_sent"
        )
    with only_access_records_written(also={OutboxMessage._meta.db_table}):
        OutboxMessage.objects.create(
            recipient=personas.ash, organization=personas.harbor, kind="pay_sent"
        )
