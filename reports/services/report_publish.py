"""Publishing reports, taking quotes back out of them, and asking authors for quotes
(docs/design.md promises 1 and 2).

- `publish`: staff publish a draft only when the board's rule is met, nothing blocks it and
  every consent it was computed from still holds. If someone stopped being counted, or a
  quote may no longer be used, the draft is prepared again and the board signs off anew.
- `reissue_without_quote`: an author took back a quote (or their `quote_anonymously`
  consent ended): the report's current published version is replaced by a new published
  version without the quote. The figures are the same, so no new sign-off is needed.
- `ask_for_quote`: staff ask the author of a confirmed input whether these exact words
  may appear, without a name, in a report. Staff never learn who the author is.

People are told only through the outbox ("there is an update"); audit events hold ids and
codes only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import FunderAccess, Organization, User
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, require
from accounts.selectors.consent import counted_in_reports
from accounts.selectors.roles import board_voters
from accounts.update_kinds import page
from advisory.selectors.recommendations import advisory_settings
from meetings.models import Input, MeetingStatus
from meetings.selectors.input import counted_inputs
from reports.models import (
    ImpactReport,
    QuoteRequest,
    QuoteStatus,
    ReportVersion,
    VersionReason,
    VersionStatus,
)
from reports.selectors.reports import current_published, signoff_state
from reports.services.report_generation import published_digest, regenerate, usable_quotes

logger = logging.getLogger(__name__)

# Outbox kinds: short codes, never content.
REPORT_PUBLISHED = "report_published"  # to the organization's funders and the board
QUOTE_REQUEST = "quote_request"  # to the author of the input, only them

QUOTE_MAX = 1000  # a quote is a sentence or two, not a whole input


# --- publishing --------------------------------------------------------------------------


# The rules' words, written once: the forms show these same messages.
INPUT_NOT_IN_PERIOD = gettext_lazy("Choose confirmed input from a meeting in this report's period.")
QUOTE_MISSING = gettext_lazy("Write the words you would like to quote.")


@dataclass(frozen=True)
class PublishOutcome:
    """What happened: published, or prepared again because consents changed (then
    `version` is the new draft and the board's sign-off starts again)."""

    version: ReportVersion
    published: bool

    @property
    def restarted(self) -> bool:
        return not self.published


def _lock_report(report_id: int) -> ImpactReport:
    """Publishing and reissuing one report take turns, so version numbers never clash and a
    quote taken back mid-publication is never published."""
    return ImpactReport.objects.select_for_update().select_related("organization").get(pk=report_id)


def _snapshot_quote_ids(snapshot: dict[str, object]) -> set[int]:
    quotes = snapshot.get("quotes") or []
    assert isinstance(quotes, list)  # noqa: S101  # the snapshot schema says so
    return {int(quote["id"]) for quote in quotes}


def _no_longer_counted(version: ReportVersion, organization: Organization) -> set[int]:
    """People the figures were computed from whom a report would no longer count: the same
    question preparing the report asked (`counted_in_reports`)."""
    counted = {int(pk) for pk in version.counted_ids}
    if not counted:
        return set()
    return counted - set(counted_in_reports(organization).filter(user_id__in=counted))


def _unusable_quote_ids(version: ReportVersion, report: ImpactReport) -> set[int]:
    quoted = _snapshot_quote_ids(version.snapshot)
    if not quoted:
        return set()
    return quoted - {quote.pk for quote in usable_quotes(report)}


def _publish_errors(version: ReportVersion) -> list[str]:
    if version.status != VersionStatus.DRAFT:
        return [_("Only a draft waiting for the board can be published.")]
    errors = []
    if version.snapshot.get("unresolved"):
        errors.append(
            _("Some figures still need checking. Prepare the report again before publishing.")
        )
    k_now = advisory_settings(version.report.organization).report_min_people
    if int(version.snapshot.get("k", 0)) < k_now:
        errors.append(
            _(
                "The board raised the smallest group a figure may describe to %(k)s since "
                "this draft was made. Prepare the report again before publishing."
            )
            % {"k": k_now}
        )
    state = signoff_state(version)
    if state.blocked:
        errors.append(
            _(
                "A board member said this report could identify someone. It cannot be "
                "published until the draft changes and the board signs off again."
            )
        )
    elif not state.met:
        errors.append(
            _("The board has not approved it yet: %(approvals)s of %(needed)s approvals needed.")
            % {"approvals": state.approvals, "needed": state.needed}
        )
    return errors


@transaction.atomic
def publish(version: ReportVersion, *, actor: User) -> PublishOutcome:
    """Publish a draft the board approved. Refused (ValidationError, nothing changes) when
    the rule is not met, an objection says it could identify someone, or figures are
    unresolved. If a consent it relied on has ended, the draft is prepared again instead."""
    report = _lock_report(version.report_id)
    organization = report.organization
    require(actor, organization, Capability.LOOK_AFTER_BOARD)
    version = ReportVersion.objects.select_for_update().get(pk=version.pk, report=report)
    errors = _publish_errors(version)
    if errors:
        raise ValidationError(errors)
    reason = None
    if _no_longer_counted(version, organization) or _unusable_quote_ids(version, report):
        reason = VersionReason.CONSENT_CHANGED
    elif version.snapshot.get("published_digest") != published_digest(organization):
        # The draft was protected against what was published then; something was
        # published since, so its figures could now be played against that.
        reason = VersionReason.PUBLISHED_CHANGED
    if reason is not None:
        draft = regenerate(report, reason=reason, actor_id=actor.pk)
        record_event(
            action="report.publish_restarted",
            actor_id=actor.pk,
            organization_id=organization.pk,
            target_type="report_version",
            target_id=version.pk,
        )
        return PublishOutcome(version=draft, published=False)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by_id = actor.pk
    version.save(update_fields=["status", "published_at", "published_by_id"])
    record_event(
        action="report.published",
        actor_id=actor.pk,
        organization_id=organization.pk,
        target_type="report_version",
        target_id=version.pk,
    )
    _tell_published(organization, version, board=True)
    return PublishOutcome(version=version, published=True)


def _funders_of(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=FunderAccess.objects.filter(organization=organization).values("user_id"),
        is_active=True,
    ).order_by("pk")


def _tell_published(organization: Organization, version: ReportVersion, *, board: bool) -> None:
    """Outbox rows are written in the publishing transaction: they exist exactly when the
    version does, and the beat job sends them only after commit. Funders are taken to the
    report as they read it, the board to the version they approved."""
    funder_page = page("funder_report", organization, pk=version.report_id)
    for person in _funders_of(organization):
        enqueue_update(
            recipient=person, organization=organization, kind=REPORT_PUBLISHED, target=funder_page
        )
    if not board:
        return
    board_page = page("board_report", organization, pk=version.pk)
    for person in board_voters(organization):
        enqueue_update(
            recipient=person, organization=organization, kind=REPORT_PUBLISHED, target=board_page
        )


# --- taking a quote back out -------------------------------------------------------------


def _next_number(report: ImpactReport) -> int:
    latest = ReportVersion.objects.filter(report=report).aggregate(n=Max("number"))["n"]
    return int(latest or 0) + 1


def _without_quotes(snapshot: dict[str, object], quote_ids: set[int]) -> dict[str, object]:
    quotes = snapshot.get("quotes") or []
    assert isinstance(quotes, list)  # noqa: S101  # the snapshot schema says so
    return {**snapshot, "quotes": [q for q in quotes if int(q["id"]) not in quote_ids]}


def _reissue(report: ImpactReport, current: ReportVersion, quote_ids: set[int]) -> ReportVersion:
    now = timezone.now()
    reissued = ReportVersion.objects.create(
        report=report,
        number=_next_number(report),
        status=VersionStatus.PUBLISHED,
        reason=VersionReason.QUOTE_WITHDRAWN,
        progress=100,
        snapshot=_without_quotes(current.snapshot, quote_ids),
        method_version=current.method_version,
        counted_ids=current.counted_ids,
        statement=current.statement,
        statement_updated_at=current.statement_updated_at,
        created_at=now,
        generated_at=now,
        published_at=now,
    )
    record_event(
        action="report.reissued_without_quote",
        organization_id=report.organization_id,
        target_type="report_version",
        target_id=reissued.pk,
    )
    return reissued


def _settle_open_draft(report: ImpactReport, quote_ids: set[int]) -> None:
    """A draft that quotes one of them (or is still being computed, and may) is prepared
    again. A draft that does not keeps its sign-off but moves after the reissued version,
    so it stays the newest and, once published, the funders' current one."""
    draft = (
        ReportVersion.objects.select_for_update()
        .filter(report=report, status__in=[VersionStatus.GENERATING, VersionStatus.DRAFT])
        .first()
    )
    if draft is None:
        return
    if draft.status == VersionStatus.GENERATING or quote_ids & _snapshot_quote_ids(draft.snapshot):
        regenerate(report, reason=VersionReason.QUOTE_WITHDRAWN, actor_id=None)
        return
    ReportVersion.objects.filter(pk=draft.pk, status=VersionStatus.DRAFT).update(
        number=_next_number(report)
    )


@transaction.atomic
def _take_out(report_id: int, quote_ids: set[int]) -> ReportVersion | None:
    """One new published version without these quotes, if the current one has any of
    them (funders and the board told); open drafts settled. Running it twice does nothing
    more. The quote requests themselves may be gone (input deleted): ids are enough."""
    report = _lock_report(report_id)
    current = current_published(report)
    reissued = None
    if current is not None and quote_ids & _snapshot_quote_ids(current.snapshot):
        reissued = _reissue(report, current, quote_ids)
        _tell_published(report.organization, reissued, board=True)
    _settle_open_draft(report, quote_ids)
    return reissued


def reissue_without_quote(quote_request: QuoteRequest) -> ReportVersion | None:
    """Take one quote out of its report: a new published version without it if the current
    one quotes it, and open drafts that quote it prepared again. Returns the new published
    version, or None when none was needed."""
    return _take_out(quote_request.report_id, {quote_request.pk})


def reissue_quotes_of_author(*, user_id: int, organization_id: int) -> int:
    """The author's `quote_anonymously` consent ended: take their quotes that can no longer
    be used out of every report. Returns how many versions were reissued."""
    reports = ImpactReport.objects.filter(
        organization_id=organization_id, quotes__input__author_id=user_id
    ).distinct()
    return sum(_take_out_unusable(report) for report in reports)


def reissue_unusable_quotes() -> int:
    """The hourly catch-up: any quote in a current published version or an open draft that
    may no longer be used is taken out (a missed signal, a deleted input, an expiry)."""
    reports = ImpactReport.objects.filter(
        versions__status__in=[VersionStatus.PUBLISHED, VersionStatus.DRAFT]
    ).distinct()
    return sum(_take_out_unusable(report) for report in reports)


def _take_out_unusable(report: ImpactReport) -> int:
    quoted: set[int] = set()
    for status in (VersionStatus.PUBLISHED, VersionStatus.DRAFT):
        version = (
            ReportVersion.objects.filter(report=report, status=status).order_by("-number").first()
        )
        if version is not None:
            quoted |= _snapshot_quote_ids(version.snapshot)
    unusable = quoted - {quote.pk for quote in usable_quotes(report)}
    if not unusable:
        return 0
    return int(_take_out(report.pk, unusable) is not None)


# --- asking for a quote ------------------------------------------------------------------


def period_bounds(report: ImpactReport) -> tuple[datetime, datetime]:
    """The report's fixed period as [start, end) in the organization's time zone."""
    zone = ZoneInfo(report.organization.time_zone)
    if report.quarter == 0:
        first, after = date(report.year, 1, 1), date(report.year + 1, 1, 1)
    else:
        first = date(report.year, 3 * report.quarter - 2, 1)
        after = (
            date(report.year + 1, 1, 1)
            if report.quarter == 4
            else date(report.year, 3 * report.quarter + 1, 1)
        )
    return datetime.combine(first, time(), zone), datetime.combine(after, time(), zone)


def quotable_inputs(report: ImpactReport) -> QuerySet[Input]:
    """Confirmed input from the report's period that staff may read (never input waiting for
    its author, rejected or withdrawn); without authors, who staff never need to know."""
    start, end = period_bounds(report)
    return (
        counted_inputs(organization=report.organization)
        .filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .filter(author__is_active=True, author__erased_at__isnull=True)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "meeting_id", "created_at", "id")
    )


_GAP = re.compile(r"\s*(?:\.\.\.|…)\s*")


def _squash(text: str) -> str:
    return " ".join(text.split())


def is_faithful_quote(wording: str, body: str) -> bool:
    """The words may be shortened (with "..." where something was left out), never changed:
    every kept piece appears in the input, in order."""
    pieces = [_squash(piece) for piece in _GAP.split(wording.strip()) if piece.strip()]
    if not pieces:
        return False
    text, at = _squash(body), 0
    for piece in pieces:
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


@transaction.atomic
def ask_for_quote(
    *, report: ImpactReport, input_id: int, wording: str, actor: User
) -> QuoteRequest:
    """Ask an input's author whether these exact words may be quoted, without a name, in
    this report. Only the author is told; staff never learn who it is."""
    report = _lock_report(report.pk)
    require(actor, report.organization, Capability.LOOK_AFTER_BOARD)
    source = quotable_inputs(report).filter(pk=input_id).first()
    words = wording.strip()
    errors: dict[str, str] = {}
    if source is None:
        errors["input"] = str(INPUT_NOT_IN_PERIOD)
    if not words:
        errors["wording"] = str(QUOTE_MISSING)
    elif len(words) > QUOTE_MAX:
        errors["wording"] = _("Keep a quote under %(max)s characters.") % {"max": QUOTE_MAX}
    elif source is not None and not is_faithful_quote(words, source.body):
        errors["wording"] = _(
            "Use the exact words. You may leave words out (put ... where you do), "
            "but not change them."
        )
    if (
        not errors
        and QuoteRequest.objects.filter(
            report=report, input_id=input_id, status__in=[QuoteStatus.ASKED, QuoteStatus.APPROVED]
        ).exists()
    ):
        errors["input"] = _("You already asked about this input for this report.")
    if errors:
        raise ValidationError(errors)
    assert source is not None  # noqa: S101  # checked above
    quote = QuoteRequest.objects.create(
        report=report, input=source, wording=words, requested_by_id=actor.pk
    )
    record_event(
        action="report.quote_asked",
        actor_id=actor.pk,
        organization_id=report.organization_id,
        target_type="quote_request",
        target_id=quote.pk,
    )
    enqueue_update(
        recipient=source.author,
        organization=report.organization,
        kind=QUOTE_REQUEST,
        target=page("my_quote", report.organization, pk=quote.pk),
    )
    return quote
