"""The tamper-evident audit log: one append point, a hash chain, and its verification.

Each event stores canonical JSON of what happened (ids, codes, a timestamp — never personal
text) and a SHA-256 over the previous event's hash and that JSON. Appends are serialized by
a lock so the sequence has no gaps and the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AuditEvent

GENESIS_HASH = "0" * 64
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
        action=action[:64],
        target_type=target_type,
        target_id=target_id,
        payload=payload,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, payload),
    )


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str


def verify_chain() -> list[ChainProblem]:
    """Every way the stored chain differs from an untouched one: an edited payload or
    column, a removed event (a gap), or a broken link."""
    problems: list[ChainProblem] = []
    expected_sequence = 1
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            problems.append(ChainProblem(expected_sequence, "missing"))
        if event.prev_hash != prev_hash:
            problems.append(ChainProblem(event.sequence, "broken link"))
        if chain_hash(event.prev_hash, event.payload) != event.hash:
            problems.append(ChainProblem(event.sequence, "payload altered"))
        elif json.loads(event.payload) != _columns(event):
            problems.append(ChainProblem(event.sequence, "columns altered"))
        expected_sequence = event.sequence + 1
        prev_hash = event.hash
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
