"""A survivor profile belongs to one organization, not to the person.

Before, a person on two boards had one profile, and both organizations read it: what they
told one program (chosen name, safe-contact rules, legal name and address) reached the
other. Now each organization has its own, and this migration keeps every existing profile
with the organization it was made in:

- the organization of the person's survivor-leader membership, since only survivor leaders
  can make a profile (the earliest, if several: a profile was made where they joined
  first — later organizations got it only by accident of the old design);
- otherwise the organization of their earliest membership of any kind (a role changed since);
- otherwise — a person who belongs nowhere any more — the profile is deleted. It could not be
  kept "with no organization": no page can show it (every My seat page is inside an
  organization), nobody could correct it, and it would hold a legal name and address for no
  purpose (promise 6: minimal data). A profile allowed to have no organization would also
  make every reader guard against a row that is anyone's and no one's.

Other organizations get no profile: the person fills one in for them if they want.

Going back keeps each person's oldest profile (the one this step placed) and deletes the
ones made for other organizations since: the old shape can hold only one, and keeping one
made for another organization would show it to the wrong one.

The organization is required from the next migration on: on PostgreSQL a table cannot be
altered in the transaction that just updated its foreign keys.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

SURVIVOR_LEADER = "survivor_leader"


def keep_each_profile_where_it_was_made(apps, schema_editor):
    SurvivorProfile = apps.get_model("accounts", "SurvivorProfile")
    Membership = apps.get_model("accounts", "Membership")
    earliest = Membership.objects.filter(user=OuterRef("user")).order_by("joined_at", "pk")
    SurvivorProfile.objects.update(
        organization=Coalesce(
            Subquery(earliest.filter(role=SURVIVOR_LEADER).values("organization")[:1]),
            Subquery(earliest.values("organization")[:1]),
        )
    )
    SurvivorProfile.objects.filter(organization__isnull=True).delete()


def keep_one_profile_per_person(apps, schema_editor):
    SurvivorProfile = apps.get_model("accounts", "SurvivorProfile")
    oldest = SurvivorProfile.objects.filter(user=OuterRef("user")).order_by("pk").values("pk")[:1]
    SurvivorProfile.objects.exclude(pk=Subquery(oldest)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="survivorprofile",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="survivor_profiles",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="survivorprofile",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="survivor_profiles",
                to="accounts.organization",
            ),
        ),
        migrations.RunPython(keep_each_profile_where_it_was_made, keep_one_profile_per_person),
    ]
