"""`manage.py seed_demo_opportunities`: paid opportunities, one booked and one done and paid.

Runs after seed_demo_pay (a rate must exist); `make run` calls it. Development only;
running it again adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.management.commands.seed_demo import HARBOR
from accounts.models import Organization
from opportunities.demo.opportunities import seed_opportunities


class Command(BaseCommand):
    help = "Add paid opportunities to the demo program."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_opportunities only runs with DEBUG on.")
        organization = Organization.objects.filter(slug=HARBOR[0]).first()
        if organization is None:
            raise CommandError("Run seed_demo first: the demo program does not exist yet.")
        # The demo's "today" is the program's, as the services that check its dates count it.
        with timezone.override(organization.time_zone):
            added = seed_opportunities(organization)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added {added} demo opportunities."))
        else:
            self.stdout.write("The demo opportunities are already there; nothing was added.")
