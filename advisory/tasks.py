"""Background work for advisory. Tasks are thin: they call one service, and running one
twice does no harm (each person gets the weekly digest once per ISO week)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from advisory.services.recommendations import send_weekly_digest as send_digests


@shared_task(
    name="advisory.tasks.send_weekly_digest",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=30,
    retry_jitter=True,
)
def send_weekly_digest() -> int:
    """Weekly: tell staff and admins there is an update where recommendations are overdue
    or input has had no outcome for too long. No survivor content ever goes out."""
    return send_digests()
