"""Paid leadership opportunities beyond meetings, and each survivor leader's private
interest in one, through offer, booking, work done and pay.

Below `advisory`; reads only `accounts` and `compensation`. The tables keep the names they
had when these models lived in `advisory`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compensation.models import WorkKind
from compensation.pay_rules import MAX_BOOKED_HOURS


class PayBasis(models.TextChoices):
    HOURLY = "hourly", _("Paid by the hour")
    FIXED = "fixed", _("A fixed amount")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Opportunity(models.Model):
    """Paid leadership work beyond meetings, posted by staff or a survivor co-chair. Sharing
    a personal story is never expected unless `story_expected` says so plainly, and then
    how much is the survivor's choice."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="opportunities"
    )
    title = models.CharField(_("title"), max_length=200)
    # One of pay's kinds of paid work (compensation.models.WorkKind).
    kind = models.CharField(_("kind of work"), max_length=24, choices=WorkKind.choices)
    # Matched against the expertise survivors chose on their profile (accounts.ExpertiseArea).
    area = models.CharField(_("topic"), max_length=32, blank=True)
    involves = models.TextField(_("what it involves"))
    time_needed = models.CharField(_("time needed"), max_length=200)
    hours = models.DecimalField(
        _("hours of work"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_BOOKED_HOURS)],
    )
    pay_basis = models.CharField(_("how it is paid"), max_length=8, choices=PayBasis.choices)
    # For a fixed amount; hourly work is paid at the organization's rate (at parity).
    fixed_amount = models.DecimalField(
        _("fixed amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    public_facing = models.BooleanField(_("the public will see or hear the person"), default=False)
    story_expected = models.BooleanField(
        _("it asks people to share their own story"), default=False
    )
    how_chosen = models.TextField(_("how people are chosen"))
    status = models.CharField(
        max_length=12, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "advisory_opportunity"
        ordering = ["starts_on", "id"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(
                fields=["organization", "status", "starts_on"], name="opportunity_org_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(pay_basis="fixed") | Q(fixed_amount__gt=0),
                name="opportunity_fixed_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="opportunity_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InterestStatus(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    WITHDRAWN = "withdrawn", _("No longer interested")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Done")


class OpportunityInterest(models.Model):
    """One survivor leader's private interest in one opportunity, and where it went: an
    offer they accept or decline without a reason, then the work done and paid. For
    public-facing work the survivor sets their own terms before accepting; staff see the
    terms with the booking. Staff see interest only from those who expressed it, in the
    order it came — never ranked."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_interests"
    )
    status = models.CharField(
        max_length=12, choices=InterestStatus.choices, default=InterestStatus.INTERESTED
    )
    # The survivor's own terms for public-facing work.
    no_photos = models.BooleanField(_("no photos"), default=False)
    no_recording = models.BooleanField(_("no audio or video recording"), default=False)
    first_name_only = models.BooleanField(_("first name only"), default=False)
    different_name = models.CharField(_("use this name instead"), max_length=80, blank=True)
    no_organization_name = models.BooleanField(
        _("do not put the organization's name next to mine"), default=False
    )
    terms_set_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    offered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The one pay entry the completed work produced (compensation's ledger).
    ledger_entry = models.OneToOneField(
        "compensation.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunity_interest",
    )

    class Meta:
        db_table = "advisory_opportunityinterest"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "user"], name="opportunity_interest_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Interest {self.pk}"
