"""A real Celery worker, in a thread of the test process, consuming from Redis.

Used by tests marked `services` that must prove a task really crosses the broker. The
worker listens on a queue of its own, so messages left in Redis by other tests (which
enqueue tasks with no worker running) or by a developer's own beat are never picked up;
send to it with `apply_async(queue=worker.queue)`.

Import the fixture into a test module (`from tests.celery_worker import celery_worker`) or
a conftest. It needs a transactional database: the worker thread has its own connection
and sees only committed rows.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from kombu import Queue

from config.celery import app

# Celery settings changed while the worker runs, and put back afterwards.
WORKER_CONF = {
    # The test settings make every task eager; a real worker never is.
    "task_always_eager": False,
    # Leave pytest's logging (caplog, -ra output) alone.
    "worker_hijack_root_logger": False,
}


@dataclass(frozen=True)
class RunningWorker:
    queue: str


def wait_for(condition: Callable[[], bool], *, timeout: float = 20.0) -> None:
    """Poll until `condition()` is true: the worker runs on its own schedule."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting after {timeout} s")
        time.sleep(0.1)


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[RunningWorker]:
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith(("redis://", "rediss://")):
        pytest.skip(f"needs a Redis broker; CELERY_BROKER_URL is {broker.split(':')[0]}://")
    previous = {key: app.conf[key] for key in WORKER_CONF}
    app.conf.update(WORKER_CONF)
    queue = f"test-{uuid.uuid4().hex}"
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
        ):
            yield RunningWorker(queue=queue)
    finally:
        app.conf.update(previous)
        with app.connection_for_write() as connection:
            Queue(queue)(connection.default_channel).delete()


@pytest.fixture
def default_queue_worker(transactional_db) -> Iterator[RunningWorker]:
    """A real worker on the default queue, for journeys where the app itself enqueues work
    (attendance saved in the browser becomes pay). The queue is emptied first, so messages
    left by earlier tests that ran without a worker are not picked up."""
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith(("redis://", "rediss://")):
        pytest.skip(f"needs a Redis broker; CELERY_BROKER_URL is {broker.split(':')[0]}://")
    queue = app.conf.task_default_queue
    with app.connection_for_write() as connection:
        Queue(queue)(connection.default_channel).purge()
    previous = {key: app.conf[key] for key in WORKER_CONF}
    app.conf.update(WORKER_CONF)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
        ):
            yield RunningWorker(queue=queue)
    finally:
        app.conf.update(previous)
