"""`/healthz` for compose and load balancers: 200 while the database answers, 503 when not.

The broker is reported beside it but does not decide the answer: pages work without Redis
(sign-in included), so a broker outage must not make a load balancer pull every web replica.

Anonymous on purpose (probes carry no session), and the answer says only "ok" or "down":
no versions, hosts or error text that would help anyone probing from outside. The reason
for a failure goes to the log, as an exception class name only (messages can hold a DSN).
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("Health check: database down (%s)", type(exc).__name__)
        return False
    return True


def _broker_ok() -> bool:
    if not settings.REDIS_URL:
        return True  # The local demo runs tasks in-process and has no broker to check.
    try:
        with redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        ) as client:
            return bool(client.ping())
    except redis.RedisError as exc:
        logger.warning("Health check: broker down (%s)", type(exc).__name__)
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    status = 200 if checks["database"] else 503
    return JsonResponse(
        {name: "ok" if ok else "down" for name, ok in checks.items()}, status=status
    )
