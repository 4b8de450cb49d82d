"""The ground floor's updates in plain words, and what it keeps waiting for a person: a role
offered to them, and choices about their information they have never looked at."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import AssignmentStatus, ConsentEvent, Organization, RoleAssignment, User
from accounts.permissions import Capability, grants
from accounts.services.consent import RENEWAL_KIND
from accounts.services.sign_in_notices import SIGN_IN_ATTEMPTS
from accounts.update_kinds import Waiting, page, register_kinds, register_waiting

register_kinds(
    {
        "role_invitation": _("You are offered a role on the board. Say yes or no."),
        RENEWAL_KIND: _(
            "A choice you made about your information ends soon. You can keep it or let it end."
        ),
        SIGN_IN_ATTEMPTS: _("Someone tried to sign in to your account."),
    }
)


@register_waiting
def roles_offered(user: User, organization: Organization, role: str) -> list[Waiting]:
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    offered = RoleAssignment.objects.filter(
        user_id=user.pk, board__organization=organization, status=AssignmentStatus.INVITED
    ).count()
    if not offered:
        return []
    text = ngettext(
        "A role on the board is offered to you. Say yes or no when you are ready.",
        "%(count)d roles on the board are offered to you. Say yes or no when you are ready.",
        offered,
    ) % {"count": offered}
    return [Waiting(text, page("my_roles", organization))]


@register_waiting
def choices_never_made(user: User, organization: Organization, role: str) -> list[Waiting]:
    """Someone who has never answered any choice here: each one is "no" until they do."""
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    if ConsentEvent.objects.filter(user_id=user.pk, organization=organization).exists():
        return []
    text = str(
        _(
            "Look at your choices about your information. Until you choose, each one is "
            "“no”, and nothing bad happens."
        )
    )
    return [Waiting(text, page("my_choices", organization))]
