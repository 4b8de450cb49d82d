"""Boards and roles as agreements: admins define roles, staff invite, survivors decide.

Only the survivor accepts, declines, pauses, resumes or steps down — at any time, without
giving a reason. Staff may withdraw an invitation nobody has answered yet, never more.
Nothing here looks at data consent: a role never lapses because a consent expired.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_event
from accounts.events import role_assignment_changed
from accounts.models import (
    AdvisoryBoard,
    AssignmentStatus,
    BoardRole,
    Membership,
    Organization,
    RoleAssignment,
    RoleAssignmentChange,
    User,
)
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, grants, require
from accounts.update_kinds import page

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BOARD_NAME = "Advisory board"
# Stored in every role description, in the words of the design; pages also show it.
STORY_SENTENCE = "Sharing your personal story is not expected."
# Assignments that are still an agreement in force (or waiting for an answer).
CURRENT_STATUSES = frozenset(
    {AssignmentStatus.INVITED, AssignmentStatus.ACTIVE, AssignmentStatus.PAUSED}
)


# The rules' words, written once: the forms show these same messages.
END_BEFORE_START = _("The end date must be on or after the start.")


def role_dates_errors(
    *, starts_on: datetime.date | None, ends_on: datetime.date | None
) -> dict[str, StrOrPromise]:
    """The rule across a role's dates, by field: the form shows it, inviting checks again."""
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        return {"ends_on": END_BEFORE_START}
    return {}


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[AssignmentStatus]
    to: AssignmentStatus
    audit_code: str
    refusal: StrOrPromise


# What the survivor may do, from which status. Every other move is refused with a message.
SURVIVOR_ACTIONS: dict[str, Transition] = {
    "accept": Transition(
        frozenset({AssignmentStatus.INVITED}),
        AssignmentStatus.ACTIVE,
        "accepted",
        _("Only an invitation that is still waiting for your answer can be accepted."),
    ),
    "decline": Transition(
        frozenset({AssignmentStatus.INVITED}),
        AssignmentStatus.DECLINED,
        "declined",
        _("Only an invitation that is still waiting for your answer can be declined."),
    ),
    "pause": Transition(
        frozenset({AssignmentStatus.ACTIVE}),
        AssignmentStatus.PAUSED,
        "paused",
        _("Only a role you are doing now can be paused."),
    ),
    "resume": Transition(
        frozenset({AssignmentStatus.PAUSED}),
        AssignmentStatus.ACTIVE,
        "resumed",
        _("Only a paused role can be started again."),
    ),
    "step_down": Transition(
        frozenset({AssignmentStatus.ACTIVE, AssignmentStatus.PAUSED}),
        AssignmentStatus.STEPPED_DOWN,
        "stepped_down",
        _("You can step down from a role you are doing or have paused."),
    ),
}


@dataclass(frozen=True)
class UsualRole:
    name: StrOrPromise
    description: StrOrPromise
    is_co_chair: bool = False


USUAL_ROLES = (
    UsualRole(
        _("Board member"),
        _(
            "Come to board meetings, read what is shared before them, and say what you "
            "think about plans and decisions."
        ),
    ),
    UsualRole(
        _("Co-chair"),
        _("Plan meetings together with staff, help run them, and approve the notes afterwards."),
        is_co_chair=True,
    ),
    UsualRole(
        _("Mentor"),
        _("Help a newer board member find their way, in the way that suits you both."),
    ),
    UsualRole(
        _("Reviewer"),
        _("Read drafts of plans, materials or reports and say what works and what does not."),
    ),
    UsualRole(
        _("Speaker"),
        _("Speak for the board at events or trainings, on topics you choose."),
    ),
)


def with_story_sentence(description: str) -> str:
    """The description, ending with the sentence every role carries if it lacks it."""
    text = description.strip()
    if STORY_SENTENCE.lower() in text.lower():
        return text
    return f"{text}\n\n{STORY_SENTENCE}" if text else STORY_SENTENCE


@transaction.atomic
def ensure_board(*, organization: Organization) -> AdvisoryBoard:
    """The organization's board, created the first time it is needed."""
    board, created = AdvisoryBoard.objects.get_or_create(organization=organization, name=BOARD_NAME)
    if created:
        record_event(
            action="board.created",
            organization_id=organization.pk,
            target_type="advisory_board",
            target_id=board.pk,
        )
    return board


def _check_name_free(organization: Organization, name: str, exclude_pk: int | None) -> None:
    taken = BoardRole.objects.filter(organization=organization, name__iexact=name.strip())
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"name": gettext("There is already a role with this name. Choose another name.")}
        )


@transaction.atomic
def create_board_role(
    *,
    organization: Organization,
    actor: User,
    name: str,
    description: str,
    is_co_chair: bool = False,
) -> BoardRole:
    require(actor, organization, Capability.MANAGE_ORGANIZATION)
    _check_name_free(organization, name, exclude_pk=None)
    role = BoardRole(
        organization=organization,
        name=name.strip(),
        description=with_story_sentence(description),
        is_co_chair=is_co_chair,
    )
    role.full_clean()
    role.save()
    record_event(
        action="board_role.created",
        actor_id=actor.pk,
        organization_id=organization.pk,
        target_type="board_role",
        target_id=role.pk,
    )
    return role


@transaction.atomic
def update_board_role(
    *, role: BoardRole, actor: User, name: str, description: str, is_co_chair: bool
) -> BoardRole:
    require(actor, role.organization, Capability.MANAGE_ORGANIZATION)
    _check_name_free(role.organization, name, exclude_pk=role.pk)
    role.name = name.strip()
    role.description = with_story_sentence(description)
    role.is_co_chair = is_co_chair
    role.full_clean()
    role.save()
    record_event(
        action="board_role.edited",
        actor_id=actor.pk,
        organization_id=role.organization_id,
        target_type="board_role",
        target_id=role.pk,
    )
    return role


@transaction.atomic
def add_usual_roles(*, organization: Organization, actor: User) -> list[BoardRole]:
    """The five usual roles, offered only while the organization has none of its own."""
    require(actor, organization, Capability.MANAGE_ORGANIZATION)
    if BoardRole.objects.filter(organization=organization).exists():
        raise ValidationError(
            gettext("Your organization already has roles. Add more with the form.")
        )
    return [
        create_board_role(
            organization=organization,
            actor=actor,
            name=str(usual.name),
            description=str(usual.description),
            is_co_chair=usual.is_co_chair,
        )
        for usual in USUAL_ROLES
    ]


def _record_change(assignment: RoleAssignment, actor: User, action: str) -> None:
    RoleAssignmentChange.objects.create(
        assignment=assignment, status=assignment.status, actor_id=actor.pk
    )
    user_id, organization_id = assignment.user_id, assignment.role.organization_id
    transaction.on_commit(
        lambda: role_assignment_changed.send(
            sender=RoleAssignment, user_id=user_id, organization_id=organization_id
        )
    )
    record_event(
        action=f"role.{action}",
        actor_id=actor.pk,
        organization_id=assignment.role.organization_id,
        target_type="role_assignment",
        target_id=assignment.pk,
    )


@transaction.atomic
def invite_to_role(
    *,
    role: BoardRole,
    person: User,
    invited_by: User,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> RoleAssignment:
    """Offer a survivor leader of the role's organization a role with term dates. They
    are told there is an update; the role starts only when they accept."""
    organization = role.organization
    require(invited_by, organization, Capability.LOOK_AFTER_BOARD)
    # Locking the person's membership row serializes two invitations to the same person,
    # so a double submit cannot slip a second one past the duplicate check below.
    membership = (
        Membership.objects.select_for_update()
        .filter(user=person, organization=organization)
        .first()
    )
    if membership is None or not grants(membership.role, Capability.USE_OWN_SEAT):
        raise ValidationError(
            gettext("Only a survivor leader of this organization can be invited to a role.")
        )
    if errors := role_dates_errors(starts_on=starts_on, ends_on=ends_on):
        raise ValidationError(errors)
    already = RoleAssignment.objects.filter(role=role, user=person, status__in=CURRENT_STATUSES)
    if already.exists():
        raise ValidationError(
            gettext(
                "This person already has this role, or an invitation to it that is "
                "waiting for their answer."
            )
        )
    assignment = RoleAssignment(
        board=ensure_board(organization=organization),
        role=role,
        user=person,
        status=AssignmentStatus.INVITED,
        starts_on=starts_on,
        ends_on=ends_on,
        invited_by=invited_by,
    )
    assignment.full_clean()
    assignment.save()
    _record_change(assignment, invited_by, "invited")
    enqueue_update(
        recipient=person,
        organization=organization,
        kind="role_invitation",
        target=page("my_roles", organization),
    )
    return assignment


def _locked(assignment: RoleAssignment) -> RoleAssignment:
    """The assignment as it is now, locked: two clicks never both change it."""
    return RoleAssignment.objects.select_for_update().select_related("role").get(pk=assignment.pk)


@transaction.atomic
def change_my_role(*, assignment: RoleAssignment, person: User, action: str) -> RoleAssignment:
    """The survivor's own decision about their role. No reason is asked for, ever."""
    if assignment.user_id != person.pk:
        raise PermissionDenied
    transition = SURVIVOR_ACTIONS.get(action)
    if transition is None:
        raise ValidationError(gettext("That is not something you can do with a role."))
    current = _locked(assignment)
    if current.status not in transition.allowed_from:
        raise ValidationError(str(transition.refusal))
    current.status = transition.to
    current.save(update_fields=["status", "updated_at"])
    _record_change(current, person, transition.audit_code)
    return current


@transaction.atomic
def withdraw_role_invitation(*, assignment: RoleAssignment, actor: User) -> RoleAssignment:
    """Staff take back an invitation that has not been answered. Nothing else."""
    require(actor, assignment.role.organization, Capability.LOOK_AFTER_BOARD)
    current = _locked(assignment)
    if current.status != AssignmentStatus.INVITED:
        raise ValidationError(
            gettext(
                "Only an invitation still waiting for an answer can be withdrawn. What "
                "happens to a role after that is the board member's choice."
            )
        )
    current.status = AssignmentStatus.WITHDRAWN
    current.save(update_fields=["status", "updated_at"])
    _record_change(current, actor, "withdrawn")
    return current
