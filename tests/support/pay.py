"""Pay to work with: earned and approved amounts, people ready to be paid, and a count of
everything a payment run writes."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts.models import (
    OutboxMessage,
    User,
)
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    Hold,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
    WorkClaim,
    WorkKind,
)
from compensation.services.claims import make_claim
from compensation.services.ledger import append_entry
from tests.compensation.factories import (
    give_payment_details,
    offer_methods,
    prefer,
)
from tests.support.urls import url

WORK_DAY = datetime.date(2026, 3, 2)


def earned(person: User, organization, amount: str = "50.00", on=WORK_DAY) -> LedgerEntry:
    return append_entry(
        organization_id=organization.pk,
        user_id=person.pk,
        kind=EntryKind.EARNED,
        source=EntrySource.MEETING,
        reason=EntryReason.ATTENDED,
        amount=Decimal(amount),
        currency="USD",
        work_date=on,
        actor_id=None,
        hours=Decimal("1.00"),
    )


def approved(person: User, organization, amount: str = "50.00", on=WORK_DAY) -> LedgerEntry:
    entry = earned(person, organization, amount, on)
    Approval.objects.create(entry=entry)
    return entry


def ready_to_pay(personas, *people: User, method: str = PaymentMethod.DIRECT_DEPOSIT) -> None:
    """The organization offers the method, and each person chose it, paid per meeting,
    and gave the details it needs."""
    offer_methods(personas.harbor, method)
    for person in people or (personas.ash,):
        prefer(person, personas.harbor, method, schedule="per_meeting")
        give_payment_details(person, personas.harbor)


def snapshot() -> tuple[int, ...]:
    return (
        Approval.objects.count(),
        PaymentBatch.objects.count(),
        BatchItem.objects.count(),
        Hold.objects.count(),
        LedgerEntry.objects.count(),
        OutboxMessage.objects.count(),
    )


YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def claim_for(person: Any, organization: Any, **kwargs: Any) -> WorkClaim:
    values: dict[str, Any] = {
        "kind": WorkKind.PREPARATION,
        "work_date": YESTERDAY,
        "hours": Decimal("1.5"),
        "note": "Read the papers.",
    }
    values.update(kwargs)
    return make_claim(person=person, organization=organization, **values)


def batch_url(name: str, batch: PaymentBatch, org: str = "harbor") -> str:
    return url(name, org, public_id=batch.public_id)


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = response.getvalue().decode()
    return list(csv.reader(io.StringIO(body)))


# DASHBOARD_QUERIES = 17, the same for 10 entries as for 10,000: session and user (2); the
# MFA check (1); the viewer's time zone (1); the organization and the finance check (2); pay
# settings (1); earned / approved / held, counted and summed by state in one query (1); open
# hours flags (1); work waiting for a rate (1); people with approved pay and no way to be
# paid (1); people with approved pay whose way to be paid needs a detail they have not
# given, with their chosen names (1); days to payment, paid or late, grouped by person, day
# and outcome (1); people near the tax threshold with their chosen names (1); the methods
# offered (1); how many batches there are and the ones on this page (2). Nothing is asked
# per entry, per person or per batch.
DASHBOARD_QUERIES = 17
