"""Writes for input (docs/design.md promise 4: survivors own their input).

A survivor leader invited to a meeting gives input, chooses whether staff may see it is
theirs (only with the `attribute_to_staff` consent), edits it (the earlier wording is kept
for them alone) and withdraws it. Staff may record input on a survivor's behalf: it waits,
seen only by the author and the recorder, until the author confirms it, and is deleted if
nobody confirms it within 30 days. Audit events carry ids and codes, never the words.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_event
from accounts.models import ConsentScope, Role, User
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, allows
from accounts.selectors.consent import has_consent
from accounts.update_kinds import page
from meetings.models import (
    UNCONFIRMED_LIFETIME,
    AgendaItem,
    Input,
    InputRevision,
    InputStatus,
    InputVisibility,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
)

# Its author is reminded this long before unconfirmed input is deleted.
UNCONFIRMED_REMINDER_BEFORE = timedelta(days=7)
ANONYMITY_NOTICE = _("Wording can give people away: avoid details only you would know.")
NEEDS_CONSENT_MESSAGE = _(
    "To let staff see it is yours, first say yes to “Staff can see my name on what I say” "
    "in My choices. Until then your input is anonymous to staff."
)


def is_invited_survivor(user: User, meeting: Meeting) -> bool:
    return (
        allows(user, meeting.organization, Capability.USE_OWN_SEAT)
        and MeetingInvitation.objects.filter(meeting=meeting, user_id=user.pk).exists()
    )


def _require_invited_survivor(user: User, meeting: Meeting) -> None:
    if not is_invited_survivor(user, meeting):
        raise PermissionDenied


def _require_author(input: Input, author: User) -> None:
    if input.author_id != author.pk:
        raise PermissionDenied


def _require_status(input: Input, status: str) -> None:
    if input.status != status:
        raise ValidationError(_("This can no longer be changed."), code="wrong_status")


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(
            _("This meeting was cancelled, so nothing more can be added to it."),
            code="cancelled",
        )


def _check_agenda_item(meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("That topic is not on this meeting's agenda."), code="agenda")


def _locked(input: Input) -> Input:
    return Input.objects.select_for_update().get(pk=input.pk)


def _audit(action: str, actor: User | None, input: Input, organization_id: int) -> None:
    # The audit log is append-only and outlives erasure: naming the author of anonymous
    # input there would undo "anonymous to staff" for good. Their own actions on anonymous
    # input are recorded without an actor (as skipping a hard agenda item is).
    anonymous_author = (
        actor is not None
        and actor.pk == input.author_id
        and input.visibility == InputVisibility.ANONYMOUS
    )
    record_event(
        action=action,
        actor_id=None if actor is None or anonymous_author else actor.pk,
        organization_id=organization_id,
        target_type="input",
        target_id=input.pk,
    )


def possible_authors_count(meeting: Meeting) -> int:
    """How many survivor members could have written an anonymous input to this meeting:
    the survivor leaders invited to it. Shown before anyone posts anonymously."""
    return (
        MeetingInvitation.objects.filter(
            meeting=meeting,
            user__is_active=True,
            user__memberships__organization_id=meeting.organization_id,
            user__memberships__role=Role.SURVIVOR_LEADER,
        )
        .values("user_id")
        .distinct()
        .count()
    )


@transaction.atomic
def give_input(
    *,
    meeting: Meeting,
    author: User,
    body: str,
    visibility: str,
    agenda_item: AgendaItem | None = None,
) -> Input:
    """Before, during or after the meeting: what an invited survivor leader wants to say."""
    _require_invited_survivor(author, meeting)
    _refuse_if_cancelled(meeting)
    _check_agenda_item(meeting, agenda_item)
    if visibility == InputVisibility.ATTRIBUTED and not has_consent(
        author, meeting.organization, ConsentScope.ATTRIBUTE_TO_STAFF
    ):
        raise ValidationError(NEEDS_CONSENT_MESSAGE, code="needs_consent")
    now = timezone.now()
    input = Input(
        meeting=meeting,
        agenda_item=agenda_item,
        author=author,
        body=body.strip(),
        visibility=visibility,
        status=InputStatus.CONFIRMED,
        created_at=now,
        updated_at=now,
        confirmed_at=now,
    )
    input.full_clean()
    input.save()
    _audit("input.given", author, input, meeting.organization_id)
    return input


def _revise(input: Input, body: str, now: datetime) -> None:
    """Keep the current wording as a revision (the author's alone), then take the new one."""
    InputRevision.objects.create(input=input, body=input.body, created_at=now)
    input.body = body
    input.updated_at = now


@transaction.atomic
def edit_input(*, input: Input, author: User, body: str) -> Input:
    _require_author(input, author)
    input = _locked(input)
    _require_status(input, InputStatus.CONFIRMED)
    body = body.strip()
    if body == input.body:
        return input
    _revise(input, body, timezone.now())
    input.full_clean()
    input.save(update_fields=["body", "updated_at"])
    _audit("input.edited", author, input, input.meeting.organization_id)
    return input


@transaction.atomic
def withdraw_input(*, input: Input, author: User) -> Input:
    """Withdrawn input is hidden from everyone but the author and counts nowhere."""
    _require_author(input, author)
    input = _locked(input)
    _require_status(input, InputStatus.CONFIRMED)
    now = timezone.now()
    input.status = InputStatus.WITHDRAWN
    input.withdrawn_at = now
    input.updated_at = now
    input.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _audit("input.withdrawn", author, input, input.meeting.organization_id)
    return input


# --- recorded on a survivor's behalf -----------------------------------------------------


@transaction.atomic
def record_input_on_behalf(
    *,
    meeting: Meeting,
    recorded_by: User,
    author: User,
    body: str,
    agenda_item: AgendaItem | None = None,
) -> Input:
    """Staff write down what a survivor said; it counts nowhere until the survivor says it
    is right. It stays anonymous to staff unless the survivor later chooses otherwise."""
    if not allows(recorded_by, meeting.organization, Capability.LOOK_AFTER_BOARD):
        raise PermissionDenied
    if not is_invited_survivor(author, meeting):
        raise ValidationError(_("Choose someone invited to this meeting."), code="not_invited")
    _refuse_if_cancelled(meeting)
    _check_agenda_item(meeting, agenda_item)
    input = Input(
        meeting=meeting,
        agenda_item=agenda_item,
        author=author,
        body=body.strip(),
        visibility=InputVisibility.ANONYMOUS,
        status=InputStatus.PENDING,
        recorded_by=recorded_by,
    )
    input.full_clean()
    input.save()
    _audit("input.recorded_on_behalf", recorded_by, input, meeting.organization_id)
    enqueue_update(
        recipient=author,
        organization=meeting.organization,
        kind="input_to_confirm",
        target=page("inputs_to_check", meeting.organization),
    )
    return input


@transaction.atomic
def confirm_input(*, input: Input, author: User, body: str | None = None) -> Input:
    """ "Yes, that is what I said" — as written, or with the author's correction (the staff
    wording is then kept as an earlier version, for the author alone)."""
    _require_author(input, author)
    input = _locked(input)
    _require_status(input, InputStatus.PENDING)
    now = timezone.now()
    corrected = body is not None and body.strip() != input.body
    if corrected and body is not None:
        _revise(input, body.strip(), now)
    input.status = InputStatus.CONFIRMED
    input.confirmed_at = now
    input.updated_at = now
    input.full_clean()
    input.save(update_fields=["body", "status", "confirmed_at", "updated_at"])
    action = "input.corrected_and_confirmed" if corrected else "input.confirmed"
    _audit(action, author, input, input.meeting.organization_id)
    return input


@transaction.atomic
def reject_input(*, input: Input, author: User) -> Input:
    """ "No, I didn't say this": it never counts and staff no longer see it."""
    _require_author(input, author)
    input = _locked(input)
    _require_status(input, InputStatus.PENDING)
    input.status = InputStatus.REJECTED
    input.updated_at = timezone.now()
    input.save(update_fields=["status", "updated_at"])
    _audit("input.rejected", author, input, input.meeting.organization_id)
    return input


@transaction.atomic
def remind_about_unconfirmed_input(*, now: datetime | None = None) -> int:
    """A week before input recorded on someone's behalf would be deleted unconfirmed, its
    author is told there is an update (once per input); returns how many were reminded."""
    due = (now or timezone.now()) - (UNCONFIRMED_LIFETIME - UNCONFIRMED_REMINDER_BEFORE)
    reminded = 0
    while True:
        with transaction.atomic():
            waiting = (
                Input.objects.select_for_update(skip_locked=True)
                .filter(status=InputStatus.PENDING, reminded_at__isnull=True, created_at__lt=due)
                .select_related("author", "meeting__organization")
                .first()
            )
            if waiting is None:
                return reminded
            waiting.reminded_at = now or timezone.now()
            waiting.save(update_fields=["reminded_at"])
            enqueue_update(
                recipient=waiting.author,
                organization=waiting.meeting.organization,
                kind="input_check_reminder",
                target=page("inputs_to_check", waiting.meeting.organization),
            )
            reminded += 1


def purge_unconfirmed_input(*, now: datetime | None = None) -> int:
    """Delete input recorded on someone's behalf that waited more than 30 days unconfirmed;
    returns how many went."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_LIFETIME
    _total, by_model = Input.objects.filter(
        status=InputStatus.PENDING, created_at__lt=cutoff
    ).delete()
    deleted = by_model.get(Input._meta.label, 0)
    if deleted:
        record_event(action="input.unconfirmed_purged", target_type="input")
    return deleted
