"""Boards and roles as agreements: what the services allow, refuse and remember."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.audit import verify_chain
from accounts.models import (
    AdvisoryBoard,
    AssignmentStatus,
    AuditEvent,
    BoardRole,
    ConsentAction,
    ConsentEvent,
    ConsentScope,
    OutboxMessage,
    RoleAssignment,
    RoleAssignmentChange,
)
from accounts.permissions import is_co_chair
from accounts.selectors.roles import chosen_name, person_label, survivor_leaders_of
from accounts.services import roles
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

STORY = "Sharing your personal story is not expected."
TODAY = datetime.date(2026, 3, 2)


def written():
    """Everything a refused action must leave as it was."""
    return (
        RoleAssignment.objects.count(),
        RoleAssignmentChange.objects.count(),
        OutboxMessage.objects.count(),
        AuditEvent.objects.count(),
        list(RoleAssignment.objects.order_by("pk").values_list("status", flat=True)),
    )


@pytest.fixture
def member_role(personas):
    return roles.create_board_role(
        organization=personas.harbor,
        actor=personas.ada,
        name="Board member",
        description="Come to meetings and say what you think.",
    )


@pytest.fixture
def co_chair_role(personas):
    return roles.create_board_role(
        organization=personas.harbor,
        actor=personas.ada,
        name="Co-chair",
        description="Help run meetings.",
        is_co_chair=True,
    )


def invite(personas, role, person=None, **dates):
    return roles.invite_to_role(
        role=role,
        person=person or personas.ash,
        invited_by=personas.sam,
        starts_on=dates.get("starts_on", TODAY),
        ends_on=dates.get("ends_on"),
    )


# --- the board and its roles -------------------------------------------------------------


def test_the_board_is_created_once_when_first_needed(personas):
    assert not AdvisoryBoard.objects.exists()
    first = roles.ensure_board(organization=personas.harbor)
    again = roles.ensure_board(organization=personas.harbor)
    assert first == again
    assert first.name == "Advisory board"
    assert AuditEvent.objects.filter(action="board.created").count() == 1


def test_every_role_description_says_sharing_a_story_is_not_expected(member_role):
    assert member_role.description.endswith(STORY)
    assert member_role.description.startswith("Come to meetings")


def test_the_sentence_is_not_added_twice(personas):
    role = roles.create_board_role(
        organization=personas.harbor,
        actor=personas.ada,
        name="Speaker",
        description=f"Speak at events. {STORY}",
    )
    assert role.description.count(STORY) == 1


def test_editing_a_role_keeps_the_sentence(personas, member_role):
    roles.update_board_role(
        role=member_role,
        actor=personas.ada,
        name="Member",
        description="New words.",
        is_co_chair=False,
    )
    member_role.refresh_from_db()
    assert member_role.name == "Member"
    assert member_role.description == f"New words.\n\n{STORY}"
    assert AuditEvent.objects.filter(action="board_role.edited").count() == 1


@pytest.mark.parametrize("who", ["ash", "sam", "fin", "faye", "otto"])
def test_only_the_admin_defines_roles(personas, who):
    before = BoardRole.objects.count()
    with pytest.raises(PermissionDenied):
        roles.create_board_role(
            organization=personas.harbor, actor=getattr(personas, who), name="X", description="Y"
        )
    assert BoardRole.objects.count() == before


def test_two_roles_cannot_share_a_name(personas, member_role):
    with pytest.raises(ValidationError, match="already a role with this name"):
        roles.create_board_role(
            organization=personas.harbor, actor=personas.ada, name="board member", description="Y"
        )
    assert BoardRole.objects.count() == 1


def test_the_usual_roles_are_added_in_one_go_only_while_there_are_none(personas):
    added = roles.add_usual_roles(organization=personas.harbor, actor=personas.ada)
    assert [r.name for r in added] == ["Board member", "Co-chair", "Mentor", "Reviewer", "Speaker"]
    assert [r.name for r in added if r.is_co_chair] == ["Co-chair"]
    assert all(r.description.endswith(STORY) for r in added)
    with pytest.raises(ValidationError, match="already has roles"):
        roles.add_usual_roles(organization=personas.harbor, actor=personas.ada)
    assert BoardRole.objects.count() == 5


# --- inviting ----------------------------------------------------------------------------


def test_staff_invite_a_survivor_leader_who_is_told_there_is_an_update(personas, member_role):
    assignment = invite(personas, member_role, ends_on=TODAY + timedelta(days=365))
    assert assignment.status == AssignmentStatus.INVITED
    assert assignment.board.organization == personas.harbor
    assert list(assignment.changes.values_list("status", "actor_id")) == [
        ("invited", personas.sam.pk)
    ]
    message = OutboxMessage.objects.get(recipient=personas.ash)
    assert message.kind == "role_invitation"
    assert AuditEvent.objects.filter(
        action="role.invited", target_id=assignment.pk, actor_id=personas.sam.pk
    ).exists()


def test_admins_may_invite_too(personas, member_role):
    assignment = roles.invite_to_role(
        role=member_role, person=personas.river, invited_by=personas.ada, starts_on=TODAY
    )
    assert assignment.invited_by == personas.ada


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye", "otto", "unknown"])
def test_only_a_survivor_leader_of_that_organization_can_be_invited(personas, member_role, who):
    person = UserFactory.create() if who == "unknown" else getattr(personas, who)
    before = written()
    with pytest.raises(ValidationError, match="Only a survivor leader of this organization"):
        invite(personas, member_role, person=person)
    assert written() == before


@pytest.mark.parametrize("who", ["ash", "fin", "faye", "otto"])
def test_only_staff_and_admins_invite(personas, member_role, who):
    before = written()
    with pytest.raises(PermissionDenied):
        roles.invite_to_role(
            role=member_role,
            person=personas.river,
            invited_by=getattr(personas, who),
            starts_on=TODAY,
        )
    assert written() == before


def test_a_term_cannot_end_before_it_starts(personas, member_role):
    before = written()
    with pytest.raises(ValidationError, match="on or after the start"):
        invite(personas, member_role, ends_on=TODAY - timedelta(days=1))
    assert written() == before


def test_a_term_may_end_on_the_day_it_starts(personas, member_role):
    assert invite(personas, member_role, ends_on=TODAY).ends_on == TODAY


@pytest.mark.parametrize("status", ["invited", "active", "paused"])
def test_the_same_role_is_not_offered_twice_while_the_first_stands(personas, member_role, status):
    first = invite(personas, member_role)
    RoleAssignment.objects.filter(pk=first.pk).update(status=status)
    before = written()
    with pytest.raises(ValidationError, match="already has this role"):
        invite(personas, member_role)
    assert written() == before


def test_after_saying_no_a_person_can_be_invited_again(personas, member_role):
    first = invite(personas, member_role)
    roles.change_my_role(assignment=first, person=personas.ash, action="decline")
    assert invite(personas, member_role).status == AssignmentStatus.INVITED


# --- only the survivor decides -----------------------------------------------------------


def test_the_survivor_accepts_pauses_resumes_and_steps_down_and_history_is_kept(
    personas, member_role
):
    assignment = invite(personas, member_role)
    for action, status in [
        ("accept", "active"),
        ("pause", "paused"),
        ("resume", "active"),
        ("pause", "paused"),
        ("step_down", "stepped_down"),
    ]:
        assignment = roles.change_my_role(assignment=assignment, person=personas.ash, action=action)
        assert assignment.status == status
    history = list(assignment.changes.values_list("status", flat=True))
    assert history == ["invited", "active", "paused", "active", "paused", "stepped_down"]
    codes = list(
        AuditEvent.objects.filter(target_type="role_assignment").values_list("action", flat=True)
    )
    assert codes == [
        "role.invited",
        "role.accepted",
        "role.paused",
        "role.resumed",
        "role.paused",
        "role.stepped_down",
    ]
    assert verify_chain() == []


def test_stepping_down_straight_from_active_needs_no_pause(personas, member_role):
    assignment = invite(personas, member_role)
    roles.change_my_role(assignment=assignment, person=personas.ash, action="accept")
    done = roles.change_my_role(assignment=assignment, person=personas.ash, action="step_down")
    assert done.status == AssignmentStatus.STEPPED_DOWN


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("active", "accept"),
        ("active", "decline"),
        ("active", "resume"),
        ("invited", "pause"),
        ("invited", "step_down"),
        ("invited", "resume"),
        ("paused", "pause"),
        ("stepped_down", "resume"),
        ("stepped_down", "accept"),
        ("declined", "accept"),
        ("withdrawn", "accept"),
    ],
)
def test_a_move_that_does_not_fit_the_status_is_refused(personas, member_role, status, action):
    assignment = invite(personas, member_role)
    RoleAssignment.objects.filter(pk=assignment.pk).update(status=status)
    before = written()
    with pytest.raises(ValidationError):
        roles.change_my_role(assignment=assignment, person=personas.ash, action=action)
    assert written() == before


def test_an_unknown_action_is_refused(personas, member_role):
    assignment = invite(personas, member_role)
    before = written()
    with pytest.raises(ValidationError):
        roles.change_my_role(assignment=assignment, person=personas.ash, action="promote")
    assert written() == before


@pytest.mark.parametrize("who", ["river", "sam", "ada"])
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_nobody_else_decides_for_the_survivor(personas, member_role, who, action):
    assignment = invite(personas, member_role)
    before = written()
    with pytest.raises(PermissionDenied):
        roles.change_my_role(assignment=assignment, person=getattr(personas, who), action=action)
    assert written() == before


@pytest.mark.parametrize("action", ["pause", "step_down"])
def test_staff_cannot_pause_or_end_an_active_role(personas, member_role, action):
    assignment = invite(personas, member_role)
    roles.change_my_role(assignment=assignment, person=personas.ash, action="accept")
    before = written()
    with pytest.raises(PermissionDenied):
        roles.change_my_role(assignment=assignment, person=personas.sam, action=action)
    with pytest.raises(ValidationError):
        roles.withdraw_role_invitation(assignment=assignment, actor=personas.sam)
    assert written() == before


def test_staff_withdraw_an_unanswered_invitation(personas, member_role):
    assignment = invite(personas, member_role)
    withdrawn = roles.withdraw_role_invitation(assignment=assignment, actor=personas.sam)
    assert withdrawn.status == AssignmentStatus.WITHDRAWN
    assert list(withdrawn.changes.values_list("status", flat=True)) == ["invited", "withdrawn"]
    assert AuditEvent.objects.filter(action="role.withdrawn", target_id=assignment.pk).exists()


@pytest.mark.parametrize("who", ["ash", "fin", "otto"])
def test_only_staff_withdraw_invitations(personas, member_role, who):
    assignment = invite(personas, member_role)
    before = written()
    with pytest.raises(PermissionDenied):
        roles.withdraw_role_invitation(assignment=assignment, actor=getattr(personas, who))
    assert written() == before


# --- co-chairs, and consent playing no part ----------------------------------------------


def test_an_active_co_chair_role_makes_a_co_chair(personas, co_chair_role, member_role):
    assignment = invite(personas, co_chair_role, starts_on=timezone.localdate())
    assert not is_co_chair(personas.ash, personas.harbor)
    roles.change_my_role(assignment=assignment, person=personas.ash, action="accept")
    assert is_co_chair(personas.ash, personas.harbor)
    assert not is_co_chair(personas.ash, personas.second)
    assert not is_co_chair(personas.river, personas.harbor)
    roles.change_my_role(assignment=assignment, person=personas.ash, action="pause")
    assert not is_co_chair(personas.ash, personas.harbor)


def test_a_plain_role_or_a_term_outside_today_is_not_co_chairing(
    personas, co_chair_role, member_role
):
    today = timezone.localdate()
    plain = invite(personas, member_role, person=personas.river, starts_on=today)
    roles.change_my_role(assignment=plain, person=personas.river, action="accept")
    assert not is_co_chair(personas.river, personas.harbor)
    later = invite(personas, co_chair_role, starts_on=today + timedelta(days=3))
    roles.change_my_role(assignment=later, person=personas.ash, action="accept")
    assert not is_co_chair(personas.ash, personas.harbor)
    RoleAssignment.objects.filter(pk=later.pk).update(
        starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1)
    )
    assert not is_co_chair(personas.ash, personas.harbor)


def test_a_role_does_not_lapse_when_a_data_consent_expires(personas, co_chair_role):
    start = timezone.now()
    assignment = invite(personas, co_chair_role, starts_on=timezone.localdate())
    roles.change_my_role(assignment=assignment, person=personas.ash, action="accept")
    for scope in ConsentScope:
        ConsentEvent.objects.create(
            user=personas.ash,
            organization=personas.harbor,
            scope=scope,
            action=ConsentAction.GRANTED,
            language="en",
            expires_at=start + timedelta(days=1),
        )
    with time_machine.travel(start + timedelta(days=2), tick=False):
        for scope in ConsentScope:
            ConsentEvent.objects.create(
                user=personas.ash,
                organization=personas.harbor,
                scope=scope,
                action=ConsentAction.EXPIRED,
            )
        assignment.refresh_from_db()
        assert assignment.status == AssignmentStatus.ACTIVE
        assert list(assignment.changes.values_list("status", flat=True)) == ["invited", "active"]
        assert is_co_chair(personas.ash, personas.harbor)


# --- names -------------------------------------------------------------------------------


def test_a_survivor_is_shown_by_chosen_name_or_a_neutral_stand_in(personas):
    assert chosen_name(None) == "A board member without a name yet"
    assert chosen_name(SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")) == "Ash"


def test_whom_to_invite_shows_the_name_given_to_this_organization_only(personas):
    """Otto joined Harbor too: Harbor's list shows what Otto gave Harbor (nothing yet),
    never the name Otto gave Second."""
    MembershipFactory.create(user=personas.otto, organization=personas.harbor)
    SurvivorProfileFactory.create(
        user=personas.otto, organization=personas.second, chosen_name="Otto at Second"
    )
    labels = [person_label(person) for person in survivor_leaders_of(personas.harbor)]
    assert len(labels) == 3
    assert not any("Otto at Second" in label for label in labels)
    SurvivorProfileFactory.create(
        user=personas.otto, organization=personas.harbor, chosen_name="Otto at Harbor"
    )
    labels = [person_label(person) for person in survivor_leaders_of(personas.harbor)]
    assert "Otto at Harbor" in labels
    assert [person_label(p) for p in survivor_leaders_of(personas.second)] == ["Otto at Second"]
