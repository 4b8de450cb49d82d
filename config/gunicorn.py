"""gunicorn settings for the web container: `gunicorn -c config/gunicorn.py config.wsgi`.

The web process keeps no state of its own (sessions live in the database), so it scales by
running more containers rather than by tuning this file.
"""

import os

from gunicorn.config import Config
from gunicorn.glogging import Logger

from accounts.log_redaction import redact_handlers

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"  # all interfaces of the container only
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = 1
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows into an outage.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file lives in memory, not on the container's (possibly slow) disk.
worker_tmp_dir = "/dev/shm"  # noqa: S108  # a per-container tmpfs, not shared
# No runtime control socket: nothing needs it, and it would write under $HOME.
control_socket_disable = True

# No access log by default: nothing needs one, and a request is about a person. Turned on
# (`--access-logfile -`), it holds no client address, user agent, referrer or query string,
# and the redaction below takes keys out of the path. Errors go to stderr, without bodies.
accesslog = None
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type information
    """gunicorn's logger with the project's redaction on every handler it sets up, whatever
    the access, error and syslog settings say (see accounts/log_redaction.py)."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)
        redact_handlers(self.error_log, self.access_log)


logger_class = RedactingLogger
