"""The Celery application: JSON only, late acks, one task at a time per worker process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("equal_seat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
