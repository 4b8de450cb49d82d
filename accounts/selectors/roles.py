"""Reads for boards and roles, scoped to the person asking. Outside scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import (
    STAFF_ROLES,
    AdvisoryBoard,
    AssignmentStatus,
    BoardRole,
    Organization,
    Role,
    RoleAssignment,
    RoleAssignmentChange,
    SurvivorProfile,
    User,
)
from accounts.permissions import Capability, allows, current_board_assignments
from accounts.selectors.profile import by_chosen_name_here, profile_here, with_profile_here

# The order a board page lists people in each role: the agreements in force first.
STATUS_ORDER = [
    AssignmentStatus.ACTIVE,
    AssignmentStatus.PAUSED,
    AssignmentStatus.INVITED,
    AssignmentStatus.STEPPED_DOWN,
    AssignmentStatus.DECLINED,
    AssignmentStatus.WITHDRAWN,
]


def board_of(organization: Organization) -> AdvisoryBoard | None:
    """The board if it exists yet; reading never creates it."""
    return AdvisoryBoard.objects.filter(organization=organization).first()


def board_roles_of(organization: Organization) -> QuerySet[BoardRole]:
    return BoardRole.objects.filter(organization=organization).order_by("name")


def get_board_role_for_admin(user: User, organization: Organization, pk: int) -> BoardRole:
    if not allows(user, organization, Capability.MANAGE_ORGANIZATION):
        raise Http404
    try:
        return board_roles_of(organization).get(pk=pk)
    except BoardRole.DoesNotExist as exc:
        raise Http404 from exc


def survivor_leaders_of(organization: Organization) -> QuerySet[User]:
    """Who may be invited to a role: this organization's survivor leaders, nobody else,
    each with the profile they gave it (`profile_here`)."""
    leaders = User.objects.filter(
        memberships__organization=organization,
        memberships__role=Role.SURVIVOR_LEADER,
        erased_at__isnull=True,
    )
    return with_profile_here(leaders, organization).order_by(by_chosen_name_here(), "pk")


def chosen_name(profile: SurvivorProfile | None) -> str:
    """The name a survivor chose in this profile, or a neutral stand-in. Never their e-mail
    address. Pass the profile the organization in scope was given (`profile_here(row)`)."""
    return name_or_stand_in(profile.chosen_name if profile is not None else None)


def name_or_stand_in(name: str | None) -> str:
    """A chosen name read on its own (`chosen_name_here`), or the same neutral stand-in."""
    return (name or "").strip() or _("A board member without a name yet")


def person_label(user: User) -> str:
    """How staff tell people apart when choosing whom to invite: the chosen name, or the
    stand-in with the day they joined (two people without a name stay distinguishable
    without showing anyone's e-mail address). Expects `user` from `with_profile_here`."""
    profile = profile_here(user)
    name = chosen_name(profile)
    if profile is not None and profile.chosen_name.strip():
        return name
    joined = user.date_joined.date().isoformat()
    return _("%(name)s (joined %(date)s)") % {"name": name, "date": joined}


def get_assignment_for_staff(user: User, organization: Organization, pk: int) -> RoleAssignment:
    if not allows(user, organization, Capability.LOOK_AFTER_BOARD):
        raise Http404
    try:
        return RoleAssignment.objects.select_related("role").get(
            pk=pk, role__organization=organization
        )
    except RoleAssignment.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class BoardSeat:
    assignment: RoleAssignment
    name: str


def board_seats_visible_to(user: User, organization: Organization) -> list[BoardSeat]:
    """Everyone offered a role on this organization's board, by role and then status, for
    its staff and admins. Three queries however many people: the membership check, the
    assignments with their role and profile joined in, and nothing per row."""
    if not allows(user, organization, Capability.LOOK_AFTER_BOARD):
        return []
    assignments = with_profile_here(
        RoleAssignment.objects.filter(role__organization=organization).select_related("role"),
        organization,
        person="user",
    )
    rank = {status.value: index for index, status in enumerate(STATUS_ORDER)}
    ordered = sorted(
        assignments,
        key=lambda a: (a.role.name.lower(), rank.get(a.status, len(rank)), a.starts_on),
    )
    return [BoardSeat(assignment=a, name=chosen_name(profile_here(a))) for a in ordered]


def my_assignments(user: User, organization: Organization) -> QuerySet[RoleAssignment]:
    """The person's own roles here, each with its history."""
    return (
        RoleAssignment.objects.filter(user=user, role__organization=organization)
        .select_related("role")
        .prefetch_related(
            Prefetch("changes", queryset=RoleAssignmentChange.objects.order_by("created_at", "id"))
        )
        .order_by("-created_at", "-id")
    )


def get_my_assignment(user: User, organization: Organization, pk: int) -> RoleAssignment:
    """Only the survivor's own assignment; anyone else's does not exist for them."""
    try:
        return RoleAssignment.objects.select_related("role").get(
            pk=pk, user=user, role__organization=organization
        )
    except RoleAssignment.DoesNotExist as exc:
        raise Http404 from exc


def staff_of(organization: Organization) -> QuerySet[User]:
    """The organization's program staff and admins who can still be told anything."""
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role__in=STAFF_ROLES,
        is_active=True,
        erased_at__isnull=True,
    ).order_by("pk")


def board_voters(organization: Organization) -> QuerySet[User]:
    """Survivor leaders of the organization with a current active role on its board (the
    term has started and not ended)."""
    return (
        User.objects.filter(
            is_active=True,
            erased_at__isnull=True,
            memberships__organization=organization,
            memberships__role=Role.SURVIVOR_LEADER,
            pk__in=current_board_assignments(organization).values("user_id"),
        )
        .distinct()
        .order_by("pk")
    )
