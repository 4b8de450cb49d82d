from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone


def ask_for_upcoming_roles(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Roles given before people could answer: for meetings still to come, they become
    requests the person answers; roles in meetings already held stay as they were."""
    invitation = apps.get_model("meetings", "MeetingInvitation")
    invitation.objects.filter(meeting__starts_at__gt=timezone.now()).exclude(
        meeting_role="participant"
    ).update(role_answer="offered")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetinginvitation",
            name="role_answer",
            field=models.CharField(
                choices=[
                    ("offered", "Asked, no answer yet"),
                    ("accepted", "Said yes"),
                    ("declined", "Said no"),
                ],
                default="accepted",
                max_length=16,
            ),
        ),
        migrations.RunPython(ask_for_upcoming_roles, migrations.RunPython.noop),
    ]
