"""Writes for "My seat": the survivor leader's own profile, safe-contact rules and the
optional details a payment may need. Only the survivor writes here, for themselves."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_event
from accounts.models import (
    DELIVERED_CHANNELS,
    ExpertiseArea,
    Organization,
    SurvivorProfile,
    User,
)
from accounts.permissions import Capability, require

StrOrPromise = str | Promise

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Message

# Told to anyone else who tries (the pages are 404 for them).
ONLY_SURVIVOR_LEADERS = _("Only survivor leaders have a profile here.")


# The rules' words, written once: the forms show these same messages.
QUIET_HOURS_HALF = _("Choose both a start and an end for quiet hours, or leave both empty.")
NAME_MISSING = _("Type the name you want us to use.")


def quiet_hours_errors(start: time | None, end: time | None) -> dict[str, Message]:
    """Quiet hours need both ends or neither: the form shows this, saving checks again."""
    if (start is None) != (end is None):
        return {"quiet_hours_end": QUIET_HOURS_HALF}
    return {}


class ProfileFields(TypedDict, total=False):
    chosen_name: str
    pronouns: str
    languages: str
    time_zone: str
    expertise: list[str]
    availability: str
    safe_channels: list[str]
    quiet_hours_start: time | None
    quiet_hours_end: time | None


MAX_LENGTHS = {"legal_name": 200, "phone": 40, "mailing_address": 500}


def _locked_profile(user: User, organization: Organization) -> SurvivorProfile | None:
    return (
        SurvivorProfile.objects.select_for_update()
        .filter(user=user, organization=organization)
        .first()
    )


def _check_profile(profile: SurvivorProfile) -> None:
    """The rules a form cannot be trusted to have checked."""
    errors: dict[str, StrOrPromise] = {}
    if not profile.chosen_name.strip():
        errors["chosen_name"] = NAME_MISSING
    if not set(profile.expertise) <= set(ExpertiseArea.values):
        errors["expertise"] = _("Choose areas of expertise from the list.")
    if not set(profile.safe_channels) <= set(DELIVERED_CHANNELS):
        errors["safe_channels"] = _("Choose safe ways to contact you from the list.")
    errors.update(quiet_hours_errors(profile.quiet_hours_start, profile.quiet_hours_end))
    if errors:
        raise ValidationError(errors)
    profile.full_clean()


@transaction.atomic
def update_profile(
    *, user: User, organization: Organization, **fields: Unpack[ProfileFields]
) -> SurvivorProfile:
    """Save the survivor's own profile for this organization, creating it on first save (a
    chosen name is then the only thing needed). Fields not passed keep their value. A
    profile given to another organization is neither read nor changed."""
    require(
        user,
        organization,
        Capability.USE_OWN_SEAT,
        invalid=ONLY_SURVIVOR_LEADERS,
        code="not_survivor",
    )
    profile = _locked_profile(user, organization)
    created = profile is None
    if profile is None:
        profile = SurvivorProfile(user=user, organization=organization)
    for name, value in fields.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    # Keep codes unique and in a stable order, so the same choice always saves the same way.
    profile.expertise = sorted(set(profile.expertise))
    profile.safe_channels = sorted(set(profile.safe_channels))
    _check_profile(profile)
    profile.save()
    record_event(
        action="profile.created" if created else "profile.updated",
        actor_id=user.pk,
        organization_id=organization.pk,
        target_type="survivor_profile",
        target_id=profile.pk,
    )
    return profile


@transaction.atomic
def update_payment_details(
    *,
    user: User,
    organization: Organization,
    legal_name: str,
    phone: str,
    mailing_address: str,
) -> SurvivorProfile:
    """Save, change or clear (empty strings) the details a payment from this organization
    may need. They are stored encrypted; the audit event says only that they changed."""
    require(
        user,
        organization,
        Capability.USE_OWN_SEAT,
        invalid=ONLY_SURVIVOR_LEADERS,
        code="not_survivor",
    )
    profile = _locked_profile(user, organization)
    if profile is None:
        raise ValidationError(
            _("Save your profile first. Only the name you want us to use is needed."),
            code="no_profile",
        )
    values = {"legal_name": legal_name, "phone": phone, "mailing_address": mailing_address}
    errors = {
        name: _("This is too long. Make it shorter.")
        for name, value in values.items()
        if len(value.strip()) > MAX_LENGTHS[name]
    }
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(profile, name, value.strip())
    profile.full_clean()
    profile.save()
    record_event(
        action="profile.payment_details_updated",
        actor_id=user.pk,
        organization_id=organization.pk,
        target_type="survivor_profile",
        target_id=profile.pk,
    )
    return profile
