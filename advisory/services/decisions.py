"""Logging decisions, changing their status, and correcting what they say.

Every status a decision gets, the first one too, adds a row to its timeline
(`DecisionStatusChange`, append-only). "Not adopted" and "partly adopted" need a reason the
board can read. Everything is checked before anything is written, so a refusal leaves the
database as it was. After a status change, the authors of the input linked to the decision
are told, through the outbox, that there is an update.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import Organization, User
from accounts.permissions import Capability, require
from advisory.models import (
    STATUSES_NEEDING_A_REASON,
    Decision,
    DecisionArea,
    DecisionStatus,
    DecisionStatusChange,
)
from advisory.notify import tell_authors_of
from meetings.models import Meeting

# The rules' words, written once: the forms show these same messages.
MEETING_NOT_OURS = gettext_lazy("Choose one of your organization's meetings, or none.")


def _reason_error(status: str, reason: str) -> dict[str, str]:
    if status in STATUSES_NEEDING_A_REASON and not reason:
        return {
            "reason": _("Say why it was not adopted, or which part was not. The board reads this.")
        }
    return {}


def _status_error(status: str) -> dict[str, str]:
    if status not in DecisionStatus.values:
        return {"status": _("Choose one of the statuses in the list.")}
    return {}


def _details_errors(
    organization: Organization, *, title: str, area: str, meeting: Meeting | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the decision a short title.")
    if area not in DecisionArea.values:
        errors["area"] = _("Choose one of the areas in the list.")
    if meeting is not None and meeting.organization_id != organization.pk:
        errors["meeting"] = str(MEETING_NOT_OURS)
    return errors


def _append_change(decision: Decision, by: User) -> DecisionStatusChange:
    return DecisionStatusChange.objects.create(
        decision=decision, status=decision.status, reason=decision.reason, actor_id=by.pk
    )


def _audit(action: str, decision: Decision, by: User) -> None:
    record_event(
        action=action,
        actor_id=by.pk,
        organization_id=decision.organization_id,
        target_type="decision",
        target_id=decision.pk,
    )


# A decision dated further away than this is almost surely a typing mistake.
DATES_BACK = datetime.timedelta(days=5 * 366)
DATES_AHEAD = datetime.timedelta(days=366)
SAME_FORM_WINDOW = datetime.timedelta(minutes=10)


def _date_error(decided_on: datetime.date) -> dict[str, str]:
    today = timezone.localdate()
    if not today - DATES_BACK <= decided_on <= today + DATES_AHEAD:
        return {"decided_on": _("Give a date within the last five years or the next year.")}
    return {}


@transaction.atomic
def log_decision(
    *,
    organization: Organization,
    by: User,
    title: str,
    description: str,
    area: str,
    status: str,
    reason: str,
    decided_on: datetime.date,
    meeting: Meeting | None = None,
) -> Decision:
    """A new decision with its first status on the timeline."""
    require(by, organization, Capability.LOOK_AFTER_BOARD)
    title, description, reason = title.strip(), description.strip(), reason.strip()
    errors = _details_errors(organization, title=title, area=area, meeting=meeting)
    errors |= _status_error(status) or _reason_error(status, reason)
    errors |= _date_error(decided_on)
    if errors:
        raise ValidationError(errors)
    # Locking the organization serializes two submits of the same form; the second finds
    # the first and is refused instead of logging the decision twice.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if Decision.objects.filter(
        organization=organization,
        title=title,
        area=area,
        decided_on=decided_on,
        created_at__gte=timezone.now() - SAME_FORM_WINDOW,
    ).exists():
        raise ValidationError(_("This decision was just logged. It is in the list already."))
    decision = Decision(
        organization=organization,
        title=title,
        description=description,
        area=area,
        status=status,
        reason=reason,
        decided_on=decided_on,
        meeting=meeting,
        created_by=by,
    )
    decision.full_clean()
    decision.save()
    _append_change(decision, by)
    _audit("decision.logged", decision, by)
    return decision


@transaction.atomic
def change_decision_status(*, decision: Decision, by: User, status: str, reason: str) -> Decision:
    """Move the decision to a new status, kept on its timeline; the same status again is
    refused. Authors of linked input hear there is an update."""
    # The lock serializes two people changing the same decision, and re-reads its status
    # so a change made a moment ago is seen.
    locked = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=decision.pk)
    )
    require(by, locked.organization, Capability.LOOK_AFTER_BOARD)
    reason = reason.strip()
    errors = _status_error(status) or _reason_error(status, reason)
    if errors:
        raise ValidationError(errors)
    if locked.status == status:
        raise ValidationError(
            _("It is already “%(status)s”. Choose a different status to change it.")
            % {"status": locked.get_status_display()}
        )
    locked.status = status
    locked.reason = reason
    locked.full_clean()
    locked.save(update_fields=["status", "reason", "updated_at"])
    _append_change(locked, by)
    _audit("decision.status_changed", locked, by)
    tell_authors_of(locked)
    return locked


@transaction.atomic
def edit_decision(
    *,
    decision: Decision,
    by: User,
    title: str,
    description: str,
    area: str,
    decided_on: datetime.date,
    meeting: Meeting | None = None,
) -> Decision:
    """Correct what the decision says; its status changes only through
    `change_decision_status`, so the timeline stays whole."""
    locked = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=decision.pk)
    )
    require(by, locked.organization, Capability.LOOK_AFTER_BOARD)
    title, description = title.strip(), description.strip()
    errors = _details_errors(locked.organization, title=title, area=area, meeting=meeting)
    errors |= _date_error(decided_on)
    if errors:
        raise ValidationError(errors)
    locked.title = title
    locked.description = description
    locked.area = area
    locked.decided_on = decided_on
    locked.meeting = meeting
    locked.full_clean()
    locked.save(
        update_fields=["title", "description", "area", "decided_on", "meeting", "updated_at"]
    )
    _audit("decision.edited", locked, by)
    return locked
