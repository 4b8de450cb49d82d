"""Reads for input: `inputs_visible_to` is the one scoping point (promises 4 and 5).

- Authors see all of their own input, whatever its status (waiting for them, withdrawn…).
- Staff see confirmed input, and the input they themselves recorded that waits for the
  author. They see who wrote it only while the author chose "staff can see it is mine"
  and the `attribute_to_staff` consent still holds; otherwise "A board member".
- Other survivor leaders invited to the meeting see confirmed input and never its author.
- Nobody else sees any of it: the meeting itself is a 404 for them.

Across meetings (`confirmed_input_for_staff`), staff see confirmed input only — not even
what they wrote down themselves that still waits — named by the same rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import ConsentScope, Organization, Role, SurvivorProfile, User
from accounts.permissions import Capability, allows, standing_in
from accounts.selectors import get_organization_for_user
from accounts.selectors.consent import consenting_ids
from accounts.selectors.profile import by_chosen_name_here, chosen_name_here, with_profile_here
from accounts.selectors.roles import name_or_stand_in
from meetings.models import (
    AgendaItem,
    AgendaStatus,
    Input,
    InputRevision,
    InputStatus,
    InputVisibility,
    Meeting,
    MeetingInvitation,
)

INPUTS_PER_PAGE = 50
OVERVIEW_PER_PAGE = 25


@dataclass(frozen=True)
class InputRow:
    """One input as this viewer may see it. `author_name` is empty when the viewer may not
    know who wrote it."""

    input: Input
    is_mine: bool
    author_name: str
    author_shown: bool
    waiting_for_author: bool
    # Staff who recorded it on someone's behalf see for whom: they wrote it down with them.
    recorded_by_me: bool = False

    @property
    def label(self) -> str:
        if self.is_mine:
            return _("You")
        return self.author_name or _("A board member")


def get_meeting_for_input(user: User, slug: str, pk: int) -> Meeting:
    """The meeting, for its invited survivor leaders and the organization's staff."""
    organization = get_organization_for_user(user, slug)
    standing = standing_in(user, organization)
    meetings = Meeting.objects.filter(organization=organization).select_related("organization")
    if not standing.may(Capability.TAKE_PART_IN_MEETINGS):
        raise Http404
    if not standing.may(Capability.SEE_EVERY_MEETING):
        meetings = meetings.filter(invitations__user_id=user.pk)
    meeting = meetings.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def get_meeting_for_staff(user: User, slug: str, pk: int) -> Meeting:
    meeting = get_meeting_for_input(user, slug, pk)
    if not allows(user, meeting.organization, Capability.LOOK_AFTER_BOARD):
        raise Http404
    return meeting


def inputs_visible_to(user: User, meeting: Meeting) -> QuerySet[Input]:
    """Every input to this meeting this person may see (see the module docstring)."""
    inputs = Input.objects.filter(meeting=meeting).select_related("agenda_item")
    standing = standing_in(user, meeting.organization)
    if standing.may(Capability.SEE_EVERY_MEETING):
        return inputs.filter(
            Q(status=InputStatus.CONFIRMED) | Q(status=InputStatus.PENDING, recorded_by_id=user.pk)
        ).select_related("author")
    invited = MeetingInvitation.objects.filter(meeting=meeting, user_id=user.pk).exists()
    if standing.may(Capability.USE_OWN_SEAT) and invited:
        return inputs.filter(Q(author_id=user.pk) | Q(status=InputStatus.CONFIRMED))
    return inputs.none()


def counted_inputs(
    *, organization: Organization, meeting: Meeting | None = None
) -> QuerySet[Input]:
    """What counts anywhere (reports, numbers): confirmed input, never withdrawn, never
    waiting for its author."""
    inputs = Input.objects.filter(meeting__organization=organization, status=InputStatus.CONFIRMED)
    return inputs.filter(meeting=meeting) if meeting is not None else inputs


def _attributable_authors(organization: Organization, author_ids: set[int]) -> dict[int, str]:
    """Of these authors, who currently says yes to staff seeing their name, with the name
    they gave this organization: one query, and no name read for anyone else."""
    if not author_ids:
        return {}
    rows = (
        User.objects.filter(
            pk__in=consenting_ids(organization, ConsentScope.ATTRIBUTE_TO_STAFF, among=author_ids)
        )
        .annotate(name=chosen_name_here(organization, person="pk"))
        .values_list("pk", "name")
    )
    return {user_id: name_or_stand_in(name) for user_id, name in rows}


def _recorded_by(user: User, input: Input) -> bool:
    return input.status == InputStatus.PENDING and input.recorded_by_id == user.pk


def _names_given_here(organization: Organization, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = SurvivorProfile.objects.filter(organization=organization, user_id__in=user_ids)
    found = dict(rows.values_list("user_id", "chosen_name"))
    return {user_id: name_or_stand_in(found.get(user_id)) for user_id in user_ids}


def input_rows(user: User, meeting: Meeting, inputs: Sequence[Input]) -> list[InputRow]:
    """Label a page of `inputs_visible_to` for this viewer. Staff see a name only where the
    author allows it now; survivor leaders never see another person's authorship."""
    return _label_rows(user, meeting.organization, inputs)


def _label_rows(user: User, organization: Organization, inputs: Sequence[Input]) -> list[InputRow]:
    staff = allows(user, organization, Capability.LOOK_AFTER_BOARD)
    names: dict[int, str] = {}
    if staff:
        attributed = {i.author_id for i in inputs if i.visibility == InputVisibility.ATTRIBUTED}
        names = _attributable_authors(organization, attributed)
        # The staff member who wrote input down for someone knows for whom: they did it
        # with that person. Read only for those rows, and only if there are any.
        recorded = {i.author_id for i in inputs if _recorded_by(user, i)} - names.keys()
        names |= _names_given_here(organization, recorded)
    rows = []
    for input in inputs:
        waiting = input.status == InputStatus.PENDING
        recorded_by_me = staff and _recorded_by(user, input)
        shown = recorded_by_me or (
            staff and input.visibility == InputVisibility.ATTRIBUTED and input.author_id in names
        )
        rows.append(
            InputRow(
                input=input,
                is_mine=input.author_id == user.pk,
                author_name=names[input.author_id] if shown else "",
                author_shown=shown,
                waiting_for_author=waiting,
                recorded_by_me=recorded_by_me,
            )
        )
    return rows


def authors_shown(rows: Sequence[InputRow]) -> list[User]:
    """Each person whose name a staff member is shown, once (for access records)."""
    seen: dict[int, User] = {}
    for row in rows:
        if row.author_shown:
            seen.setdefault(row.input.author_id, row.input.author)
    return list(seen.values())


# --- staff: input across the organization's meetings -----------------------------------


def confirmed_input_for_staff(
    organization: Organization, *, meeting_id: int | None = None, topic: str | None = None
) -> QuerySet[Input]:
    """What staff read across meetings: `counted_inputs` (confirmed only: never waiting for
    its author, rejected or withdrawn), newest meeting first, then in agenda order. Names
    come from `overview_rows`, which applies the same consent rule as the meeting's page."""
    inputs = counted_inputs(organization=organization)
    if meeting_id is not None:
        inputs = inputs.filter(meeting_id=meeting_id)
    if topic is not None:
        inputs = inputs.filter(agenda_item__title=topic)
    return inputs.select_related("meeting", "agenda_item", "author").order_by(
        "-meeting__starts_at",
        "-meeting_id",
        F("agenda_item__position").asc(nulls_last=True),
        "agenda_item_id",
        "created_at",
        "id",
    )


def overview_rows(
    user: User, organization: Organization, inputs: Sequence[Input]
) -> list[InputRow]:
    """Label a page of `confirmed_input_for_staff` exactly as the meeting's page does."""
    return _label_rows(user, organization, inputs)


@dataclass(frozen=True)
class MeetingInput:
    meeting: Meeting
    rows: list[InputRow]


def group_by_meeting(rows: Sequence[InputRow]) -> list[MeetingInput]:
    """Consecutive rows of one meeting together, in the order given."""
    groups: list[MeetingInput] = []
    for row in rows:
        if not groups or groups[-1].meeting.pk != row.input.meeting_id:
            groups.append(MeetingInput(meeting=row.input.meeting, rows=[]))
        groups[-1].rows.append(row)
    return groups


def meetings_for_filter(organization: Organization) -> list[tuple[int, str, datetime]]:
    """(pk, title, starts at) of every meeting of the organization, newest first."""
    return list(
        Meeting.objects.filter(organization=organization)
        .order_by("-starts_at", "-pk")
        .values_list("pk", "title", "starts_at")
    )


def topics_for_filter(organization: Organization) -> list[str]:
    """The titles of agenda items that have confirmed input, each once, A to Z."""
    return list(
        AgendaItem.objects.filter(
            meeting__organization=organization, inputs__status=InputStatus.CONFIRMED
        )
        .order_by("title")
        .values_list("title", flat=True)
        .distinct()
    )


def agenda_items_for_input(meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting, status=AgendaStatus.ACCEPTED)


def invited_survivors(meeting: Meeting) -> QuerySet[User]:
    """Whom staff may record input for: the survivor leaders invited to the meeting."""
    people = User.objects.filter(
        meeting_invitations__meeting=meeting,
        memberships__organization_id=meeting.organization_id,
        memberships__role=Role.SURVIVOR_LEADER,
        is_active=True,
    )
    return with_profile_here(people, meeting.organization_id).order_by(by_chosen_name_here(), "pk")


# --- the author's own input --------------------------------------------------------------


def get_my_input(user: User, slug: str, public_id: UUID, *, status: str | None = None) -> Input:
    """The signed-in person's own input in this organization; anyone else's is a 404
    (so is one not in `status`, when given)."""
    organization = get_organization_for_user(user, slug)
    inputs = Input.objects.filter(
        public_id=public_id, author_id=user.pk, meeting__organization=organization
    ).select_related("meeting__organization", "agenda_item")
    if status is not None:
        inputs = inputs.filter(status=status)
    input = inputs.first()
    if input is None:
        raise Http404
    return input


def revisions_visible_to(user: User, input: Input) -> QuerySet[InputRevision]:
    """Earlier wordings: the author's alone."""
    if input.author_id != user.pk:
        raise Http404
    return InputRevision.objects.filter(input=input)


def waiting_for_me(user: User, organization: Organization) -> QuerySet[Input]:
    """Input recorded on this person's behalf that waits for them to check it."""
    return Input.objects.filter(
        author_id=user.pk, meeting__organization=organization, status=InputStatus.PENDING
    ).select_related("meeting")
