"""Background work for meetings. Tasks are thin: they call one service, and running one twice
does no harm (each meeting is reminded about once)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from meetings.services.scheduling import send_meeting_reminders as remind


@shared_task(
    name="meetings.tasks.send_meeting_reminders",
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
def send_meeting_reminders() -> int:
    return remind()


@shared_task(
    name="meetings.tasks.purge_unconfirmed_input",
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
def purge_unconfirmed_input() -> int:
    """Daily: delete input recorded on someone's behalf that waited 30 days unconfirmed."""
    from meetings.services.input import purge_unconfirmed_input as purge

    return purge()


@shared_task(
    name="meetings.tasks.remind_about_unconfirmed_input",
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
def remind_about_unconfirmed_input() -> int:
    """Daily: a week before unconfirmed input is deleted, its author is told once."""
    from meetings.services.input import remind_about_unconfirmed_input as remind_author

    return remind_author()
