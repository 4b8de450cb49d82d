"""Every profile now belongs to an organization (see 0003), at most one per person there."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_survivor_profile_per_organization"),
    ]

    operations = [
        migrations.AlterField(
            model_name="survivorprofile",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="survivor_profiles",
                to="accounts.organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="survivorprofile",
            constraint=models.UniqueConstraint(
                fields=("user", "organization"), name="survivor_profile_one_per_organization"
            ),
        ),
    ]
