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
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
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

    Append-only. The hash chain and database triggers arrive with the consent issue.
    """

    created_at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    HELD = "held", _("Waiting on the home page")


class OutboxMessage(models.Model):
    """One "there is an update" for one person. Holds a code, never the update itself.

    The beat job sends it only where `can_contact()` allows; otherwise it waits on the
    person's home page until they read it there.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_idx")]

    def __str__(self) -> str:
        return f"Outbox {self.public_id}"
