"""`manage.py seed_demo_pay`: rates, choices and a year of pay for the demo program.

Runs after `seed_demo` and `seed_demo_meetings` (`make run` calls all three): pay is earned
from the demo's attendance. Development only; running it again adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.management.commands.seed_demo import HARBOR
from accounts.models import Organization
from compensation.demo.pay import seed_pay


class Command(BaseCommand):
    help = "Add rates and a year of pay to the demo program (after seed_demo_meetings)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_pay only runs with DEBUG on.")
        organization = Organization.objects.filter(slug=HARBOR[0]).first()
        if organization is None:
            raise CommandError("Run seed_demo first: the demo program does not exist yet.")
        # The demo's "today" is the program's, as the services that check its dates count it.
        with timezone.override(organization.time_zone):
            added = seed_pay(organization)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added {added} demo pay entries."))
        else:
            self.stdout.write("The demo pay is already there; nothing was added.")
