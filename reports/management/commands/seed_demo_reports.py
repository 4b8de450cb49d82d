"""`manage.py seed_demo_reports`: last year's published report and a draft for the demo.

Runs last (`make run` calls it after seed_demo_advisory). Development only; running it
again adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.management.commands.seed_demo import HARBOR
from accounts.models import Organization
from reports.demo.reports import seed_reports


class Command(BaseCommand):
    help = "Publish last year's report for the demo program and leave a draft for the board."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_reports only runs with DEBUG on.")
        organization = Organization.objects.filter(slug=HARBOR[0]).first()
        if organization is None:
            raise CommandError("Run seed_demo first: the demo program does not exist yet.")
        # The demo's "today" is the program's, as the services that check its dates count it.
        with timezone.override(organization.time_zone):
            added = seed_reports(organization)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added {added} demo report versions."))
        else:
            self.stdout.write("The demo reports are already there; nothing was added.")
