"""Reads for "My seat", the staff view of a survivor leader's profile, and "Who has seen my
information". Each helper is scoped to the person asking; anything outside scope is 404."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404

from accounts.models import (
    AccessRecord,
    ExpertiseArea,
    Membership,
    Organization,
    Role,
    SurvivorProfile,
    User,
)
from accounts.selectors import get_organization_for_user, membership_in

# Staff and admins work alongside the board; finance does not need anyone's profile to pay
# them (payment details get their own, separately recorded view with the stipends issue).
PROFILE_VIEWER_ROLES = frozenset({Role.STAFF, Role.ADMIN})


def get_survivor_organization(user: User, slug: str) -> Organization:
    """The organization, for its survivor leaders only: "My seat" pages exist for nobody else."""
    organization = get_organization_for_user(user, slug)
    membership = membership_in(user, organization)
    if membership is None or membership.role != Role.SURVIVOR_LEADER:
        raise Http404
    return organization


def get_staff_organization(user: User, slug: str) -> Organization:
    """The organization, for the staff and admins who may look at survivor leaders' profiles."""
    organization = get_organization_for_user(user, slug)
    membership = membership_in(user, organization)
    if membership is None or membership.role not in PROFILE_VIEWER_ROLES:
        raise Http404
    return organization


def profile_of(user: User) -> SurvivorProfile | None:
    return SurvivorProfile.objects.filter(user=user).first()


def survivor_time_zone(user: User, organization: Organization) -> ZoneInfo:
    """The survivor's own time zone if they chose one, else the organization's."""
    profile = profile_of(user)
    for name in (profile.time_zone if profile else "", organization.time_zone, "UTC"):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def survivor_leaders_visible_to(viewer: User, organization: Organization) -> QuerySet[Membership]:
    """Survivor leaders of the organization, by chosen name, for its staff and admins only.
    Each row carries its profile (or None) in one query: the list template asks nothing."""
    if not Membership.objects.filter(
        user=viewer, organization=organization, role__in=PROFILE_VIEWER_ROLES
    ).exists():
        return Membership.objects.none()
    return (
        Membership.objects.filter(
            organization=organization, role=Role.SURVIVOR_LEADER, user__erased_at__isnull=True
        )
        .select_related("user__survivor_profile")
        .order_by(F("user__survivor_profile__chosen_name").asc(nulls_last=True), "user_id")
    )


def get_survivor_for_staff(viewer: User, organization: Organization, user_id: int) -> User:
    """A survivor leader of this organization, for its staff and admins; anyone else — a
    survivor elsewhere, a staff member, an unknown id — does not exist (404)."""
    membership = survivor_leaders_visible_to(viewer, organization).filter(user_id=user_id).first()
    if membership is None:
        raise Http404
    return membership.user


def access_records_for(subject: User, organization: Organization) -> QuerySet[AccessRecord]:
    """Who has looked at this person's information here, newest first — for the subject's
    own eyes only: there is deliberately no selector that lists anyone else's records.
    Each row carries the viewer's e-mail and their role here, in the same query."""
    viewer_role = Membership.objects.filter(
        user=OuterRef("viewer_id"), organization=organization
    ).values("role")[:1]
    return (
        AccessRecord.objects.filter(subject=subject, organization=organization)
        .select_related("viewer")
        .annotate(viewer_role=Subquery(viewer_role))
        .order_by("-created_at", "-id")
    )


def expertise_labels(profile: SurvivorProfile | None) -> list[str]:
    """The profile's areas of expertise in words, in the list's own order."""
    chosen = set(profile.expertise if profile else [])
    return [str(label) for code, label in ExpertiseArea.choices if code in chosen]
