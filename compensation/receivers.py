"""Compensation's subscriptions to meetings' domain events. Each hands the ids to a task:
recording pay must never slow down or fail the attendance sheet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from meetings.events import attendance_changed, meeting_cancelled


def on_attendance_changed(sender: object, *, attendance_id: int, **kwargs: Any) -> None:
    from compensation.tasks import accrue_attendance

    accrue_attendance.delay(attendance_id)


def on_meeting_cancelled(
    sender: object, *, meeting_id: int, cancelled_at: datetime, **kwargs: Any
) -> None:
    from compensation.tasks import accrue_late_cancellation

    accrue_late_cancellation.delay(meeting_id, cancelled_at.isoformat())


def connect() -> None:
    attendance_changed.connect(on_attendance_changed, dispatch_uid="compensation.accrue")
    meeting_cancelled.connect(
        on_meeting_cancelled, dispatch_uid="compensation.accrue_late_cancellation"
    )
