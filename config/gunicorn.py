"""gunicorn settings for the web container: `gunicorn -c config/gunicorn.py config.wsgi`.

The web process keeps no state of its own (sessions live in the database), so it scales by
running more containers rather than by tuning this file.
"""

import os

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

# No access log: request paths can carry invitation tokens, and addresses are personal
# data. Errors still go to stderr, without request bodies.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
