"""Attendance becomes pay through a real Celery worker over Redis: the meetings service
announces the change after commit, compensation's receiver enqueues the task, a worker
records the pay — once, however often the sheet is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest

from compensation.models import LedgerEntry
from compensation.tasks import accrue_attendance
from tests.celery_worker import celery_worker, wait_for  # noqa: F401  # the fixture
from tests.compensation.factories import attend, hourly_rate, past_meeting

pytestmark = [
    pytest.mark.services,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def test_the_task_runs_on_a_real_worker_and_twice_writes_once(personas, celery_worker):  # noqa: F811
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash)
    attendance = attend(meeting, personas.ash, by=personas.sam, hours="2", accrue=False)

    for _ in range(2):  # delivered twice
        accrue_attendance.apply_async((attendance.pk,), queue=celery_worker.queue)
    wait_for(lambda: LedgerEntry.objects.filter(user=personas.ash).exists())
    # Give a second delivery time to land, then check nothing more was written.
    accrue_attendance.apply_async((attendance.pk,), queue=celery_worker.queue).get(timeout=20)
    assert list(LedgerEntry.objects.values_list("amount", flat=True)) == [Decimal("80.00")]
