"""`manage.py create_organization NAME --admin-email EMAIL`: how an operator starts an
organization. It prints the first admin's invitation link, to hand over privately."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import create_organization, invitation_url


class Command(BaseCommand):
    help = "Create an organization and an invitation link for its first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The organization's name.")
        parser.add_argument("--admin-email", required=True, help="The first admin's address.")
        parser.add_argument("--time-zone", default="UTC", help="For example Europe/Berlin.")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Where the site is reached, for the link (default: the SITE_URL setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organization, token = create_organization(
                name=options["name"],
                admin_email=options["admin_email"],
                time_zone=options["time_zone"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        link = invitation_url(token, base_url=options["base_url"])
        self.stdout.write(f"Organization created: {organization.slug}")
        days = settings.INVITATION_LIFETIME.days
        self.stdout.write(f"Give this link to the admin privately. It works once, for {days} days:")
        self.stdout.write(link)
