"""Reads, always scoped to the person asking. Outside scope means "does not exist" (404)."""

from __future__ import annotations

import hashlib

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import (
    Invitation,
    Membership,
    Organization,
    OutboxMessage,
    OutboxStatus,
    User,
)
from accounts.permissions import Capability, allows, organizations_visible_to

# Asked before any organization is chosen (at sign-in); the rule is the policy's.
from accounts.permissions import requires_mfa as requires_mfa


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization")


def get_organization_for_user(user: User, slug: str) -> Organization:
    try:
        return organizations_visible_to(user).get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def membership_in(user: User, organization: Organization) -> Membership | None:
    return Membership.objects.filter(user=user, organization=organization).first()


def members_visible_to(user: User, organization: Organization) -> QuerySet[Membership]:
    """Admins see their organization's members; nobody else sees a member list here."""
    if not allows(user, organization, Capability.MANAGE_ORGANIZATION):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__email")
    )


def invitations_visible_to(user: User, organization: Organization) -> QuerySet[Invitation]:
    if not allows(user, organization, Capability.MANAGE_ORGANIZATION):
        return Invitation.objects.none()
    return Invitation.objects.filter(organization=organization)


def open_invitations_visible_to(user: User, organization: Organization) -> QuerySet[Invitation]:
    return invitations_visible_to(user, organization).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def waiting_updates_for(user: User, organization: Organization) -> QuerySet[OutboxMessage]:
    """Updates the person has not seen yet, held on their home page."""
    return OutboxMessage.objects.filter(
        recipient=user,
        organization=organization,
        seen_at__isnull=True,
        status__in=[OutboxStatus.HELD, OutboxStatus.PENDING, OutboxStatus.SENT],
    )


def get_invitation_for_admin(user: User, organization: Organization, pk: int) -> Invitation:
    try:
        return invitations_visible_to(user, organization).get(pk=pk)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


def hash_token(token: str) -> str:
    """Invitation links are stored only as this hash: a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_usable_invitation(token: str) -> Invitation | None:
    """The invitation behind a link while it can still be accepted; None for unknown, used,
    revoked and expired links alike, so they all look the same from outside."""
    invitation = Invitation.objects.filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_open:
        return None
    return invitation


def is_address_of(user: User, email: str) -> bool:
    """Is this the account's own address, or another address it proved it reads? An
    address added but never confirmed proves nothing: anyone can type anyone's."""
    return (
        user.email.lower() == email.lower()
        or EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    )


def has_account(email: str) -> bool:
    """Does someone already sign in with this address (their own, or one they confirmed)?"""
    return User.objects.filter(
        Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
    ).exists()
