"""What "Download my data" and "Delete my account" do with meetings' records."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.data_rights import (
    JSON,
    ErasureOptions,
    delete_rows,
    forget,
    keep,
    register,
    rows,
)
from accounts.models import User
from meetings.models import (
    AgendaItem,
    AgendaSkip,
    Attendance,
    Input,
    InputRevision,
    InputVisibility,
    Meeting,
    MeetingInvitation,
    Minutes,
    MinutesComment,
)


def _export_inputs(user: User) -> JSON:
    return rows(
        Input.objects.filter(author=user).order_by("created_at"),
        "meeting__title",
        "body",
        "visibility",
        "status",
        "created_at",
        "updated_at",
    )


def _erase_inputs(user: User, options: ErasureOptions) -> None:
    mine = Input.objects.filter(author=user)
    if options.keep_input_anonymous:
        # Kept without a name: the author becomes the tombstone and nobody is shown as
        # having written it; earlier wordings go, as they were the author's alone.
        InputRevision.objects.filter(input__author=user).delete()
        mine.update(visibility=InputVisibility.ANONYMOUS)
    else:
        mine.delete()
    Input.objects.filter(recorded_by=user).update(recorded_by=None)


def _register() -> None:
    register(
        Meeting,
        export=None,
        erase=forget(Meeting, "created_by"),
        reason="Meetings stay; the person is no longer named as who scheduled one.",
    )
    register(
        MeetingInvitation,
        export=lambda user: rows(
            MeetingInvitation.objects.filter(user=user),
            "meeting__title",
            "meeting__starts_at",
            "reply",
            "meeting_role",
        ),
        erase=delete_rows(MeetingInvitation),
        reason="Deleted: who was invited and how they answered.",
        title=_("Meeting invitations"),
    )
    register(
        AgendaItem,
        export=lambda user: rows(
            AgendaItem.objects.filter(proposed_by=user),
            "meeting__title",
            "title",
            "description",
            "status",
        ),
        erase=forget(AgendaItem, "proposed_by"),
        reason="Agenda items stay in the meeting's record without the proposer's name.",
        title=_("Agenda items you proposed"),
    )
    register(
        AgendaSkip,
        export=lambda user: rows(AgendaSkip.objects.filter(user=user), "item__title", "created_at"),
        erase=delete_rows(AgendaSkip),
        reason="Deleted: which items the person chose to skip.",
        title=_("Agenda items you skipped"),
    )
    register(
        Attendance,
        export=lambda user: rows(
            Attendance.objects.filter(user=user),
            "meeting__title",
            "meeting__starts_at",
            "attended",
            "hours",
            "meeting_role",
        ),
        erase=_forget_recorder,
        reason="Kept (PROTECT) for the stipend ledger: hours and codes pointing at the "
        "tombstone; attendance the person recorded loses their name.",
        title=_("Your attendance"),
    )
    register(
        Input,
        export=_export_inputs,
        erase=_erase_inputs,
        reason="Deleted, or kept anonymous if the person chose that; input recorded by "
        "them for others loses their name.",
        title=_("What you said"),
    )
    register(
        InputRevision,
        export=lambda user: rows(
            InputRevision.objects.filter(input__author=user),
            "input__public_id",
            "body",
            "created_at",
        ),
        erase=keep,  # deleted with the input above, or there when kept anonymous
        reason="Earlier wordings, the author's alone; they go with the input.",
        title=_("Earlier wordings of what you said"),
        via="input",
    )
    register(
        Minutes,
        export=None,
        erase=forget(Minutes, "drafted_by", "approved_by"),
        reason="Minutes stay; the person is no longer named as who drafted or approved.",
    )
    register(
        MinutesComment,
        export=lambda user: rows(
            MinutesComment.objects.filter(author=user),
            "minutes__meeting__title",
            "body",
            "created_at",
        ),
        erase=delete_rows(MinutesComment, "author"),
        reason="Deleted: comments the person wrote on draft minutes.",
        title=_("Your comments on minutes"),
    )


def _forget_recorder(user: User, options: ErasureOptions) -> None:
    Attendance.objects.filter(recorded_by=user).update(recorded_by=None)


_register()
