"""Reads for "Download my data" and "Delete my account": each filtered by the owner only.

Nothing here reaches another person's rows; what the export includes is built from these.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import (
    AccessRecord,
    ConsentEvent,
    ConsentReminder,
    DataExport,
    ExportStatus,
    FunderAccess,
    Invitation,
    Membership,
    OutboxMessage,
    RoleAssignment,
    SurvivorProfile,
    User,
)


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization")


def funder_accesses_of(user: User) -> QuerySet[FunderAccess]:
    return FunderAccess.objects.filter(user=user).select_related("organization")


def invitations_to(user: User) -> QuerySet[Invitation]:
    """Invitations sent to the person's own address."""
    return Invitation.objects.filter(email__iexact=user.email).select_related("organization")


def invitations_sent_by(user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(invited_by=user)


def profiles_of(user: User) -> QuerySet[SurvivorProfile]:
    """Every profile the person gave, one per organization, each with its organization."""
    return (
        SurvivorProfile.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def role_assignments_of(user: User) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("board__organization", "role")
        .prefetch_related("changes")
    )


def consent_events_of(user: User) -> QuerySet[ConsentEvent]:
    return ConsentEvent.objects.filter(user=user).select_related("organization", "text")


def consent_reminders_of(user: User) -> QuerySet[ConsentReminder]:
    return ConsentReminder.objects.filter(grant__user=user).select_related("grant")


def access_records_about(user: User) -> QuerySet[AccessRecord]:
    """Records about the person, with the viewer's role there rather than their name."""
    viewer_role = Membership.objects.filter(
        user=OuterRef("viewer"), organization=OuterRef("organization")
    ).values("role")[:1]
    return (
        AccessRecord.objects.filter(subject=user)
        .select_related("organization")
        .annotate(viewer_role=Subquery(viewer_role))
    )


def exports_of(user: User) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user).defer("content")


def outbox_messages_of(user: User) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(recipient=user)


def get_export_for_owner(user: User, public_id: UUID) -> DataExport:
    """Someone else's export does not exist, as far as this person can tell."""
    try:
        return DataExport.objects.get(user=user, public_id=public_id)
    except DataExport.DoesNotExist as exc:
        raise Http404 from exc


def latest_export_of(user: User) -> DataExport | None:
    return exports_of(user).filter(expires_at__gt=timezone.now()).first()


def export_in_progress(user: User) -> DataExport | None:
    return (
        exports_of(user)
        .filter(
            status__in=[ExportStatus.WAITING, ExportStatus.BUILDING],
            expires_at__gt=timezone.now(),
        )
        .first()
    )
