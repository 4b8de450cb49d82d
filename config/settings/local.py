"""The zero-setup demo: SQLite, tasks run in-process without Redis, mail printed to the console."""

from config.env import env, envlist
from config.settings.base import *

DEBUG = True
# Only here: the admin bypasses scoping and access logging (config/urls.py mounts it only
# when installed).
INSTALLED_APPS = ["django.contrib.admin", *INSTALLED_APPS]
SECRET_KEY = env("DJANGO_SECRET_KEY", "local-demo-only-not-secret-" + "x" * 32)
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
SECURITY_CONTACTS = envlist("SECURITY_CONTACT", "security@example.org")
MAILERS = {
    "default": {"BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
# A development key only; production has no default (see production.py).
MFA_ENCRYPTION_KEYS = envlist("MFA_ENCRYPTION_KEYS", "ZGV2ZWxvcG1lbnQtb25seS1tZmEta2V5LTMyYnl0ZXM=")
FIELD_ENCRYPTION_KEYS = envlist(
    "FIELD_ENCRYPTION_KEYS", "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMzJieXQ="
)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
DEMO_PASSWORD = env("DEMO_PASSWORD", "harbor-light-demo")
DEMO_TOTP_SECRET = env("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
