"""Writes for the board's side of reports: sign-off, the board's statement, the
board's report settings and quote requests for one's own input.

- Survivor leaders with an active role on the board approve or object to a draft; an
  objection may say "this could identify someone" (that blocks publication) and may carry a
  note staff read without a name. A person may change their answer while it is a draft.
- The same people write the board's statement; staff have no way to change it. Changing
  it asks everyone to approve again.
- Co-chairs choose the smallest group a figure may describe (never below the floor) and the
  sign-off rule.
- The author of an input approves the exact words of a quote, declines, or takes an
  approval back; a quote already published leaves the report in a new version.

Audit events hold ids and codes only. Sign-offs and quote answers are recorded without an
actor: with the counts staff see, a named event would tell them who voted how, or who wrote
an anonymous input.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import ConsentScope, Organization, User
from accounts.permissions import Capability, require
from accounts.selectors.consent import has_consent
from advisory.models import (
    REPORT_K_FLOOR,
    AdvisorySettings,
    SignOffRule,
)
from meetings.models import InputStatus
from reports.models import (
    QuoteRequest,
    QuoteStatus,
    ReportVersion,
    SignOff,
    SignOffChoice,
    VersionStatus,
)

REPORT_K_MAX = 50
NOTE_MAX = 2000
STATEMENT_MAX = 5000


# The rules' words, written once: the forms show these same messages.
APPROVAL_MISSING = gettext_lazy("Choose whether you approve this report.")
RULE_MISSING = gettext_lazy("Choose one of the rules.")


@dataclass(frozen=True)
class Answer:
    choice: str
    could_identify: bool = False
    note: str = ""


def _locked_version(version: ReportVersion) -> ReportVersion:
    return (
        ReportVersion.objects.select_related("report__organization")
        .select_for_update(of=("self",))
        .get(pk=version.pk)
    )


def _check_draft(version: ReportVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("This version is no longer a draft, so nothing can be changed on it."),
            code="not_draft",
        )


def _answer_errors(answer: Answer) -> dict[str, str]:
    errors: dict[str, str] = {}
    if answer.choice not in SignOffChoice.values:
        errors["choice"] = str(APPROVAL_MISSING)
    elif answer.choice == SignOffChoice.APPROVE:
        if answer.could_identify:
            errors["could_identify"] = _(
                "Only “I do not approve it yet” can say it could identify someone."
            )
        if answer.note.strip():
            errors["note"] = _(
                "A note goes with “I do not approve it yet”. Remove the note, or change "
                "your answer."
            )
    if len(answer.note) > NOTE_MAX:
        errors["note"] = _("The note is too long.")
    return errors


@transaction.atomic
def answer_draft(*, version: ReportVersion, by: User, answer: Answer) -> SignOff:
    """Save or change one person's answer on a draft. Silence is never an answer."""
    errors = _answer_errors(answer)
    if errors:
        raise ValidationError(errors)
    # Locked, so an answer never lands on a version that is being published or replaced.
    locked = _locked_version(version)
    require(by, locked.report.organization, Capability.RECOMMEND)
    _check_draft(locked)
    approve = answer.choice == SignOffChoice.APPROVE
    signoff, created = SignOff.objects.update_or_create(
        version=locked,
        user=by,
        defaults={
            "choice": answer.choice,
            "could_identify": False if approve else answer.could_identify,
            "note": "" if approve else answer.note.strip(),
            "updated_at": timezone.now(),
        },
    )
    record_event(
        action="report.signoff_given" if created else "report.signoff_changed",
        organization_id=locked.report.organization_id,
        target_type="report_version",
        target_id=locked.pk,
    )
    return signoff


@transaction.atomic
def save_statement(*, version: ReportVersion, by: User, statement: str) -> ReportVersion:
    """The board's own words for the report. A changed statement is part of what people
    approved, so approvals already given are cleared and everyone is asked again;
    objections stay (a new statement does not answer them). Saving the same words changes
    nothing."""
    text = statement.strip()
    if len(text) > STATEMENT_MAX:
        raise ValidationError({"statement": _("The statement is too long.")})
    locked = _locked_version(version)
    require(by, locked.report.organization, Capability.RECOMMEND)
    _check_draft(locked)
    if text == locked.statement:
        return locked
    locked.statement = text
    locked.statement_updated_at = timezone.now()
    locked.save(update_fields=["statement", "statement_updated_at"])
    SignOff.objects.filter(version=locked, choice=SignOffChoice.APPROVE).delete()
    # No actor: next to the counts staff see, a named event would tell them who wrote the
    # statement (and that they approved nothing after it).
    record_event(
        action="report.statement_saved",
        organization_id=locked.report.organization_id,
        target_type="report_version",
        target_id=locked.pk,
    )
    return locked


@transaction.atomic
def save_report_settings(
    *, organization: Organization, by: User, min_people: int, rule: str
) -> AdvisorySettings:
    """Co-chairs set the smallest group size and the sign-off rule for the board."""
    require(by, organization, Capability.CHAIR_BOARD)
    errors: dict[str, str] = {}
    if not REPORT_K_FLOOR <= min_people <= REPORT_K_MAX:
        errors["min_people"] = _("Choose a number from %(low)d to %(high)d.") % {
            "low": REPORT_K_FLOOR,
            "high": REPORT_K_MAX,
        }
    if rule not in SignOffRule.values:
        errors["rule"] = str(RULE_MISSING)
    if errors:
        raise ValidationError(errors)
    # Locking the organization serializes two first saves, which would otherwise both
    # insert and trip the one-to-one constraint.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    settings = AdvisorySettings.objects.filter(
        organization=organization
    ).first() or AdvisorySettings(organization=organization)
    settings.report_min_people = min_people
    settings.report_signoff_rule = rule
    settings.full_clean()
    settings.save()
    record_event(
        action="advisory_settings.report_saved",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="advisory_settings",
        target_id=settings.pk,
    )
    return settings


# --- quotes ------------------------------------------------------------------------------


def _locked_quote(quote: QuoteRequest, by: User) -> QuoteRequest:
    locked = (
        QuoteRequest.objects.select_related("report__organization", "input")
        .select_for_update(of=("self",))
        .get(pk=quote.pk)
    )
    if locked.input.author_id != by.pk:
        raise PermissionDenied
    return locked


def _record_quote(action: str, quote: QuoteRequest) -> None:
    record_event(
        action=action,
        organization_id=quote.report.organization_id,
        target_type="quote_request",
        target_id=quote.pk,
    )


def _answer_quote(quote: QuoteRequest, by: User, status: str, action: str) -> QuoteRequest:
    locked = _locked_quote(quote, by)
    if locked.status != QuoteStatus.ASKED:
        raise ValidationError(_("You have already answered this request."), code="already_answered")
    if status == QuoteStatus.APPROVED and locked.input.status != InputStatus.CONFIRMED:
        raise ValidationError(
            _("You took back what you said there, so it cannot be quoted."), code="not_confirmed"
        )
    if status == QuoteStatus.APPROVED and not has_consent(
        by, locked.report.organization, ConsentScope.QUOTE_ANONYMOUSLY
    ):
        # Staff see which requests are approved and which quotes reach the draft: an
        # approval that never appears would tell them its author has not said yes to being
        # quoted. Approving therefore needs that yes now; nothing is saved without it.
        raise ValidationError(
            _(
                "To say yes, first turn on “My words can be quoted without my name in a "
                "report” in “My choices about my information”. You do not have to: saying no "
                "is always fine."
            ),
            code="no_quote_consent",
        )
    locked.status = status
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    _record_quote(action, locked)
    return locked


@transaction.atomic
def approve_quote(*, quote: QuoteRequest, by: User) -> QuoteRequest:
    """The author approves these exact words, without a name, for this report."""
    return _answer_quote(quote, by, QuoteStatus.APPROVED, "report_quote.approved")


@transaction.atomic
def decline_quote(*, quote: QuoteRequest, by: User) -> QuoteRequest:
    """No reason is asked, and none is kept."""
    return _answer_quote(quote, by, QuoteStatus.DECLINED, "report_quote.declined")


def _quoted_in(version: ReportVersion | None, quote: QuoteRequest) -> bool:
    if version is None:
        return False
    quotes = version.snapshot.get("quotes", []) if isinstance(version.snapshot, dict) else []
    return any(isinstance(q, dict) and q.get("id") == quote.pk for q in quotes)


def _may_carry(quote: QuoteRequest) -> bool:
    """Does a published version or an open draft carry the quote (or might it: a draft
    still being computed may have read it as approved)?"""
    from reports.selectors.reports import current_published, open_draft

    draft = open_draft(quote.report)
    return (
        _quoted_in(current_published(quote.report), quote)
        or _quoted_in(draft, quote)
        or (draft is not None and draft.status == VersionStatus.GENERATING)
    )


@transaction.atomic
def take_back_quote(*, quote: QuoteRequest, by: User) -> QuoteRequest:
    """The author takes an approval back. Already published: a new version without the
    quote is published at once; a draft that carries it is prepared again without it."""
    locked = _locked_quote(quote, by)
    if locked.status != QuoteStatus.APPROVED:
        raise ValidationError(
            _("This quote is not approved, so there is nothing to take back."),
            code="not_approved",
        )
    locked.status = QuoteStatus.WITHDRAWN
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    _record_quote("report_quote.taken_back", locked)
    if _may_carry(locked):
        # Imported here: the publishing service imports the generation engine, which the
        # board's pages need nothing else from.
        from reports.services.report_publish import reissue_without_quote

        reissue_without_quote(locked)
    return locked
