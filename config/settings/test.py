"""Tests: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, SQLite otherwise.

Under pytest-xdist each worker process (PYTEST_XDIST_WORKER, "gw0", "gw1", ...) gets its own
PostgreSQL test database (pytest-django adds the suffix), its own cache key prefix and its own
default Celery queue, so two workers sharing one Redis database never see each other's keys
or take each other's tasks.
"""

import os

from config.env import envlist
from config.settings.base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "y" * 40
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURITY_CONTACTS = ["security@example.org"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Speed only.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MFA_ENCRYPTION_KEYS = envlist("MFA_ENCRYPTION_KEYS", "dGVzdC1vbmx5LW1mYS1lbmNyeXB0aW9uLWtleS0zMmI=")
FIELD_ENCRYPTION_KEYS = envlist(
    "FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5MzI="
)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
QUICK_EXIT_URL = "https://example.org/"
DEMO_PASSWORD = "harbor-light-demo"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_RUN = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
if REDIS_URL:
    # Tests share one Redis with a real worker; a separate database keeps them apart
    # from a developer's own data, and a prefix per xdist worker keeps workers apart.
    CACHES["default"]["KEY_PREFIX"] = TEST_RUN
# Tasks run in-process, with or without Redis, so tests behave the same everywhere; tests
# marked `worker` start a real worker (tests/celery_worker.py), which turns this off.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_DEFAULT_QUEUE = TEST_RUN
# Serve static files straight from the source folders, as in development: no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
