"""Shared fixtures: the named personas (tests/support/personas.py), an empty cache per test,
and real services.

Tasks run eagerly (in-process) in every test, with or without Redis. A test that needs a
real Celery worker takes the `celery_worker` or `default_queue_worker` fixture from
tests/celery_worker.py and is marked `worker`; collection fails if the mark is missing.
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache, caches
from django_redis.cache import RedisCache as DjangoRedisCache

from tests.support.personas import Personas, make_personas

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def services_available() -> tuple[bool, str]:
    database = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        return False, "DATABASE_URL does not point at PostgreSQL"
    if not redis_url:
        return False, "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return False, f"Redis does not answer ({type(exc).__name__})"
    return True, ""


def pytest_sessionstart(session: pytest.Session) -> None:
    ok, reason = services_available()
    if REQUIRE_SERVICES and not ok:
        pytest.exit(f"REQUIRE_SERVICES=1 but {reason}.", returncode=3)


WORKER_FIXTURES = {"celery_worker", "default_queue_worker"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [
        item.nodeid
        for item in items
        if WORKER_FIXTURES & set(getattr(item, "fixturenames", ()))
        and "worker" not in item.keywords
    ]
    if unmarked:
        raise pytest.UsageError(
            "These tests start a real Celery worker; mark them `worker`: " + ", ".join(unmarked)
        )
    ok, reason = services_available()
    if ok:
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL and Redis: {reason}")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


def _clear_cache() -> None:
    """Empty this process's cache. On Redis (django-redis), only keys under this process's
    prefix go: `cache.clear()` would flush the whole database, which the other xdist worker
    and the Celery broker share."""
    backend = caches["default"]
    if isinstance(backend, DjangoRedisCache):
        backend.delete_pattern("*")  # the key prefix is added to the pattern
        return
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth remembers used TOTP codes and counts sign-ins per IP in the cache."""
    _clear_cache()
    yield
    _clear_cache()


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()
