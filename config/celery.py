"""The Celery application: JSON only, late acks, one task at a time per worker process."""

import logging
import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger
from celery.utils.log import get_multiprocessing_logger

from accounts.log_redaction import redact_handlers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("equal_seat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
def redact_worker_logs(logger: logging.Logger, **_kwargs: object) -> None:
    """Celery replaces the root handlers with its own: they redact too (see
    accounts/log_redaction.py)."""
    redact_handlers(logger)
    multiprocessing_logger = get_multiprocessing_logger()
    if multiprocessing_logger is not None:
        redact_handlers(multiprocessing_logger)


@after_setup_task_logger.connect
def redact_task_logs(logger: logging.Logger, **_kwargs: object) -> None:
    redact_handlers(logger)
