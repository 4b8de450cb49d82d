"""`manage.py seed_demo_meetings`: a year of board meetings for the demo program.

Runs after `seed_demo` (`make run` calls both). A separate command because accounts sits
below meetings and must never import it. Development only; running it again adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.management.commands.seed_demo import HARBOR
from accounts.models import Organization
from meetings.demo.meetings import seed_meetings


class Command(BaseCommand):
    help = "Add a year of demo meetings to the demo program (after seed_demo). Needs DEBUG."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_meetings only runs with DEBUG on.")
        organization = Organization.objects.filter(slug=HARBOR[0]).first()
        if organization is None:
            raise CommandError("Run seed_demo first: the demo program does not exist yet.")
        # The demo's "today" is the program's, as the services that check its dates count it.
        with timezone.override(organization.time_zone):
            added = seed_meetings(organization)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added {added} demo meetings."))
        else:
            self.stdout.write("The demo meetings are already there; nothing was added.")
