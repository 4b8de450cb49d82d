"""Races on PostgreSQL: calls run at the same moment, each on its own thread and database
connection, so row locks and unique constraints are really tested. Use with a
transactional database (`django_db(transaction=True)`): each thread sees committed rows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection


def slowed(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, then a short pause: patched over the step that takes a row lock, it keeps
    the lock long enough that the other transaction is certainly waiting on it."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        time.sleep(0.3)
        return result

    return wrapper


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once, each on its own thread and connection; returns each result,
    or the ValidationError it raised."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[index] = call()
        except ValidationError as exc:
            results[index] = exc
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results
