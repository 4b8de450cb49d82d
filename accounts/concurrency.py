"""Saves that meet another save at the same moment.

PostgreSQL ends one of two transactions that wait on each other (a deadlock) or that cannot
both be applied as if one came first (a serialization failure). Neither is the person's
mistake: the save is tried once more, and if it loses again the person is told plainly that
someone else saved at the same moment, never shown an error page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError

# SQLSTATE codes: deadlock_detected, serialization_failure.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


class SavedAtTheSameMoment(Exception):
    """Someone else's save won twice in a row; nothing of this one was written."""


def lost_a_race(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def retry_once_on_conflict[T](save: Callable[[], T]) -> T:
    """Run `save` (its own transaction: call it outside any atomic block), once more if it
    lost a race, and raise `SavedAtTheSameMoment` if it loses again."""
    try:
        return save()
    except OperationalError as exc:
        if not lost_a_race(exc):
            raise
    try:
        return save()
    except OperationalError as exc:
        if not lost_a_race(exc):
            raise
        raise SavedAtTheSameMoment from exc
