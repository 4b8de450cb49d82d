"""Meetings' updates in plain words, and what meetings keep waiting for a survivor leader:
an invitation to answer, a meeting role offered, input staff wrote down to check."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Organization, User
from accounts.permissions import Capability, grants
from accounts.update_kinds import Waiting, page, register_kinds, register_waiting
from meetings.models import MeetingInvitation, MeetingRole, MeetingStatus, Reply, RoleAnswer
from meetings.selectors.input import waiting_for_me

register_kinds(
    {
        "meeting_invitation": gettext_lazy("You are invited to a meeting."),
        "meeting_changed": gettext_lazy("A meeting you are invited to has changed."),
        "meeting_cancelled": gettext_lazy("A meeting you were invited to is cancelled."),
        "meeting_reminder": gettext_lazy("A meeting you are invited to is coming up soon."),
        "meeting_role_offered": gettext_lazy(
            "You are asked to take a role at a meeting. Say yes or no."
        ),
        "input_to_confirm": gettext_lazy(
            "Staff wrote down something you said. Check that it is right."
        ),
        "input_check_reminder": gettext_lazy(
            "Something staff wrote down from what you said still waits for you. "
            "It is deleted soon if you do not check it."
        ),
    }
)

# Enough to start from; the meetings page lists every one.
MEETINGS_SHOWN = 3


@register_waiting
def meetings_to_answer(user: User, organization: Organization, role: str) -> list[Waiting]:
    """Upcoming meetings the person has not answered, or where a role waits for their yes
    or no: one query, soonest first."""
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    invitations = (
        MeetingInvitation.objects.filter(
            user_id=user.pk,
            meeting__organization=organization,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__gt=timezone.now(),
        )
        .filter(Q(reply=Reply.NO_REPLY) | Q(role_answer=RoleAnswer.OFFERED))
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")[:MEETINGS_SHOWN]
    )
    return [_meeting_waiting(invitation, organization) for invitation in invitations]


def _meeting_waiting(invitation: MeetingInvitation, organization: Organization) -> Waiting:
    title = invitation.meeting.title
    if invitation.role_answer == RoleAnswer.OFFERED:
        role_name = MeetingRole(invitation.meeting_role).label
        text = _("You are asked to take a role at “%(title)s”: %(role)s. Say yes or no.") % {
            "role": role_name,
            "title": title,
        }
    else:
        text = _("Will you come to “%(title)s”? Say yes, no or maybe.") % {"title": title}
    return Waiting(text, page("meeting", organization, pk=invitation.meeting_id))


@register_waiting
def input_to_check(user: User, organization: Organization, role: str) -> list[Waiting]:
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    count = waiting_for_me(user, organization).count()
    if not count:
        return []
    text = ngettext(
        "Staff wrote down something you said. Check that it is right.",
        "Staff wrote down %(count)d things you said. Check that they are right.",
        count,
    ) % {"count": count}
    return [Waiting(text, page("inputs_to_check", organization))]
