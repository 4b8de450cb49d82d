"""Pay as equal partners: rates at parity, pay earned from attendance and other paid work, an
append-only ledger, payment batches, and the survivor's own choices about how and when they
are paid. Above `meetings` (it listens to the attendance event); below `advisory`.

Money is `Decimal` with two places in the organization's currency; no floats anywhere.
The ledger holds ids, amounts, codes and timestamps. Balances and every "earned, not yet
paid / approved / paid" state are derived from it and the rows that point at it (approval,
batch item, hold), never stored and edited.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedTextField
from compensation.pay_rules import (
    DEFAULT_LATE_NOTICE_HOURS,
    MAX_HOURS_A_DAY,
    MIN_CLAIM_HOURS,
    NO_HOURS,
)

DEFAULT_TAX_THRESHOLD = Decimal("2000.00")


class PaySettings(models.Model):
    """One per organization. The payer name and memo are neutral: they appear on bank
    statements, envelopes and tax forms, so they never say what the program is about."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="pay_settings"
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    payer_name = models.CharField(
        _("payer name on statements"), max_length=120, default="Member services"
    )
    payment_memo = models.CharField(_("memo on payments"), max_length=120, default="Services")
    benefits_help_url = models.URLField(_("free benefits counselling (link)"), blank=True)
    tax_help_url = models.URLField(_("free tax help (link)"), blank=True)
    tax_threshold = models.DecimalField(
        _("tax-reporting threshold per year"),
        default=DEFAULT_TAX_THRESHOLD,
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=12,
        decimal_places=2,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "pay settings"

    def __str__(self) -> str:
        return f"Pay settings {self.pk}"


class RateBasis(models.TextChoices):
    HOURLY = "hourly", _("Per hour")
    PER_MEETING = "per_meeting", _("Fixed amount per meeting")


class LateCancellationPay(models.TextChoices):
    PLANNED_LENGTH = "planned_length", _("Pay the meeting's planned length")
    MINIMUM_BLOCK = "minimum_block", _("Pay the minimum paid block")


class StipendRate(models.Model):
    """A rate with effective dates. Rates in use are never edited: a change ends the old
    rate and starts a new one, so every ledger entry keeps pointing at what it was paid by."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="stipend_rates"
    )
    basis = models.CharField(_("how it is paid"), max_length=16, choices=RateBasis.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # Blank: any meeting role. Otherwise this rate applies to that role (e.g. chair) only.
    meeting_role = models.CharField(_("meeting role"), max_length=16, blank=True)
    # For a fixed amount per meeting: how long a meeting usually takes, so the parity ratio
    # (hourly equivalent ÷ benchmark) can be shown, and other paid work priced by the hour.
    usual_minutes = models.PositiveIntegerField(
        _("usual meeting length in minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(8 * 60)],
    )
    minimum_paid_minutes = models.PositiveIntegerField(
        _("minimum paid block in minutes"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(8 * 60)],
    )
    late_cancellation_hours = models.PositiveIntegerField(
        _("a cancellation is late with less than this many hours' notice"),
        default=DEFAULT_LATE_NOTICE_HOURS,
        validators=[MaxValueValidator(24 * 14)],
    )
    late_cancellation_pay = models.CharField(
        _("late cancellations by the program"),
        max_length=16,
        choices=LateCancellationPay.choices,
        default=LateCancellationPay.PLANNED_LENGTH,
    )
    benchmark_hourly = models.DecimalField(
        _("professional consultant rate per hour (benchmark)"), max_digits=12, decimal_places=2
    )
    effective_from = models.DateField(_("from"))
    effective_to = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_from", "meeting_role", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_amount_positive"),
            models.CheckConstraint(
                condition=Q(benchmark_hourly__gt=0), name="rate_benchmark_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rate_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(basis="hourly") | Q(usual_minutes__isnull=False),
                name="rate_per_meeting_has_usual_length",
            ),
        ]

    def __str__(self) -> str:
        return f"Rate {self.pk}"


class PaymentMethod(models.TextChoices):
    DIRECT_DEPOSIT = "direct_deposit", _("Direct deposit to a bank account")
    CHECK = "check", _("Check")
    PREPAID_CARD = "prepaid_card", _("Prepaid card")
    GIFT_CARD = "gift_card", _("Gift card")
    CASH = "cash", _("Cash")


class PayeeDetail(models.TextChoices):
    """A detail from the person's payment details (their profile for the organization, or
    what was kept to pay out a deleted account) that a payment file can carry. The value
    is the field's name on both."""

    LEGAL_NAME = "legal_name", _("legal name")
    MAILING_ADDRESS = "mailing_address", _("safe mailing address")


# What each way to pay needs in the payment file. Someone whose way needs a detail they
# have not given is left out of a batch, and told what to add; their pay stays approved
# and goes in the first batch after they add it. A needed field is never exported blank.
NEEDED_IN_PAYMENT_FILE: dict[str, tuple[PayeeDetail, ...]] = {
    # The bank pays only the account holder, by the name on the account.
    PaymentMethod.DIRECT_DEPOSIT: (PayeeDetail.LEGAL_NAME,),
    # Made out to the person by name, and sent by post.
    PaymentMethod.CHECK: (PayeeDetail.LEGAL_NAME, PayeeDetail.MAILING_ADDRESS),
    # A reloadable card is registered to the person who holds it.
    PaymentMethod.PREPAID_CARD: (PayeeDetail.LEGAL_NAME,),
    # Handed over in person.
    PaymentMethod.GIFT_CARD: (),
    PaymentMethod.CASH: (),
}


class OfferedMethod(models.Model):
    """A way the organization can pay, with its fees and exactly what the survivor will see
    on statements, envelopes and tax forms."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="offered_methods"
    )
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    offered = models.BooleanField(_("offered"), default=True)
    fees = models.CharField(_("fees"), max_length=200, blank=True)
    on_statements = models.CharField(_("what appears on statements"), max_length=200, blank=True)
    on_envelopes = models.CharField(_("what appears on envelopes"), max_length=200, blank=True)
    on_tax_forms = models.CharField(_("what appears on tax forms"), max_length=200, blank=True)

    class Meta:
        ordering = ["method"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "method"], name="offered_method_once_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.method

    @property
    def needed_in_payment_file(self) -> tuple[PayeeDetail, ...]:
        return NEEDED_IN_PAYMENT_FILE.get(self.method, ())


class Schedule(models.TextChoices):
    PER_MEETING = "per_meeting", _("After each meeting")
    MONTHLY = "monthly", _("Once a month")
    THREE_TIMES = "three_times", _("Three times a year (January, May and September)")
    YEARLY = "yearly", _("Once a year (in January)")
    CHOSEN_MONTHS = "chosen_months", _("In months I choose")


class PaymentPreference(models.Model):
    """The survivor's choices: how, when, and how much at most per month and per year.
    Only the survivor writes here. Pay never depends on any of it being filled in."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="payment_preferences"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_preferences"
    )
    method = models.CharField(
        _("how you are paid"), max_length=16, choices=PaymentMethod.choices, blank=True
    )
    schedule = models.CharField(
        _("when you are paid"), max_length=16, choices=Schedule.choices, default=Schedule.MONTHLY
    )
    months = models.JSONField(_("months you chose"), default=list, blank=True)
    monthly_cap = models.DecimalField(
        _("most per month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        max_digits=12,
        decimal_places=2,
    )
    yearly_cap = models.DecimalField(
        _("most per year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        max_digits=12,
        decimal_places=2,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="payment_preference_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Payment preference {self.pk}"


# --- Other paid work and flags ---------------------------------------------------------------


class WorkKind(models.TextChoices):
    """The kinds of paid work outside meetings, one list for what survivors claim and for
    the opportunities the program offers."""

    PREPARATION = "preparation", _("Preparing for a meeting")
    READING_MINUTES = "reading_minutes", _("Reading minutes")
    CONFIRMING_INPUT = "confirming_input", _("Checking what staff wrote down")
    REVIEWING_REPORTS = "reviewing_reports", _("Reviewing a report")
    DOCUMENT_REVIEW = "document_review", _("Reviewing documents")
    SPEAKING = "speaking", _("Speaking")
    TRAINING = "training", _("Training others")
    CO_FACILITATING = "co_facilitating", _("Co-facilitating")
    HIRING_PANEL = "hiring_panel", _("Sitting on a hiring panel")
    EVALUATION = "evaluation", _("Evaluation")
    OTHER = "other", _("Other work for the program")


class ClaimStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an answer")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Not approved")


class WorkClaim(models.Model):
    """Paid work outside meetings, claimed by the survivor; staff approve it, or decline
    with a reason that the survivor and the co-chairs read."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="work_claims"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="work_claims"
    )
    kind = models.CharField(_("what you did"), max_length=24, choices=WorkKind.choices)
    work_date = models.DateField(_("when"))
    hours = models.DecimalField(
        _("hours"),
        validators=[MinValueValidator(MIN_CLAIM_HOURS), MaxValueValidator(MAX_HOURS_A_DAY)],
        max_digits=5,
        decimal_places=2,
    )
    note = models.TextField(_("a note, if you want"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="work_claim_hours_within_a_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="work_claim_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Work claim {self.pk}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Waiting for finance to answer")
    ANSWERED = "answered", _("Answered")


class FlagOutcome(models.TextChoices):
    CORRECTED = "corrected", _("Your pay was corrected")
    UNCHANGED = "unchanged", _("It stays as recorded")


class HoursFlag(models.Model):
    """The survivor says recorded hours are wrong; finance must answer."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="hours_flags"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_flags"
    )
    attendance = models.ForeignKey(
        "meetings.Attendance", on_delete=models.PROTECT, related_name="hours_flags"
    )
    attendance_version = models.PositiveIntegerField()
    hours_expected = models.DecimalField(
        _("hours you think are right"),
        validators=[MinValueValidator(NO_HOURS), MaxValueValidator(MAX_HOURS_A_DAY)],
        max_digits=5,
        decimal_places=2,
    )
    note = models.TextField(_("anything finance should know"), blank=True)
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    outcome = models.CharField(max_length=16, choices=FlagOutcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendance"],
                condition=Q(status="open"),
                name="hours_flag_one_open_per_attendance",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(answer="") & ~Q(outcome="")),
                name="hours_flag_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Hours flag {self.pk}"


# --- The ledger ------------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned")
    ADJUSTMENT = "adjustment", _("Correction")
    REVERSAL = "reversal", _("Taken back")
    PAYMENT = "payment", _("Paid")


class EntrySource(models.TextChoices):
    """What work an entry is for."""

    MEETING = "meeting", _("Meeting")
    LATE_CANCELLATION = "late_cancellation", _("Meeting cancelled late")
    CLAIM = "claim", _("Other paid work")
    # Work the program offered and the person booked (an opportunity): see `BookedWork`.
    BOOKED_WORK = "booked_work", _("Paid work")
    HOURS_FLAG = "hours_flag", _("Hours corrected")
    PAYMENT = "payment", _("Payment")


class EntryReason(models.TextChoices):
    """Why an entry was written, as a code; any words live on the row it points at."""

    ATTENDED = "attended", _("Came to the meeting")
    CANCELLED_LATE = "cancelled_late", _("The program cancelled late")
    CLAIM_APPROVED = "claim_approved", _("Work approved")
    ATTENDANCE_CORRECTED = "attendance_corrected", _("Attendance was corrected")
    FLAG_ANSWERED = "flag_answered", _("Hours you flagged were corrected")
    DECLINED = "declined", _("You chose not to take it")
    BATCH_PAID = "batch_paid", _("Paid")


class PaymentBatch(models.Model):
    """Approved pay for one payment method, exported for the payment processor and then
    marked paid with a reference."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ready to pay")
        PAID = "paid", _("Paid")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="payment_batches"
    )
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    reference = models.CharField(_("payment reference"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Batch {self.public_id}"


class LedgerEntry(models.Model):
    """Append-only (database triggers refuse UPDATE and DELETE). Amounts are signed: what is
    earned is positive; a reversal is the negative of the entry it takes back; a payment is
    negative. What is owed to a person is the sum of their entries."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    source = models.CharField(max_length=24, choices=EntrySource.choices)
    reason = models.CharField(max_length=32, choices=EntryReason.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    hours = models.DecimalField(null=True, blank=True, max_digits=5, decimal_places=2)
    # The day of the work (a meeting's local date), or of the payment.
    work_date = models.DateField()
    rate = models.ForeignKey(
        StipendRate, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    attendance = models.ForeignKey(
        "meetings.Attendance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    attendance_version = models.PositiveIntegerField(null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        WorkClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    flag = models.ForeignKey(
        HoursFlag, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    actor_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["organization", "user", "created_at"], name="ledger_person_idx"),
            models.Index(fields=["organization", "kind"], name="ledger_org_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind="earned") | Q(amount__gt=0), name="ledger_earned_is_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="payment") | (Q(amount__lt=0) & Q(batch__isnull=False)),
                name="ledger_payment_is_negative_and_batched",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reversal") | Q(reverses__isnull=False),
                name="ledger_reversal_names_its_entry",
            ),
            # Exactly once: one earned entry per attendance version, per late-cancelled
            # meeting and person, per approved claim; one correction per answered flag; one
            # payment per person per batch.
            models.UniqueConstraint(
                fields=["attendance", "attendance_version"],
                condition=Q(kind="earned", attendance__isnull=False),
                name="ledger_earned_once_per_attendance_version",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(kind="earned", source="late_cancellation"),
                name="ledger_late_cancellation_once",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(kind="earned", claim__isnull=False),
                name="ledger_claim_once",
            ),
            models.UniqueConstraint(
                fields=["flag"],
                condition=Q(kind="adjustment", flag__isnull=False),
                name="ledger_flag_correction_once",
            ),
            models.UniqueConstraint(
                fields=["batch", "user"],
                condition=Q(kind="payment"),
                name="ledger_payment_once_per_batch_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Ledger entry {self.pk}"


class Approval(models.Model):
    """Finance approved an entry for payment. One per entry: two people approving the same
    entry at once approve it once."""

    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="approval")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Approval {self.pk}"


class BatchItem(models.Model):
    """An entry in a payment batch. One per entry: two batches made at once pay it once."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="batch_item")

    def __str__(self) -> str:
        return f"Batch item {self.pk}"


class BookedWork(models.Model):
    """What a piece of booked paid work was, for the entry that paid it: its kind and title
    as they were when it was paid (the booking lives in the app that offered it, above pay).
    The ledger itself keeps only ids and codes; the words live here, as a claim's do on the
    claim. Written once with its entry, never changed."""

    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="booked_work")
    kind = models.CharField(max_length=24, choices=WorkKind.choices)
    title = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"Booked work {self.pk}"


class HoldReason(models.TextChoices):
    MONTHLY_CAP = "monthly_cap", _("It would go over your monthly limit")
    YEARLY_CAP = "yearly_cap", _("It would go over your yearly limit")


class HoldChoice(models.TextChoices):
    WAITING = "waiting", _("Waiting for you to decide")
    LATER = "later", _("Pay it in a later month")
    TAKE = "take", _("Pay it anyway")
    DECLINE = "decline", _("I don't want this payment")


class Hold(models.Model):
    """Pay held back because paying it would go over a cap the survivor set. The survivor
    decides: later, anyway, or not at all. Nothing is lost while it waits."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="holds")
    reason = models.CharField(max_length=16, choices=HoldReason.choices)
    # First day of the month (or year) whose cap it would have gone over.
    period_start = models.DateField()
    choice = models.CharField(max_length=16, choices=HoldChoice.choices, default=HoldChoice.WAITING)
    # For "later": the first day of the month from which it may be paid.
    release_from = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(choice="waiting"),
                name="hold_one_waiting_per_entry",
            ),
            models.CheckConstraint(
                condition=~Q(choice="later") | Q(release_from__isnull=False),
                name="hold_later_has_a_month",
            ),
        ]

    def __str__(self) -> str:
        return f"Hold {self.pk}"


class UnpricedWork(models.Model):
    """Work with no rate covering its date: flagged for finance, never paid as zero. Priced
    (turned into an earned entry) as soon as finance add a rate that covers it."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="unpriced_work"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="unpriced_work"
    )
    source = models.CharField(max_length=24, choices=EntrySource.choices)
    work_date = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    meeting_role = models.CharField(max_length=16, blank=True)
    attendance = models.ForeignKey(
        "meetings.Attendance", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendance_version = models.PositiveIntegerField(null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        WorkClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set once priced, or once the work it was for was corrected away.
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["work_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "attendance_version"],
                condition=Q(attendance__isnull=False),
                name="unpriced_once_per_attendance_version",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(source="late_cancellation"),
                name="unpriced_late_cancellation_once",
            ),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(claim__isnull=False), name="unpriced_claim_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Unpriced work {self.pk}"


class FinalPayout(models.Model):
    """A person deleted their account with pay still owed and did not forgo it. Their
    account is erased at once; what finance need to pay them one last time is kept here,
    encrypted, and deleted as soon as that payment is marked paid."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="final_payouts"
    )
    # The tombstone left after erasure: no name, no e-mail.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="final_payouts"
    )
    method = models.CharField(max_length=16, choices=PaymentMethod.choices, blank=True)
    legal_name = EncryptedTextField(_("legal name"))
    mailing_address = EncryptedTextField(_("safe mailing address"))
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Final payout {self.pk}"
