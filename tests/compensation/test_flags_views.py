"""Flag pages: a survivor flags their own recorded hours (nobody else's, no other
organization's) and reads the answer; finance answer (staff may not). Bad input shows a
clear error and writes nothing; the finance list costs the same queries for 5 flags as 50."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.models import AuditEvent, OutboxMessage, Role
from compensation.models import EntryKind, FlagOutcome, FlagStatus, HoursFlag, LedgerEntry
from compensation.services.flags import answer_flag, flag_hours
from meetings.models import Attendance
from tests.compensation.factories import attend, hourly_rate, past_meeting
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory
from tests.support.clients import client_for
from tests.support.urls import url

pytestmark = pytest.mark.django_db

PAST_NOTE = "You never have to share anything about your past."


def attended(personas: Any, person: Any = None, hours: str = "1.5", org: Any = None) -> Attendance:
    person = person or personas.ash
    organization = org or personas.harbor
    meeting = past_meeting(organization, person)
    meeting.title = "Budget meeting"
    meeting.save()
    recorder = personas.sam
    if organization != personas.harbor:
        recorder = UserFactory.create(email=f"staff-{organization.slug}@example.test")
        MembershipFactory.create(user=recorder, organization=organization, role=Role.STAFF)
    return attend(meeting, person, by=recorder, hours=hours)


def flag_url(attendance: Attendance, org: str = "harbor") -> str:
    return url("flag_hours", org=org, attendance_id=attendance.pk)


def flag_for(personas: Any, attendance: Attendance, hours: str = "2", note: str = "") -> HoursFlag:
    return flag_hours(
        person=attendance.user,
        organization=attendance.meeting.organization,
        attendance=attendance,
        hours_expected=Decimal(hours),
        note=note,
    )


# --- survivors: flagging -----------------------------------------------------------------


def test_the_page_shows_the_meeting_and_the_recorded_hours(personas):
    attendance = attended(personas, hours="1.5")
    html = client_for(personas.ash).get(flag_url(attendance)).content.decode()
    assert "Budget meeting" in html
    assert "Hours recorded for you: 1.50." in html
    assert PAST_NOTE in html


def test_a_survivor_flags_their_hours_and_sees_it_waiting(personas):
    attendance = attended(personas)
    client = client_for(personas.ash)
    response = client.post(flag_url(attendance), {"hours_expected": "2", "note": "We ran over."})
    assert response.status_code == 302
    made = HoursFlag.objects.get()
    assert (made.user, made.attendance, made.hours_expected, made.note) == (
        personas.ash,
        attendance,
        Decimal("2"),
        "We ran over.",
    )
    html = client.get(flag_url(attendance)).content.decode()
    assert "Waiting for finance to answer" in html
    assert "You already flagged these hours." in html  # and no second form
    assert 'name="hours_expected"' not in html


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0.1", "Hours go in quarter hours, like 1, 1.25, 1.5 or 1.75."),
        ("-1", "Hours cannot be less than 0."),
        ("30", "Hours cannot be more than 24."),
        ("", "This field is required."),
        ("1.5", "That is the number of hours already recorded."),
    ],
)
def test_bad_hours_show_a_clear_error_and_save_nothing(personas, hours, message):
    attendance = attended(personas, hours="1.5")
    response = client_for(personas.ash).post(flag_url(attendance), {"hours_expected": hours})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HoursFlag.objects.exists()


def test_a_second_flag_while_one_is_open_is_refused_plainly(personas):
    attendance = attended(personas)
    flag_for(personas, attendance)
    response = client_for(personas.ash).post(flag_url(attendance), {"hours_expected": "3"})
    assert response.status_code == 200
    assert "You already flagged these hours." in response.content.decode()
    assert HoursFlag.objects.count() == 1


@pytest.mark.parametrize("who", ["river", "sam", "fin", "ada", "faye", "otto"])
def test_someone_elses_attendance_is_404(personas, who):
    attendance = attended(personas)
    client = client_for(getattr(personas, who))
    assert client.get(flag_url(attendance)).status_code == 404
    assert client.post(flag_url(attendance), {"hours_expected": "2"}).status_code == 404
    assert not HoursFlag.objects.exists()


def test_another_organizations_attendance_is_404_even_under_my_own(personas):
    ottos = attended(personas, person=personas.otto, org=personas.second)
    ash = client_for(personas.ash)
    assert ash.get(flag_url(ottos)).status_code == 404
    assert ash.get(flag_url(ottos, org="second")).status_code == 404
    otto = client_for(personas.otto)
    assert otto.get(flag_url(ottos, org="harbor")).status_code == 404
    assert otto.get(flag_url(ottos, org="second")).status_code == 200


def test_the_answer_shows_on_the_flag_page_and_on_my_claims(personas):
    hourly_rate(personas.harbor)
    attendance = attended(personas)
    made = flag_for(personas, attendance)
    answer_flag(flag=made, by=personas.fin, outcome=FlagOutcome.UNCHANGED, answer="Sheet is right.")
    client = client_for(personas.ash)
    for page in (flag_url(attendance), url("my_claims")):
        html = client.get(page).content.decode()
        assert "Sheet is right." in html
        assert "It stays as recorded" in html


def test_my_claims_offers_recent_meetings_to_flag(personas):
    attendance = attended(personas)
    html = client_for(personas.ash).get(url("my_claims")).content.decode()
    assert flag_url(attendance) in html


# --- finance: answering ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("fin", 200), ("sam", 404), ("ada", 404), ("ash", 404), ("faye", 404), ("otto", 404)],
)
def test_only_finance_see_flags(personas, who, status):
    assert client_for(getattr(personas, who)).get(url("hours_flags")).status_code == status


def test_finance_see_the_name_meeting_hours_and_note(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash Willow")
    attendance = attended(personas, hours="1.5")
    flag_for(personas, attendance, "2.25", note="We ran over by 45 minutes.")
    flag_for(personas, attended(personas, person=personas.otto, org=personas.second), "3")
    html = client_for(personas.fin).get(url("hours_flags")).content.decode()
    assert "Ash Willow" in html
    assert "Budget meeting" in html
    assert "Recorded: 1.50 hours. They think: 2.25 hours." in html
    assert "We ran over by 45 minutes." in html
    assert "They think: 3" not in html  # another organization's flag


def test_finance_correct_and_one_adjustment_is_written(personas):
    hourly_rate(personas.harbor, "40.00")
    attendance = attended(personas, hours="1.5")
    made = flag_for(personas, attendance, "2")
    response = client_for(personas.fin).post(
        url("answer_flag", pk=made.pk),
        {"outcome": "corrected", "hours": "2", "answer": "You are right."},
        follow=True,
    )
    assert "earned, not yet paid" in response.content.decode()
    assert LedgerEntry.objects.get(kind=EntryKind.ADJUSTMENT).amount == Decimal("20.00")
    attendance.refresh_from_db()
    assert attendance.hours == Decimal("1.5")  # the sheet is staff's to fix
    assert OutboxMessage.objects.get().kind == "hours_flag_answered"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "unchanged", "answer": ""}, "Write an answer. The person reads it."),
        ({"outcome": "corrected", "answer": "Ok."}, "Put in the hours to pay."),
        ({"outcome": "corrected", "hours": "1.5", "answer": "Ok."}, "already recorded"),
        ({"outcome": "corrected", "hours": "2.1", "answer": "Ok."}, "quarter hours"),
        ({"answer": "Ok."}, "This field is required."),
    ],
)
def test_bad_answers_show_a_clear_error_and_write_nothing(personas, data, message):
    hourly_rate(personas.harbor)
    made = flag_for(personas, attended(personas, hours="1.5"), "2")
    events = AuditEvent.objects.count()
    entries = LedgerEntry.objects.count()
    response = client_for(personas.fin).post(url("answer_flag", pk=made.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    made.refresh_from_db()
    assert made.status == FlagStatus.OPEN
    assert (AuditEvent.objects.count(), LedgerEntry.objects.count()) == (events, entries)
    assert not OutboxMessage.objects.exists()


def test_answering_twice_is_refused_with_a_message(personas):
    hourly_rate(personas.harbor)
    made = flag_for(personas, attended(personas, hours="1.5"), "2")
    fin = client_for(personas.fin)
    data = {"outcome": "corrected", "hours": "2", "answer": "Ok."}
    fin.post(url("answer_flag", pk=made.pk), data)
    response = fin.post(url("answer_flag", pk=made.pk), data, follow=True)
    assert "already answered" in response.content.decode()
    assert LedgerEntry.objects.filter(kind=EntryKind.ADJUSTMENT).count() == 1


def test_staff_cannot_answer_and_other_organizations_flags_are_404(personas):
    hourly_rate(personas.harbor)
    made = flag_for(personas, attended(personas))
    ottos = flag_for(personas, attended(personas, person=personas.otto, org=personas.second))
    data = {"outcome": "unchanged", "answer": "No."}
    assert client_for(personas.sam).post(url("answer_flag", pk=made.pk), data).status_code == 404
    fin = client_for(personas.fin)
    assert fin.post(url("answer_flag", pk=ottos.pk), data).status_code == 404
    assert fin.post(url("answer_flag", org="second", pk=ottos.pk), data).status_code == 404
    assert not HoursFlag.objects.exclude(status=FlagStatus.OPEN).exists()


def make_flags(personas: Any, count: int) -> None:
    for number in range(count):
        person = UserFactory.create(email=f"flagger-{count}-{number}@example.test")
        MembershipFactory.create(user=person, organization=personas.harbor)
        SurvivorProfileFactory.create(user=person, chosen_name=f"Member {number}")
        attendance = attend(past_meeting(personas.harbor, person), person, by=personas.sam)
        flag_for(personas, attendance, note=f"Note {number}")


# FINANCE_LIST_QUERIES = 8, the same for 5 open flags as for 50: session and user (2); the
# MFA check (1); the viewer's time zone (1); the organization (1); the finance membership
# check (1); counting the open flags for the pages (1); one page of flags with each person's
# profile, attendance and meeting joined in (1). Nothing is asked per flag.
FINANCE_LIST_QUERIES = 8


@pytest.mark.parametrize("count", [5, 50])
def test_the_finance_list_costs_the_same_queries_for_5_or_50_flags(
    personas, count, django_assert_num_queries
):
    make_flags(personas, count)
    client = client_for(personas.fin)
    client.get(url("hours_flags"))  # warm up: the session and sign-in checks settle
    with django_assert_num_queries(FINANCE_LIST_QUERIES):
        assert client.get(url("hours_flags")).status_code == 200
