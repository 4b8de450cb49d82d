"""Tasks left waiting: tests run tasks eagerly, and a test that must see the page while a
task has not run yet says so here."""

from __future__ import annotations

from typing import Any

import pytest


def left_waiting(monkeypatch: pytest.MonkeyPatch, *tasks: Any) -> list[tuple[Any, ...]]:
    """Sending any of `tasks` (`delay` or `apply_async`) runs nothing, as if no worker had
    taken it yet; the test runs the work itself when it is ready. Returns the arguments
    each was sent with."""
    sent: list[tuple[Any, ...]] = []

    def record(*args: Any, **kwargs: Any) -> None:
        sent.append(args)

    for task in tasks:
        monkeypatch.setattr(task, "delay", record)
        monkeypatch.setattr(task, "apply_async", record)
    return sent
