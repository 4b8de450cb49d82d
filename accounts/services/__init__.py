"""Every write, one module per area. Invitations and organizations are re-exported here
because they came first; newer areas are imported from their own module."""

from accounts.services.invitations import (
    INVITATION_UNUSABLE,
    SIGN_IN_FIRST,
    UNUSABLE,
    accept_invitation,
    accept_invitation_signed_in,
    create_organization,
    invitation_url,
    invite_person,
    new_token,
    revoke_invitation,
)

__all__ = [
    "INVITATION_UNUSABLE",
    "SIGN_IN_FIRST",
    "UNUSABLE",
    "accept_invitation",
    "accept_invitation_signed_in",
    "create_organization",
    "invitation_url",
    "invite_person",
    "new_token",
    "revoke_invitation",
]
