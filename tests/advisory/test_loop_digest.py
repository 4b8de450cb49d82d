"""The weekly staff digest: one "there is an update" (by kind only) to each staff member and
admin of an organization with something to say, at most once per ISO week, and nothing for
organizations with nothing to say."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings

from accounts.models import OutboxMessage, Role
from advisory import tasks
from advisory.models import RecommendationResponse
from advisory.services.recommendations import WEEKLY_DIGEST, send_weekly_digest
from config.celery import app
from tests.factories import MembershipFactory, UserFactory
from tests.support.advisory import TEXT, a_recommendation, given

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.datetime(2025, 6, 18, 12, 0, tzinfo=datetime.UTC)
FRIDAY = datetime.datetime(2025, 6, 20, 12, 0, tzinfo=datetime.UTC)
NEXT_MONDAY = datetime.datetime(2025, 6, 23, 8, 0, tzinfo=datetime.UTC)


def told(user) -> int:
    return OutboxMessage.objects.filter(recipient=user, kind=WEEKLY_DIGEST).count()


def run(when: datetime.datetime) -> int:
    with time_machine.travel(when, tick=False):
        return send_weekly_digest()


def overdue(organization) -> None:
    with time_machine.travel(WEDNESDAY, tick=False):
        a_recommendation(organization, adopted_days_ago=45)


def test_staff_and_admins_are_told_when_a_recommendation_is_overdue(personas):
    overdue(personas.harbor)
    assert run(WEDNESDAY) == 2
    assert told(personas.sam) == 1
    assert told(personas.ada) == 1
    for nobody in (personas.ash, personas.river, personas.fin, personas.faye, personas.otto):
        assert told(nobody) == 0


def test_the_digest_carries_a_kind_and_nothing_of_what_survivors_said(personas):
    overdue(personas.harbor)
    with time_machine.travel(WEDNESDAY, tick=False):
        given(personas.ash, personas.harbor, 100, body="Evening meetings suit me better.")
    run(WEDNESDAY)
    for message in OutboxMessage.objects.values():
        assert message["kind"] == WEEKLY_DIGEST
        assert TEXT not in str(message)
        assert "Evening meetings" not in str(message)


def test_once_per_week_whatever_the_number_of_runs(personas):
    overdue(personas.harbor)
    assert run(WEDNESDAY) == 2
    assert run(WEDNESDAY) == 0
    assert run(FRIDAY) == 0
    assert told(personas.sam) == 1
    assert run(NEXT_MONDAY) == 2
    assert told(personas.sam) == 2


def test_someone_who_joins_mid_week_still_gets_this_weeks(personas):
    overdue(personas.harbor)
    run(WEDNESDAY)
    newcomer = UserFactory.create(email="new.staff@example.test")
    MembershipFactory.create(user=newcomer, organization=personas.harbor, role=Role.STAFF)
    assert run(FRIDAY) == 1
    assert told(newcomer) == 1


def test_the_week_starts_on_monday_where_the_organization_is(personas):
    personas.harbor.time_zone = "Pacific/Honolulu"
    personas.harbor.save()
    overdue(personas.harbor)
    # 05:00 UTC on Monday is still Sunday evening in Honolulu: last week there.
    sunday_in_honolulu = datetime.datetime(2025, 6, 23, 5, 0, tzinfo=datetime.UTC)
    monday_in_honolulu = datetime.datetime(2025, 6, 23, 18, 0, tzinfo=datetime.UTC)
    assert run(sunday_in_honolulu) == 2
    assert run(monday_in_honolulu) == 2


def test_organizations_with_nothing_to_say_are_skipped(personas):
    second_staff = UserFactory.create(email="second.staff@example.test")
    MembershipFactory.create(user=second_staff, organization=personas.second, role=Role.STAFF)
    with time_machine.travel(WEDNESDAY, tick=False):
        a_recommendation(personas.harbor, adopted_days_ago=5)  # waiting, not overdue
        a_recommendation(
            personas.harbor,
            adopted_days_ago=60,
            response=RecommendationResponse.ACCEPTED,
            response_reason="Yes.",
        )
        given(personas.ash, personas.harbor, 10)  # recent input with no outcome yet
        a_recommendation(personas.second, adopted_days_ago=45)
    assert run(WEDNESDAY) == 1
    assert told(second_staff) == 1
    assert told(personas.sam) == 0
    assert told(personas.ada) == 0


def test_input_with_no_outcome_for_too_long_is_something_to_say(personas):
    with time_machine.travel(WEDNESDAY, tick=False):
        given(personas.ash, personas.harbor, 61)
    assert run(WEDNESDAY) == 2


def test_the_task_calls_the_service_and_is_on_the_weekly_beat(personas):
    overdue(personas.harbor)
    with time_machine.travel(WEDNESDAY, tick=False):
        assert tasks.send_weekly_digest() == 2
        assert tasks.send_weekly_digest() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["advisory-weekly-digest"]
    assert entry["task"] == "advisory.tasks.send_weekly_digest"
    assert entry["schedule"] == datetime.timedelta(weeks=1)
    assert "advisory.tasks.send_weekly_digest" in app.tasks
