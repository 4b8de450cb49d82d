"""How the payment file streams: a batch of 10,000 people, exported through the real view,
timed, with the peak memory of streaming it measured by tracemalloc — and the same for
2,000 people, to show the peak does not grow with the batch.

Not a test. Run it with

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/pay_export.py

(add DATABASE_URL=postgres://... to measure on PostgreSQL, where rows come through a
server-side cursor). It works in a throwaway test database, created and dropped here.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.http import StreamingHttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import AccessRecord, Membership, Organization, Role, SurvivorProfile, User  # noqa: E402
from accounts.permissions import AuthenticatedRequest  # noqa: E402
from compensation.models import (  # noqa: E402
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
)
from compensation.views.finance import batch_csv  # noqa: E402

# Both larger than the chunk the view reads at a time, so the peaks compare like with like.
SIZES = (2_000, 10_000)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def seed(size: int) -> tuple[Organization, User, PaymentBatch]:
    """One organization, its finance person, and a check batch paying `size` people."""
    organization = Organization.objects.create(name=f"Bench {size}", slug=f"bench-{size}")
    finance = User.objects.create(email=f"finance-{size}@example.test")
    Membership.objects.create(user=finance, organization=organization, role=Role.FINANCE)
    people = User.objects.bulk_create(
        User(email=f"payee-{size}-{number}@example.test") for number in range(size)
    )
    SurvivorProfile.objects.bulk_create(
        SurvivorProfile(
            user=person,
            organization=organization,
            chosen_name=f"Payee {number}",
            legal_name=f"Legal Name {number}",
            mailing_address=f"{number} Example Street, Springfield",
        )
        for number, person in enumerate(people)
    )
    entries = LedgerEntry.objects.bulk_create(
        LedgerEntry(
            organization=organization,
            user=person,
            kind=EntryKind.EARNED,
            source=EntrySource.MEETING,
            reason=EntryReason.ATTENDED,
            amount=Decimal("75.00"),
            currency="USD",
            work_date=timezone.localdate(),
        )
        for person in people
    )
    Approval.objects.bulk_create(Approval(entry=entry) for entry in entries)
    batch = PaymentBatch.objects.create(organization=organization, method=PaymentMethod.CHECK)
    BatchItem.objects.bulk_create(BatchItem(batch=batch, entry=entry) for entry in entries)
    return organization, finance, batch


def measure(size: int) -> None:
    started = time.perf_counter()
    organization, finance, batch = seed(size)
    say(f"{size:>6} people: seeded in {time.perf_counter() - started:.1f} s")

    request = RequestFactory().get("/")
    request.user = finance
    started = time.perf_counter()
    signed_in = cast(AuthenticatedRequest, request)  # its user is set just above
    response = batch_csv(signed_in, org=organization.slug, public_id=batch.public_id)
    opened = time.perf_counter() - started
    assert isinstance(response, StreamingHttpResponse)  # noqa: S101  # a benchmark's own check
    records = AccessRecord.objects.filter(organization=organization).count()

    tracemalloc.start()
    started = time.perf_counter()
    lines = size_in_bytes = 0
    for chunk in response:  # what the server sends, a line at a time
        lines += 1
        size_in_bytes += len(chunk)
    streamed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    say(f"        access records written: {records} in {opened:.2f} s")
    say(
        f"        streamed {lines - 1} rows ({size_in_bytes / 1024:.0f} KiB) in {streamed:.2f} s, "
        f"peak memory while streaming {peak / 1024:.0f} KiB"
    )


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        say(f"Database: {connection.vendor}")
        for size in SIZES:
            measure(size)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
