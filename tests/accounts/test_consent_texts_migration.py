"""The migration that gives organizations made before it their first consent texts, which
they used to get the first time someone opened a choices page.

Runs the real migrations on the test database: back to before it, organizations with and
without texts, then forward.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.audit import verify_chain
from accounts.default_consent_texts import DEFAULT_TEXTS

BEFORE = [("accounts", "0007_update_targets_and_in_person_invitations")]
AFTER = [("accounts", "0008_default_consent_texts")]

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


def test_organizations_without_texts_get_them_and_existing_words_stay(before_it):
    apps = before_it
    Organization = apps.get_model("accounts", "Organization")
    ConsentText = apps.get_model("accounts", "ConsentText")
    bare = Organization.objects.create(name="Harbor", slug="harbor")
    worded = Organization.objects.create(name="Second", slug="second")
    own = ConsentText.objects.create(
        organization=worded,
        scope="count_in_reports",
        language="en",
        version=1,
        text="Ours.",
        effective_at=timezone.now(),
    )

    after = migrate(AFTER)

    Text = after.get_model("accounts", "ConsentText")
    every = {(scope, language) for language, texts in DEFAULT_TEXTS.items() for scope in texts}
    for organization_id in (bare.pk, worded.pk):
        texts = Text.objects.filter(organization_id=organization_id)
        assert set(texts.values_list("scope", "language")) == every
        assert not texts.filter(effective_at__isnull=True).exists()
    assert Text.objects.get(pk=own.pk).text == "Ours."
    assert Text.objects.filter(organization_id=worded.pk, scope="count_in_reports").count() == 2
    assert verify_chain() == []
    assert Text.objects.filter(text="Ours.").count() == 1
