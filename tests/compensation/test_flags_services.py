"""Flagged hours: a survivor says their recorded hours are wrong and finance must answer.
A correction is one adjustment for the difference; the attendance itself is staff's to fix
and never changes here. Every refusal writes nothing. No consent change alters any pay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent, ConsentScope, OutboxMessage, Role
from accounts.services.consent import ensure_consent_texts, grant_consent, withdraw_consent
from compensation.models import (
    EntryKind,
    EntryReason,
    EntrySource,
    FlagOutcome,
    FlagStatus,
    HoursFlag,
    LedgerEntry,
    RateBasis,
    WorkClaim,
)
from compensation.services.claims import decide_claim
from compensation.services.flags import answer_flag, flag_hours
from meetings.models import Attendance
from tests.compensation.factories import attend, hourly_rate, past_meeting
from tests.factories import MembershipFactory, UserFactory
from tests.support.pay import claim_for

pytestmark = pytest.mark.django_db


def attended(personas: Any, hours: str = "1.5", person: Any = None) -> Attendance:
    person = person or personas.ash
    meeting = past_meeting(personas.harbor, person)
    return attend(meeting, person, by=personas.sam, hours=hours)


def flag(personas: Any, attendance: Attendance, hours: str = "2", note: str = "") -> HoursFlag:
    return flag_hours(
        person=personas.ash,
        organization=personas.harbor,
        attendance=attendance,
        hours_expected=Decimal(hours),
        note=note,
    )


def correct(made: HoursFlag, by: Any, hours: str = "2", answer: str = "Ok.") -> Any:
    return answer_flag(
        flag=made, by=by, outcome=FlagOutcome.CORRECTED, hours=Decimal(hours), answer=answer
    )


def snapshot() -> tuple[object, ...]:
    """Everything a flag service could write, the attendance included."""
    return (
        list(HoursFlag.objects.order_by("pk").values()),
        list(Attendance.objects.order_by("pk").values()),
        list(LedgerEntry.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


# --- flagging ----------------------------------------------------------------------------


def test_a_flag_is_open_for_the_attendance_as_recorded(personas):
    hourly_rate(personas.harbor)
    attendance = attended(personas)
    made = flag(personas, attendance, "2", note="We ran over.")
    assert (made.status, made.attendance_version, made.hours_expected, made.note) == (
        FlagStatus.OPEN,
        attendance.version,
        Decimal("2"),
        "We ran over.",
    )
    assert LedgerEntry.objects.count() == 1  # only what the attendance earned
    assert AuditEvent.objects.filter(action="hours_flag.made", target_id=made.pk).exists()


@pytest.mark.parametrize("hours", ["-1", "0.3", "24.25", "1.5", "NaN"])
def test_bad_hours_are_refused_with_nothing_written(personas, hours):
    """1.5 is what was recorded: flagging it as wrong says nothing."""
    attendance = attended(personas, "1.5")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        flag(personas, attendance, hours)
    assert "hours_expected" in refused.value.message_dict
    assert snapshot() == before


def test_zero_hours_may_be_flagged(personas):
    """Saying "I was not there" is fair to say about recorded hours."""
    attendance = attended(personas)
    assert flag(personas, attendance, "0").hours_expected == 0


def test_one_open_flag_per_attendance(personas):
    attendance = attended(personas)
    flag(personas, attendance)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        flag(personas, attendance, "2.5")
    assert refused.value.messages == [
        "You already flagged these hours. Finance will answer that first."
    ]
    assert snapshot() == before


def test_a_clash_in_the_database_becomes_the_same_clear_message(personas):
    """Two flags sent at the same moment: the check passes for both, and the partial unique
    constraint refuses the second. It reads as the same message, with nothing written."""
    attendance = attended(personas)
    flag(personas, attendance)
    before = snapshot()
    with (
        mock.patch("compensation.services.flags.why_hours_cannot_be_flagged", return_value=None),
        pytest.raises(ValidationError) as refused,
    ):
        flag(personas, attendance, "2.5")
    assert refused.value.messages == [
        "You already flagged these hours. Finance will answer that first."
    ]
    assert snapshot() == before


def test_attendance_recorded_as_not_coming_goes_to_staff(personas):
    attendance = attended(personas)
    attendance = attend(attendance.meeting, personas.ash, by=personas.sam, attended=False)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        flag(personas, attendance)
    assert "attendance sheet" in refused.value.messages[0]
    assert snapshot() == before


def test_nobody_flags_someone_elses_hours(personas):
    rivers = attended(personas, person=personas.river)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        flag(personas, rivers)
    assert snapshot() == before


def test_hours_of_another_organization_cannot_be_flagged_under_mine(personas):
    meeting = past_meeting(personas.second, personas.otto)
    staff = UserFactory.create(email="staff-second@example.test")
    MembershipFactory.create(user=staff, organization=personas.second, role=Role.STAFF)
    ottos = attend(meeting, personas.otto, by=staff)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        flag_hours(
            person=personas.otto,
            organization=personas.harbor,
            attendance=ottos,
            hours_expected=Decimal("2"),
        )
    assert snapshot() == before


def test_a_long_note_is_refused(personas):
    attendance = attended(personas)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        flag(personas, attendance, note="x" * 2001)
    assert "note" in refused.value.message_dict
    assert snapshot() == before


# --- answering ---------------------------------------------------------------------------


def test_a_correction_is_one_adjustment_for_the_difference(personas):
    hourly_rate(personas.harbor, "40.00")
    attendance = attended(personas, "1.5")
    made = flag(personas, attendance, "2")
    attendance_before = list(Attendance.objects.values())
    result = answer_flag(
        flag=made, by=personas.fin, outcome=FlagOutcome.CORRECTED, hours=Decimal("2"), answer="Yes."
    )
    adjustment = LedgerEntry.objects.get(kind=EntryKind.ADJUSTMENT)
    assert result.entry == adjustment
    assert (adjustment.amount, adjustment.hours, adjustment.flag, adjustment.user) == (
        Decimal("20.00"),
        Decimal("0.5"),
        made,
        personas.ash,
    )
    assert (adjustment.source, adjustment.reason) == (
        EntrySource.HOURS_FLAG,
        EntryReason.FLAG_ANSWERED,
    )
    assert LedgerEntry.objects.count() == 2  # what was earned, and the correction
    assert list(Attendance.objects.values()) == attendance_before  # staff's to fix
    made.refresh_from_db()
    assert (made.status, made.outcome, made.answer, made.answered_by) == (
        FlagStatus.ANSWERED,
        FlagOutcome.CORRECTED,
        "Yes.",
        personas.fin,
    )


def test_a_correction_down_is_a_negative_adjustment(personas):
    hourly_rate(personas.harbor, "40.00")
    made = flag(personas, attended(personas, "3"), "2")
    correct(made, personas.fin)
    assert LedgerEntry.objects.get(kind=EntryKind.ADJUSTMENT).amount == Decimal("-40.00")


def test_a_per_meeting_rate_pays_the_difference_by_the_hour(personas):
    hourly_rate(
        personas.harbor, "90.00", basis=RateBasis.PER_MEETING, usual_minutes=90
    )  # 60.00 an hour
    made = flag(personas, attended(personas, "1.5"), "2")
    correct(made, personas.fin)
    assert LedgerEntry.objects.get(kind=EntryKind.ADJUSTMENT).amount == Decimal("30.00")


def test_stays_as_recorded_changes_no_pay(personas):
    hourly_rate(personas.harbor)
    made = flag(personas, attended(personas))
    ledger_before = list(LedgerEntry.objects.values())
    result = answer_flag(
        flag=made, by=personas.fin, outcome=FlagOutcome.UNCHANGED, answer="The sheet is right."
    )
    assert result.entry is None
    assert list(LedgerEntry.objects.values()) == ledger_before
    made.refresh_from_db()
    assert (made.status, made.outcome) == (FlagStatus.ANSWERED, FlagOutcome.UNCHANGED)


def test_answering_twice_is_refused_and_pays_once(personas):
    hourly_rate(personas.harbor)
    made = flag(personas, attended(personas, "1.5"), "2")
    stale = HoursFlag.objects.get(pk=made.pk)
    correct(made, personas.fin)
    before = snapshot()
    for outcome in (FlagOutcome.CORRECTED, FlagOutcome.UNCHANGED):
        with pytest.raises(ValidationError):
            answer_flag(
                flag=stale, by=personas.fin, outcome=outcome, hours=Decimal("2.5"), answer="Again."
            )
    assert snapshot() == before
    assert LedgerEntry.objects.filter(kind=EntryKind.ADJUSTMENT).count() == 1


@pytest.mark.parametrize(
    ("outcome", "hours", "answer", "field"),
    [
        (FlagOutcome.UNCHANGED, None, "", "answer"),
        (FlagOutcome.CORRECTED, "2", "  ", "answer"),
        (FlagOutcome.CORRECTED, None, "Ok.", "hours"),
        (FlagOutcome.CORRECTED, "1.5", "Ok.", "hours"),  # what is recorded already
        (FlagOutcome.CORRECTED, "0.1", "Ok.", "hours"),
        (FlagOutcome.CORRECTED, "-2", "Ok.", "hours"),
        (FlagOutcome.CORRECTED, "25", "Ok.", "hours"),
        ("maybe", None, "Ok.", "outcome"),
        (FlagOutcome.UNCHANGED, None, "x" * 2001, "answer"),
    ],
)
def test_bad_answers_are_refused_with_nothing_written(personas, outcome, hours, answer, field):
    hourly_rate(personas.harbor)
    made = flag(personas, attended(personas, "1.5"), "2")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        answer_flag(
            flag=made,
            by=personas.fin,
            outcome=outcome,
            hours=Decimal(hours) if hours else None,
            answer=answer,
        )
    assert field in refused.value.message_dict
    assert snapshot() == before


def test_a_correction_with_no_rate_for_the_day_is_refused_not_lost(personas):
    made = flag(personas, attended(personas, "1.5"), "2")  # no rate: the meeting was flagged
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        answer_flag(
            flag=made,
            by=personas.fin,
            outcome=FlagOutcome.CORRECTED,
            hours=Decimal("2"),
            answer="Ok.",
        )
    assert "No rate covers the day" in refused.value.message_dict["hours"][0]
    assert snapshot() == before


@pytest.mark.parametrize("who", ["sam", "ada", "ash", "river", "faye", "otto"])
def test_only_finance_answer(personas, who):
    hourly_rate(personas.harbor)
    made = flag(personas, attended(personas))
    before = snapshot()
    with pytest.raises(PermissionDenied):
        answer_flag(
            flag=made, by=getattr(personas, who), outcome=FlagOutcome.UNCHANGED, answer="No."
        )
    assert snapshot() == before


def test_corrected_hours_are_not_corrected_twice(personas):
    """A second flag on hours finance already corrected would pay the difference again."""
    hourly_rate(personas.harbor)
    attendance = attended(personas, "1.5")
    made = flag(personas, attendance, "2")
    correct(made, personas.fin)
    before = snapshot()
    with pytest.raises(ValidationError):
        flag(personas, attendance, "2.5")
    assert snapshot() == before


def test_after_stays_as_recorded_the_person_may_flag_again(personas):
    hourly_rate(personas.harbor)
    attendance = attended(personas, "1.5")
    made = flag(personas, attendance, "2")
    answer_flag(flag=made, by=personas.fin, outcome=FlagOutcome.UNCHANGED, answer="No.")
    assert flag(personas, attendance, "2", note="I have the sign-in sheet.").status == "open"


@pytest.mark.parametrize("outcome", [FlagOutcome.CORRECTED, FlagOutcome.UNCHANGED])
def test_the_survivor_is_told_there_is_an_update_and_nothing_more(personas, outcome):
    hourly_rate(personas.harbor)
    made = flag(personas, attended(personas, "1.5"), "2", note="Private note.")
    answer_flag(
        flag=made, by=personas.fin, outcome=outcome, hours=Decimal("2"), answer="Private answer."
    )
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.kind) == (personas.ash, "hours_flag_answered")
    stored = " ".join(str(value) for value in OutboxMessage.objects.values().get().values())
    assert "private" not in stored.lower()


# --- consent never touches pay -----------------------------------------------------------


def _consent_changes(personas: Any) -> None:
    ensure_consent_texts(organization=personas.harbor)
    for scope in (ConsentScope.COUNT_IN_REPORTS, ConsentScope.ATTRIBUTE_TO_STAFF):
        grant_consent(
            user=personas.ash,
            organization=personas.harbor,
            scope=scope,
            text_version=1,
            language="en",
        )
        withdraw_consent(user=personas.ash, organization=personas.harbor, scope=scope)


def test_no_consent_change_alters_pay_for_claims_or_flags(personas):
    hourly_rate(personas.harbor, "40.00")
    claim = claim_for(personas.ash, personas.harbor, hours=Decimal("1.5"))
    decide_claim(claim=claim, by=personas.sam, approve=True)
    made = flag(personas, attended(personas, "1.5"), "2")
    correct(made, personas.fin)
    ledger = list(LedgerEntry.objects.order_by("pk").values())
    claims_and_flags = (
        list(HoursFlag.objects.values()),
        list(WorkClaim.objects.values()),
    )

    _consent_changes(personas)

    assert list(LedgerEntry.objects.order_by("pk").values()) == ledger
    assert (list(HoursFlag.objects.values()), list(WorkClaim.objects.values())) == (
        claims_and_flags
    )
    # And work decided after consent was withdrawn is paid exactly the same.
    later = claim_for(personas.ash, personas.harbor, hours=Decimal("1.5"))
    entry = decide_claim(claim=later, by=personas.sam, approve=True).entry
    assert entry is not None
    assert entry.amount == Decimal("60.00")
    second = flag(personas, attended(personas, "1.5"), "2")
    result = answer_flag(
        flag=second,
        by=personas.fin,
        outcome=FlagOutcome.CORRECTED,
        hours=Decimal("2"),
        answer="Ok.",
    )
    assert result.entry is not None
    assert result.entry.amount == Decimal("20.00")
