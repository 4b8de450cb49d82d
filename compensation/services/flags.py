"""Flagged hours: a survivor leader says the hours recorded for them are wrong; finance
must answer — either the pay is corrected (one adjustment for the difference, through the
accrual service) or it stays as recorded, with words either way.

The attendance record itself is staff's to fix and is never changed here. One open flag per
attendance (a partial unique constraint backs the check). Every refusal is raised before
anything is written; a flag is locked while it is answered, so it is answered once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import Organization, User
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, allows
from accounts.update_kinds import page
from compensation.models import FlagOutcome, FlagStatus, HoursFlag, LedgerEntry
from compensation.pay_rules import hours_error
from compensation.selectors.claims import has_open_flag, was_corrected
from compensation.selectors.rates import rate_for
from compensation.services.accrual import correct_for_flag, meeting_date
from compensation.services.claims import text_error
from meetings.models import Attendance

FLAG_ANSWERED = "hours_flag_answered"


# The rules' words, written once: the forms show these same messages.
ANSWER_MISSING = gettext_lazy("Write an answer. The person reads it.")


def open_flag_message() -> str:
    return _("You already flagged these hours. Finance will answer that first.")


def why_hours_cannot_be_flagged(attendance: Attendance) -> str | None:
    """Why this attendance takes no new flag, in words for the page; None if it does."""
    if not attendance.attended:
        return _(
            "You were recorded as not coming to this meeting. Staff or a co-chair can fix "
            "that on the attendance sheet, and your pay follows once they do."
        )
    if has_open_flag(attendance):
        return open_flag_message()
    if was_corrected(attendance):
        return _(
            "Finance already corrected your pay for these hours. If it still looks wrong, "
            "tell finance or a co-chair."
        )
    return None


def _audit(action: str, actor: User, flag: HoursFlag) -> None:
    record_event(
        action=action,
        actor_id=actor.pk,
        organization_id=flag.organization_id,
        target_type="hours_flag",
        target_id=flag.pk,
    )


@transaction.atomic
def flag_hours(
    *,
    person: User,
    organization: Organization,
    attendance: Attendance,
    hours_expected: Decimal,
    note: str = "",
) -> HoursFlag:
    """The survivor flags their own recorded hours as wrong. Bad input writes nothing."""
    locked = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .filter(pk=attendance.pk, user_id=person.pk, meeting__organization=organization)
        .first()
    )
    if locked is None or not allows(person, organization, Capability.USE_OWN_SEAT):
        raise PermissionDenied
    refusal = why_hours_cannot_be_flagged(locked)
    if refusal:
        raise ValidationError(refusal)
    note = note.strip()
    errors: dict[str, list[str]] = {}
    problem = hours_error(hours_expected)
    if problem:
        errors["hours_expected"] = [problem]
    elif hours_expected == locked.hours:
        errors["hours_expected"] = [
            _("That is the number of hours already recorded. Put in the hours you think are right.")
        ]
    note_problem = text_error(note)
    if note_problem:
        errors["note"] = [note_problem]
    if errors:
        raise ValidationError(errors)
    flag = HoursFlag(
        organization=organization,
        user=person,
        attendance=locked,
        attendance_version=locked.version,
        hours_expected=hours_expected,
        note=note,
    )
    flag.full_clean(validate_constraints=False)  # the database checks the one-open rule
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as exc:
        raise ValidationError(open_flag_message()) from exc
    _audit("hours_flag.made", person, flag)
    return flag


@dataclass(frozen=True)
class FlagAnswerResult:
    flag: HoursFlag
    # The adjustment for the difference; None when the answer changes no pay.
    entry: LedgerEntry | None


def _answer_errors(
    *, flag: HoursFlag, attendance: Attendance, outcome: str, hours: Decimal | None, answer: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if outcome not in FlagOutcome.values:
        errors["outcome"] = [_("Choose an answer: corrected, or stays as recorded.")]
    if not answer:
        errors["answer"] = [str(ANSWER_MISSING)]
    elif text_error(answer):
        errors["answer"] = [str(text_error(answer))]
    if outcome != FlagOutcome.CORRECTED:
        return errors
    problem = hours_error(hours)
    if problem:
        errors["hours"] = [problem]
    elif hours == attendance.hours:
        errors["hours"] = [
            _("That is the number of hours already recorded. Choose “stays as recorded” instead.")
        ]
    organization = flag.organization
    on = meeting_date(attendance.meeting, organization)
    if rate_for(organization.pk, on, attendance.meeting_role) is None:
        errors["hours"] = [
            *errors.get("hours", []),
            _("No rate covers the day of this meeting. Set a rate for that day first."),
        ]
    return errors


@transaction.atomic
def answer_flag(
    *, flag: HoursFlag, by: User, outcome: str, answer: str, hours: Decimal | None = None
) -> FlagAnswerResult:
    """Finance answer a flag: corrected (with the hours to pay) or stays as recorded. The
    answer is required either way. Answering twice is refused, and nothing is written."""
    locked = (
        HoursFlag.objects.select_for_update(of=("self",))
        .select_related("organization", "user")
        .filter(pk=flag.pk)
        .first()
    )
    if locked is None or not allows(by, locked.organization, Capability.HANDLE_PAY):
        raise PermissionDenied
    if locked.status != FlagStatus.OPEN:
        raise ValidationError(_("This flag was already answered. Nothing was changed."))
    # Locked too, so attendance corrected at this moment is seen as it now is.
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=locked.attendance_id)
    )
    answer = answer.strip()
    errors = _answer_errors(
        flag=locked, attendance=attendance, outcome=outcome, hours=hours, answer=answer
    )
    if errors:
        raise ValidationError(errors)
    locked.attendance = attendance
    locked.status = FlagStatus.ANSWERED
    locked.outcome = outcome
    locked.answer = answer
    locked.answered_by = by
    locked.answered_at = timezone.now()
    locked.full_clean(validate_constraints=False)
    locked.save()
    entry = None
    if outcome == FlagOutcome.CORRECTED and hours is not None:
        entry = correct_for_flag(locked, hours=hours, actor_id=by.pk)
    _audit(f"hours_flag.{outcome}", by, locked)
    enqueue_update(
        recipient=locked.user,
        organization=locked.organization,
        kind=FLAG_ANSWERED,
        target=page("my_claims", locked.organization) + "#flags-heading",
    )
    return FlagAnswerResult(flag=locked, entry=entry)
