"""Funder reports and paid opportunities are their own apps now (`reports`,
`opportunities`). Their tables, rows, constraints and triggers stay exactly where they
are: this migration only removes the models from advisory's state (the new apps' 0001
migrations added them to theirs), and moves their content types, so nothing that refers
to a content type loses its model."""

from django.db import migrations

MOVED = {
    "reports": ("impactreport", "reportversion", "signoff", "quoterequest"),
    "opportunities": ("opportunity", "opportunityinterest"),
}


def move_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, source="advisory", target=None)


def move_content_types_back(apps, schema_editor):
    _relabel(apps, schema_editor, source=None, target="advisory")


def _relabel(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for app_label, models in MOVED.items():
        old, new = source or app_label, target or app_label
        for model in models:
            if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
                continue  # already there (created after the move): leave both as they are
            ContentType.objects.using(db).filter(app_label=old, model=model).update(
                app_label=new
            )


class Migration(migrations.Migration):
    dependencies = [
        ("advisory", "0007_one_list_of_paid_work"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("opportunities", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SignOff"),
                migrations.DeleteModel(name="QuoteRequest"),
                migrations.DeleteModel(name="ReportVersion"),
                migrations.DeleteModel(name="ImpactReport"),
                migrations.DeleteModel(name="OpportunityInterest"),
                migrations.DeleteModel(name="Opportunity"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
