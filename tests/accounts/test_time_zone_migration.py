"""The migration after which a profile's empty time zone means "the organization's".

Runs the real migrations on the test database: back to before it, profiles in the shapes
that happen, then forward (and back, and forward again).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0005_account_messages_and_address_changes")]
AFTER = [("accounts", "0006_survivor_profile_time_zone_follows_organization")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_it():
    """The database as it was before; put back afterwards whatever happens."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def zones(apps) -> dict[str, str]:
    Profile = apps.get_model("accounts", "SurvivorProfile")
    return dict(Profile.objects.values_list("chosen_name", "time_zone"))


def test_a_zone_copied_from_the_organization_now_follows_it_and_a_chosen_one_stays(before_it):
    apps = before_it
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    Profile = apps.get_model("accounts", "SurvivorProfile")
    utc = Organization.objects.create(name="Harbor", slug="harbor")  # the default, UTC
    denver = Organization.objects.create(name="Second", slug="second", time_zone="America/Denver")
    for name, organization, zone in [
        ("copied", utc, "UTC"),  # filled in from the organization on first save
        ("chose", utc, "America/New_York"),
        ("copied_elsewhere", denver, "America/Denver"),
        ("utc_elsewhere", denver, "UTC"),  # chose UTC where the organization is not
    ]:
        user = User.objects.create(email=f"{name}@example.test")
        Profile.objects.create(
            user=user, organization=organization, chosen_name=name, time_zone=zone
        )

    after = zones(migrate(AFTER))
    assert after == {
        "copied": "",
        "chose": "America/New_York",
        "copied_elsewhere": "",
        "utc_elsewhere": "UTC",
    }

    back = zones(migrate(BEFORE))
    assert back == {
        "copied": "UTC",
        "chose": "America/New_York",
        "copied_elsewhere": "America/Denver",
        "utc_elsewhere": "UTC",
    }
    assert zones(migrate(AFTER)) == after
