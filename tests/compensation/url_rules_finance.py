"""Access rules for compensation's finance URLs, merged into the walk in tests/test_url_access.py.

Finance of the organization only; everyone else, staff and admins included, gets 404 —
the payment file holds legal names. Batches are made on demand straight in the database
(no audit events, so the "GET changes nothing" snapshot is unaffected): one approved entry
of the organization's survivor, in an open batch.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import Organization
from accounts.permissions import Capability
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
)
from tests.url_walk import (
    ANSWERED,
    Rule,
    World,
    _roles_survivor_in,
    allowed,
    other_org,
    own_org,
)

FINANCE = ("fin",)


def _batch(world: World, org: Organization) -> str:
    entry = LedgerEntry.objects.create(
        organization=org,
        user=_roles_survivor_in(world, org),
        kind=EntryKind.EARNED,
        source=EntrySource.MEETING,
        reason=EntryReason.ATTENDED,
        amount=Decimal("75.00"),
        currency="USD",
        work_date=timezone.localdate(),
    )
    Approval.objects.create(entry=entry)
    batch = PaymentBatch.objects.create(organization=org, method=PaymentMethod.DIRECT_DEPOSIT)
    BatchItem.objects.create(batch=batch, entry=entry)
    return str(batch.public_id)


def own_batch(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "public_id": _batch(world, org)}


def other_orgs_batch(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "public_id": _batch(world, org)}


def other_orgs_batch_under_own_org(world: World, who: str) -> dict[str, Any]:
    """My organization in the path, another organization's batch."""
    return {"org": world.own_org(who).slug, "public_id": _batch(world, world.other_org(who))}


BATCH_FOREIGN = (other_orgs_batch, other_orgs_batch_under_own_org)

RULES: dict[str, Rule] = {
    "finance_dashboard": Rule(
        allowed(Capability.HANDLE_PAY),
        kwargs=own_org,
        foreign=(other_org,),
        why="finance of the organization",
    ),
    "approve_pay": Rule(allowed(Capability.HANDLE_PAY), kwargs=own_org, foreign=(other_org,)),
    "create_batch": Rule(
        allowed(Capability.HANDLE_PAY, ANSWERED),
        method="POST",
        kwargs=own_org,
        foreign=(other_org,),
        data={"method": PaymentMethod.DIRECT_DEPOSIT},
        why="finance get the dashboard back: the method is not offered in this world",
    ),
    "payment_batch": Rule(allowed(Capability.HANDLE_PAY), kwargs=own_batch, foreign=BATCH_FOREIGN),
    "batch_csv": Rule(
        allowed(Capability.HANDLE_PAY),
        kwargs=own_batch,
        foreign=BATCH_FOREIGN,
        why="legal names: finance only, each opening in the person's access log",
    ),
    "mark_batch_paid": Rule(
        allowed(Capability.HANDLE_PAY, ANSWERED),
        method="POST",
        kwargs=own_batch,
        foreign=BATCH_FOREIGN,
        data={"reference": "ACH-1", "paid_on": timezone.localdate().isoformat()},
    ),
}
