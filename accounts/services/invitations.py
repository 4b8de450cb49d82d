"""Writes for people and organizations. Each runs in one transaction and leaves an audit event
holding ids and codes only — never an address or a name."""

from __future__ import annotations

import secrets
import zoneinfo

from allauth.account import signals as allauth_signals
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import (
    FunderAccess,
    Invitation,
    InvitedRole,
    Membership,
    Organization,
    User,
)
from accounts.outbox import enqueue_invitation
from accounts.selectors import has_account, hash_token, is_address_of
from accounts.services.consent import ensure_consent_texts

UNUSABLE = "invitation_unusable"
INVITATION_UNUSABLE = gettext_lazy(
    "This invitation link has expired or was already used. "
    "Ask the person who invited you for a new one."
)
SIGN_IN_FIRST = "invitation_sign_in_first"
SIGN_IN_FIRST_MESSAGE = gettext_lazy(
    "This e-mail address can already sign in here. Sign in first, then you can accept. "
    "Your password stays the same."
)


# Said in more than one place below, so written once here.
ALREADY_MEMBER = gettext_lazy("This person already has access to this organization.")
ALREADY_INVITED = gettext_lazy("This person already has an open invitation.")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_url(token: str, *, base_url: str | None = None) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + reverse("accept_invitation", kwargs={"token": token})


def _audit(
    *,
    action: str,
    actor: User | None,
    organization: Organization,
    target_type: str,
    target_id: int,
) -> None:
    record_event(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        organization_id=organization.pk,
        target_type=target_type,
        target_id=target_id,
    )


def _normalize_email(email: str) -> str:
    email = email.strip().lower()
    validate_email(email)
    return email


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _open_invitations(organization: Organization, email: str) -> bool:
    return Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()


def _has_access(organization: Organization, email: str) -> bool:
    return (
        Membership.objects.filter(organization=organization, user__email__iexact=email).exists()
        or FunderAccess.objects.filter(
            organization=organization, user__email__iexact=email
        ).exists()
    )


def _create_invitation(
    *,
    organization: Organization,
    invited_by: User | None,
    email: str,
    role: str,
    in_person: bool = False,
) -> tuple[Invitation, str]:
    token = new_token()
    now = timezone.now()
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + settings.INVITATION_LIFETIME,
        in_person=in_person,
    )
    invitation.full_clean()
    invitation.save()
    _audit(
        action="invitation.created",
        actor=invited_by,
        organization=organization,
        target_type="invitation",
        target_id=invitation.pk,
    )
    return invitation, token


@transaction.atomic
def create_organization(
    *, name: str, admin_email: str, time_zone: str = "UTC"
) -> tuple[Organization, str]:
    """The operator's way in: a new organization and a link for its first admin."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the organization a name."))
    if Organization.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("An organization with this name already exists."))
    if time_zone not in zoneinfo.available_timezones():
        raise ValidationError(_("This time zone is not known."))
    email = _normalize_email(admin_email)
    organization = Organization(name=name, slug=_unique_slug(name), time_zone=time_zone)
    organization.full_clean()
    organization.save()
    _audit(
        action="organization.created",
        actor=None,
        organization=organization,
        target_type="organization",
        target_id=organization.pk,
    )
    # Every choice has its words from the start, so no page has to write them when read.
    ensure_consent_texts(organization=organization)
    _invitation, token = _create_invitation(
        organization=organization, invited_by=None, email=email, role=InvitedRole.ADMIN
    )
    return organization, token


@transaction.atomic
def issue_invitation_link(*, invitation_id: int) -> tuple[str, str] | None:
    """In the worker, as the invitation's e-mail goes out: the address and a new link for an
    open invitation (None for a used, revoked or expired one). Only the new token's hash is
    kept, so the link exists in that e-mail alone; an earlier link stops working."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    # A link given in person is never e-mailed, and a new one would stop it working.
    if invitation is None or not invitation.is_open or invitation.in_person:
        return None
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    _audit(
        action="invitation.sent",
        actor=None,
        organization=invitation.organization,
        target_type="invitation",
        target_id=invitation.pk,
    )
    return invitation.email, invitation_url(token)


@transaction.atomic
def invite_person(
    *,
    organization: Organization,
    invited_by: User,
    email: str,
    role: str,
    address_checked: bool,
) -> Invitation:
    """Invite someone by e-mail. An address known in another organization is treated exactly
    like a new one, so no answer here tells anyone who uses the service elsewhere. The e-mail
    goes out from the worker, through the outbox, which makes its link then."""
    if not address_checked:
        raise ValidationError(
            {
                "address_checked": _(
                    "Tick the box once you have checked the address with the person: "
                    "privately, that it is safe to use."
                )
            }
        )
    if role not in InvitedRole.values:
        raise ValidationError(_("Choose a role from the list."))
    email = _normalize_email(email)
    if _has_access(organization, email):
        raise ValidationError(str(ALREADY_MEMBER))
    if _open_invitations(organization, email):
        raise ValidationError(str(ALREADY_INVITED))
    # The token made here is thrown away: no link works until the worker makes one as the
    # e-mail goes out, so no token passes through the broker or waits in the database.
    invitation, _token = _create_invitation(
        organization=organization, invited_by=invited_by, email=email, role=role
    )
    enqueue_invitation(invitation=invitation)
    return invitation


IN_PERSON_ROLES = frozenset({InvitedRole.SURVIVOR_LEADER})
IN_PERSON_HAS_ACCOUNT = gettext_lazy(
    "A link cannot be given in person for this address. Send the invitation by e-mail "
    "instead: the person accepts it after signing in."
)


@transaction.atomic
def hand_over_invitation(
    *, organization: Organization, invited_by: User, email: str, role: str
) -> tuple[Invitation, str]:
    """An invitation the admin gives to the person face to face, for someone without a safe
    inbox: nothing is e-mailed, and the link is returned once, to be shown once. Only its
    hash is kept, as for every invitation, so it cannot be shown again.

    Only for survivor leaders, who alone choose whether anything is ever sent to the address;
    staff, finance, admins and funders are e-mailed about their work. Refused for an address
    that can already sign in: that person signs in and accepts an e-mailed invitation, and
    a link from someone's hand never touches an existing account. The refusal says only
    what the admin can do instead."""
    if role not in IN_PERSON_ROLES:
        raise ValidationError(
            _(
                "Only survivor leaders can be given a link in person. Staff, finance, admins "
                "and funders get e-mail about their work, so invite them by e-mail."
            )
        )
    email = _normalize_email(email)
    if _has_access(organization, email):
        raise ValidationError(str(ALREADY_MEMBER))
    if _open_invitations(organization, email):
        raise ValidationError(str(ALREADY_INVITED))
    if has_account(email):
        raise ValidationError(IN_PERSON_HAS_ACCOUNT)
    invitation, token = _create_invitation(
        organization=organization, invited_by=invited_by, email=email, role=role, in_person=True
    )
    _audit(
        action="invitation.given_in_person",
        actor=invited_by,
        organization=organization,
        target_type="invitation",
        target_id=invitation.pk,
    )
    return invitation, invitation_url(token)


def _new_account(email: str, password: str) -> User:
    """An account for an address that has none. An address that has one is refused and
    nothing about that account changes: the link proves the person reads the inbox, not
    that they are the account's owner on this device, and a password set from a link would
    let whoever holds it (a forwarded mail, a shared screen) take the account over."""
    if has_account(email):
        raise ValidationError(SIGN_IN_FIRST_MESSAGE, code=SIGN_IN_FIRST)
    user = User(email=email)
    password_validation.validate_password(password, user)
    user.set_password(password)
    try:
        # Two invitations to one new address accepted at the same moment: the second
        # finds the address taken, like any existing account.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError(SIGN_IN_FIRST_MESSAGE, code=SIGN_IN_FIRST) from exc
    return user


def _verify_email(user: User, email: str, request: HttpRequest | None) -> None:
    """Following the link proves the person reads this inbox, as allauth's own check does.
    The account's own address becomes its primary one; another of its addresses is only
    marked verified (changing which address is primary is the person's own choice)."""
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=email, defaults={"email": email}
    )
    was_verified = address.verified
    address.verified = True
    if address.email.lower() == user.email.lower():
        EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
            primary=False
        )
        address.primary = True
    address.save(update_fields=["verified", "primary"])
    if not was_verified:
        allauth_signals.email_confirmed.send(
            sender=EmailAddress, request=request, email_address=address
        )


def _grant_access(invitation: Invitation, user: User) -> tuple[str, int]:
    organization = invitation.organization
    if _has_access(organization, user.email):
        raise ValidationError(_("You already have access here. Sign in as usual."))
    if invitation.role == InvitedRole.FUNDER:
        access = FunderAccess.objects.create(user=user, organization=organization)
        return "funder_access", access.pk
    membership = Membership(user=user, organization=organization, role=invitation.role)
    membership.full_clean()
    membership.save()
    return "membership", membership.pk


def _open_invitation_locked(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organization")
        .filter(token_hash=hash_token(token))
        .first()
    )
    # Locked above, so a second click waits here and then finds the invitation used.
    if invitation is None or not invitation.is_open:
        raise ValidationError(INVITATION_UNUSABLE, code=UNUSABLE)
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str, request: HttpRequest | None = None) -> User:
    """A new person uses a link once: their account with the password they chose, the
    address verified, and the invited access. For an address that already has an account
    this refuses (code `SIGN_IN_FIRST`) and writes nothing: that person signs in as
    themselves and accepts with `accept_invitation_signed_in`."""
    invitation = _open_invitation_locked(token)
    user = _new_account(invitation.email.lower(), password)
    return _accept(invitation, user, request)


@transaction.atomic
def accept_invitation_signed_in(
    *, token: str, user: User, request: HttpRequest | None = None
) -> User:
    """Someone signed in (their password, and their second step if they have one) accepts
    an invitation sent to their own address. Their password and everything they gave any
    other organization stay exactly as they are; the new organization gets no profile
    until they fill one in for it."""
    invitation = _open_invitation_locked(token)
    if not is_address_of(user, invitation.email):
        # The same answer as a used link: the invitation is not this person's to see.
        raise ValidationError(INVITATION_UNUSABLE, code=UNUSABLE)
    return _accept(invitation, user, request)


def _accept(invitation: Invitation, user: User, request: HttpRequest | None) -> User:
    _verify_email(user, invitation.email.lower(), request)
    target_type, target_id = _grant_access(invitation, user)
    invitation.accepted_at = timezone.now()
    # An accepted invitation no longer needs the address: the account holds it now, and
    # an old copy here would outlive a later change of address or a deleted account.
    invitation.email = ""
    invitation.save(update_fields=["accepted_at", "email"])
    _audit(
        action="invitation.accepted",
        actor=user,
        organization=invitation.organization,
        target_type="invitation",
        target_id=invitation.pk,
    )
    _audit(
        action=f"{target_type}.created",
        actor=user,
        organization=invitation.organization,
        target_type=target_type,
        target_id=target_id,
    )
    return user


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, revoked_by: User) -> Invitation:
    """Close an invitation that has not been used. Revoking twice changes nothing."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _audit(
            action="invitation.revoked",
            actor=revoked_by,
            organization=invitation.organization,
            target_type="invitation",
            target_id=invitation.pk,
        )
    return invitation
