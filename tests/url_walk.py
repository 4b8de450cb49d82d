"""The URL walker's shared pieces: personas, what a response may be, the world of objects
rules point at, rule builders and how a persona requests a URL.

Who may reach a page is not listed here by hand: `allowed(capability)` asks the policy in
accounts/permissions.py which personas hold the capability in their own organization, so an
access rule is written once. The rules themselves live in tests/test_url_access.py (ours and
allauth's) and in the apps' `url_rules_*` modules, which import only this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.models import Authenticator
from django.http import HttpResponseBase
from django.urls import reverse

from accounts.models import Organization, Role, User
from accounts.permissions import POLICY, Capability, Holder
from tests.factories import InvitationFactory, UserFactory
from tests.mfa import give_totp

ANONYMOUS = "anonymous"
SURVIVORS = ("ash", "river", "otto")
PEOPLE = ("ash", "river", "sam", "fin", "ada", "faye", "otto")
PERSONAS = (ANONYMOUS, *PEOPLE)
# Roles that must use a second factor; the walker gives them one so pages are reachable.
WITH_AUTHENTICATOR = ("sam", "fin", "ada", "faye")


# --- what a response may be --------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    codes: tuple[int, ...]
    label: str

    def matches(self, response: HttpResponseBase) -> bool:
        return bool(response.status_code in self.codes)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Redirect:
    """A redirect to `to` (a URL name, a path or an address), ignoring the query string;
    with `prefix`, to anything under that path."""

    to: str
    prefix: bool = False

    def target(self) -> str:
        return self.to if self.to.startswith(("/", "https://")) else reverse(self.to)

    def matches(self, response: HttpResponseBase) -> bool:
        if response.status_code not in (301, 302, 303):
            return False
        location = response.get("Location", "").split("?", 1)[0]
        if self.prefix:
            return location.startswith(self.target())
        return location == self.target()

    def __str__(self) -> str:
        return f"redirect to {self.to}" + ("..." if self.prefix else "")


@dataclass(frozen=True)
class Answered:
    """Got past authorization: the page, a form with errors, or a redirect after the
    action — anything but "sign in first", "not found" or "not allowed"."""

    def matches(self, response: HttpResponseBase) -> bool:
        if response.status_code in (301, 302, 303):
            return not LOGIN.matches(response)
        return response.status_code == 200

    def __str__(self) -> str:
        return "answered (200, or a redirect that is not to sign-in)"


Outcome = Status | Redirect | Answered

OK = Status((200,), "200")
NOT_FOUND = Status((404,), "404")
FORBIDDEN = Status((403,), "403")
GONE = Status((404, 410), "404 or 410")
LOGIN = Redirect("account_login")
HOME = Redirect("home")
ANSWERED = Answered()


# --- the objects the rules point at ------------------------------------------------------


@dataclass
class World:
    personas: Any
    orgs: dict[str, Organization] = field(default_factory=dict)
    invitations: dict[str, int] = field(default_factory=dict)
    stranger_passkey: int = 0

    def own_org(self, who: str) -> Organization:
        org: Organization = self.personas.second if who == "otto" else self.personas.harbor
        return org

    def other_org(self, who: str) -> Organization:
        org: Organization = self.personas.harbor if who == "otto" else self.personas.second
        return org


def build_world(personas, *, with_authenticators: bool = True) -> World:
    for name in WITH_AUTHENTICATOR if with_authenticators else ():
        give_totp(getattr(personas, name))
    stranger = UserFactory.create(email="stranger@example.test")
    passkey = Authenticator.objects.create(
        user=stranger, type=Authenticator.Type.WEBAUTHN, data={"name": "Stranger's key"}
    )
    return World(
        personas=personas,
        invitations={
            org.slug: InvitationFactory.create(organization=org, role=Role.SURVIVOR_LEADER).pk
            for org in (personas.harbor, personas.second)
        },
        stranger_passkey=passkey.pk,
    )


Kwargs = Callable[[World, str], dict[str, Any]]


def no_kwargs(world: World, who: str) -> dict[str, Any]:
    return {}


def own_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.own_org(who).slug}


def other_org(world: World, who: str) -> dict[str, Any]:
    return {"org": world.other_org(who).slug}


def own_invitation(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return {"org": org.slug, "pk": world.invitations[org.slug]}


def other_orgs_invitation(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return {"org": org.slug, "pk": world.invitations[org.slug]}


def other_orgs_invitation_under_own_org(world: World, who: str) -> dict[str, Any]:
    """The sneaky one: my organization in the path, another organization's pk."""
    return {
        "org": world.own_org(who).slug,
        "pk": world.invitations[world.other_org(who).slug],
    }


def unknown_invitation_token(world: World, who: str) -> dict[str, Any]:
    return {"token": "not-a-real-invitation-token"}


def unknown_undo_token(world: World, who: str) -> dict[str, Any]:
    return {"token": "not-a-real-undo-token"}


def strangers_passkey(world: World, who: str) -> dict[str, Any]:
    return {"pk": world.stranger_passkey}


def unknown_email_key(world: World, who: str) -> dict[str, Any]:
    return {"key": "not-a-real-key"}


def unknown_reset_key(world: World, who: str) -> dict[str, Any]:
    return {"uidb36": "zz", "key": "not-a-real-key"}


# Keys the rules put in paths: no log line may hold them (see tests/logs.py).
KEYS_IN_PATHS = {"not-a-real-invitation-token", "not-a-real-key"}


# --- rules -------------------------------------------------------------------------------


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome: Outcome, anonymous: Outcome = LOGIN) -> dict[str, Outcome]:
    return {ANONYMOUS: anonymous, **dict.fromkeys(PEOPLE, outcome)}


def only(allowed: tuple[str, ...], outcome: Outcome = OK) -> dict[str, Outcome]:
    """Signed-in people other than `allowed` get 404: the page does not exist for them."""
    return {ANONYMOUS: LOGIN, **{who: outcome if who in allowed else NOT_FOUND for who in PEOPLE}}


# What each persona is in their own organization (tests/conftest.py makes them): the walk
# asks the policy what that standing may do. Nobody holds a co-chair or board seat unless a
# rule makes one for the URL it builds, and then says so with `seats`.
STANDINGS: dict[str, Holder] = {
    "ash": Holder.SURVIVOR_LEADER,
    "river": Holder.SURVIVOR_LEADER,
    "otto": Holder.SURVIVOR_LEADER,
    "sam": Holder.STAFF,
    "fin": Holder.FINANCE,
    "ada": Holder.ADMIN,
    "faye": Holder.FUNDER,
}


# The survivors a rule's URL builder gave an active board seat (`_make_board_member`).
BOARD_SEATS: Mapping[str, Holder] = dict.fromkeys(SURVIVORS, Holder.BOARD_MEMBER)


def holding(capability: Capability, seats: Mapping[str, Holder] | None = None) -> tuple[str, ...]:
    """The personas the policy grants this capability in their own organization; `seats`
    names a co-chair or board seat a rule gave someone for its URL."""
    extra = seats or {}
    return tuple(
        who
        for who in PEOPLE
        if capability in POLICY[STANDINGS[who]]
        or (who in extra and capability in POLICY[extra[who]])
    )


class Allowed(dict[str, Outcome]):
    """A rule's expectations that came from the policy, remembering the capability, so a
    test can check the view asks for that same one."""

    capability: Capability


def allowed(
    capability: Capability, outcome: Outcome = OK, *, seats: Mapping[str, Holder] | None = None
) -> Allowed:
    """Those holding the capability get `outcome`; every other signed-in persona 404."""
    expect = Allowed(only(holding(capability, seats), outcome))
    expect.capability = capability
    return expect


def survivors_and(outcome_for_survivors: Outcome, outcome_for_others: Outcome):
    return signed_in(outcome_for_others) | dict.fromkeys(SURVIVORS, outcome_for_survivors)


@dataclass(frozen=True)
class Rule:
    expect: Mapping[str, Outcome]
    method: str = "GET"
    kwargs: Kwargs = no_kwargs
    # Arguments naming things the persona must never reach: every signed-in persona gets 404.
    foreign: tuple[Kwargs, ...] = ()
    data: Mapping[str, str] = field(default_factory=dict)
    why: str = ""


# --- objects several areas' rules build ---------------------------------------------------
# Made on demand, straight in the database (no audit events, so the "GET changes nothing"
# snapshot is unaffected).


def _roles_board_role(org: Organization):
    from accounts.models import BoardRole

    role, _created = BoardRole.objects.get_or_create(
        organization=org,
        name="Board member",
        defaults={"description": "Come to meetings. Sharing your personal story is not expected."},
    )
    return role


def _roles_survivor_in(world: World, org: Organization) -> User:
    survivor: User = world.personas.otto if org == world.personas.second else world.personas.ash
    return survivor


def _scheduling_meeting(org: Organization, world: World) -> Any:
    from accounts.models import AdvisoryBoard
    from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory

    board, _created = AdvisoryBoard.objects.get_or_create(organization=org, name="Board")
    meeting = MeetingFactory.create(organization=org, board=board)
    people = ("otto",) if org == world.personas.second else ("ash", "river")
    for name in people:
        MeetingInvitationFactory.create(meeting=meeting, user=getattr(world.personas, name))
    return meeting


def _input_author(world: World, org: Organization, who: str) -> User:
    """The persona when a survivor of this organization; otherwise one of its survivors."""
    if who in SURVIVORS and world.own_org(who) == org:
        author: User = getattr(world.personas, who)
        return author
    return _roles_survivor_in(world, org)


def _input_of(world: World, org: Organization, author: User, status: str) -> Any:
    from meetings.models import Input

    meeting = _scheduling_meeting(org, world)
    return Input.objects.create(
        meeting=meeting, author=author, body="Evening meetings suit me.", status=status
    )


def _input_kwargs(org: Organization, input: Any) -> dict[str, Any]:
    return {"org": org.slug, "public_id": input.public_id}


def my_input(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return _input_kwargs(org, _input_of(world, org, _input_author(world, org, who), "confirmed"))


def my_pending_input(world: World, who: str) -> dict[str, Any]:
    org = world.own_org(who)
    return _input_kwargs(org, _input_of(world, org, _input_author(world, org, who), "pending"))


def someone_elses_input(world: World, who: str) -> dict[str, Any]:
    harbor = world.personas.harbor
    author = world.personas.river if who == "ash" else world.personas.ash
    return _input_kwargs(world.own_org(who), _input_of(world, harbor, author, "confirmed"))


def someone_elses_pending_input(world: World, who: str) -> dict[str, Any]:
    harbor = world.personas.harbor
    author = world.personas.river if who == "ash" else world.personas.ash
    return _input_kwargs(world.own_org(who), _input_of(world, harbor, author, "pending"))


def other_orgs_input(world: World, who: str) -> dict[str, Any]:
    org = world.other_org(who)
    return _input_kwargs(org, _input_of(world, org, _roles_survivor_in(world, org), "confirmed"))


def _attendance_meeting(world: World, org: Organization) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import AdvisoryBoard
    from meetings.models import Meeting, MeetingFormat, MeetingInvitation

    board, _created = AdvisoryBoard.objects.get_or_create(organization=org, name="Advisory board")
    meeting = Meeting.objects.create(
        organization=org,
        board=board,
        title="Board meeting",
        starts_at=timezone.now() - timedelta(hours=2),
        format=MeetingFormat.VIDEO,
    )
    MeetingInvitation.objects.create(meeting=meeting, user=_roles_survivor_in(world, org))
    return int(meeting.pk)


def _make_board_member(org: Organization, person: User) -> None:
    import datetime

    from accounts.models import AdvisoryBoard, AssignmentStatus, RoleAssignment

    board, _created = AdvisoryBoard.objects.get_or_create(organization=org, name="Advisory board")
    # Other rules' builders may already have given this person active roles (the walk
    # accepts invitations); one more is only needed when there is none.
    role = _roles_board_role(org)
    if not RoleAssignment.objects.filter(
        board=board, role=role, user=person, status=AssignmentStatus.ACTIVE
    ).exists():
        RoleAssignment.objects.create(
            board=board,
            role=role,
            user=person,
            status=AssignmentStatus.ACTIVE,
            starts_on=datetime.date.today(),
        )
