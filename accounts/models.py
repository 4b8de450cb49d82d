"""The ground floor: people, organizations, who belongs where, and the outbox.

No model here asks about anyone's past. A user is an e-mail address; a chosen name arrives
with the survivor profile.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedTextField
from accounts.time_zones import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Signs in with an e-mail address. No username and no legal name, on purpose."""

    email = models.EmailField(_("email address"), unique=True)
    is_active = models.BooleanField(default=True)
    # Only for the development admin; no role in the product uses it.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when the person deleted their account: the row stays only as a tombstone for
    # records that must be kept (the stipend ledger), with every personal detail erased.
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return f"User {self.pk}"


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    # Times on its pages are shown in this zone to everyone who did not choose their own.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SURVIVOR_LEADER = "survivor_leader", _("Survivor leader")
    STAFF = "staff", _("Program staff")
    FINANCE = "finance", _("Finance")
    ADMIN = "admin", _("Organization admin")


# Roles that run the program day to day: program staff and organization admins.
STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})

# Roles that must sign in with a second factor. Survivor leaders are offered it, never forced.
MFA_REQUIRED_ROLES = frozenset({Role.STAFF, Role.FINANCE, Role.ADMIN})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_role_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.organization}"


class FunderAccess(models.Model):
    """A funder sees the published reports of what it funds. Funders are never members."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funder_accesses"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="funder_accesses"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "funder accesses"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="funder_access_unique"),
        ]

    def __str__(self) -> str:
        return f"Funder access to {self.organization}"


class InvitedRole(models.TextChoices):
    SURVIVOR_LEADER = Role.SURVIVOR_LEADER.value, Role.SURVIVOR_LEADER.label
    STAFF = Role.STAFF.value, Role.STAFF.label
    FINANCE = Role.FINANCE.value, Role.FINANCE.label
    ADMIN = Role.ADMIN.value, Role.ADMIN.label
    FUNDER = "funder", _("Funder")


class Invitation(models.Model):
    """A single-use link, stored only as a hash, that expires after a week."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=32, choices=InvitedRole.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Given to the person by the admin, face to face, for someone without a safe inbox:
    # nothing is ever e-mailed for it.
    in_person = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to {self.organization}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class AuditEvent(models.Model):
    """Who did what, as ids and codes only — never personal text.

    Append-only and tamper-evident: each event's `hash` covers its canonical JSON `payload`
    and the previous event's hash, `sequence` has no gaps, and database triggers refuse
    UPDATE and DELETE. Write through `accounts.audit.record_event`, never directly.
    """

    sequence = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    payload = models.TextField()  # canonical JSON of the fields above, as hashed
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"{self.action} #{self.sequence}"


class AuditHead(models.Model):
    """The chain's head hash, recorded daily, so a truncated chain can be noticed."""

    recorded_on = models.DateField(unique=True)
    sequence = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_on"]

    def __str__(self) -> str:
        return f"Audit head {self.recorded_on}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    HELD = "held", _("Waiting on the home page")
    # An account message or an invitation that could not be sent: nothing waits on a home
    # page for it, and its link was never made.
    NOT_SENT = "not_sent", _("Not sent")


def validate_local_path(value: str) -> None:
    """A path on this site ("/o/harbor/meetings/4/"), never an address elsewhere: the
    update's link is followed by a redirect."""
    if value and (not value.startswith("/") or value.startswith("//") or "\\" in value):
        raise ValidationError(_("A link to a page on this site is needed."), code="not_local")


class OutboxMessage(models.Model):
    """One message for one person. Holds a code, never the message itself and never a link.

    An update ("there is an update") belongs to an organization: the beat job sends it only
    where `can_contact()` allows; otherwise it waits on the person's home page until they
    read it there. An account message (a password-reset link, an address to confirm, a
    notice that the account changed) has no organization, and an invitation has no
    recipient account yet: see `accounts.outbox` for their rules. Their links are made when
    the message is sent, from `reference_id`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty only for an invitation: the person may have no account yet.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
    )
    # Empty for an account message: it is about the person, not one organization.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    # Only for a notice that must reach an address the account no longer has (the old
    # address, after a change); otherwise the message goes to the account's own address.
    address = EncryptedTextField(_("address"))
    # What the message's link is made for when it is sent (an e-mail address waiting to be
    # confirmed, an address change, an invitation): an id, never the link or its token.
    reference_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    # For an update: the path of the page that needs the person (a meeting, My pay), made
    # when it was queued. Ids and codes only; the e-mail never carries it.
    target = models.CharField(max_length=200, blank=True, validators=[validate_local_path])
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_idx")]

    def __str__(self) -> str:
        return f"Outbox {self.public_id}"


# --- My seat: the survivor leader's own profile -------------------------------------------


class ExpertiseArea(models.TextChoices):
    """Professional topics only. Nothing here is about anyone's past."""

    POLICY = "policy", _("Policy and advocacy")
    TRAINING = "training", _("Training")
    OUTREACH = "outreach", _("Outreach")
    EVALUATION = "evaluation", _("Evaluation")
    COMMUNICATIONS = "communications", _("Communications")
    PROGRAM_DESIGN = "program_design", _("Program design")
    PEER_SUPPORT = "peer_support", _("Peer support")
    HIRING = "hiring", _("Hiring")
    BUDGET = "budget", _("Budgets and funding")
    RESEARCH = "research", _("Research")
    TECHNOLOGY = "technology", _("Technology")
    LANGUAGE_ACCESS = "language_access", _("Language access")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


# The channels something actually sends on (accounts.outbox). Only these are offered, as a
# safe way to be contacted or as a consent: a channel that nothing delivers is never offered,
# or someone who chose only text because e-mail is unsafe for them would silently get nothing.
DELIVERED_CHANNELS = (ContactChannel.EMAIL,)


class SurvivorProfile(models.Model):
    """ "My seat" in one organization. What a person tells one organization stays with it
    (promise 5): someone on two boards has a profile for each that they filled in, or none
    yet, and no organization ever reads another's. Read it through the organization in
    scope (`accounts.selectors.profile`), never through the person alone.

    Only the chosen name is required. No field asks about trafficking experience, dates,
    people involved, immigration, criminal record or case status — and none may ever be
    added."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survivor_profiles"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="survivor_profiles"
    )
    chosen_name = models.CharField(_("name you want us to use"), max_length=80)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    # Empty: the organization's time zone, and it follows when the organization changes it.
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, default="", validators=[validate_time_zone]
    )
    expertise = models.JSONField(_("areas of expertise"), default=list, blank=True)
    availability = models.CharField(_("when you are usually available"), max_length=300, blank=True)
    # Safe-contact rules: which channels are safe to use at all (empty means none), and
    # hours when nothing may be sent, in the person's own time zone.
    safe_channels = models.JSONField(_("safe ways to contact you"), default=list, blank=True)
    quiet_hours_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet until"), null=True, blank=True)
    # Asked for only when payment needs them; encrypted with keys of their own.
    legal_name = EncryptedTextField(_("legal name"))
    phone = EncryptedTextField(_("phone number"))
    mailing_address = EncryptedTextField(_("safe mailing address"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="survivor_profile_one_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"Profile {self.pk}"


# --- Boards and roles as agreements --------------------------------------------------------


class AdvisoryBoard(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="board_name_unique_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BoardRole(models.Model):
    """A role the admin defines: board member, co-chair, mentor, reviewer, speaker, …"""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="board_roles"
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("what it involves"))
    is_co_chair = models.BooleanField(_("co-chairs the board"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="board_role_name_unique_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AssignmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STEPPED_DOWN = "stepped_down", _("Stepped down")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Invitation withdrawn")


class RoleAssignment(models.Model):
    """An agreement with term dates. Only the survivor accepts, declines, pauses or steps
    down. It never lapses because a data consent expired."""

    board = models.ForeignKey(AdvisoryBoard, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(BoardRole, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments"
    )
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.INVITED
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Role assignment {self.pk}"


class RoleAssignmentChange(models.Model):
    """Role history: every status change, kept (append-only)."""

    assignment = models.ForeignKey(RoleAssignment, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=16, choices=AssignmentStatus.choices)
    actor_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.status} at {self.created_at:%Y-%m-%d}"


# --- Consent: data uses only ---------------------------------------------------------------


class ConsentScope(models.TextChoices):
    ATTRIBUTE_TO_STAFF = "attribute_to_staff", _("Staff can see my name on what I say")
    QUOTE_ANONYMOUSLY = (
        "quote_anonymously",
        _("My words can be quoted without my name in a report, after I approve the exact words"),
    )
    COUNT_IN_REPORTS = (
        "count_in_reports",
        _("What I do can be counted in reports that show numbers, not people"),
    )
    CONTACT_EMAIL = "contact_email", _("You can e-mail me that there is an update")
    CONTACT_SMS = "contact_sms", _("You can text me that there is an update")


class ConsentText(models.Model):
    """The exact words a person agrees to, per organization, scope and language, versioned.
    A new version is shown to the board before it takes effect (`effective_at`)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="consent_texts"
    )
    scope = models.CharField(max_length=32, choices=ConsentScope.choices)
    language = models.CharField(max_length=16, default="en")
    version = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    shown_to_board_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scope", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scope", "language", "version"],
                name="consent_text_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} v{self.version} ({self.language})"


class ConsentAction(models.TextChoices):
    GRANTED = "granted", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Ended after its time")


class ConsentEvent(models.Model):
    """The append-only consent ledger. The current state is derived from it, never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consent_events"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="consent_events"
    )
    scope = models.CharField(max_length=32, choices=ConsentScope.choices)
    action = models.CharField(max_length=16, choices=ConsentAction.choices)
    text = models.ForeignKey(
        ConsentText, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    language = models.CharField(max_length=16, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["user", "organization", "scope", "created_at"],
                name="consent_event_lookup_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.action}"


class ConsentReminder(models.Model):
    """At most two renewal reminders per grant (the unique constraint holds the line)."""

    grant = models.ForeignKey(ConsentEvent, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="consent_reminder_once_each"),
            models.CheckConstraint(
                condition=models.Q(number__in=[1, 2]), name="consent_reminder_at_most_two"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.number}"


# --- Access transparency -------------------------------------------------------------------


class AccessRecord(models.Model):
    """A staff or finance member looked at a survivor's information. Only the subject reads
    these; they are purged after the retention period."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_records"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject", "-created_at"], name="access_subject_idx")]

    def __str__(self) -> str:
        return f"Access {self.pk}"


# --- Data rights ---------------------------------------------------------------------------


class ExportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to start")
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be prepared")


class DataExport(models.Model):
    """ "Download my data": built by a task, stored encrypted, served only to its owner after
    re-authentication, purged after 24 hours."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.WAITING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)  # Fernet-encrypted zip
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.public_id}"


# --- Account safety: address changes that can be undone, password-reset requests -----------


class AddressChange(models.Model):
    """The account's e-mail address changed. For a week the old address can put itself back,
    once, from the notice it was sent (`accounts.services.account_changes`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="address_changes"
    )
    old_address = EncryptedTextField(_("old address"))
    new_address = EncryptedTextField(_("new address"))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Set once the change was undone, or can no longer be (another change of the same
    # account was undone first): a link works at most once.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Address change {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.expires_at > timezone.now()


class PasswordResetRequest(models.Model):
    """Someone asked for a password-reset link for an address. Written the same way whether
    or not the address belongs to anyone, so the request learns nothing; the worker looks
    the address up, queues the link if it belongs to an account, and deletes the row."""

    address = EncryptedTextField(_("address"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Password reset request {self.pk}"


class SignInCounter(models.Model):
    """Wrong tries at one sign-in step for one account (or one typed address), kept in the
    database so the limits hold while the cache is away (`accounts.sign_in_limits`). The key
    is a keyed hash or an id: never an address."""

    key = models.CharField(max_length=100, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(null=True, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    # One try per account is checked at a time: the turn is someone's until this moment.
    turn_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["last_failure"], name="sign_in_counter_age_idx")]

    def __str__(self) -> str:
        return f"Sign-in counter {self.pk}"
