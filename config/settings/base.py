"""Settings shared by every environment. Nothing here is permissive by default."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env, envbool, envdatetime, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = envbool("DJANGO_DEBUG")
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

# Neutral name used for the page title, e-mail sender and subject, TOTP issuer and passkey
# name: someone glancing at a screen or an inbox must not learn what this service is about.
SITE_DISPLAY_NAME = env("SITE_DISPLAY_NAME", "Member portal")
# Where the quick exit sends people: an ordinary, harmless site.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.wikipedia.org/")
# The address people are sent to sign in at; the only link in an "update" e-mail.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
    "meetings",
    "compensation",
    "opportunities",
    "advisory",
    "reports",
]
# No Django admin here: it bypasses scoping and access logging, so only the development
# settings (local.py) install it, whatever DJANGO_DEBUG says elsewhere.

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserSessionActivityMiddleware",  # allauth's, written once a minute
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "accounts.middleware.TimeZoneMiddleware",
    "accounts.middleware.SafeResponseHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo database: take the write lock when a transaction starts and wait for it, so
    # two people saving at once queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # django-redis rather than Django's own Redis backend for one option: with Redis away, a
    # cache read is a miss and a write does nothing (logged), instead of an error page. What
    # lives here can be lost: allauth's per-address sign-in limit and its record of used
    # codes (see config/redis_cache.py). The per-account limits are in PostgreSQL.
    CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "LOG_IGNORED_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- allauth: e-mail sign-in, no public sign-up, no account enumeration -------------------
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False  # Shared devices: never "keep me signed in".
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Someone holding a device with an open session must confirm it's them (password, sign-in
# app or passkey) before changing the address, password or sign-in security. Never by a
# code sent by e-mail: the same device may have the mailbox open.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# One address per account, replaced only once the new one is confirmed; the old address is
# told of every change (through the outbox: accounts/adapters.py) and can undo it.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {
    "add_email": "accounts.forms.account.AddEmailForm",
    "change_password": "accounts.forms.account.ChangePasswordForm",
    "reset_password": "accounts.forms.account.ResetPasswordForm",
}
# Failed sign-ins: allauth limits each source address (this rule, for the password and the
# code step). Its default also locks an e-mail out after 5 in 5 minutes, which would let
# anyone who knows a person's address keep them out; instead accounts.sign_in_limits gives
# each account a short delay that grows with wrong tries from any address (the adapter, and
# the code forms in MFA_FORMS).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}

MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_FORMS = {
    "authenticate": "accounts.forms.sign_in.AuthenticateForm",
    "reauthenticate": "accounts.forms.sign_in.ReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_DISPLAY_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# Keys for MFA secrets at rest: a comma-separated list of Fernet keys, newest first.
# Deliberately separate from SECRET_KEY so a leaked SECRET_KEY does not expose them.
MFA_ENCRYPTION_KEYS = envlist("MFA_ENCRYPTION_KEYS")
# Keys for optional personal details (legal name, phone, mailing address) and data exports:
# comma-separated Fernet keys, newest first; their own, never derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS")

USERSESSIONS_TRACK_ACTIVITY = True

# --- sessions: idle timeout, absolute lifetime, nothing kept after the browser closes -----
SESSION_IDLE_TIMEOUT = timedelta(minutes=envint("SESSION_IDLE_MINUTES", 30))
SESSION_IDLE_WARNING = timedelta(minutes=2)
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- security.txt (RFC 9116) at /.well-known/security.txt: where to report a problem -----
# Comma-separated: e-mail addresses (mailto: is added) or https:// links. Production refuses
# to start without one; elsewhere, none means the file is not served (404).
SECURITY_CONTACTS = envlist("SECURITY_CONTACT")
# When the file goes stale (ISO 8601, e.g. 2027-06-30). Empty: 180 days from the day it is
# served, as the file is built from the running settings and is never older than they are.
SECURITY_TXT_EXPIRES = envdatetime("SECURITY_TXT_EXPIRES")

# --- browser safety -----------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "manifest-src": [CSP.SELF],
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=(), publickey-credentials-get=(self), "
    "publickey-credentials-create=(self)"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": other sites (the quick-exit destination included) still
# learn nothing, but browsers then send a real Origin header on our own form posts. With
# "no-referrer" they send "Origin: null" and Django's CSRF check refuses every POST.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "en"
# The languages pages are shown in. Only English until every page is translated: a page
# in two languages (a consent in Spanish under English headings and buttons) is a consent
# read in mixed words, so a browser asking for Spanish gets the English page.
LANGUAGES = [("en", _("English"))]
# The languages consent words can be written in. A text is shown only in the language of
# the page around it, so words in another language wait until the site speaks it too.
CONSENT_TEXT_LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_EMAIL_BACKEND = env("EMAIL_BACKEND", _SMTP_BACKEND)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        # Only the SMTP backend takes these; any other backend refuses unknown options.
        "OPTIONS": {
            "host": env("EMAIL_HOST", "localhost"),
            "port": envint("EMAIL_PORT", 25),
            "username": env("EMAIL_HOST_USER"),
            "password": env("EMAIL_HOST_PASSWORD"),
            "use_tls": envbool("EMAIL_USE_TLS"),
        }
        if _EMAIL_BACKEND == _SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = f"{SITE_DISPLAY_NAME} <{env('EMAIL_FROM_ADDRESS', 'no-reply@localhost')}>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # No Redis (the local demo): run tasks in-process.
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Longer than the longest task, so a slow task is not handed to a second worker mid-run.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With late acks, a task whose worker lost the broker is redelivered anyway: stop the first
# copy rather than let both run (also silences Celery's warning about this default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Beat keeps each job's last run in Redis (RedBeat), next to the queue, so a restarted beat
# runs what fell due while it was down, once, and keeps every other due time; compose keeps
# Redis on disk. django-celery-beat would keep it in PostgreSQL but does not support this
# Django. RedBeat's lock keeps a second beat waiting until the first has been gone for
# REDBEAT_LOCK_TIMEOUT, so two never send the same job.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = CELERY_BROKER_URL
CELERY_REDBEAT_KEY_PREFIX = "redbeat:"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60  # also how often a waiting beat tries the lock
CELERY_REDBEAT_LOCK_TIMEOUT = 5 * CELERY_BEAT_MAX_LOOP_INTERVAL
CELERY_BEAT_SCHEDULE = {
    "drain-outbox": {
        "task": "accounts.tasks.drain_outbox",
        "schedule": timedelta(minutes=envint("OUTBOX_DRAIN_MINUTES", 2)),
        # If no worker takes a run before the next one is due, drop it: the next run
        # drains everything, and a backlog of identical runs would only queue up.
        "options": {"expires": envint("OUTBOX_DRAIN_MINUTES", 2) * 60},
    },
    # Access transparency: forget who looked at what once the retention period is over.
    "purge-access-records": {
        "task": "accounts.tasks.purge_access_records",
        "schedule": timedelta(days=1),
        "options": {"expires": 6 * 60 * 60},
    },
    # Consent: end lapsed data consents and send at most two renewal reminders, once a day.
    "expire-consents-and-remind": {
        "task": "accounts.tasks.expire_consents_and_remind",
        "schedule": timedelta(days=1),
        "options": {"expires": 6 * 60 * 60},
    },
    # Audit log: remember the chain's head hash once a day, so truncation is noticed.
    "record-audit-head": {
        "task": "accounts.tasks.record_audit_head",
        "schedule": timedelta(days=1),
        "options": {"expires": 6 * 60 * 60},
    },
    # Data rights: "Download my data" files are deleted once their 24 hours are over. Run
    # hourly rather than daily, so no file outlives its 24 hours by up to another day.
    "purge-expired-exports": {
        "task": "accounts.tasks.purge_expired_exports",
        "schedule": timedelta(hours=1),
        "options": {"expires": 30 * 60},
    },
    # Address changes that can no longer be undone are forgotten (they hold two addresses).
    "purge-address-changes": {
        "task": "accounts.tasks.purge_address_changes",
        "schedule": timedelta(days=1),
        "options": {"expires": 6 * 60 * 60},
    },
    # Sign-in counters a day past their last wrong try count for nothing: forget them.
    "forget-old-sign-in-counters": {
        "task": "accounts.tasks.forget_old_sign_in_counters",
        "schedule": timedelta(days=1),
        "options": {"expires": 6 * 60 * 60},
    },
    # Input recorded on someone's behalf and never confirmed is deleted after 30 days.
    "purge-unconfirmed-input": {
        "task": "meetings.tasks.purge_unconfirmed_input",
        "schedule": timedelta(days=1),
        "options": {"expires": 6 * 60 * 60},
    },
    # ...and a week before that, its author is reminded once that it waits for them.
    "remind-about-unconfirmed-input": {
        "task": "meetings.tasks.remind_about_unconfirmed_input",
        "schedule": timedelta(days=1),
        "options": {"expires": 6 * 60 * 60},
    },
}
# Meetings: remind invitees of meetings starting within a day, once per meeting.
CELERY_BEAT_SCHEDULE["send-meeting-reminders"] = {
    "task": "meetings.tasks.send_meeting_reminders",
    "schedule": timedelta(hours=1),
    "options": {"expires": 30 * 60},
}

# Pay: catch up on attendance whose announcement never reached a worker.
CELERY_BEAT_SCHEDULE["catch-up-on-attendance-pay"] = {
    "task": "compensation.tasks.catch_up_on_attendance",
    "schedule": timedelta(minutes=15),
    "options": {"expires": 10 * 60},
}

# Advice: the weekly staff digest (overdue recommendations, input with no outcome). The
# service sends each person at most one per ISO week, so an extra run tells nobody twice.
CELERY_BEAT_SCHEDULE["advisory-weekly-digest"] = {
    "task": "advisory.tasks.send_weekly_digest",
    "schedule": timedelta(weeks=1),
    "options": {"expires": 12 * 60 * 60},
}

# Reports: a quote whose author took it back leaves every current report, even if the
# signal at the time was missed. Running it again changes nothing.
CELERY_BEAT_SCHEDULE["reissue-reports-without-withdrawn-quotes"] = {
    "task": "advisory.tasks.reissue_unusable_quotes",
    "schedule": timedelta(hours=1),
    "options": {"expires": 30 * 60},
}

INVITATION_LIFETIME = timedelta(days=7)
# How long the old address can undo a change of the account's address, from the notice.
ADDRESS_CHANGE_UNDO_LIFETIME = timedelta(days=7)
# How long "Who has seen my information" keeps each line (promise 11: retention).
ACCESS_RECORD_RETENTION = timedelta(days=envint("ACCESS_RECORD_RETENTION_DAYS", 730))
# Consent for data uses: how long a "yes" lasts, how long the board sees new wording before
# it can take effect, and when (days before the end) the two renewal reminders go out.
CONSENT_DURATION = timedelta(days=365)
CONSENT_TEXT_REVIEW_DAYS = 7
CONSENT_REMINDER_DAYS = (30, 7)

# Every handler redacts links that work as keys, query strings and addresses (see
# accounts/log_redaction.py). Django's own "django" and "django.server" handlers are
# replaced here, so none of its defaults writes an unredacted line; a test fails for any
# handler without the filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "accounts.log_redaction.RedactSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact"],
        },
    },
    # Upper-cased: gunicorn reads the same variable and takes "debug" as well as "DEBUG".
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # redis-py gives this logger a handler of its own unless it already exists: naming
        # it here sends its lines through ours.
        "push_response": {"handlers": [], "propagate": True},
    },
}
