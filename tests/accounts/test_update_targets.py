"""Every update opens a page the person it is for can see.

Once for the meetings, roles, consent and sign-in updates a survivor leader meets in their
first weeks, made by the real services; and once over the whole demo, seeded as `make run`
seeds it (its reports, paid work and feedback updates). Each person opens each of their own
updates and must land on a page, not on "not found".
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import OutboxMessage, User
from accounts.selectors.updates import UPDATE_STATUSES
from accounts.services.consent import ensure_consent_texts, grant_consent, send_consent_reminders
from accounts.services.roles import create_board_role, invite_to_role
from accounts.services.sign_in_notices import tell_of_failed_sign_ins
from accounts.update_kinds import known_kinds
from meetings.models import MeetingInvitation, MeetingRole
from meetings.services.input import record_input_on_behalf, remind_about_unconfirmed_input
from meetings.services.scheduling import (
    cancel_meeting,
    reschedule_meeting,
    schedule_meeting,
    send_meeting_reminders,
    set_meeting_role,
)
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

SEEDERS = (
    "seed_demo",
    "seed_demo_meetings",
    "seed_demo_pay",
    "seed_demo_advisory",
    "seed_demo_reports",
    "seed_demo_opportunities",
)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    for command in SEEDERS:
        call_command(command, stdout=StringIO())


def broken_updates() -> list[str]:
    """Each person opens each of their updates (one per page): what did not land."""
    updates = OutboxMessage.objects.filter(
        organization__isnull=False, status__in=UPDATE_STATUSES
    ).select_related("recipient", "organization")
    broken = []
    for person in User.objects.filter(pk__in=updates.values("recipient_id")).order_by("email"):
        client = client_for(person)
        mine = updates.filter(recipient=person).order_by("target", "pk")
        for update in mine.distinct("target"):
            organization = update.organization
            assert organization is not None  # an update always belongs to one
            url = reverse(
                "open_update", kwargs={"org": organization.slug, "public_id": update.public_id}
            )
            opened = client.post(url)
            landed = client.get(opened["Location"]) if opened.status_code == 302 else opened
            if opened["Location"] != update.target or landed.status_code != 200:
                broken.append(f"{person.email} {update.kind} {update.target}: {landed.status_code}")
    return broken


def kinds_made() -> set[str]:
    return set(
        OutboxMessage.objects.filter(organization__isnull=False).values_list("kind", flat=True)
    )


def test_a_new_survivor_leaders_first_updates_open_their_pages(personas):
    harbor, ash, sam = personas.harbor, personas.ash, personas.sam
    SurvivorProfileFactory.create(user=ash, organization=harbor, chosen_name="Juniper")
    board_member(ash, harbor)
    ensure_consent_texts(organization=harbor)
    consent = grant_consent(
        user=ash, organization=harbor, scope="count_in_reports", text_version=1, language="en"
    )
    assert consent.expires_at is not None
    send_consent_reminders(now=consent.expires_at - dt.timedelta(days=20))
    invite_to_role(
        role=create_board_role(
            organization=harbor, actor=personas.ada, name="Treasurer", description="Budgets."
        ),
        person=ash,
        invited_by=sam,
        starts_on=dt.date.today(),
    )
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(hours=30)
    meeting = schedule_meeting(
        organization=harbor,
        by=sam,
        title="Planning",
        starts_at=soon,
        duration_minutes=60,
        format="video",
        location="https://video.example.test/room",
    )
    reschedule_meeting(
        meeting=meeting,
        by=sam,
        title="Planning",
        starts_at=soon + dt.timedelta(hours=1),
        duration_minutes=60,
        format="video",
        location="https://video.example.test/room",
    )
    invitation = MeetingInvitation.objects.get(meeting=meeting, user=ash)
    set_meeting_role(invitation=invitation, by=sam, meeting_role=MeetingRole.NOTE_TAKER)
    send_meeting_reminders(now=soon - dt.timedelta(hours=10))
    record_input_on_behalf(meeting=meeting, recorded_by=sam, author=ash, body="Mornings, please.")
    remind_about_unconfirmed_input(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=25))
    tell_of_failed_sign_ins(user_id=ash.pk)
    other = schedule_meeting(
        organization=harbor,
        by=sam,
        title="Called off",
        starts_at=soon + dt.timedelta(days=3),
        duration_minutes=60,
        format="video",
        location="https://video.example.test/room",
    )
    cancel_meeting(meeting=other, by=sam)

    assert kinds_made() == {
        "consent_renewal",
        "role_invitation",
        "meeting_invitation",
        "meeting_changed",
        "meeting_role_offered",
        "meeting_reminder",
        "meeting_cancelled",
        "input_to_confirm",
        "input_check_reminder",
        "sign_in_attempts",
    }
    assert not broken_updates()


def test_every_update_in_the_demo_opens_a_page_its_person_can_see(demo):
    kinds = kinds_made()
    assert len(kinds) >= 8, kinds  # the demo leaves many kinds of update behind
    assert kinds <= known_kinds()
    assert not broken_updates()
