"""Reads for the board's advice and what came of it, scoped to the person asking; outside
scope is a 404.

Who reaches what:
- program staff and admins: log decisions, link input, answer proposals and
  recommendations, loop health;
- survivor leaders of the organization: the board's decision log, what became of their own
  input, proposing links from their own input, recommendations;
- survivor leaders with an active role on the board: recording a recommendation the board
  adopted;
- finance and funders: nothing here (funders get reports).
Authorship is never shown to other survivors, and to staff only as the author allows
(`meetings.selectors.input` decides, with the `attribute_to_staff` consent).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import STAFF_ROLES, AssignmentStatus, Organization, Role, RoleAssignment, User
from accounts.selectors import role_in
from accounts.selectors.roles import get_board_organization, get_survivor_organization


def get_advisory_staff_organization(user: User, slug: str) -> Organization:
    """For the organization's program staff and admins; anyone else gets 404."""
    return get_board_organization(user, slug)


def get_board_reader_organization(user: User, slug: str) -> Organization:
    """For the organization's survivor leaders (the board and its members); anyone else
    gets 404."""
    return get_survivor_organization(user, slug)


def staff_of(organization: Organization) -> QuerySet[User]:
    """The organization's program staff and admins who can still be told anything."""
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role__in=STAFF_ROLES,
        is_active=True,
        erased_at__isnull=True,
    ).order_by("pk")


def current_board_assignments(organization: Organization) -> QuerySet[RoleAssignment]:
    """Active roles on the organization's board whose term has started and not ended
    (today as accounts.selectors.roles.is_co_chair counts it): an accepted seat with a
    later start date is not a seat yet, and one whose term ended is not a seat any more."""
    today = timezone.localdate()
    return RoleAssignment.objects.filter(
        board__organization=organization,
        status=AssignmentStatus.ACTIVE,
        starts_on__lte=today,
    ).exclude(ends_on__lt=today)


def is_active_board_member(user: User, organization: Organization) -> bool:
    """A survivor leader holding a current active role on the organization's board."""
    return (
        role_in(user, organization) == Role.SURVIVOR_LEADER
        and current_board_assignments(organization).filter(user=user).exists()
    )
