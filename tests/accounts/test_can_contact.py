"""Promise 8 for survivor leaders: contact only on a channel they marked safe, with a yes
to being contacted there that still holds, and never in their quiet hours (their time zone).
Only e-mail is sent by anything so far; nothing sends SMS yet."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from accounts.models import ConsentScope, OutboxMessage, OutboxStatus, SurvivorProfile
from accounts.outbox import can_contact, enqueue_update, in_quiet_hours, send_pending_updates
from accounts.services.consent import (
    ensure_consent_texts,
    grant_consent,
    send_consent_reminders,
    withdraw_consent,
)
from tests.factories import SurvivorProfileFactory

pytestmark = pytest.mark.django_db

# 12:00 UTC is 07:00 in New York (EST, UTC-5) on this date.
NOON_UTC = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)

# Where the updates in these tests point: any page of the organization will do.
MEETINGS = "/o/harbor/meetings/"


def travel(when: dt.datetime):
    return time_machine.travel(when, tick=False)


def profile(user, **fields) -> SurvivorProfile:
    defaults = {"chosen_name": "A", "safe_channels": ["email"], "time_zone": "UTC"}
    return SurvivorProfileFactory.create(user=user, **(defaults | fields))


def say_yes(personas, user, scope=ConsentScope.CONTACT_EMAIL):
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=user, organization=personas.harbor, scope=scope, text_version=1, language="en"
    )


def contact(personas, user=None, channel="email") -> bool:
    return can_contact(user=user or personas.ash, organization=personas.harbor, channel=channel)


def test_no_contact_before_a_channel_is_chosen(personas):
    with travel(NOON_UTC):
        say_yes(personas, personas.ash)
        assert not contact(personas)  # no profile yet
        profile(personas.ash, safe_channels=[])
        assert not contact(personas)


def test_a_safe_channel_without_a_yes_is_not_enough(personas):
    with travel(NOON_UTC):
        profile(personas.ash)
        assert not contact(personas)
        say_yes(personas, personas.ash)
        assert contact(personas)


def test_a_yes_without_a_safe_channel_is_not_enough(personas):
    with travel(NOON_UTC):
        profile(personas.ash, safe_channels=["sms"])
        say_yes(personas, personas.ash)
        assert not contact(personas, channel="email")


def test_sms_needs_its_own_yes(personas):
    with travel(NOON_UTC):
        profile(personas.ash, safe_channels=["email", "sms"])
        say_yes(personas, personas.ash)
        assert not contact(personas, channel="sms")
        say_yes(personas, personas.ash, ConsentScope.CONTACT_SMS)
        assert contact(personas, channel="sms")


def test_withdrawn_or_expired_yes_stops_contact(personas):
    with travel(NOON_UTC):
        profile(personas.ash)
        say_yes(personas, personas.ash)
        withdraw_consent(
            user=personas.ash, organization=personas.harbor, scope=ConsentScope.CONTACT_EMAIL
        )
        assert not contact(personas)
        say_yes(personas, personas.ash)
    with travel(NOON_UTC + dt.timedelta(days=366)):
        assert not contact(personas)


def test_a_yes_in_one_organization_does_not_reach_another(personas):
    with travel(NOON_UTC):
        profile(personas.otto)
        assert not can_contact(user=personas.otto, organization=personas.second, channel="email")


@pytest.mark.parametrize(
    ("start", "end", "local", "quiet"),
    [
        ("21:00", "07:00", "23:30", True),
        ("21:00", "07:00", "03:00", True),
        ("21:00", "07:00", "06:59", True),
        ("21:00", "07:00", "07:00", False),
        ("21:00", "07:00", "20:59", False),
        ("21:00", "07:00", "21:00", True),
        ("13:00", "14:00", "13:30", True),
        ("13:00", "14:00", "14:30", False),
        ("09:00", "09:00", "09:00", False),
        (None, "07:00", "03:00", False),
    ],
)
def test_quiet_hours_may_run_past_midnight(start, end, local, quiet):
    def at(value):
        return dt.time.fromisoformat(value) if value else None

    moment = dt.datetime.combine(dt.date(2026, 1, 15), at(local))
    assert in_quiet_hours(at(start), at(end), moment) is quiet


def test_quiet_hours_are_in_the_survivors_own_time_zone(personas):
    profile(
        personas.ash,
        time_zone="America/New_York",
        quiet_hours_start=dt.time(21, 0),
        quiet_hours_end=dt.time(7, 30),
    )
    with travel(NOON_UTC - dt.timedelta(days=1)):
        say_yes(personas, personas.ash)
    with travel(NOON_UTC):  # 07:00 in New York: still quiet
        assert not contact(personas)
    with travel(NOON_UTC + dt.timedelta(minutes=30)):  # 07:30 in New York
        assert contact(personas)


def test_without_a_zone_of_their_own_quiet_hours_follow_the_organizations(personas):
    personas.harbor.time_zone = "America/New_York"
    personas.harbor.save(update_fields=["time_zone"])
    profile(
        personas.ash, time_zone="", quiet_hours_start=dt.time(21, 0), quiet_hours_end=dt.time(7, 30)
    )
    with travel(NOON_UTC - dt.timedelta(days=1)):
        say_yes(personas, personas.ash)
    with travel(NOON_UTC):  # 07:00 in New York, the organization's zone: still quiet
        assert not contact(personas)
    with travel(NOON_UTC + dt.timedelta(minutes=30)):  # 07:30 in New York
        assert contact(personas)


def test_in_quiet_hours_an_update_waits_and_goes_out_after(personas):
    profile(
        personas.ash,
        time_zone="America/New_York",
        quiet_hours_start=dt.time(21, 0),
        quiet_hours_end=dt.time(8, 0),
    )
    with travel(NOON_UTC - dt.timedelta(days=1)):
        say_yes(personas, personas.ash)
    with travel(NOON_UTC):  # 07:00 in New York
        enqueue_update(
            recipient=personas.ash,
            organization=personas.harbor,
            kind="meeting_changed",
            target=MEETINGS,
        )
        enqueue_update(
            recipient=personas.sam,
            organization=personas.harbor,
            kind="meeting_changed",
            target=MEETINGS,
        )
        assert send_pending_updates() == 1
        assert [m.to for m in mail.outbox] == [["sam@example.test"]]
        ash_message = OutboxMessage.objects.get(recipient=personas.ash)
        assert ash_message.status == OutboxStatus.PENDING  # not held: it will go out later
    with travel(NOON_UTC + dt.timedelta(hours=1)):  # 08:00 in New York
        assert send_pending_updates() == 1
    assert [m.to for m in mail.outbox] == [["sam@example.test"], ["ash@example.test"]]
    ash_message.refresh_from_db()
    assert ash_message.status == OutboxStatus.SENT


def test_a_waiting_update_does_not_block_the_others(personas):
    profile(personas.ash, quiet_hours_start=dt.time(11, 0), quiet_hours_end=dt.time(13, 0))
    with travel(NOON_UTC):
        say_yes(personas, personas.ash)
        enqueue_update(
            recipient=personas.ash,
            organization=personas.harbor,
            kind="meeting_changed",
            target=MEETINGS,
        )
        for _ in range(3):
            enqueue_update(
                recipient=personas.sam,
                organization=personas.harbor,
                kind="meeting_changed",
                target=MEETINGS,
            )
        assert send_pending_updates(batch_size=10) == 3
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 1


def test_without_a_safe_channel_an_update_is_held_on_the_home_page(personas):
    profile(personas.ash, safe_channels=["sms"])
    with travel(NOON_UTC):
        say_yes(personas, personas.ash)
        say_yes(personas, personas.ash, ConsentScope.CONTACT_SMS)
        enqueue_update(
            recipient=personas.ash,
            organization=personas.harbor,
            kind="meeting_changed",
            target=MEETINGS,
        )
        assert send_pending_updates() == 0
    # SMS is a safe channel for this person, but nothing sends SMS yet: the update waits.
    assert OutboxMessage.objects.get().status == OutboxStatus.HELD
    assert mail.outbox == []


def test_renewal_reminders_follow_the_same_rules(personas):
    """Reminders about the contact yes itself: never on an unsafe channel, never in quiet
    hours; they wait on the home page instead."""
    profile(personas.ash, quiet_hours_start=dt.time(22, 0), quiet_hours_end=dt.time(6, 0))
    profile(personas.river, safe_channels=[])
    start = dt.datetime(2026, 1, 15, 23, 0, tzinfo=dt.UTC)
    with travel(start):
        say_yes(personas, personas.ash)
        say_yes(personas, personas.river)
        say_yes(personas, personas.river, ConsentScope.COUNT_IN_REPORTS)
    with travel(start + dt.timedelta(days=340)):  # 23:00 UTC: ash's quiet hours
        assert send_consent_reminders() == 3
        assert send_pending_updates() == 0
        statuses = dict(OutboxMessage.objects.values_list("recipient__email", "status"))
        assert statuses == {"ash@example.test": "pending", "river@example.test": "held"}
    with travel(start + dt.timedelta(days=340, hours=8)):  # 07:00 UTC
        assert send_pending_updates() == 1
    assert [m.to for m in mail.outbox] == [["ash@example.test"]]
    assert "There is an update for you" in mail.outbox[0].body
    assert "consent" not in mail.outbox[0].body.lower()
