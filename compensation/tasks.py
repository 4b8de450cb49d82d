"""Background work for pay. Tasks are thin: they take ids, call one service, and running one
twice writes nothing new (the services and the ledger's constraints see to that)."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import DatabaseError

from compensation.services import accrual


@shared_task(
    name="compensation.tasks.accrue_attendance",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=30,
    retry_jitter=True,
)
def accrue_attendance(attendance_id: int) -> bool:
    return accrual.accrue_attendance(attendance_id=attendance_id) is not None


@shared_task(
    name="compensation.tasks.accrue_late_cancellation",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=30,
    retry_jitter=True,
)
def accrue_late_cancellation(meeting_id: int, cancelled_at: str) -> int:
    result = accrual.accrue_late_cancellation(
        meeting_id=meeting_id, cancelled_at=datetime.fromisoformat(cancelled_at)
    )
    return result.paid


@shared_task(
    name="compensation.tasks.catch_up_on_attendance",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=30,
    retry_jitter=True,
)
def catch_up_on_attendance() -> int:
    """The safety net on the beat: attendance whose announcement never reached a worker."""
    done = 0
    for attendance_id in accrual.attendance_needing_pay().values_list("pk", flat=True)[:500]:
        accrual.accrue_attendance(attendance_id=attendance_id)
        done += 1
    return done
