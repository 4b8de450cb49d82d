"""A profile's time zone may now be empty: "the organization's, whatever it is"; both
fields accept only zones from the IANA list.

Until now every profile held a zone, filled in from the organization's when it was first
saved, and no organization could change its own. A profile that holds its organization's
zone was almost always never chosen, so it is emptied and follows the organization when an
admin sets the real one; a zone that differs from the organization's was chosen and stays.
"""

from django.db import migrations, models
from django.db.models import F

import accounts.time_zones


def follow_the_organization(apps, schema_editor):
    SurvivorProfile = apps.get_model("accounts", "SurvivorProfile")
    SurvivorProfile.objects.filter(time_zone=F("organization__time_zone")).update(time_zone="")


def hold_the_organizations_zone(apps, schema_editor):
    SurvivorProfile = apps.get_model("accounts", "SurvivorProfile")
    for profile in SurvivorProfile.objects.filter(time_zone="").select_related("organization"):
        profile.time_zone = profile.organization.time_zone
        profile.save(update_fields=["time_zone"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_account_messages_and_address_changes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="time_zone",
            field=models.CharField(
                default="UTC",
                max_length=64,
                validators=[accounts.time_zones.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.AlterField(
            model_name="survivorprofile",
            name="time_zone",
            field=models.CharField(
                blank=True,
                default="",
                max_length=64,
                validators=[accounts.time_zones.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.RunPython(follow_the_organization, hold_the_organizations_zone),
    ]
