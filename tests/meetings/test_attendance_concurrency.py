"""A sheet saved while the worker pays it, and two people saving one sheet at once, in real
transactions on two connections (PostgreSQL): no deadlock, no error, and pay for the version
that was saved.

Every audit event takes one lock held until commit, so a transaction must take its row locks
before its first audit event: the attendance service locks the whole sheet first, as the pay
it triggers locks its row first."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from compensation.models import EntryKind, LedgerEntry
from compensation.services import accrual
from compensation.services.accrual import accrue_attendance
from meetings.models import Attendance
from meetings.services.attendance import AttendanceRow, record_attendance
from tests.compensation.factories import hourly_rate, past_meeting

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has one writer at a time")


def _rows(*people_hours: tuple[Any, str]) -> list[AttendanceRow]:
    return [
        AttendanceRow(person.pk, True, Decimal(hours), "participant")
        for person, hours in people_hours
    ]


def _in_threads(*calls: tuple[float, Callable[[], Any]]) -> list[BaseException]:
    """Run each call on its own thread and connection, after its delay in seconds; returns
    what they raised."""
    errors: list[BaseException] = []

    def run(delay: float, call: Callable[[], Any]) -> None:
        try:
            time.sleep(delay)
            call()
        except BaseException as exc:  # reported to the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _live_pay(person) -> list[tuple[int | None, Decimal]]:
    earned = LedgerEntry.objects.filter(user=person, kind=EntryKind.EARNED, reversal__isnull=True)
    return list(earned.values_list("attendance_version", "amount"))


def test_a_correction_saved_while_the_worker_pays_the_previous_version(personas, monkeypatch):
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    record_attendance(
        meeting=meeting, by=personas.sam, rows=_rows((personas.ash, "1.5"), (personas.river, "1.5"))
    )
    river = Attendance.objects.get(user=personas.river)
    pay = accrual._pay_attendance

    def slow_pay(attendance: Attendance) -> Any:
        time.sleep(0.6)  # the worker holds River's row while the correction comes in
        return pay(attendance)

    monkeypatch.setattr(accrual, "_pay_attendance", slow_pay)

    errors = _in_threads(
        (0, lambda: accrue_attendance(attendance_id=river.pk)),
        (
            0.2,
            lambda: record_attendance(
                meeting=meeting,
                by=personas.sam,
                rows=_rows((personas.ash, "2"), (personas.river, "2")),
            ),
        ),
    )

    assert errors == []
    monkeypatch.undo()
    for attendance in Attendance.objects.filter(meeting=meeting):
        accrue_attendance(attendance_id=attendance.pk)  # as the announced task does
    assert _live_pay(personas.river) == [(2, Decimal("80.00"))]
    assert _live_pay(personas.ash) == [(2, Decimal("80.00"))]


def test_two_corrections_of_one_sheet_at_once_both_save_and_pay_follows_the_last(
    personas, monkeypatch
):
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    record_attendance(
        meeting=meeting, by=personas.sam, rows=_rows((personas.ash, "1.5"), (personas.river, "1.5"))
    )

    errors = _in_threads(
        (
            0,
            lambda: record_attendance(
                meeting=meeting,
                by=personas.sam,
                rows=_rows((personas.ash, "2"), (personas.river, "1")),
            ),
        ),
        (
            0,
            lambda: record_attendance(
                meeting=meeting,
                by=personas.sam,
                rows=_rows((personas.river, "2.5"), (personas.ash, "1")),
            ),
        ),
    )

    assert errors == []
    saved = dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "hours"))
    assert sorted(saved.values()) in ([Decimal("1"), Decimal("2")], [Decimal("1"), Decimal("2.5")])
    for attendance in Attendance.objects.filter(meeting=meeting):
        accrue_attendance(attendance_id=attendance.pk)
        assert [amount for _, amount in _live_pay(attendance.user)] == [attendance.hours * 40]
