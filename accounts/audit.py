"""The tamper-evident audit log: one append point, a hash chain, and its verification.

Each event stores canonical JSON of what happened (ids, codes, a timestamp — never personal
text) and a SHA-256 over the previous event's hash and that JSON. Appends are serialized by
a lock so the sequence has no gaps and the chain never forks. Database triggers (migration
0002) refuse UPDATE and DELETE on the chain, the recorded heads and the other append-only
ledgers; the head hash recorded each day lets `verify_chain` notice a chain cut short.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from accounts.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
ACTION_MAX_LENGTH = 64  # AuditEvent.action and target_type
# Any fixed 64-bit number: the key of the PostgreSQL advisory lock that serializes appends.
AUDIT_LOCK_KEY = 7_305_115_021


def canonical_json(data: dict[str, object]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
    # SQLite allows one writer at a time, which serializes appends on its own.


@transaction.atomic
def record_event(
    *,
    action: str,
    actor_id: int | None = None,
    organization_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the service's own transaction."""
    if len(action) > ACTION_MAX_LENGTH or len(target_type) > ACTION_MAX_LENGTH:
        # Cutting a code short would make the stored columns differ from the hashed payload.
        raise ValueError(f"Audit codes are at most {ACTION_MAX_LENGTH} characters.")
    _lock_chain()
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    sequence = last["sequence"] + 1 if last else 1
    prev_hash = last["hash"] if last else GENESIS_HASH
    created_at = timezone.now()
    payload = canonical_json(
        {
            "sequence": sequence,
            "created_at": created_at.isoformat(),
            "actor_id": actor_id,
            "organization_id": organization_id,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
        }
    )
    return AuditEvent.objects.create(
        sequence=sequence,
        created_at=created_at,
        actor_id=actor_id,
        organization_id=organization_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        payload=payload,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, payload),
    )


@transaction.atomic
def record_audit_head() -> AuditHead | None:
    """Remember today's last sequence and hash, once a day (a second run the same day
    changes nothing). With nothing in the chain yet there is nothing to remember."""
    _lock_chain()
    today = timezone.localdate()
    existing = AuditHead.objects.filter(recorded_on=today).first()
    if existing is not None:
        return existing
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    if last is None:
        return None
    return AuditHead.objects.create(recorded_on=today, sequence=last["sequence"], hash=last["hash"])


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    events: int
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain() -> list[ChainProblem]:
    """Every way the stored chain differs from an untouched one: an edited payload or
    column, a removed event (a gap), a broken link, or a chain cut short after a head was
    recorded."""
    return check_chain().problems


def check_chain() -> ChainReport:
    heads = dict(AuditHead.objects.values_list("sequence", "hash"))
    hashes_at_heads: dict[int, str] = {}
    problems: list[ChainProblem] = []
    events = 0
    expected_sequence = 1
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        events += 1
        if event.sequence != expected_sequence:
            problems.append(ChainProblem(expected_sequence, "missing"))
        if event.prev_hash != prev_hash:
            problems.append(ChainProblem(event.sequence, "broken link"))
        if chain_hash(event.prev_hash, event.payload) != event.hash:
            problems.append(ChainProblem(event.sequence, "payload altered"))
        elif json.loads(event.payload) != _columns(event):
            problems.append(ChainProblem(event.sequence, "columns altered"))
        if event.sequence in heads:
            hashes_at_heads[event.sequence] = event.hash
        expected_sequence = event.sequence + 1
        prev_hash = event.hash
    problems.extend(_head_problems(heads, hashes_at_heads))
    return ChainReport(events=events, problems=problems)


def _head_problems(heads: dict[int, str], found: dict[int, str]) -> list[ChainProblem]:
    """Each recorded head must still be in the chain, with the hash it had then."""
    problems = []
    for sequence, head_hash in sorted(heads.items()):
        if sequence not in found:
            problems.append(ChainProblem(sequence, "truncated"))
        elif found[sequence] != head_hash:
            problems.append(ChainProblem(sequence, "differs from recorded head"))
    return problems


def _columns(event: AuditEvent) -> dict[str, object]:
    return {
        "sequence": event.sequence,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "organization_id": event.organization_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
    }


# --- maintenance: lifting the append-only triggers -----------------------------------------

TRIGGER_PREFIX = "append_only_"


@contextmanager
def append_only_triggers_lifted(
    *, using: str = DEFAULT_DB_ALIAS, tables: tuple[str, ...] = ()
) -> Iterator[None]:
    """Maintenance only — emptying a database (`manage.py flush`) and tests that simulate
    tampering. Inside one transaction the append-only triggers (of `tables`, or all) are
    lifted and then put back exactly as they were. Both databases undo schema changes on
    rollback, so if the work inside fails the triggers are back as well."""
    db = connections[using]
    with transaction.atomic(using=using):
        if db.vendor == "sqlite":
            with _sqlite_triggers_lifted(using, tables):
                yield
        elif db.vendor == "postgresql":
            with _postgresql_triggers_lifted(using, tables):
                yield
        else:
            yield


@contextmanager
def _sqlite_triggers_lifted(using: str, tables: tuple[str, ...]) -> Iterator[None]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB %s",
            [TRIGGER_PREFIX + "*"],
        )
        triggers = [(name, sql) for name, table, sql in cursor.fetchall() if _wanted(table, tables)]
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connections[using].ops.quote_name(name)}")
    yield
    with connections[using].cursor() as cursor:
        for _name, sql in triggers:
            cursor.execute(sql)


@contextmanager
def _postgresql_triggers_lifted(using: str, tables: tuple[str, ...]) -> Iterator[None]:
    db = connections[using]
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE starts_with(t.tgname, %s)",
            [TRIGGER_PREFIX],
        )
        triggers = [(name, table) for name, table in cursor.fetchall() if _wanted(table, tables)]
        for name, table in triggers:
            cursor.execute(_alter_trigger(db.ops.quote_name, name, table, "DISABLE"))
    yield
    with db.cursor() as cursor:
        for name, table in triggers:
            cursor.execute(_alter_trigger(db.ops.quote_name, name, table, "ENABLE"))


def _alter_trigger(quote: Callable[[str], str], name: str, table: str, state: str) -> str:
    return f"ALTER TABLE {quote(table)} {state} TRIGGER {quote(name)}"


def _wanted(table: str, tables: tuple[str, ...]) -> bool:
    return not tables or table in tables
