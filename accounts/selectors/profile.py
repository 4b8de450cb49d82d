"""Reads for "My seat", the staff view of a survivor leader's profile, and "Who has seen my
information". Each helper is scoped to the person asking; anything outside scope is 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from accounts.models import (
    AccessRecord,
    ExpertiseArea,
    FunderAccess,
    Membership,
    Organization,
    Role,
    SurvivorProfile,
    User,
)
from accounts.permissions import Capability, allows, grants
from accounts.selectors import members_visible_to


def profile_of(user: User, organization: Organization) -> SurvivorProfile | None:
    """The profile the person gave this organization, or None: what they gave another
    organization is never a stand-in for it."""
    return SurvivorProfile.objects.filter(user=user, organization=organization).first()


# The attribute `with_profile_here` puts the joined profile under, on each row it returns.
PROFILE_HERE = "profile_here"


def with_profile_here[Row: models.Model](
    rows: QuerySet[Row], organization: Organization | int, *, person: str = ""
) -> QuerySet[Row]:
    """Join into the same query the profile each row's person gave this organization, and
    no other. `person` is the path from a row to its person ("user", "entry__user"), empty
    when the rows are people. Read the profile with `profile_here(row)`; order or filter
    on `by_chosen_name_here()`. `organization` may be given by id."""
    relation = f"{person}__survivor_profiles" if person else "survivor_profiles"
    here = Q(**{f"{relation}__organization": organization})
    joined = rows.annotate(**{PROFILE_HERE: FilteredRelation(relation, condition=here)})
    return cast("QuerySet[Row]", joined.select_related(PROFILE_HERE))


def chosen_name_here(organization: Organization | int, *, person: str) -> Subquery:
    """For an annotation: the chosen name that the person in the outer row's `person`
    field gave this organization (NULL when they gave none). For rows that need only the
    name, where joining the whole profile would reach too far."""
    given_here = SurvivorProfile.objects.filter(user=OuterRef(person), organization=organization)
    return Subquery(given_here.values("chosen_name")[:1])


def by_chosen_name_here() -> OrderBy:
    """Order rows from `with_profile_here` by that chosen name, people without one last."""
    return F(f"{PROFILE_HERE}__chosen_name").asc(nulls_last=True)


def profile_here(row: models.Model) -> SurvivorProfile | None:
    """The profile `with_profile_here` joined to this row (None when the person gave none:
    Django then sets no attribute at all)."""
    profile = getattr(row, PROFILE_HERE, None)
    return profile if isinstance(profile, SurvivorProfile) else None


def viewer_time_zone(user: User, organization: Organization) -> ZoneInfo:
    """The time zone this person sees and types times in here: the one they chose in the
    profile they gave this organization, else the organization's. The one rule for every
    page, form and download; `TimeZoneMiddleware` applies it to each organization's pages."""
    chosen = SurvivorProfile.objects.filter(user=user, organization=organization)
    return _zone(chosen.values_list("time_zone", flat=True).first(), organization.time_zone)


def viewer_time_zone_at(user: User, slug: str) -> ZoneInfo | None:
    """`viewer_time_zone` for an organization known only by its address, in one query; None
    when the person neither belongs to it nor funds it (its pages will answer 404)."""
    chosen = SurvivorProfile.objects.filter(user=user, organization=OuterRef("pk"))
    row = (
        Organization.objects.filter(slug=slug)
        .filter(
            Exists(Membership.objects.filter(user=user, organization=OuterRef("pk")))
            | Exists(FunderAccess.objects.filter(user=user, organization=OuterRef("pk")))
        )
        .annotate(chosen=Subquery(chosen.values("time_zone")[:1]))
        .values_list("chosen", "time_zone")
        .first()
    )
    return None if row is None else _zone(*row)


def _zone(chosen: str | None, organization_zone: str) -> ZoneInfo:
    """The chosen zone, else the organization's. Both are checked against the IANA list
    when saved; UTC stands in only if this server's list has lost one."""
    for name in (chosen, organization_zone):
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def survivor_leaders_visible_to(viewer: User, organization: Organization) -> QuerySet[Membership]:
    """Survivor leaders of the organization, by the chosen name they gave it, for its staff
    and admins only. Each row carries that profile (`profile_here`, or None) in the same
    query: the list template asks nothing."""
    if not allows(viewer, organization, Capability.LOOK_AFTER_BOARD):
        return Membership.objects.none()
    leaders = Membership.objects.filter(
        organization=organization, role=Role.SURVIVOR_LEADER, user__erased_at__isnull=True
    )
    return with_profile_here(leaders.select_related("user"), organization, person="user").order_by(
        by_chosen_name_here(), "user_id"
    )


@dataclass(frozen=True)
class MemberRow:
    """One member as the admin's list shows them: the chosen name they gave this
    organization if they gave one, and the e-mail address only where there is no name to
    know them by (staff roles, or a survivor leader who has not filled in a profile)."""

    chosen_name: str
    email: str
    role: str
    survivor_leader: bool


def member_rows(admin: User, organization: Organization) -> list[MemberRow]:
    """The organization's members for its admins (nobody else gets any): survivor leaders
    first, by chosen name, then staff, finance and admins. One query."""
    role_order = Case(
        *(When(role=role, then=Value(n)) for n, role in enumerate(MEMBER_ORDER)),
        output_field=IntegerField(),
    )
    members = with_profile_here(
        members_visible_to(admin, organization), organization, person="user"
    ).order_by(role_order, by_chosen_name_here(), "user__email")
    rows = []
    for member in members:
        profile = profile_here(member)
        name = profile.chosen_name if profile else ""
        rows.append(
            MemberRow(
                chosen_name=name,
                email="" if name else member.user.email,
                role=str(Role(member.role).label),
                survivor_leader=grants(member.role, Capability.USE_OWN_SEAT),
            )
        )
    return rows


MEMBER_ORDER = (Role.SURVIVOR_LEADER, Role.STAFF, Role.FINANCE, Role.ADMIN)


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
