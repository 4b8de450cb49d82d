"""Tests: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, SQLite otherwise."""

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
if REDIS_URL:
    # Tests share one Redis with a real worker; a separate database keeps them apart
    # from a developer's own data.
    CACHES["default"]["KEY_PREFIX"] = "test"
# Serve static files straight from the source folders, as in development: no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
