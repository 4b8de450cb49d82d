"""People with payment details of every kind, owed pay by one method, for payment files."""

from __future__ import annotations

from accounts.models import Role, User
from accounts.services.profile import update_payment_details, update_profile
from compensation.models import (
    Schedule,
)
from tests.compensation.factories import prefer
from tests.factories import MembershipFactory, UserFactory
from tests.support.pay import approved

LEGAL = "Ashley Quietwater"


ADDRESS = "12 Quiet Lane, Springfield"


def member(personas, key: str, given: tuple[str, str] | None) -> User:
    """A survivor leader of Harbor who gave Harbor what `given` says, through the same
    services the pages use."""
    person = UserFactory.create(email=f"{key.replace('_', '.')}.payee@example.test")
    MembershipFactory.create(user=person, organization=personas.harbor, role=Role.SURVIVOR_LEADER)
    if given is not None:
        update_profile(
            user=person, organization=personas.harbor, chosen_name=key.replace("_", " ").title()
        )
        legal_name, address = given
        update_payment_details(
            user=person,
            organization=personas.harbor,
            legal_name=legal_name,
            phone="",
            mailing_address=address,
        )
    return person


def owed_by(personas, person: User, method: str, amount: str = "40.00") -> None:
    prefer(person, personas.harbor, method, schedule=Schedule.PER_MEETING)
    approved(person, personas.harbor, amount)
