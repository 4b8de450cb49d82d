"""The Redis cache, tolerant of Redis being away.

django-redis's IGNORE_EXCEPTIONS turns a failed read into a miss and a failed write into
nothing (logged). One answer needs changing: a failed `add` gives None, which allauth reads
as "someone holds this lock" (its per-address sign-in limit) or "this code was used" (its
record of used authenticator codes), so nobody could sign in until Redis came back. During
an outage `add` answers True instead: those cache-only checks lapse, while the per-account
limits, kept in PostgreSQL (accounts/sign_in_limits.py), still hold.
"""

from __future__ import annotations

from typing import Any

from django_redis.cache import RedisCache


class OutageTolerantRedisCache(RedisCache):  # type: ignore[misc]  # django-redis is untyped
    def add(self, *args: Any, **kwargs: Any) -> bool:
        added = super().add(*args, **kwargs)
        return True if added is None else bool(added)
