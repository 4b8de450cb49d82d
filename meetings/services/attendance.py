"""Recording attendance after a meeting, for all invitees at once.

Every row is checked before anything is written, so a sheet with one bad row saves nothing.
Each row that really changed gets a higher `version` and, after commit, one
`attendance_changed` announcement with ids only; saving the same sheet again announces
nothing. Pay (in compensation) listens to that event; this module never imports it.

Hours are whole quarter hours (0.25 = 15 minutes). Stipends are paid by the hour, and a
quarter-hour step keeps every amount exact in `Decimal` and easy to check by hand; a value
between steps is refused rather than rounded, so nobody's pay is changed silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.models import User
from compensation.pay_rules import NO_HOURS, QUARTER_HOUR, hours_error
from meetings.events import attendance_changed
from meetings.models import (
    Attendance,
    Meeting,
    MeetingInvitation,
    MeetingRole,
)
from meetings.selectors.attendance import (
    may_record_attendance_for,
    why_attendance_cannot_be_recorded,
)


@dataclass(frozen=True)
class AttendanceRow:
    user_id: int
    attended: bool
    hours: Decimal
    meeting_role: str


def _row_errors(rows: list[AttendanceRow], invited: set[int]) -> list[str]:
    errors: list[str] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        prefix = _("Row %(number)s:") % {"number": number}
        if row.user_id not in invited:
            errors.append(f"{prefix} " + _("this person was not invited to this meeting."))
        if row.user_id in seen:
            errors.append(f"{prefix} " + _("this person is on the list twice."))
        seen.add(row.user_id)
        hours_problem = hours_error(row.hours)
        if hours_problem:
            errors.append(f"{prefix} {hours_problem}")
        if row.meeting_role not in MeetingRole.values:
            errors.append(f"{prefix} " + _("that is not a meeting role."))
    return errors


def _normalized(row: AttendanceRow) -> tuple[bool, Decimal, str]:
    # Hours count only for someone who came; a person who did not come has none.
    hours = row.hours.quantize(QUARTER_HOUR) if row.attended else NO_HOURS
    return row.attended, hours, row.meeting_role


def _announce(attendance: Attendance) -> None:
    transaction.on_commit(
        partial(
            attendance_changed.send,
            sender=Attendance,
            attendance_id=attendance.pk,
            version=attendance.version,
        ),
        # One subscriber failing must not swallow the other rows' announcements; Django
        # logs the failure, and subscribers are idempotent per (attendance_id, version).
        robust=True,
    )


def _write_row(
    *,
    meeting: Meeting,
    row: AttendanceRow,
    existing: Attendance | None,
    by: User,
) -> Attendance | None:
    """Creates or corrects one row; returns it only when something really changed."""
    attended, hours, role = _normalized(row)
    if existing is not None:
        if (existing.attended, existing.hours, existing.meeting_role) == (attended, hours, role):
            return None
        attendance = existing
        attendance.version += 1
    else:
        attendance = Attendance(meeting=meeting, user_id=row.user_id, version=1)
    attendance.attended = attended
    attendance.hours = hours
    attendance.meeting_role = role
    attendance.recorded_by = by
    attendance.recorded_at = timezone.now()
    attendance.full_clean()
    attendance.save()
    record_event(
        action="attendance.recorded" if attendance.version == 1 else "attendance.corrected",
        actor_id=by.pk,
        organization_id=meeting.organization_id,
        target_type="attendance",
        target_id=attendance.pk,
    )
    _announce(attendance)
    return attendance


def _crossed(
    rows: list[AttendanceRow], existing: dict[int, Attendance], seen: Mapping[int, int]
) -> bool:
    """Would this save change a row someone else saved after the person opened the sheet?
    Rows it leaves as they are now (a second press of Save, or someone else's edit to
    another row) are no conflict."""
    for row in rows:
        now = existing.get(row.user_id)
        if now is None:
            continue
        would_change = (now.attended, now.hours, now.meeting_role) != _normalized(row)
        if would_change and now.version != seen.get(row.user_id, 0):
            return True
    return False


class SheetChangedError(ValidationError):
    """The sheet was saved by someone else after this person opened it."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this attendance sheet a moment ago, so yours was not "
                "saved. The sheet now shows what they saved: check it and save again if "
                "something is still different."
            )
        )


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    by: User,
    rows: list[AttendanceRow],
    seen_versions: Mapping[int, int] | None = None,
) -> list[Attendance]:
    """Saves the sheet for a meeting that has started and was not cancelled; returns the
    rows that changed. Any bad row refuses the whole sheet with every problem listed.

    `seen_versions` is the sheet as the person saw it (user id → saved version): if this
    save would change a row someone saved since, nothing is written and `SheetChangedError`
    says so, rather than one person's sheet silently replacing another's."""
    # Locking the meeting serializes two people saving the same sheet, and re-reads its
    # status so a cancellation made a moment ago is seen. No key changes, so the lock need
    # not block the pay task's rows that refer to the meeting (FOR NO KEY UPDATE).
    meeting = (
        Meeting.objects.select_for_update(no_key=True)
        .select_related("organization")
        .get(pk=meeting.pk)
    )
    if not may_record_attendance_for(by, meeting):
        raise PermissionDenied
    refusal = why_attendance_cannot_be_recorded(meeting)
    if refusal:
        raise ValidationError(refusal)
    invited = set(
        MeetingInvitation.objects.filter(meeting=meeting).values_list("user_id", flat=True)
    )
    errors = _row_errors(rows, invited)
    if errors:
        raise ValidationError(errors)
    # Every row this sheet may change is locked now, before the first audit event takes the
    # audit lock (held to commit): the pay task locks its row, then appends to the ledger and
    # the audit log, so taking the rows one by one after that lock deadlocks against it.
    rows_now = Attendance.objects.select_for_update().filter(meeting=meeting).order_by("pk")
    existing = {a.user_id: a for a in rows_now}
    if seen_versions is not None and _crossed(rows, existing, seen_versions):
        raise SheetChangedError
    changed = [
        _write_row(meeting=meeting, row=row, existing=existing.get(row.user_id), by=by)
        for row in rows
    ]
    return [attendance for attendance in changed if attendance is not None]
