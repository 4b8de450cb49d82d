"""Meetings: where survivor leaders' expertise is given, recorded faithfully and under the
author's control. Above `accounts`; never imports `compensation` (pay subscribes to the
attendance event instead)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compensation.pay_rules import MAX_HOURS_A_DAY, NO_HOURS


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="meetings"
    )
    board = models.ForeignKey(
        "accounts.AdvisoryBoard", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(
        _("length in minutes"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(8 * 60)],
    )
    format = models.CharField(_("format"), max_length=16, choices=MeetingFormat.choices)
    # Shown only to invited members.
    location = models.CharField(_("place or link"), max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["organization", "starts_at"], name="meeting_org_start_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def has_ended(self) -> bool:
        """Once a meeting is over, only what happened is left: no answers, roles or topics."""
        return self.ends_at <= timezone.now()


class Reply(models.TextChoices):
    NO_REPLY = "no_reply", _("Not answered yet")
    YES = "yes", _("Yes")
    NO = "no", _("No")
    MAYBE = "maybe", _("Maybe")


class MeetingRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    FACILITATOR = "facilitator", _("Facilitator")
    NOTE_TAKER = "note_taker", _("Note-taker")
    PARTICIPANT = "participant", _("Participant")


class RoleAnswer(models.TextChoices):
    """A meeting role other than participant is an offer: the person says yes or no, and
    never has to say why. Until they say yes, they take part as a participant."""

    OFFERED = "offered", _("Asked, no answer yet")
    ACCEPTED = "accepted", _("Said yes")
    DECLINED = "declined", _("Said no")


class MeetingInvitation(models.Model):
    """A board member with an active role is invited, and answers yes, no or maybe."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    reply = models.CharField(max_length=16, choices=Reply.choices, default=Reply.NO_REPLY)
    replied_at = models.DateTimeField(null=True, blank=True)
    meeting_role = models.CharField(
        max_length=16, choices=MeetingRole.choices, default=MeetingRole.PARTICIPANT
    )
    # The person's own answer to the meeting role offered (a participant has nothing to
    # answer, so that is "accepted").
    role_answer = models.CharField(
        max_length=16, choices=RoleAnswer.choices, default=RoleAnswer.ACCEPTED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_invitation_once")
        ]

    def __str__(self) -> str:
        return f"Meeting invitation {self.pk}"

    @property
    def held_role(self) -> str:
        """The role the person actually holds: the one offered only once they said yes."""
        if self.role_answer == RoleAnswer.ACCEPTED:
            return self.meeting_role
        return MeetingRole.PARTICIPANT


class AgendaStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("On the agenda")
    NOT_TAKEN = "not_taken", _("Not on the agenda this time")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what it is about"), blank=True)
    # A heads-up that a topic may be hard, so people can choose to skip it.
    content_note = models.CharField(_("content note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=AgendaStatus.choices, default=AgendaStatus.PROPOSED
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.title


class AgendaSkip(models.Model):
    """Anyone may skip an item, without a reason. Skipping never cuts pay."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="skips")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_skips"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="agenda_skip_once")]

    def __str__(self) -> str:
        return f"Skip {self.pk}"


class Attendance(models.Model):
    """Recorded after the meeting for every invitee. Recording or correcting it announces
    `attendance_changed` (meetings.events); compensation turns that into pay."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance"
    )
    attended = models.BooleanField(default=False)
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=NO_HOURS,
        validators=[MinValueValidator(NO_HOURS), MaxValueValidator(MAX_HOURS_A_DAY)],
    )
    meeting_role = models.CharField(
        max_length=16, choices=MeetingRole.choices, default=MeetingRole.PARTICIPANT
    )
    # Goes up by one with every change, so the pay side can tell a correction from a repeat.
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0) & models.Q(hours__lte=24),
                name="attendance_hours_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


class InputVisibility(models.TextChoices):
    ATTRIBUTED = "attributed", _("Staff can see it is mine")
    ANONYMOUS = "anonymous", _("Anonymous to staff")


class InputStatus(models.TextChoices):
    # Recorded by staff on the survivor's behalf; counts nowhere until they confirm it.
    PENDING = "pending", _("Waiting for you to check")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not what I said")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Input recorded on someone's behalf that they never confirmed is deleted after this long.
UNCONFIRMED_LIFETIME = timedelta(days=30)


class Input(models.Model):
    """What a survivor leader said. Under the author's control: they choose attribution,
    edit (history theirs alone) and withdraw. Only confirmed input counts anywhere."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="inputs")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="inputs"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inputs"
    )
    body = models.TextField(_("what you want to say"))
    visibility = models.CharField(
        max_length=16, choices=InputVisibility.choices, default=InputVisibility.ANONYMOUS
    )
    status = models.CharField(
        max_length=16, choices=InputStatus.choices, default=InputStatus.CONFIRMED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # When the author was reminded that this waits for them, a week before it is deleted.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["meeting", "status"], name="input_meeting_status_idx")]

    def __str__(self) -> str:
        return f"Input {self.public_id}"

    @property
    def deleted_if_unchecked_at(self) -> datetime:
        """When input waiting for its author is deleted if they do not check it."""
        return self.created_at + UNCONFIRMED_LIFETIME


class InputRevision(models.Model):
    """An earlier wording. Visible to the author alone."""

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision {self.pk}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Minutes(models.Model):
    """Drafted by staff or the note-taker, commented on by the board, approved by the
    survivor co-chairs; read-only once approved. Members are named by mention tokens."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("minutes"))
    status = models.CharField(
        max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes {self.pk}"


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="minutes_comments"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk}"
