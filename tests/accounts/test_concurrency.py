"""A save that loses a race is tried once more, then reported plainly; other database
errors are not hidden."""

from __future__ import annotations

import psycopg.errors
import pytest
from django.db import OperationalError

from accounts.concurrency import SavedAtTheSameMoment, retry_once_on_conflict


def _failure(cause: Exception) -> OperationalError:
    error = OperationalError(str(cause))
    error.__cause__ = cause  # as Django wraps the driver's error
    return error


class Save:
    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise _failure(self.failures.pop(0))
        return "saved"


@pytest.mark.parametrize(
    "lost", [psycopg.errors.DeadlockDetected(), psycopg.errors.SerializationFailure()]
)
def test_a_save_that_lost_a_race_once_is_tried_again(lost):
    save = Save(lost)
    assert retry_once_on_conflict(save) == "saved"
    assert save.calls == 2


def test_a_save_that_loses_twice_is_reported_as_saved_by_someone_else():
    save = Save(psycopg.errors.DeadlockDetected(), psycopg.errors.DeadlockDetected())
    with pytest.raises(SavedAtTheSameMoment):
        retry_once_on_conflict(save)
    assert save.calls == 2


def test_other_database_errors_are_not_retried_or_hidden():
    save = Save(psycopg.errors.AdminShutdown())
    with pytest.raises(OperationalError):
        retry_once_on_conflict(save)
    assert save.calls == 1
