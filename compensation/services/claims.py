"""Other paid work: a survivor leader claims it, staff approve it or decline it with a reason.

Staff decide, finance pay: an approval writes the earned entry (through the accrual
service, in the same transaction), and finance approve that for payment like any other pay.
Every refusal is raised before anything is written. A claim is locked while it is decided,
so two people deciding at once decide it once; the ledger's unique constraint is the last
guard against paying a claim twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import Organization, User
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, allows
from accounts.selectors.profile import viewer_time_zone
from accounts.update_kinds import page
from compensation.models import ClaimStatus, LedgerEntry, UnpricedWork, WorkClaim, WorkKind
from compensation.pay_rules import MIN_CLAIM_HOURS, hours_error
from compensation.services.accrual import earn_for_claim
from meetings.models import Meeting, MeetingInvitation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


TEXT_MAX = 2000
CLAIM_ANSWERED = "claim_answered"

# Work older than this is not claimed here: ask finance, who can look into it.
CLAIM_WINDOW = timedelta(days=366)


# The rules' words, written once: the forms show these same messages.
REASON_MISSING = gettext_lazy("Say why it is not approved. The person and the co-chairs read it.")


def answer_errors(*, approve: bool, reason: str) -> dict[str, StrOrPromise]:
    """A claim not approved needs a reason: the form shows this, answering checks again."""
    if not approve and not reason.strip():
        return {"reason": REASON_MISSING}
    return {}


def text_error(text: str) -> str | None:
    if len(text) > TEXT_MAX:
        return _("Please keep it to %(count)s characters or fewer.") % {"count": TEXT_MAX}
    return None


def _claim_errors(
    *,
    person: User,
    organization: Organization,
    kind: str,
    work_date: date,
    hours: Decimal,
    note: str,
    meeting: Meeting | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in WorkKind.values:
        errors["kind"] = [_("Choose what kind of work it was.")]
    today = timezone.now().astimezone(viewer_time_zone(person, organization)).date()
    if work_date > today:
        errors["work_date"] = [_("The date cannot be in the future.")]
    elif work_date < today - CLAIM_WINDOW:
        errors["work_date"] = [_("Claims are for work done in the last 12 months.")]
    hours_problem = hours_error(hours, at_least=MIN_CLAIM_HOURS)
    if hours_problem:
        errors["hours"] = [hours_problem]
    note_problem = text_error(note)
    if note_problem:
        errors["note"] = [note_problem]
    if meeting is not None and not (
        meeting.organization_id == organization.pk
        and MeetingInvitation.objects.filter(meeting_id=meeting.pk, user_id=person.pk).exists()
    ):
        errors["meeting"] = [_("Choose a meeting you were invited to, or no meeting.")]
    return errors


@transaction.atomic
def make_claim(
    *,
    person: User,
    organization: Organization,
    kind: str,
    work_date: date,
    hours: Decimal,
    note: str = "",
    meeting: Meeting | None = None,
) -> WorkClaim:
    """A survivor leader claims paid work outside meetings. Bad input writes nothing."""
    if not allows(person, organization, Capability.USE_OWN_SEAT):
        raise PermissionDenied
    note = note.strip()
    errors = _claim_errors(
        person=person,
        organization=organization,
        kind=kind,
        work_date=work_date,
        hours=hours,
        note=note,
        meeting=meeting,
    )
    if errors:
        raise ValidationError(errors)
    claim = WorkClaim(
        organization=organization,
        user=person,
        kind=kind,
        work_date=work_date,
        hours=hours,
        note=note,
        meeting=meeting,
    )
    claim.full_clean()
    claim.save()
    _audit("work_claim.made", person, claim)
    return claim


def _locked(claim: WorkClaim) -> WorkClaim | None:
    return (
        WorkClaim.objects.select_for_update(of=("self",))
        .select_related("organization", "user")
        .filter(pk=claim.pk)
        .first()
    )


def _audit(action: str, actor: User, claim: WorkClaim) -> None:
    record_event(
        action=action,
        actor_id=actor.pk,
        organization_id=claim.organization_id,
        target_type="work_claim",
        target_id=claim.pk,
    )


@transaction.atomic
def withdraw_claim(*, claim: WorkClaim, person: User) -> None:
    """The survivor takes back a claim still waiting. It has no ledger entry yet, so it is
    simply removed; an answered claim stays."""
    locked = _locked(claim)
    if locked is None or locked.user_id != person.pk:
        raise PermissionDenied
    if locked.status != ClaimStatus.WAITING:
        raise ValidationError(
            _("This claim has already been answered, so it cannot be taken back.")
        )
    _audit("work_claim.withdrawn", person, locked)
    locked.delete()


@dataclass(frozen=True)
class ClaimDecisionResult:
    claim: WorkClaim
    entry: LedgerEntry | None
    # Approved, but no rate covers the day: finance have been asked to set one.
    waiting_for_rate: bool


@transaction.atomic
def decide_claim(
    *, claim: WorkClaim, by: User, approve: bool, reason: str = ""
) -> ClaimDecisionResult:
    """Program staff (or an admin) approve a claim, or decline it with a reason. Deciding a
    claim that was already decided is refused, and nothing is written."""
    locked = _locked(claim)
    if locked is None or not allows(by, locked.organization, Capability.LOOK_AFTER_BOARD):
        raise PermissionDenied
    if locked.status != ClaimStatus.WAITING:
        raise ValidationError(_("This claim was already answered. Nothing was changed."))
    reason = reason.strip()
    if errors := answer_errors(approve=approve, reason=reason):
        raise ValidationError(errors)
    reason_problem = text_error(reason)
    if reason_problem:
        raise ValidationError({"reason": [reason_problem]})
    locked.status = ClaimStatus.APPROVED if approve else ClaimStatus.DECLINED
    locked.reason = reason
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save()
    entry = earn_for_claim(locked, actor_id=by.pk) if approve else None
    waiting = approve and entry is None and UnpricedWork.objects.filter(claim=locked).exists()
    _audit("work_claim.approved" if approve else "work_claim.declined", by, locked)
    enqueue_update(
        recipient=locked.user,
        organization=locked.organization,
        kind=CLAIM_ANSWERED,
        target=page("my_claims", locked.organization),
    )
    return ClaimDecisionResult(claim=locked, entry=entry, waiting_for_rate=waiting)
