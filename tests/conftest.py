"""Shared fixtures: the named personas, an empty cache per test, and real services.

Personas (one organization, "Harbor", plus "Second" for isolation):
ash (survivor leader), river (another survivor leader), sam (staff), fin (finance),
ada (organization admin), faye (funder of Harbor), otto (survivor in Second),
and an anonymous visitor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from accounts.models import Organization, Role, User
from tests.factories import (
    FunderAccessFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ok, reason = services_available()
    if ok:
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL and Redis: {reason}")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth remembers used TOTP codes and counts sign-ins per IP in the cache."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Personas:
    harbor: Organization
    second: Organization
    ash: User
    river: User
    sam: User
    fin: User
    ada: User
    faye: User
    otto: User


@pytest.fixture
def personas(db) -> Personas:
    harbor = OrganizationFactory.create(name="Harbor", slug="harbor")
    second = OrganizationFactory.create(name="Second", slug="second")

    def member(email: str, role: Role, organization: Organization = harbor) -> User:
        user = UserFactory.create(email=email)
        MembershipFactory.create(user=user, organization=organization, role=role)
        return user

    faye = UserFactory.create(email="faye@example.test")
    FunderAccessFactory.create(user=faye, organization=harbor)
    return Personas(
        harbor=harbor,
        second=second,
        ash=member("ash@example.test", Role.SURVIVOR_LEADER),
        river=member("river@example.test", Role.SURVIVOR_LEADER),
        sam=member("sam@example.test", Role.STAFF),
        fin=member("fin@example.test", Role.FINANCE),
        ada=member("ada@example.test", Role.ADMIN),
        faye=faye,
        otto=member("otto@example.test", Role.SURVIVOR_LEADER, second),
    )
