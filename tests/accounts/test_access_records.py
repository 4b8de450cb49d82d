"""Access transparency: one record per staff view, read only by its subject, purged after
the retention period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import AccessRecord, AuditEvent
from accounts.selectors.profile import access_records_for
from accounts.services.access import purge_old_access_records, record_access
from accounts.services.profile import update_profile
from accounts.tasks import purge_access_records
from tests.factories import UserFactory
from tests.mfa import give_totp, sign_in

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def client_for(user, *, totp: bool = False) -> Client:
    if totp:
        give_totp(user)
    client = Client()
    sign_in(client, user)
    return client


def who_has_seen(org: str = "harbor") -> str:
    return reverse("who_has_seen", kwargs={"org": org})


def test_record_access_appends_codes_only(personas):
    record = record_access(
        viewer=personas.sam, subject=personas.river, organization=personas.harbor, what="profile"
    )
    assert record.what == "profile"
    with pytest.raises(ValueError, match="Unknown access code"):
        record_access(
            viewer=personas.sam,
            subject=personas.river,
            organization=personas.harbor,
            what="River's notes",
        )
    assert AccessRecord.objects.count() == 1


def test_the_subject_sees_who_looked_newest_first_in_their_time_zone(personas):
    update_profile(
        user=personas.river,
        organization=personas.harbor,
        chosen_name="River",
        time_zone="Asia/Tokyo",
    )
    with time_machine.travel(NOON, tick=False):
        record_access(
            viewer=personas.sam,
            subject=personas.river,
            organization=personas.harbor,
            what="profile",
        )
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        record_access(
            viewer=personas.ada,
            subject=personas.river,
            organization=personas.harbor,
            what="payment_details",
        )
    page = client_for(personas.river).get(who_has_seen()).content.decode()
    assert "10 March 2026, 21:00" in page  # noon UTC is 21:00 in Tokyo
    assert "10 March 2026, 22:00" in page
    assert page.index("ada@example.test") < page.index("sam@example.test")  # newest first
    assert "Program staff" in page
    assert "Organization admin" in page
    assert "Your payment details" in page
    assert "Your profile" in page


def test_a_deleted_viewer_is_still_listed_without_an_address(personas):
    viewer = UserFactory.create(email="gone@example.test")
    record_access(viewer=viewer, subject=personas.river, organization=personas.harbor, what="input")
    viewer.delete()
    page = client_for(personas.river).get(who_has_seen()).content.decode()
    assert "Someone whose account has since been deleted" in page
    assert "Something you said or wrote" in page


def test_ash_cannot_see_rivers_records(personas):
    record_access(
        viewer=personas.sam, subject=personas.river, organization=personas.harbor, what="profile"
    )
    page = client_for(personas.ash).get(who_has_seen()).content.decode()
    assert "sam@example.test" not in page
    assert "Nobody at the program has opened your information yet." in page
    assert not access_records_for(personas.ash, personas.harbor).exists()


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye"])
def test_staff_and_others_cannot_see_any_records(personas, who):
    record_access(
        viewer=personas.sam, subject=personas.river, organization=personas.harbor, what="profile"
    )
    client = client_for(getattr(personas, who), totp=True)
    assert client.get(who_has_seen()).status_code == 404


def test_records_from_another_organization_stay_there(personas):
    record_access(
        viewer=personas.sam, subject=personas.otto, organization=personas.harbor, what="profile"
    )
    page = client_for(personas.otto).get(who_has_seen("second")).content.decode()
    assert "sam@example.test" not in page


def test_the_list_is_paginated_25_to_a_page(personas):
    for _ in range(30):
        record_access(
            viewer=personas.sam,
            subject=personas.river,
            organization=personas.harbor,
            what="profile",
        )
    client = client_for(personas.river)
    first = client.get(who_has_seen()).content.decode()
    assert first.count("sam@example.test") == 25
    assert "Page 1 of 2" in first
    assert client.get(who_has_seen() + "?page=2").content.decode().count("sam@example.test") == 5


def test_each_staff_view_is_one_record_the_subject_then_reads(personas):
    update_profile(user=personas.river, organization=personas.harbor, chosen_name="River")
    staff = client_for(personas.sam, totp=True)
    profile_url = reverse(
        "survivor_profile", kwargs={"org": "harbor", "user_id": personas.river.pk}
    )
    staff.get(profile_url)
    staff.get(profile_url)
    assert access_records_for(personas.river, personas.harbor).count() == 2
    page = client_for(personas.river).get(who_has_seen()).content.decode()
    assert page.count("sam@example.test") == 2


# --- retention ----------------------------------------------------------------------------


def test_the_retention_period_defaults_to_two_years():
    retention: timedelta = settings.ACCESS_RECORD_RETENTION
    assert retention.days == 730


def test_purge_removes_only_records_older_than_the_retention_period(personas):
    def record_at(moment: datetime) -> None:
        with time_machine.travel(moment, tick=False):
            record_access(
                viewer=personas.sam,
                subject=personas.river,
                organization=personas.harbor,
                what="profile",
            )

    record_at(NOON - timedelta(days=731))
    record_at(NOON - timedelta(days=729))
    with time_machine.travel(NOON, tick=False):
        assert purge_old_access_records() == 1
        assert purge_old_access_records() == 0  # running it again does nothing more
    assert AccessRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="access_records.purged").count() == 1


def test_purge_takes_an_explicit_now_and_the_task_calls_it(personas, settings):
    settings.ACCESS_RECORD_RETENTION = timedelta(days=1)
    with time_machine.travel(NOON, tick=False):
        record_access(
            viewer=personas.sam,
            subject=personas.river,
            organization=personas.harbor,
            what="profile",
        )
    assert purge_old_access_records(now=NOON + timedelta(hours=23)) == 0
    with time_machine.travel(NOON + timedelta(days=2), tick=False):
        assert purge_access_records.apply().get() == 1
    assert not AccessRecord.objects.exists()


def test_the_purge_runs_daily_from_beat():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "accounts.tasks.purge_access_records"
    )
    assert entry["schedule"] == timedelta(days=1)
