"""`manage.py seed_demo`: a small, made-up program to click through locally.

Development only. Running it again resets the demo people to the published password and
authenticator secret and changes nothing else, so it is safe to repeat. The demo holds
no stories about anyone's past: chosen names, everyday profile details, roles and choices.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.demo.board import seed_board
from accounts.models import MFA_REQUIRED_ROLES, FunderAccess, Membership, Organization, Role, User

# Real US time zones: times on the pages read as a program there would see them.
HARBOR = ("harbor-light", "Harbor Light Program", "America/Chicago")
SECOND = ("second-program", "Second Program", "America/Denver")
FUNDER = "funder"

# The survivor leaders' chosen names; their profiles, roles and choices: accounts/demo/board.py.
SURVIVOR_LEADERS = ("Ash", "River", "Sky", "Jules", "Noor", "Rey", "Kai", "Sol")


@dataclass(frozen=True)
class DemoPerson:
    email: str
    organization: str
    role: str  # a Role value, or FUNDER for a funder (never a member)

    @property
    def needs_mfa(self) -> bool:
        return self.role == FUNDER or self.role in MFA_REQUIRED_ROLES


DEMO_PEOPLE = (
    *(
        DemoPerson(f"{name.lower()}@demo.test", HARBOR[0], Role.SURVIVOR_LEADER)
        for name in SURVIVOR_LEADERS
    ),
    DemoPerson("staff@demo.test", HARBOR[0], Role.STAFF),
    DemoPerson("finance@demo.test", HARBOR[0], Role.FINANCE),
    DemoPerson("admin@demo.test", HARBOR[0], Role.ADMIN),
    DemoPerson("funder@demo.test", HARBOR[0], FUNDER),
    DemoPerson("other.survivor@demo.test", SECOND[0], Role.SURVIVOR_LEADER),
    DemoPerson("other.staff@demo.test", SECOND[0], Role.STAFF),
)


class Command(BaseCommand):
    help = "Create (or reset) the local demo program and its sign-ins. Needs DEBUG."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the demo runs, for the sign-in link printed at the end.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password, secret = _demo_credentials()
        with transaction.atomic():
            organizations = {
                slug: _organization(slug, name, zone) for slug, name, zone in (HARBOR, SECOND)
            }
            for person in DEMO_PEOPLE:
                _seed_person(person, organizations[person.organization], password, secret)
            harbor = organizations[HARBOR[0]]
            with timezone.override(harbor.time_zone):  # role terms start on the program's day
                seed_board(
                    harbor,
                    admin=User.objects.get(email="admin@demo.test"),
                    staff=User.objects.get(email="staff@demo.test"),
                )
        self._print_sign_ins(password, secret, options["base_url"])

    def _print_sign_ins(self, password: str, secret: str, base_url: str) -> None:
        rows = [("Email", "Role", "Password", "Authenticator secret (TOTP)")]
        for person in DEMO_PEOPLE:
            role = "Funder" if person.role == FUNDER else str(Role(person.role).label)
            rows.append((person.email, role, password, secret if person.needs_mfa else "-"))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign-ins:"))
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(f"Sign in at {base_url.rstrip('/')}{reverse('account_login')}")


def _demo_credentials() -> tuple[str, str]:
    if not settings.DEBUG:
        raise CommandError("seed_demo only runs with DEBUG on: it sets published passwords.")
    password = str(getattr(settings, "DEMO_PASSWORD", ""))
    secret = str(getattr(settings, "DEMO_TOTP_SECRET", ""))
    if not password:
        raise CommandError("Set DEMO_PASSWORD in the settings.")
    try:
        valid_secret = len(secret) == 32 and len(base64.b32decode(secret)) == 20
    except binascii.Error:
        valid_secret = False
    if not valid_secret:
        raise CommandError("DEMO_TOTP_SECRET must be 32 base32 characters (A-Z, 2-7).")
    return password, secret


def _organization(slug: str, name: str, time_zone: str) -> Organization:
    organization, _ = Organization.objects.update_or_create(slug=slug, defaults={"name": name})
    if organization.time_zone == "UTC":
        # Still the default: set the demo's zone. A zone the demo admin chose stays.
        organization.time_zone = time_zone
        organization.save(update_fields=["time_zone"])
    return organization


def _seed_person(
    person: DemoPerson, organization: Organization, password: str, secret: str
) -> None:
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(person.email, password)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    if person.role == FUNDER:
        FunderAccess.objects.get_or_create(user=user, organization=organization)
    else:
        Membership.objects.update_or_create(
            user=user, organization=organization, defaults={"role": person.role}
        )
    if person.needs_mfa:
        _give_totp(user, secret)


def _give_totp(user: User, secret: str) -> None:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is None:
        TOTP.activate(user, secret)
    else:
        # Reset to the published secret, in case someone set up a new one while clicking around.
        existing.data = {"secret": encrypt(secret)}
        existing.save(update_fields=["data"])
    RecoveryCodes.activate(user)  # Keeps existing codes; they are shown on the security page.
