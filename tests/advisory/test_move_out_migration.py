"""The migrations that move funder reports and paid opportunities out of `advisory` into
their own apps keep every row of a database that holds the demo.

Runs the real migrations on the test database: back to before the move, the whole demo
seeded through its own commands (the tables are the same before and after, so today's
seed code writes them), then forward. Every row of every moved table must be there, field
for field; the content types must follow their models; the append-only triggers must still
guard published report versions. Then back and forward again.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("advisory", "0007_one_list_of_paid_work")]
AFTER = [
    ("advisory", "0008_reports_and_opportunities_move_out"),
    ("opportunities", "0001_initial"),
    ("reports", "0001_initial"),
]
MOVED = {
    "reports": {
        "impactreport": "advisory_impactreport",
        "reportversion": "advisory_reportversion",
        "signoff": "advisory_signoff",
        "quoterequest": "advisory_quoterequest",
    },
    "opportunities": {
        "opportunity": "advisory_opportunity",
        "opportunityinterest": "advisory_opportunityinterest",
    },
}
DEMO = (
    "seed_demo",
    "seed_demo_meetings",
    "seed_demo_pay",
    "seed_demo_advisory",
    "seed_demo_reports",
    "seed_demo_opportunities",
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move():
    """The database as it was before; put back afterwards whatever happens."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def table_rows() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every moved table, every column, in id order."""
    found = {}
    with connection.cursor() as cursor:
        for tables in MOVED.values():
            for table in tables.values():
                cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608  # our names
                found[table] = cursor.fetchall()
    return found


def content_type_ids(apps, app_label: str, models) -> dict[str, int]:
    ContentType = apps.get_model("contenttypes", "ContentType")
    return dict(
        ContentType.objects.filter(app_label=app_label, model__in=models).values_list("model", "pk")
    )


def moved_models() -> list[str]:
    return [model for models in MOVED.values() for model in models]


def as_a_database_from_before(apps) -> dict[str, int]:
    """A database that ran the old code has the moved models' content types, and their
    permissions, under `advisory` (going back to before the move puts them there)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    assert not ContentType.objects.filter(app_label__in=MOVED, model__in=moved_models()).exists()
    for model in moved_models():
        content_type, _ = ContentType.objects.get_or_create(app_label="advisory", model=model)
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"view_{model}",
            defaults={"name": f"Can view {model}"},
        )
    return content_type_ids(apps, "advisory", moved_models())


def test_every_row_of_the_demo_is_kept_and_content_types_follow(before_the_move, settings):
    settings.DEBUG = True
    for command in DEMO:
        call_command(command, stdout=StringIO())
    old_types = as_a_database_from_before(before_the_move)
    Permission = before_the_move.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type_id__in=old_types.values()).count()
    assert permissions >= len(old_types)
    before = table_rows()
    for table in ("advisory_impactreport", "advisory_reportversion", "advisory_signoff"):
        assert before[table], f"the demo wrote nothing to {table}"
    assert before["advisory_opportunity"]
    assert before["advisory_opportunityinterest"]

    apps = migrate(AFTER)

    assert table_rows() == before
    # The models read the same rows through their new apps.
    counts = {
        f"{app_label}.{model}": apps.get_model(app_label, model).objects.count()
        for app_label, models in MOVED.items()
        for model in models
    }
    assert counts == {
        f"{app_label}.{model}": len(before[table])
        for app_label, models in MOVED.items()
        for model, table in models.items()
    }
    Version = apps.get_model("reports", "ReportVersion")
    published = Version.objects.filter(status="published").first()
    assert published is not None
    assert published.snapshot  # the figures came along
    Interest = apps.get_model("opportunities", "OpportunityInterest")
    paid = Interest.objects.filter(status="completed").select_related("opportunity").get()
    assert paid.ledger_entry_id is not None
    assert paid.opportunity.title == "Sit on the hiring panel for the new coordinator"

    # Same content types (same ids, so their permissions stay), now under the new apps.
    moved_types = {
        **content_type_ids(apps, "reports", MOVED["reports"]),
        **content_type_ids(apps, "opportunities", MOVED["opportunities"]),
    }
    assert moved_types == old_types
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert not ContentType.objects.filter(app_label="advisory", model__in=old_types).exists()
    Permission = apps.get_model("auth", "Permission")
    assert Permission.objects.filter(content_type_id__in=old_types.values()).count() == (
        permissions
    )

    # The append-only triggers still guard what was published.
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.filter(pk=published.pk).update(statement="Changed after publication")

    # Back and forward again changes no row either.
    back = migrate(BEFORE)
    assert table_rows() == before
    assert content_type_ids(back, "advisory", moved_models()) == old_types
    migrate(AFTER)
    assert table_rows() == before
