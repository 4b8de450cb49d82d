"""Background work for funder reports. Tasks are thin: they call one service, and running
one twice does no harm.

The registered names still say `advisory.tasks`, where these tasks were first defined, so
tasks already queued and the beat schedule keep reaching them."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError


@shared_task(
    name="advisory.tasks.generate_report_version",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=540,
    time_limit=600,
)
def generate_report_version(version_id: int) -> str:
    """Compute and protect one report draft. Does nothing unless the version is
    still being prepared, so a repeat delivery is harmless; a failure marks it failed."""
    from reports.services.report_generation import generate_version

    return generate_version(version_id)


@shared_task(
    name="advisory.tasks.reissue_unusable_quotes",
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
def reissue_unusable_quotes() -> int:
    """Hourly catch-up: a quote whose author took it back, or whose yes to being
    quoted ended, leaves every current report even if the signal was missed."""
    from reports.services.report_publish import reissue_unusable_quotes as reissue

    return reissue()
