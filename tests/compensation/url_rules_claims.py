"""Access rules for compensation's claims URLs, merged into the walk in tests/test_url_access.py.

Claims, attendance and flags are made on demand, straight in the database (no audit events,
so the "GET changes nothing" snapshot is unaffected). Ash and River are Harbor's survivor
leaders, Otto is Second's. Ash is made a co-chair only for the decisions page.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from accounts.models import Organization, User
from accounts.permissions import Capability, Holder
from tests.url_walk import (
    ANSWERED,
    SURVIVORS,
    Rule,
    World,
    _attendance_meeting,
    _roles_survivor_in,
    allowed,
    other_org,
    own_org,
)


def _survivor_for(world: World, org: Organization, who: str) -> User:
    """The persona when a survivor of this organization; otherwise one of its survivors."""
    if who in SURVIVORS and world.own_org(who) == org:
        person: User = getattr(world.personas, who)
        return person
    return _roles_survivor_in(world, org)


def _someone_else(world: World, who: str) -> User:
    """Another of Harbor's survivors than the persona."""
    other: User = world.personas.river if who == "ash" else world.personas.ash
    return other


# --- claims ------------------------------------------------------------------------------


def _claim(org: Organization, person: User) -> int:
    from compensation.models import WorkClaim, WorkKind

    claim = WorkClaim.objects.create(
        organization=org,
        user=person,
        kind=WorkKind.PREPARATION,
        work_date=datetime.date.today() - datetime.timedelta(days=1),
        hours=Decimal("1.5"),
        note="Read the papers.",
    )
    return int(claim.pk)


def my_claim(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _claim(org, _survivor_for(world, org, who))}


def someone_elses_claim(world: World, who: str) -> dict[str, Any]:
    return {
        "org": world.own_org(who).slug,
        "pk": _claim(world.personas.harbor, _someone_else(world, who)),
    }


def other_orgs_claim(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _claim(org, _roles_survivor_in(world, org))}


def other_orgs_claim_under_own_org(world: World, who: str) -> dict[str, Any]:
    other = world.other_org(who)
    return {"org": world.own_org(who).slug, "pk": _claim(other, _roles_survivor_in(world, other))}


def own_orgs_claim(world: World, who: str) -> dict[str, Any]:
    """A claim of the persona's organization, by its survivor: what staff decide."""
    org = world.own_org(who)
    return {"org": org.slug, "pk": _claim(org, _roles_survivor_in(world, org))}


# --- co-chairs ---------------------------------------------------------------------------


def own_org_with_ash_as_co_chair(world: World, who: str) -> dict[str, Any]:
    from accounts.models import AdvisoryBoard, AssignmentStatus, BoardRole, RoleAssignment
    from accounts.permissions import is_co_chair

    harbor, ash = world.personas.harbor, world.personas.ash
    if not is_co_chair(ash, harbor):
        board, _created = AdvisoryBoard.objects.get_or_create(
            organization=harbor, name="Advisory board"
        )
        role, _created = BoardRole.objects.get_or_create(
            organization=harbor,
            name="Co-chair",
            defaults={"description": "Helps run meetings.", "is_co_chair": True},
        )
        RoleAssignment.objects.create(
            board=board,
            role=role,
            user=ash,
            status=AssignmentStatus.ACTIVE,
            starts_on=datetime.date.today() - datetime.timedelta(days=1),
        )
    return own_org(world, who)


# --- attendance and flags ----------------------------------------------------------------


def _attendance(world: World, org: Organization, person: User) -> int:
    from meetings.models import Attendance

    meeting_id = _attendance_meeting(world, org)
    attendance = Attendance.objects.create(
        meeting_id=meeting_id, user=person, attended=True, hours=Decimal("1.5")
    )
    return int(attendance.pk)


def my_attendance_row(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {
        "org": org.slug,
        "attendance_id": _attendance(world, org, _survivor_for(world, org, who)),
    }


def someone_elses_attendance(world: World, who: str) -> dict[str, Any]:
    pk = _attendance(world, world.personas.harbor, _someone_else(world, who))
    return {"org": world.own_org(who).slug, "attendance_id": pk}


def other_orgs_attendance(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {
        "org": org.slug,
        "attendance_id": _attendance(world, org, _roles_survivor_in(world, org)),
    }


def other_orgs_attendance_under_own_org(world: World, who: str) -> dict[str, Any]:
    other = world.other_org(who)
    pk = _attendance(world, other, _roles_survivor_in(world, other))
    return {"org": world.own_org(who).slug, "attendance_id": pk}


def _flag(world: World, org: Organization) -> int:
    from compensation.models import HoursFlag
    from meetings.models import Attendance

    person = _roles_survivor_in(world, org)
    attendance = Attendance.objects.get(pk=_attendance(world, org, person))
    flag = HoursFlag.objects.create(
        organization=org,
        user=person,
        attendance=attendance,
        attendance_version=attendance.version,
        hours_expected=Decimal("2"),
        note="We ran over.",
    )
    return int(flag.pk)


def own_orgs_flag(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": _flag(world, org)}


def other_orgs_flag(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": _flag(world, org)}


def other_orgs_flag_under_own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug, "pk": _flag(world, world.other_org(who))}


CLAIM_DECIDERS = ("sam", "ada")
CLAIM_FOREIGN = (other_orgs_claim, other_orgs_claim_under_own_org)
FLAG_FOREIGN = (other_orgs_flag, other_orgs_flag_under_own_org)

RULES: dict[str, Rule] = {
    "my_claims": Rule(
        allowed(Capability.USE_OWN_SEAT), kwargs=own_org, foreign=(other_org,), why="their own"
    ),
    "withdraw_claim": Rule(
        allowed(Capability.USE_OWN_SEAT, ANSWERED),
        method="POST",
        kwargs=my_claim,
        foreign=(someone_elses_claim, *CLAIM_FOREIGN),
        why="only the person who claimed takes it back",
    ),
    "claim_decisions": Rule(
        allowed(Capability.CHAIR_BOARD, seats={"ash": Holder.CO_CHAIR}),
        kwargs=own_org_with_ash_as_co_chair,
        foreign=(other_org,),
        why="survivor co-chairs only (Ash here); no names or notes on it",
    ),
    "flag_hours": Rule(
        allowed(Capability.USE_OWN_SEAT),
        kwargs=my_attendance_row,
        foreign=(
            someone_elses_attendance,
            other_orgs_attendance,
            other_orgs_attendance_under_own_org,
        ),
        why="only the person's own attendance",
    ),
    "pay_claims": Rule(
        allowed(Capability.LOOK_AFTER_BOARD),
        kwargs=own_org,
        foreign=(other_org,),
        why="program staff and admins decide; finance pay, they do not decide",
    ),
    "decide_claim": Rule(
        allowed(Capability.LOOK_AFTER_BOARD, ANSWERED),
        method="POST",
        kwargs=own_orgs_claim,
        foreign=CLAIM_FOREIGN,
        data={"decision": "decline", "reason": "Not work for the program."},
        why="program staff and admins; finance: no",
    ),
    "hours_flags": Rule(
        allowed(Capability.HANDLE_PAY),
        kwargs=own_org,
        foreign=(other_org,),
        why="finance must answer flags",
    ),
    "answer_flag": Rule(
        allowed(Capability.HANDLE_PAY, ANSWERED),
        method="POST",
        kwargs=own_orgs_flag,
        foreign=FLAG_FOREIGN,
        data={"outcome": "unchanged", "answer": "The sheet is right."},
        why="finance only; staff fix the attendance sheet itself",
    ),
}
