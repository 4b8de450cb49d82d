"""Background work for the ground floor. Tasks are thin: they take plain values and call one
service, and running one twice does no harm."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from accounts.outbox import send_pending_updates
from accounts.services.access import purge_old_access_records


@shared_task(
    name="accounts.tasks.drain_outbox",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    # Beat runs this every few minutes, so a run must end well before the next one.
    soft_time_limit=90,
    time_limit=120,
    # A mail server or database that is briefly away: try again soon, then leave the rest
    # to the next scheduled run. Unsent messages stay pending, so nothing is lost.
    autoretry_for=(OSError, DatabaseError),
    max_retries=3,
    retry_backoff=10,
    retry_backoff_max=60,
    retry_jitter=True,
)
def drain_outbox(batch_size: int = 100) -> int:
    from accounts.services.account_changes import resolve_waiting_password_reset_requests

    # Password-reset requests whose own task never reached a worker become messages first.
    resolve_waiting_password_reset_requests()
    return send_pending_updates(batch_size=batch_size)


@shared_task(
    name="accounts.tasks.resolve_password_reset_request",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=30,
    time_limit=60,
    # A database that is briefly away: try again; the beat job's drain also catches up.
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=5,
    retry_jitter=True,
)
def resolve_password_reset_request(request_id: int) -> None:
    from accounts.services.account_changes import resolve_password_reset_request as resolve

    resolve(request_id=request_id)


@shared_task(
    name="accounts.tasks.purge_address_changes",
    serializer="json",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=60,
)
def purge_address_changes() -> int:
    from accounts.services.account_changes import purge_closed_address_changes

    return purge_closed_address_changes()


@shared_task(
    name="accounts.tasks.forget_old_sign_in_counters",
    serializer="json",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=60,
)
def forget_old_sign_in_counters() -> int:
    from accounts.sign_in_limits import forget_old_counters  # it imports this module

    return forget_old_counters()


@shared_task(
    name="accounts.tasks.expire_consents_and_remind",
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
def expire_consents_and_remind() -> dict[str, int]:
    """Daily: end lapsed consents first, then remind about those ending soon. Both steps are
    idempotent, so a retried or doubled run writes nothing twice."""
    from accounts.services.consent import expire_consents, send_consent_reminders

    return {"expired": expire_consents(), "reminded": send_consent_reminders()}


@shared_task(
    name="accounts.tasks.purge_access_records",
    serializer="json",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    # A database that is briefly away: the next daily run catches up, nothing is lost.
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=60,
)
def purge_access_records() -> int:
    return purge_old_access_records()


@shared_task(
    name="accounts.tasks.tell_of_failed_sign_ins",
    serializer="json",
    acks_late=True,
    soft_time_limit=30,
    time_limit=60,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=10,
)
def tell_of_failed_sign_ins(user_id: int | None) -> bool:
    """Sent with no id for an address that has no account (see `accounts.sign_in_limits`):
    then there is nobody to tell. Running twice tells once: the service allows one a day."""
    if user_id is None:
        return False
    from accounts.services.sign_in_notices import tell_of_failed_sign_ins as tell

    return tell(user_id=user_id) is not None


# --- Audit log ------------------------------------------------------------------------------


@shared_task(
    name="accounts.tasks.record_audit_head",
    serializer="json",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    # A database that is briefly away: try again; a second run the same day changes nothing.
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=30,
)
def record_audit_head() -> int | None:
    """Daily: remember the audit chain's head, so a chain cut short later is noticed."""
    from accounts.audit import record_audit_head as record_head

    head = record_head()
    return head.sequence if head is not None else None


# --- Data rights ----------------------------------------------------------------------------


@shared_task(
    name="accounts.tasks.build_data_export",
    serializer="json",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
    # A database that is briefly away: try again; a ready export is never built twice.
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=10,
    retry_jitter=True,
)
def build_data_export(export_id: int) -> None:
    from accounts.services import data_rights

    data_rights.build_data_export(export_id=export_id)


@shared_task(
    name="accounts.tasks.purge_expired_exports",
    serializer="json",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def purge_expired_exports() -> int:
    from accounts.services import data_rights

    return data_rights.purge_expired_exports()
