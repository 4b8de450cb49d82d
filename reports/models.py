"""Funder reports: one report per organization and period, its computed versions, the
board's sign-offs on each draft, and requests to quote someone's words without a name.

- `ImpactReport`: one fixed period (a year or a quarter) of one organization.
- `ReportVersion`: one computed version; published rows never change (database triggers).
- `SignOff`: one survivor leader's answer on one draft; staff see only counts.
- `QuoteRequest`: staff ask the author of confirmed input whether exact words may appear.

The tables keep the names they had when these models lived in `advisory`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImpactReport(models.Model):
    """A report for one fixed period of one organization: a whole year (quarter 0) or one
    quarter. Never a custom date range. Its versions hold the figures."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="impact_reports"
    )
    year = models.PositiveIntegerField(validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "advisory_impactreport"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="impact_report_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=0) & Q(quarter__lte=4), name="impact_report_quarter_0_4"
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}"

    @property
    def period_label(self) -> str:
        return f"{self.year}" if self.quarter == 0 else f"{self.year} Q{self.quarter}"


class VersionStatus(models.TextChoices):
    GENERATING = "generating", _("Being prepared")
    FAILED = "failed", _("Could not be prepared")
    DRAFT = "draft", _("Draft: waiting for the board")
    REPLACED = "replaced", _("Replaced by a newer draft")
    PUBLISHED = "published", _("Published")


class VersionReason(models.TextChoices):
    FIRST = "first", _("First draft")
    REGENERATED = "regenerated", _("Prepared again by staff")
    CONSENT_CHANGED = "consent_changed", _("Prepared again: someone changed what may be counted")
    QUOTE_WITHDRAWN = "quote_withdrawn", _("New version: a quote was taken out")
    PUBLISHED_CHANGED = (
        "published_changed",
        _("Prepared again: another report was published in the meantime"),
    )


class ReportVersion(models.Model):
    """One computed version of a report. A draft is read by the board exactly as a funder
    would see it; once published a row can never change (database triggers refuse UPDATE
    and DELETE of published rows). The funder's current version is the newest published.

    `snapshot` holds the figures, what was hidden and why, the quotes and the method
    version — ids, codes and numbers, never a person. `counted_ids` (who the figures were
    computed from, for the consent re-check at publication) is never rendered."""

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.GENERATING
    )
    reason = models.CharField(
        max_length=24, choices=VersionReason.choices, default=VersionReason.FIRST
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    snapshot = models.JSONField(default=dict, blank=True)
    method_version = models.CharField(max_length=120, blank=True)
    counted_ids = models.JSONField(default=list, blank=True)
    # The board's own words for this report. Only survivor leaders on the board write it;
    # staff cannot edit it. A regenerated draft starts with the previous statement.
    statement = models.TextField(_("the board's statement"), blank=True)
    statement_updated_at = models.DateTimeField(null=True, blank=True)
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    published_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "advisory_reportversion"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number_once"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status__in=["generating", "draft"]),
                name="report_version_one_open_draft",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="report_version_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Report version {self.pk}"


class SignOffChoice(models.TextChoices):
    APPROVE = "approve", _("I approve this report")
    OBJECT = "object", _("I do not approve it yet")


class SignOff(models.Model):
    """One survivor leader's answer on one draft. Staff see only counts, never who answered
    how. `could_identify` ("this could identify someone") blocks publication."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="signoffs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_signoffs"
    )
    choice = models.CharField(max_length=16, choices=SignOffChoice.choices)
    could_identify = models.BooleanField(_("this could identify someone"), default=False)
    # Read by staff without a name, so they know what to change.
    note = models.TextField(_("what should change (optional)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "advisory_signoff"
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="signoff_once_per_version"),
            models.CheckConstraint(
                condition=Q(choice="object") | Q(could_identify=False),
                name="signoff_identify_is_an_objection",
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-off {self.pk}"


class QuoteStatus(models.TextChoices):
    ASKED = "asked", _("Waiting for the author")
    APPROVED = "approved", _("Approved by the author")
    DECLINED = "declined", _("Declined by the author")
    WITHDRAWN = "withdrawn", _("Taken back by the author")


class QuoteRequest(models.Model):
    """Staff ask the author of a confirmed input whether this exact wording may appear,
    without a name, in this report. Only an approved request whose author still has the
    `quote_anonymously` consent is included."""

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="quotes")
    input = models.ForeignKey("meetings.Input", on_delete=models.CASCADE, related_name="+")
    wording = models.TextField(_("the exact words to quote"))
    status = models.CharField(max_length=16, choices=QuoteStatus.choices, default=QuoteStatus.ASKED)
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "advisory_quoterequest"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "input"],
                condition=Q(status__in=["asked", "approved"]),
                name="quote_request_one_open_per_input",
            ),
        ]

    def __str__(self) -> str:
        return f"Quote request {self.pk}"
