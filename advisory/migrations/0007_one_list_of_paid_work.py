"""Opportunities use pay's one list of kinds of paid work (compensation.WorkKind), and work
paid before booked work had its own ledger source gets its description.

- "reviewing" (Reviewing materials) was the same kind as pay's "document_review"
  (Reviewing documents): opportunities are moved over, so every stored kind is in the list.
  Every other kind an opportunity could have is in pay's list under the same value.
- Booked work used to be paid with the source "claim" and no claim, so My pay could only
  say "Other paid work". The ledger is append-only (database triggers refuse UPDATE), so
  those entries keep their source; each gets the `BookedWork` row that new entries are
  written with, from the booking that holds it, and is described by that.
"""

from django.db import migrations, models

MERGED = {"reviewing": "document_review"}


def one_list(apps, schema_editor):
    Opportunity = apps.get_model("advisory", "Opportunity")
    for old, new in MERGED.items():
        Opportunity.objects.filter(kind=old).update(kind=new)


def describe_booked_work_paid_before(apps, schema_editor):
    OpportunityInterest = apps.get_model("advisory", "OpportunityInterest")
    BookedWork = apps.get_model("compensation", "BookedWork")
    paid = (
        OpportunityInterest.objects.filter(ledger_entry__isnull=False)
        .exclude(ledger_entry__booked_work__isnull=False)
        .select_related("opportunity")
    )
    BookedWork.objects.bulk_create(
        BookedWork(
            entry_id=interest.ledger_entry_id,
            kind=interest.opportunity.kind,
            title=interest.opportunity.title,
        )
        for interest in paid
    )


class Migration(migrations.Migration):
    dependencies = [
        ("advisory", "0006_opportunities_and_feedback"),
        ("compensation", "0003_booked_work"),
    ]

    operations = [
        migrations.AlterField(
            model_name="opportunity",
            name="kind",
            field=models.CharField(
                choices=[
                    ("preparation", "Preparing for a meeting"),
                    ("reading_minutes", "Reading minutes"),
                    ("confirming_input", "Checking what staff wrote down"),
                    ("reviewing_reports", "Reviewing a report"),
                    ("document_review", "Reviewing documents"),
                    ("speaking", "Speaking"),
                    ("training", "Training others"),
                    ("co_facilitating", "Co-facilitating"),
                    ("hiring_panel", "Sitting on a hiring panel"),
                    ("evaluation", "Evaluation"),
                    ("other", "Other work for the program"),
                ],
                max_length=24,
                verbose_name="kind of work",
            ),
        ),
        migrations.RunPython(one_list, migrations.RunPython.noop),
        migrations.RunPython(describe_booked_work_paid_before, migrations.RunPython.noop),
    ]
