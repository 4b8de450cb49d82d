"""The named personas every test can ask for (the `personas` fixture in tests/conftest.py).

One organization, "Harbor", plus "Second" for isolation: ash (survivor leader), river
(another survivor leader), sam (staff), fin (finance), ada (organization admin), faye (funder
of Harbor), otto (survivor in Second), and an anonymous visitor.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Organization, Role, User
from tests.factories import (
    FunderAccessFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


@dataclass
class Personas:
    harbor: Organization
    second: Organization
    ash: User
    river: User
    sam: User
    fin: User
    ada: User
    faye: User
    otto: User


def make_personas() -> Personas:
    harbor = OrganizationFactory.create(name="Harbor", slug="harbor")
    second = OrganizationFactory.create(name="Second", slug="second")

    def member(email: str, role: Role, organization: Organization = harbor) -> User:
        user = UserFactory.create(email=email)
        MembershipFactory.create(user=user, organization=organization, role=role)
        return user

    faye = UserFactory.create(email="faye@example.test")
    FunderAccessFactory.create(user=faye, organization=harbor)
    return Personas(
        harbor=harbor,
        second=second,
        ash=member("ash@example.test", Role.SURVIVOR_LEADER),
        river=member("river@example.test", Role.SURVIVOR_LEADER),
        sam=member("sam@example.test", Role.STAFF),
        fin=member("fin@example.test", Role.FINANCE),
        ada=member("ada@example.test", Role.ADMIN),
        faye=faye,
        otto=member("otto@example.test", Role.SURVIVOR_LEADER, second),
    )
