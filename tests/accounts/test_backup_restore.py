"""Backup and restore as the README tells an operator to do it, on PostgreSQL: dump, restore
into a new database, then check the copy with `verify_audit_log` and
`verify_encrypted_fields` — and hold what was pending so nothing is sent twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection

from accounts.account_messages import AccountMessage
from accounts.models import OutboxMessage, OutboxStatus
from accounts.outbox import (
    enqueue_account_message,
    enqueue_invitation,
    enqueue_update,
    send_pending_updates,
)
from tests.factories import InvitationFactory, SurvivorProfileFactory
from tests.mfa import give_totp

CANARY = "canary-5be1"
PROJECT = Path(__file__).resolve().parents[2]


def test_pending_messages_are_held_and_none_is_sent_afterwards(personas):
    update = enqueue_update(
        recipient=personas.sam,
        organization=personas.harbor,
        kind="meeting_changed",
        target="/o/harbor/meetings/",
    )
    notice = enqueue_account_message(recipient=personas.ash, kind=AccountMessage.PASSWORD_CHANGED)
    invitation = enqueue_invitation(
        invitation=InvitationFactory.create(organization=personas.harbor)
    )
    already_sent = enqueue_update(
        recipient=personas.fin,
        organization=personas.harbor,
        kind="meeting_changed",
        target="/o/harbor/meetings/",
    )
    OutboxMessage.objects.filter(pk=already_sent.pk).update(status=OutboxStatus.SENT)

    call_command("hold_pending_messages", stdout=(out := StringIO()))

    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses[update.pk] == OutboxStatus.HELD  # still waits on Sam's home page
    assert statuses[notice.pk] == statuses[invitation.pk] == OutboxStatus.NOT_SENT
    assert statuses[already_sent.pk] == OutboxStatus.SENT
    assert "1 update(s)" in out.getvalue()
    assert "2 account message(s)" in out.getvalue()
    assert send_pending_updates() == 0
    assert mail.outbox == []


@pytest.fixture
def restored_database():
    """A new, empty database for the restore, dropped afterwards."""
    name = f"restore_{uuid.uuid4().hex[:12]}"
    _pg("psql", "-d", "postgres", "-qc", f'CREATE DATABASE "{name}"')
    yield name
    _pg("psql", "-d", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg(tool: str, *args: str) -> None:
    """One of PostgreSQL's client tools against the test database's server."""
    db = connection.settings_dict
    server = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    subprocess.run(  # noqa: S603  # PostgreSQL's own tools, arguments made here
        [shutil.which(tool) or tool, *server, *args],
        check=True,
        capture_output=True,
        env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
    )


def _back_up_and_restore(into: str, folder: Path) -> None:
    """As the README says: a custom-format dump, restored into an empty database."""
    dump = str(folder / "equal-seat.dump")
    _pg("pg_dump", "--format=custom", "--no-owner", "-f", dump, connection.settings_dict["NAME"])
    _pg("pg_restore", "--no-owner", "-d", into, dump)


def _manage(database: str, command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A management command run against the restored copy, as an operator would."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"
    keys = {
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "MFA_ENCRYPTION_KEYS": ",".join(settings.MFA_ENCRYPTION_KEYS),
    }
    return subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "manage.py", command],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
        | keys
        | env,
    )


def _someone_with_details_and_a_sign_in_app(personas) -> None:
    SurvivorProfileFactory.create(
        user=personas.ash,
        organization=personas.harbor,
        legal_name=f"Legal {CANARY}",
        phone=f"+1 555 {CANARY}",
    )
    give_totp(personas.sam)


def restore_test(test):
    """A round trip needs PostgreSQL, its client tools, and rows committed for pg_dump."""
    test = pytest.mark.services(test)
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump")(test)


@restore_test
def test_a_dump_restored_into_a_new_database_verifies_and_decrypts(
    personas, restored_database, tmp_path
):
    _someone_with_details_and_a_sign_in_app(personas)
    _back_up_and_restore(restored_database, tmp_path)

    chain = _manage(restored_database, "verify_audit_log")
    fields = _manage(restored_database, "verify_encrypted_fields")

    assert chain.returncode == 0, chain.stderr
    assert "The audit log is intact" in chain.stdout
    assert fields.returncode == 0, fields.stderr
    assert "accounts.SurvivorProfile.legal_name: 1 readable, 0 not." in fields.stdout
    assert "allauth.mfa.Authenticator.data: 2 readable, 0 not." in fields.stdout
    assert CANARY not in fields.stdout + fields.stderr


@restore_test
def test_a_copy_restored_with_other_keys_passes_the_chain_but_fails_the_field_check(
    personas, restored_database, tmp_path
):
    """Why the second check exists: the audit chain does not depend on the encryption keys."""
    _someone_with_details_and_a_sign_in_app(personas)
    _back_up_and_restore(restored_database, tmp_path)
    other_keys = {
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }

    chain = _manage(restored_database, "verify_audit_log", **other_keys)
    fields = _manage(restored_database, "verify_encrypted_fields", **other_keys)

    assert chain.returncode == 0
    assert fields.returncode == 1
    assert "accounts.SurvivorProfile.legal_name: 0 readable, 1 not." in fields.stdout
    assert "allauth.mfa.Authenticator.data: 0 readable, 2 not." in fields.stdout
    assert "cannot be decrypted with the configured keys" in fields.stderr
    assert CANARY not in fields.stdout + fields.stderr
