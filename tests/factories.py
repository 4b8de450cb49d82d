"""Factories for the people and places the tests are about. No demo text tells a story."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import (
    FunderAccess,
    Invitation,
    Membership,
    Organization,
    Role,
    SurvivorProfile,
    User,
)

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Accepting an invitation verifies the address; test people start verified."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.SURVIVOR_LEADER


class FunderAccessFactory(factory.django.DjangoModelFactory[FunderAccess]):
    class Meta:
        model = FunderAccess

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = Role.SURVIVOR_LEADER
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def _first_organization(profile) -> Organization:
    """Where the person belongs (their first membership): the organization a profile made
    without saying where is given to. Say `organization=` for anyone in two."""
    membership = profile.user.memberships.order_by("joined_at", "pk").first()
    if membership is None:
        raise ValueError("Give the profile an organization: this person belongs nowhere.")
    organization: Organization = membership.organization
    return organization


class SurvivorProfileFactory(factory.django.DjangoModelFactory[SurvivorProfile]):
    class Meta:
        model = SurvivorProfile

    user = factory.SubFactory(UserFactory)
    organization = factory.LazyAttribute(_first_organization)
    chosen_name = factory.Sequence(lambda n: f"Member {n}")
