"""Production: every secret comes from the environment and has no default."""

from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envsecret
from config.settings.base import *

DEBUG = False  # whatever DJANGO_DEBUG says; base.py never installs the admin
SECRET_KEY = envsecret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set DJANGO_ALLOWED_HOSTS to the host names this site answers on, separated by "
        "commas (for example: seat.example.org)."
    )
# Everyone who finds a problem needs somewhere to report it (security.txt, SECURITY.md).
SECURITY_CONTACTS = envlist("SECURITY_CONTACT")
if not SECURITY_CONTACTS:
    raise ImproperlyConfigured(
        "Set SECURITY_CONTACT to where people can report a security problem: an e-mail "
        "address or an https:// link. It is published at /.well-known/security.txt."
    )
MFA_ENCRYPTION_KEYS = envlist("MFA_ENCRYPTION_KEYS") or [envsecret("MFA_ENCRYPTION_KEYS")]
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS") or [envsecret("FIELD_ENCRYPTION_KEYS")]

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "True")
# Health probes from compose and load balancers speak plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# How many reverse proxies stand in front of the web processes. allauth's per-IP sign-in
# limits read the client address from X-Forwarded-For through this many hops; with 0 every
# visitor would look like the proxy and share one limit.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("DJANGO_TRUSTED_PROXY_COUNT", 1)
