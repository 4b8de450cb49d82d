"""`manage.py seed_demo_advisory`: decisions, links, recommendations and feedback for the demo.

Runs after `seed_demo_meetings` (`make run` calls it): links point at the demo's input.
Development only; running it again adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.management.commands.seed_demo import HARBOR
from accounts.models import Organization
from advisory.demo.advisory import seed_advisory
from advisory.demo.feedback import seed_feedback


class Command(BaseCommand):
    help = "Add decisions and recommendations to the demo program (after seed_demo_meetings)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_advisory only runs with DEBUG on.")
        organization = Organization.objects.filter(slug=HARBOR[0]).first()
        if organization is None:
            raise CommandError("Run seed_demo first: the demo program does not exist yet.")
        # The demo's "today" is the program's, as the services that check its dates count it.
        with timezone.override(organization.time_zone):
            added = seed_advisory(organization)
            heard = seed_feedback(organization)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added {added} demo decisions."))
        else:
            self.stdout.write("The demo decisions are already there; nothing was added.")
        if heard:
            self.stdout.write(self.style.SUCCESS("Added the demo's feedback and what changed."))
