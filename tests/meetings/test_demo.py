"""The demo's meetings: a year of them, past and upcoming, written once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, Role, SurvivorProfile
from meetings.mentions import render
from meetings.models import (
    AgendaItem,
    Attendance,
    Input,
    InputStatus,
    Meeting,
    MeetingInvitation,
    Minutes,
    MinutesStatus,
)
from tests.support.demo import seeded_once

pytestmark = pytest.mark.django_db


# Seeded once for the module; the commands' refusals, which need an empty database, are in
# test_demo_commands.py.
seeded = seeded_once("seed_demo", "seed_demo_meetings")


def counts():
    return tuple(
        model.objects.count()
        for model in (Meeting, MeetingInvitation, AgendaItem, Attendance, Input, Minutes)
    )


def test_a_year_of_meetings_past_and_upcoming(seeded):
    now = timezone.now()
    assert Meeting.objects.count() == 12
    assert "Added 12 demo meetings." in seeded
    past = Meeting.objects.filter(starts_at__lt=now)
    assert 7 <= past.count() <= 9
    assert Meeting.objects.filter(starts_at__gt=now).count() >= 3
    assert {m.organization.slug for m in Meeting.objects.all()} == {"harbor-light"}


def test_agenda_items_are_proposed_by_survivor_leaders_of_the_program(seeded):
    proposers = set(AgendaItem.objects.values_list("proposed_by", flat=True))
    survivors = set(
        Membership.objects.filter(
            organization__slug="harbor-light", role=Role.SURVIVOR_LEADER
        ).values_list("user", flat=True)
    )
    assert proposers
    assert proposers <= survivors
    assert AgendaItem.objects.filter(status="proposed").exists()


def test_past_meetings_have_attendance_input_and_approved_minutes(seeded):
    past = Meeting.objects.filter(starts_at__lt=timezone.now())
    for meeting in past:
        assert meeting.attendance.count() == meeting.invitations.count()
        assert meeting.minutes.status == MinutesStatus.APPROVED
        assert meeting.inputs.filter(status=InputStatus.CONFIRMED).exists()
    assert not Attendance.objects.filter(meeting__starts_at__gt=timezone.now()).exists()
    assert not Minutes.objects.filter(meeting__starts_at__gt=timezone.now()).exists()


def test_one_input_waits_for_its_author_to_check_it(seeded):
    pending = Input.objects.get(status=InputStatus.PENDING)
    assert pending.recorded_by is not None
    assert pending.recorded_by != pending.author


def test_minutes_mention_members_by_token_and_name_nobody(seeded):
    """The demo board has members who let staff see their name and members who do not; the
    minutes read the same for all of them."""
    chosen_names = set(SurvivorProfile.objects.values_list("chosen_name", flat=True))
    assert chosen_names
    for minutes in Minutes.objects.all():
        assert "@[member:" in minutes.body
        html = str(render(minutes.body))
        assert "@[member:" not in html
        assert "a board member" in html
        assert not [name for name in chosen_names if name in html]


def test_running_it_again_adds_nothing(seeded):
    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_meetings", stdout=out)
    assert counts() == before
    assert "nothing was added" in out.getvalue()
