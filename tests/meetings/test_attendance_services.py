"""Recording attendance: who may, what bad input gets (a clear error and nothing saved),
and the attendance event — announced once per real change, after commit, with ids only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AssignmentStatus, AuditEvent, RoleAssignment
from meetings.events import attendance_changed
from meetings.models import Attendance, Meeting, MeetingRole, MeetingStatus, Reply
from meetings.selectors.attendance import attendance_sheet, default_hours, my_attendance
from meetings.services.attendance import AttendanceRow, record_attendance
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory
from tests.support.meetings import make_co_chair

pytestmark = pytest.mark.django_db


def past_meeting(organization, *people, **kwargs):
    meeting = MeetingFactory.create(
        organization=organization,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        **kwargs,
    )
    for person in people:
        MeetingInvitationFactory.create(meeting=meeting, user=person, reply=Reply.YES)
    return meeting


def row(person, attended=True, hours="1.5", role=MeetingRole.PARTICIPANT):
    return AttendanceRow(
        user_id=person.pk, attended=attended, hours=Decimal(hours), meeting_role=role
    )


@pytest.fixture
def announced():
    """Every attendance_changed announcement, as the keyword arguments it carried."""
    calls = []

    def receiver(sender, **kwargs):
        kept = {key: value for key, value in kwargs.items() if key != "signal"}
        calls.append({"sender": sender, **kept})

    attendance_changed.connect(receiver, weak=False)
    yield calls
    attendance_changed.disconnect(receiver)


def test_staff_record_attendance_for_every_invitee(
    personas, announced, django_capture_on_commit_callbacks
):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    with django_capture_on_commit_callbacks(execute=True):
        changed = record_attendance(
            meeting=meeting,
            by=personas.sam,
            rows=[row(personas.ash, role=MeetingRole.CHAIR), row(personas.river, attended=False)],
        )
    assert len(changed) == 2
    ash = Attendance.objects.get(user=personas.ash)
    assert (ash.attended, ash.hours, ash.meeting_role, ash.version) == (
        True,
        Decimal("1.50"),
        MeetingRole.CHAIR,
        1,
    )
    assert ash.recorded_by == personas.sam
    river = Attendance.objects.get(user=personas.river)
    assert (river.attended, river.hours) == (False, Decimal("0"))  # no hours for not coming
    assert sorted(a["attendance_id"] for a in announced) == sorted([ash.pk, river.pk])
    assert all(set(a) == {"sender", "attendance_id", "version"} for a in announced)
    assert set(
        AuditEvent.objects.filter(action="attendance.recorded").values_list("target_id", flat=True)
    ) == {ash.pk, river.pk}


def test_recording_the_same_attendance_twice_announces_one_event(
    personas, announced, django_capture_on_commit_callbacks
):
    meeting = past_meeting(personas.harbor, personas.ash)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            record_attendance(meeting=meeting, by=personas.sam, rows=[row(personas.ash)])
    attendance = Attendance.objects.get()
    assert announced == [{"sender": Attendance, "attendance_id": attendance.pk, "version": 1}]
    assert attendance.version == 1
    assert AuditEvent.objects.filter(target_type="attendance").count() == 1


def test_a_correction_bumps_the_version_and_announces_again(
    personas, announced, django_capture_on_commit_callbacks
):
    meeting = past_meeting(personas.harbor, personas.ash)
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(meeting=meeting, by=personas.sam, rows=[row(personas.ash)])
    with django_capture_on_commit_callbacks(execute=True):
        changed = record_attendance(
            meeting=meeting, by=personas.sam, rows=[row(personas.ash, hours="2")]
        )
    attendance = Attendance.objects.get()
    assert changed == [attendance]
    assert (attendance.hours, attendance.version) == (Decimal("2.00"), 2)
    assert [a["version"] for a in announced] == [1, 2]
    assert AuditEvent.objects.filter(
        action="attendance.corrected", target_id=attendance.pk
    ).exists()


def test_only_a_changed_row_is_announced(personas, announced, django_capture_on_commit_callbacks):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    rows = [row(personas.ash), row(personas.river)]
    record_attendance(meeting=meeting, by=personas.sam, rows=rows)
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(
            meeting=meeting,
            by=personas.sam,
            rows=[row(personas.ash), row(personas.river, role=MeetingRole.NOTE_TAKER)],
        )
    river = Attendance.objects.get(user=personas.river)
    assert announced == [{"sender": Attendance, "attendance_id": river.pk, "version": 2}]


def test_nothing_is_announced_before_commit(
    personas, announced, django_capture_on_commit_callbacks
):
    meeting = past_meeting(personas.harbor, personas.ash)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_attendance(meeting=meeting, by=personas.sam, rows=[row(personas.ash)])
    assert announced == []
    assert len(callbacks) == 1


def test_a_survivor_co_chair_may_record(personas):
    make_co_chair(personas.ash, personas.harbor)
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    record_attendance(meeting=meeting, by=personas.ash, rows=[row(personas.river)])
    assert Attendance.objects.get().recorded_by == personas.ash


@pytest.mark.parametrize("who", ["ash", "river", "fin", "ada", "faye", "otto"])
def test_nobody_else_may_record(personas, who):
    meeting = past_meeting(personas.harbor, personas.ash)
    with pytest.raises(PermissionDenied):
        record_attendance(meeting=meeting, by=getattr(personas, who), rows=[row(personas.ash)])
    assert not Attendance.objects.exists()


def test_a_co_chair_of_another_organization_may_not_record(personas):
    make_co_chair(personas.otto, personas.second)
    meeting = past_meeting(personas.harbor, personas.ash)
    with pytest.raises(PermissionDenied):
        record_attendance(meeting=meeting, by=personas.otto, rows=[row(personas.ash)])


def test_a_paused_co_chair_may_not_record(personas):
    assignment = make_co_chair(personas.ash, personas.harbor)
    RoleAssignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.PAUSED)
    meeting = past_meeting(personas.harbor, personas.river)
    with pytest.raises(PermissionDenied):
        record_attendance(meeting=meeting, by=personas.ash, rows=[row(personas.river)])


def refused(meeting, by, rows) -> str:
    with pytest.raises(ValidationError) as caught:
        record_attendance(meeting=meeting, by=by, rows=rows)
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(target_type="attendance").exists()
    return " ".join(caught.value.messages)


def test_someone_not_invited_is_refused_and_nothing_saved(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    message = refused(meeting, personas.sam, [row(personas.ash), row(personas.river)])
    assert "Row 2: this person was not invited to this meeting." in message


def test_someone_from_another_organization_is_refused(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    message = refused(meeting, personas.sam, [row(personas.ash), row(personas.otto)])
    assert "not invited" in message


def test_negative_hours_are_refused_and_nothing_saved(personas):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    message = refused(meeting, personas.sam, [row(personas.ash), row(personas.river, hours="-1")])
    assert "Row 2: Hours cannot be less than 0." in message


def test_more_than_24_hours_are_refused_and_nothing_saved(personas):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    message = refused(
        meeting, personas.sam, [row(personas.ash), row(personas.river, hours="24.25")]
    )
    assert "Row 2: Hours cannot be more than 24." in message


def test_24_hours_exactly_are_fine(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    record_attendance(meeting=meeting, by=personas.sam, rows=[row(personas.ash, hours="24")])
    assert Attendance.objects.get().hours == Decimal("24")


def test_hours_between_quarter_hours_are_refused_not_rounded(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    message = refused(meeting, personas.sam, [row(personas.ash, hours="1.3")])
    assert "quarter hours" in message


def test_negative_hours_are_refused_even_for_someone_who_did_not_come(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    refused(meeting, personas.sam, [row(personas.ash, attended=False, hours="-2")])


def test_an_unknown_meeting_role_is_refused(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    assert "not a meeting role" in refused(meeting, personas.sam, [row(personas.ash, role="boss")])


def test_the_same_person_twice_is_refused(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    message = refused(meeting, personas.sam, [row(personas.ash), row(personas.ash, hours="2")])
    assert "on the list twice" in message


def test_every_problem_is_listed_at_once(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    message = refused(
        meeting, personas.sam, [row(personas.ash, hours="-1"), row(personas.river, hours="30")]
    )
    assert "Row 1" in message
    assert "Row 2" in message


def test_a_cancelled_meeting_is_refused(personas):
    meeting = past_meeting(personas.harbor, personas.ash, status=MeetingStatus.CANCELLED)
    assert "cancelled" in refused(meeting, personas.sam, [row(personas.ash)])


def test_a_meeting_that_has_not_started_is_refused(personas):
    meeting = past_meeting(personas.harbor, personas.ash)
    meeting.starts_at = timezone.now() + datetime.timedelta(hours=1)
    meeting.save()
    assert "not started yet" in refused(meeting, personas.sam, [row(personas.ash)])


def test_a_correction_refused_leaves_the_saved_row_as_it_was(personas):
    meeting = past_meeting(personas.harbor, personas.ash, personas.river)
    record_attendance(meeting=meeting, by=personas.sam, rows=[row(personas.ash)])
    with pytest.raises(ValidationError):
        record_attendance(
            meeting=meeting,
            by=personas.sam,
            rows=[row(personas.ash, hours="3"), row(personas.river, hours="-1")],
        )
    attendance = Attendance.objects.get()
    assert (attendance.hours, attendance.version) == (Decimal("1.50"), 1)


@pytest.mark.parametrize(
    ("minutes", "hours"), [(90, "1.5"), (100, "1.75"), (15, "0.25"), (60, "1"), (480, "8")]
)
def test_the_usual_hours_are_the_meeting_length_rounded_up_to_a_quarter_hour(minutes, hours):
    assert default_hours(Meeting(duration_minutes=minutes)) == Decimal(hours)


def test_the_sheet_fills_in_the_usual_answers(personas):
    meeting = past_meeting(personas.harbor, duration_minutes=120)
    MeetingInvitationFactory.create(
        meeting=meeting, user=personas.ash, reply=Reply.YES, meeting_role=MeetingRole.CHAIR
    )
    MeetingInvitationFactory.create(meeting=meeting, user=personas.river, reply=Reply.NO)
    sheet = {line.user_id: line for line in attendance_sheet(meeting)}
    ash, river = sheet[personas.ash.pk], sheet[personas.river.pk]
    assert (ash.attended, ash.hours, ash.meeting_role) == (True, Decimal("2"), MeetingRole.CHAIR)
    assert (river.attended, river.hours) == (False, Decimal("2"))
    assert ash.name == river.name == "A board member without a name yet"


def test_my_attendance_is_mine_only_newest_first(personas):
    older = past_meeting(personas.harbor, personas.ash, personas.river)
    newer = past_meeting(personas.harbor, personas.ash)
    newer.starts_at = timezone.now() - datetime.timedelta(hours=1)
    newer.save()
    record_attendance(meeting=older, by=personas.sam, rows=[row(personas.ash), row(personas.river)])
    record_attendance(meeting=newer, by=personas.sam, rows=[row(personas.ash)])
    mine = list(my_attendance(personas.ash, personas.harbor))
    assert [a.meeting for a in mine] == [newer, older]
    assert {a.user for a in mine} == {personas.ash}
    assert not my_attendance(personas.ash, personas.second).exists()
