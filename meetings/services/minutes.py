"""Writes for minutes: drafted by staff or the note-taker, commented on by the board,
approved by a survivor co-chair, read-only once approved."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import User
from accounts.permissions import Capability, allows
from meetings.models import Meeting, Minutes, MinutesComment, MinutesStatus
from meetings.selectors.minutes import may_draft, may_read

# The rules' words, written once: the forms show these same messages.
MINUTES_APPROVED = gettext_lazy("These minutes are approved. They can no longer be changed.")
NO_MINUTES_YET = gettext_lazy("There are no minutes to approve yet.")


def _refuse_if_approved(minutes: Minutes) -> None:
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(MINUTES_APPROVED)


def _locked(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.select_for_update().filter(meeting=meeting).first()


@transaction.atomic
def draft_minutes(*, meeting: Meeting, by: User, body: str) -> Minutes:
    if not may_draft(by, meeting):
        raise PermissionDenied(_("Only staff or the note-taker can write the minutes."))
    minutes = _locked(meeting)
    created = minutes is None
    if minutes is None:
        minutes = Minutes(meeting=meeting)
    _refuse_if_approved(minutes)
    minutes.body = body
    minutes.drafted_by = by
    minutes.full_clean()
    minutes.save()
    record_event(
        action="minutes.drafted" if created else "minutes.updated",
        actor_id=by.pk,
        organization_id=meeting.organization_id,
        target_type="minutes",
        target_id=minutes.pk,
    )
    return minutes


@transaction.atomic
def comment_on_minutes(*, minutes: Minutes, author: User, body: str) -> MinutesComment:
    if not may_read(author, minutes.meeting):
        raise PermissionDenied(_("Only people invited to this meeting can comment."))
    locked = _locked(minutes.meeting)
    _refuse_if_approved(locked or minutes)
    comment = MinutesComment(minutes=minutes, author=author, body=body)
    comment.full_clean()
    comment.save()
    record_event(
        action="minutes.commented",
        actor_id=author.pk,
        organization_id=minutes.meeting.organization_id,
        target_type="minutes_comment",
        target_id=comment.pk,
    )
    return comment


@transaction.atomic
def approve_minutes(*, minutes: Minutes, by: User) -> Minutes:
    organization = minutes.meeting.organization
    if not allows(by, organization, Capability.CHAIR_BOARD) or not may_read(by, minutes.meeting):
        raise PermissionDenied(_("Only a survivor co-chair can approve the minutes."))
    locked = _locked(minutes.meeting)
    if locked is None:
        raise ValidationError(NO_MINUTES_YET)
    _refuse_if_approved(locked)
    locked.status = MinutesStatus.APPROVED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.full_clean()
    locked.save()
    record_event(
        action="minutes.approved",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="minutes",
        target_id=locked.pk,
    )
    return locked
