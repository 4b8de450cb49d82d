"""Reads for the board's advice and what came of it, scoped to the person asking; outside
scope is a 404.

Who reaches what:
- program staff and admins: log decisions, link input, answer proposals and
  recommendations, loop health;
- survivor leaders of the organization: the board's decision log, what became of their own
  input, proposing links from their own input, recommendations;
- survivor leaders with an active role on the board: recording a recommendation the board
  adopted;
- finance and funders: nothing here (funders get reports, issue 7).
Authorship is never shown to other survivors, and to staff only as the author allows
(`meetings.selectors.input` decides, with the `attribute_to_staff` consent).
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import STAFF_ROLES, AssignmentStatus, Organization, Role, RoleAssignment, User
from accounts.selectors import get_organization_for_user, role_in


def get_advisory_staff_organization(user: User, slug: str) -> Organization:
    """For the organization's program staff and admins; anyone else gets 404."""
    organization = get_organization_for_user(user, slug)
    if role_in(user, organization) not in STAFF_ROLES:
        raise Http404
    return organization


def get_board_reader_organization(user: User, slug: str) -> Organization:
    """For the organization's survivor leaders (the board and its members); anyone else
    gets 404."""
    organization = get_organization_for_user(user, slug)
    if role_in(user, organization) != Role.SURVIVOR_LEADER:
        raise Http404
    return organization


def is_active_board_member(user: User, organization: Organization) -> bool:
    """A survivor leader holding an active role on the organization's board."""
    return (
        role_in(user, organization) == Role.SURVIVOR_LEADER
        and RoleAssignment.objects.filter(
            user=user, board__organization=organization, status=AssignmentStatus.ACTIVE
        ).exists()
    )
