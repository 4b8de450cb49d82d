"""Who may do what: the one authorization policy.

Each standing a person can have in an organization (one membership role, or a co-chair or
board seat held as a survivor leader, or a funder link) is granted a set of capabilities in
`POLICY`. Views fetch their organization with `organization_for` (404 outside scope, so a
page never confirms that something exists); services call `require` (refused with
`PermissionDenied`); anything else asks `standing_in(...).may(...)`. Nothing outside this
module compares roles: a test scans the code for it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import (
    MFA_REQUIRED_ROLES,
    AssignmentStatus,
    FunderAccess,
    Membership,
    Organization,
    Role,
    RoleAssignment,
    User,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise


class AuthenticatedRequest(HttpRequest):
    """A request under `login_required`: its user is a signed-in `User`."""

    user: User


class Holder(StrEnum):
    """A standing in an organization that capabilities are granted to. The first four are
    the membership roles (`Role`); the others are held on top of, or instead of, one."""

    SURVIVOR_LEADER = Role.SURVIVOR_LEADER.value
    STAFF = Role.STAFF.value
    FINANCE = Role.FINANCE.value
    ADMIN = Role.ADMIN.value
    # A survivor leader with an active co-chair role whose term has started and not ended.
    CO_CHAIR = "co_chair"
    # A survivor leader with any active role on the board, in its term.
    BOARD_MEMBER = "board_member"
    # Linked to the organization by `FunderAccess` and not a member of it.
    FUNDER = "funder"


class Capability(StrEnum):
    MANAGE_ORGANIZATION = "manage_organization"  # members, invitations, settings, wording
    LOOK_AFTER_BOARD = "look_after_board"  # profiles, roles, advice, reports, opportunities
    USE_OWN_SEAT = "use_own_seat"  # my profile, roles, choices, input, pay, the board's pages
    TAKE_PART_IN_MEETINGS = "take_part_in_meetings"  # meeting pages (survivors: if invited)
    SEE_EVERY_MEETING = "see_every_meeting"  # every meeting, without an invitation
    RUN_MEETINGS = "run_meetings"  # schedule, change, cancel, set roles, decide the agenda
    RECORD_ATTENDANCE = "record_attendance"  # the sheet (co-chairs: meetings they attend)
    RECORD_ANY_ATTENDANCE = "record_any_attendance"  # the sheet of every meeting
    POST_OPPORTUNITIES = "post_opportunities"
    RECOMMEND = "recommend"  # make recommendations to the organization
    CHAIR_BOARD = "chair_board"  # the board's side of reports; decided claims
    HANDLE_PAY = "handle_pay"  # rates, approvals, holds, batches
    READ_FUNDED_REPORTS = "read_funded_reports"  # published reports of what they fund
    RECEIVE_WORK_EMAIL = "receive_work_email"  # e-mail without choosing channels first


_STAFF = frozenset(
    {
        Capability.LOOK_AFTER_BOARD,
        Capability.TAKE_PART_IN_MEETINGS,
        Capability.SEE_EVERY_MEETING,
        Capability.RUN_MEETINGS,
        Capability.POST_OPPORTUNITIES,
        Capability.RECEIVE_WORK_EMAIL,
    }
)

POLICY: dict[Holder, frozenset[Capability]] = {
    Holder.SURVIVOR_LEADER: frozenset({Capability.USE_OWN_SEAT, Capability.TAKE_PART_IN_MEETINGS}),
    Holder.STAFF: _STAFF | {Capability.RECORD_ATTENDANCE, Capability.RECORD_ANY_ATTENDANCE},
    # Admins run the program like staff and look after the organization, but attendance is
    # program staff's (and co-chairs') to record.
    Holder.ADMIN: _STAFF | {Capability.MANAGE_ORGANIZATION},
    Holder.FINANCE: frozenset({Capability.HANDLE_PAY, Capability.RECEIVE_WORK_EMAIL}),
    Holder.CO_CHAIR: frozenset(
        {
            Capability.RUN_MEETINGS,
            Capability.RECORD_ATTENDANCE,
            Capability.POST_OPPORTUNITIES,
            Capability.CHAIR_BOARD,
        }
    ),
    Holder.BOARD_MEMBER: frozenset({Capability.RECOMMEND}),
    Holder.FUNDER: frozenset({Capability.READ_FUNDED_REPORTS, Capability.RECEIVE_WORK_EMAIL}),
}

# Standings held only as a survivor leader, on top of that role.
_SEATS = (Holder.CO_CHAIR, Holder.BOARD_MEMBER)


# --- the facts the policy reads -----------------------------------------------------------


def role_in(user: User, organization: Organization) -> str | None:
    """The person's one role in this organization, or None (funders are not members)."""
    return (
        Membership.objects.filter(user_id=user.pk, organization_id=organization.pk)
        .values_list("role", flat=True)
        .first()
    )


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    """Organizations the person belongs to, or funds."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        Q(memberships__user=user) | Q(funder_accesses__user=user)
    ).distinct()


def current_board_assignments(organization: Organization) -> QuerySet[RoleAssignment]:
    """Active roles on the organization's board whose term has started and not ended: an
    accepted seat with a later start date is not a seat yet, and one whose term ended is
    not a seat any more."""
    today = timezone.localdate()
    return RoleAssignment.objects.filter(
        board__organization=organization,
        status=AssignmentStatus.ACTIVE,
        starts_on__lte=today,
    ).exclude(ends_on__lt=today)


def is_co_chair(user: User, organization: Organization) -> bool:
    """A survivor leader of the organization with an active co-chair role whose term has
    started and not ended. Consent plays no part: a role never lapses because of it."""
    today = timezone.localdate()
    current = RoleAssignment.objects.filter(
        user=user,
        role__organization=organization,
        role__is_co_chair=True,
        status=AssignmentStatus.ACTIVE,
        starts_on__lte=today,
        user__memberships__organization=organization,
        user__memberships__role=Role.SURVIVOR_LEADER,
    )
    return current.exclude(ends_on__lt=today).exists()


def requires_mfa(user: User) -> bool:
    """Staff, finance, admins and funders in any organization must use a second factor."""
    return (
        Membership.objects.filter(user=user, role__in=MFA_REQUIRED_ROLES).exists()
        or FunderAccess.objects.filter(user=user).exists()
    )


# --- the policy ----------------------------------------------------------------------------


def grants(role: str | None, capability: Capability) -> bool:
    """Does this membership role (a `Role` value, or None for no membership) by itself grant
    the capability? For code that has read the role already; seats and funder links are not
    considered."""
    return role is not None and capability in POLICY[Holder(role)]


def holders_of(capability: Capability) -> frozenset[Holder]:
    """Every standing the policy grants this capability to."""
    return frozenset(holder for holder, granted in POLICY.items() if capability in granted)


class _Unread:
    """The role has not been read yet (None means "no membership")."""


UNREAD = _Unread()


class Standing:
    """One person's standing in one organization, read lazily: each query runs only when a
    question needs it, and at most once."""

    def __init__(
        self, user: User, organization: Organization, role: str | _Unread | None = UNREAD
    ) -> None:
        self.user = user
        self.organization = organization
        self._role: str | None = None if isinstance(role, _Unread) else role
        self._role_read = not isinstance(role, _Unread)
        self._seats: dict[Holder, bool] = {}

    @property
    def role(self) -> str | None:
        if not self._role_read:
            self._role = role_in(self.user, self.organization)
            self._role_read = True
        return self._role

    def may(self, capability: Capability) -> bool:
        role = self.role
        if grants(role, capability):
            return True
        if role == Role.SURVIVOR_LEADER:
            return any(capability in POLICY[seat] and self._holds(seat) for seat in _SEATS)
        if role is None and capability in POLICY[Holder.FUNDER]:
            return self._holds(Holder.FUNDER)
        return False

    def _holds(self, holder: Holder) -> bool:
        if holder not in self._seats:
            self._seats[holder] = _HOLDS[holder](self.user, self.organization)
        return self._seats[holder]


def _holds_board_seat(user: User, organization: Organization) -> bool:
    return current_board_assignments(organization).filter(user=user).exists()


def _is_funder(user: User, organization: Organization) -> bool:
    return FunderAccess.objects.filter(user=user, organization=organization).exists()


_HOLDS = {
    Holder.CO_CHAIR: is_co_chair,
    Holder.BOARD_MEMBER: _holds_board_seat,
    Holder.FUNDER: _is_funder,
}


def standing_in(
    user: User, organization: Organization, *, role: str | _Unread | None = UNREAD
) -> Standing:
    """The person's standing; pass `role` when the membership role was read already."""
    return Standing(user, organization, role)


def allows(user: User, organization: Organization, capability: Capability) -> bool:
    return standing_in(user, organization).may(capability)


def require(
    user: User,
    organization: Organization,
    capability: Capability,
    *,
    invalid: StrOrPromise | None = None,
    code: str | None = None,
) -> None:
    """For services: refuse the action unless the policy grants the capability, with
    `PermissionDenied`, or with a `ValidationError` saying `invalid` where the person is
    told why in words."""
    if allows(user, organization, capability):
        return
    if invalid is not None:
        raise ValidationError(invalid, code=code)
    raise PermissionDenied


def funded_organizations(user: User) -> QuerySet[Organization]:
    """Organizations this person funds. A member of an organization is never its funder
    here, even with a funder link as well: members read the board's and staff's pages."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return (
        Organization.objects.filter(funder_accesses__user=user)
        .exclude(memberships__user=user)
        .order_by("name", "pk")
        .distinct()
    )


def scoped_organization(user: User, slug: str, capability: Capability) -> Organization:
    """The organization, if the person may use this capability in it; else 404, the same
    answer as for an organization that does not exist."""
    # A funder's pages: the one query that finds what they fund decides it all.
    funders_only = holders_of(capability) == {Holder.FUNDER}
    organizations = funded_organizations(user) if funders_only else organizations_visible_to(user)
    try:
        organization = organizations.get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc
    if not funders_only and not allows(user, organization, capability):
        raise Http404
    return organization


def organization_for(
    request: AuthenticatedRequest, slug: str, capability: Capability
) -> Organization:
    """For views: the organization in the URL, if the person signed in may use this
    capability there; 404 otherwise."""
    return scoped_organization(request.user, slug, capability)
