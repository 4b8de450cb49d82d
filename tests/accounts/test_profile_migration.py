"""The migration that gives each existing profile to the organization it was made in.

Runs the real migrations on the test database: back to one profile per person, a few
people in the shapes that happen, then forward (and back again, and forward).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_append_only_triggers")]
AFTER = [("accounts", "0004_survivor_profile_organization_required")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_the_old_shape():
    """The database as it was before profiles had an organization; put back afterwards
    whatever happens, so no later test runs on the old shape."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def joined(apps, user, organization, role: str, year: int) -> None:
    Membership = apps.get_model("accounts", "Membership")
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    # joined_at is set on creation; the rule is about who joined first, so set it here.
    Membership.objects.filter(pk=membership.pk).update(joined_at=datetime(year, 1, 1, tzinfo=UTC))


def test_each_profile_stays_where_it_was_made_and_nowhere_else(at_the_old_shape):
    apps = at_the_old_shape
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    Profile = apps.get_model("accounts", "SurvivorProfile")
    harbor = Organization.objects.create(name="Harbor", slug="harbor")
    second = Organization.objects.create(name="Second", slug="second")
    third = Organization.objects.create(name="Third", slug="third")
    people = {
        name: User.objects.create(email=f"{name}@example.test")
        for name in (
            "leader_later",  # staff at Harbor first, then a survivor leader at Second
            "two_boards",  # a survivor leader at Harbor and, earlier, at Third
            "role_changed",  # a profile, but only a staff membership now
            "left",  # a profile and no membership at all
            "no_profile",  # a member who never filled one in
        )
    }
    joined(apps, people["leader_later"], harbor, "staff", 2023)
    joined(apps, people["leader_later"], second, "survivor_leader", 2024)
    joined(apps, people["two_boards"], harbor, "survivor_leader", 2024)
    joined(apps, people["two_boards"], third, "survivor_leader", 2023)
    joined(apps, people["role_changed"], harbor, "staff", 2024)
    joined(apps, people["no_profile"], harbor, "survivor_leader", 2024)
    for name in ("leader_later", "two_boards", "role_changed", "left"):
        Profile.objects.create(
            user=people[name],
            chosen_name=name,
            legal_name=f"Legal {name}",
            mailing_address=f"1 {name} Street",
            safe_channels=["email"],
        )

    apps = migrate(AFTER)
    Profile = apps.get_model("accounts", "SurvivorProfile")
    placed = {
        p.chosen_name: (p.organization.slug, p.legal_name, p.mailing_address, p.safe_channels)
        for p in Profile.objects.select_related("organization")
    }
    assert placed == {
        "leader_later": ("second", "Legal leader_later", "1 leader_later Street", ["email"]),
        "two_boards": ("third", "Legal two_boards", "1 two_boards Street", ["email"]),
        "role_changed": ("harbor", "Legal role_changed", "1 role_changed Street", ["email"]),
    }
    assert not Profile.objects.filter(user__email__startswith="left").exists()
    assert not Profile.objects.filter(user__email__startswith="no_profile").exists()


def test_going_back_keeps_the_profile_made_first_and_forward_again_puts_it_back(
    at_the_old_shape,
):
    apps = at_the_old_shape
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    harbor = Organization.objects.create(name="Harbor", slug="harbor")
    second = Organization.objects.create(name="Second", slug="second")
    otto = User.objects.create(email="otto@example.test")
    joined(apps, otto, second, "survivor_leader", 2023)
    joined(apps, otto, harbor, "survivor_leader", 2024)
    apps.get_model("accounts", "SurvivorProfile").objects.create(user=otto, chosen_name="Otto")

    apps = migrate(AFTER)
    Profile = apps.get_model("accounts", "SurvivorProfile")
    Profile.objects.create(user_id=otto.pk, organization_id=harbor.pk, chosen_name="For Harbor")
    apps = migrate(BEFORE)
    kept = apps.get_model("accounts", "SurvivorProfile").objects.get()
    assert kept.chosen_name == "Otto"  # the other organization's never reaches this one

    apps = migrate(AFTER)
    back = apps.get_model("accounts", "SurvivorProfile").objects.select_related("organization")
    assert [(p.chosen_name, p.organization.slug) for p in back] == [("Otto", "second")]
