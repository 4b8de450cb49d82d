"""Writes for the organization's own settings, made by its admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.models import Organization, User
from accounts.permissions import Capability, allows


@transaction.atomic
def update_organization_settings(
    *, organization: Organization, by: User, time_zone: str
) -> Organization:
    """Set the organization's time zone: every time on its pages is shown in it to everyone
    who did not choose their own. A zone outside the IANA list is refused (the model's
    validator) and nothing is written. The audit event holds ids only."""
    if not allows(by, organization, Capability.MANAGE_ORGANIZATION):
        raise PermissionDenied(_("Only the organization's admins can change its settings."))
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    locked.time_zone = time_zone.strip()
    locked.full_clean()
    locked.save(update_fields=["time_zone"])
    record_event(
        action="organization.settings_updated",
        actor_id=by.pk,
        organization_id=locked.pk,
        target_type="organization",
        target_id=locked.pk,
    )
    return locked
