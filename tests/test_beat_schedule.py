"""Scheduled jobs across beat restarts, against a real Redis: what fell due while beat was
down runs once when it comes back, nothing runs twice, and a second beat waits for the first.

Each test uses its own Celery app with the project's beat settings, a key prefix and a queue
of its own, and a probe task that no worker knows, so beat's sends stay in the queue to count.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis
from celery import Celery
from django.conf import settings
from redbeat import RedBeatScheduler
from redbeat.schedulers import RedBeatSchedulerEntry, acquire_distributed_beat_lock

from config.celery import app as project_app

pytestmark = pytest.mark.services


@pytest.fixture
def beat() -> Iterator[SimpleNamespace]:
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        pytest.skip("beat's schedule lives in Redis")
    prefix, queue = f"beat-test-{uuid.uuid4().hex}:", f"beat-test-{uuid.uuid4().hex}"
    app = Celery("beat-test", set_as_current=False)
    app.conf.update(
        broker_url=broker,
        timezone="UTC",
        beat_scheduler=project_app.conf.beat_scheduler,
        redbeat_redis_url=broker,
        redbeat_key_prefix=prefix,
        beat_max_loop_interval=1,  # how often a waiting beat tries the lock again
        beat_schedule={
            "daily-probe": {
                "task": "tests.beat.probe",
                "schedule": timedelta(days=1),
                "options": {"queue": queue},
            }
        },
    )
    client = redis.Redis.from_url(broker)

    def start() -> RedBeatScheduler:
        """What `celery beat` does on start: load the schedule, then take the lock."""
        scheduler = RedBeatScheduler(app=app, lazy=False)
        acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=scheduler))
        return scheduler

    yield SimpleNamespace(
        app=app,
        start=start,
        load=lambda: RedBeatScheduler(app=app, lazy=False),
        sent=lambda: client.llen(queue),
    )
    client.delete(queue, *client.keys(f"{prefix}*"))


def _ran(beat: SimpleNamespace, *, hours_ago: float) -> None:
    """As if the job last ran `hours_ago` and beat was down since."""
    entry = RedBeatSchedulerEntry.from_key(
        RedBeatSchedulerEntry.generate_key(beat.app, "daily-probe"), app=beat.app
    )
    entry.reschedule(last_run_at=beat.app.now() - timedelta(hours=hours_ago))


def test_the_project_runs_redbeat_with_a_lock_that_frees_within_five_minutes():
    assert project_app.conf.beat_scheduler == "redbeat.RedBeatScheduler"
    assert project_app.conf.redbeat_lock_timeout <= 5 * 60


def test_a_daily_job_due_while_beat_was_down_runs_once_after_the_restart(beat):
    first = beat.start()
    first.tick()
    assert beat.sent() == 0  # a new job is first due a day after beat first starts
    first.close()
    _ran(beat, hours_ago=25)

    restarted = beat.start()
    restarted.tick()
    restarted.tick()

    assert beat.sent() == 1
    restarted.close()


def test_a_restart_keeps_the_due_time_of_a_job_not_yet_due(beat):
    first = beat.start()
    first.tick()
    first.close()
    _ran(beat, hours_ago=3)

    restarted = beat.start()
    restarted.tick()

    assert beat.sent() == 0  # due 24 hours after its last run, not when beat restarts
    restarted.close()


def test_a_second_beat_waits_until_the_first_is_gone(beat):
    first, second = beat.start(), beat.load()
    waiting = threading.Thread(
        target=acquire_distributed_beat_lock, kwargs={"sender": SimpleNamespace(scheduler=second)}
    )
    waiting.start()

    waiting.join(timeout=3)
    assert waiting.is_alive()  # no lock, so it has not started ticking
    assert second.lock is None

    first.close()  # releases the lock
    waiting.join(timeout=10)
    assert not waiting.is_alive()
    assert second.lock is not None  # took the lock, and with it the schedule
