"""My seat (the survivor's own profile and payment details), the staff view of a survivor
leader's profile, and "Who has seen my information"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms.profile import PaymentDetailsForm, ProfileForm
from accounts.models import DELIVERED_CHANNELS, AccessRecord, Role, SurvivorProfile
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from accounts.reauthentication import confirm_it_is_you
from accounts.selectors.profile import (
    access_records_for,
    expertise_labels,
    get_survivor_for_staff,
    profile_of,
    survivor_leaders_visible_to,
)
from accounts.services.access import ACCESS_PROFILE, describe_access, record_access
from accounts.services.profile import update_payment_details, update_profile

PAGE_SIZE = 25


@dataclass(frozen=True)
class AccessRow:
    when: datetime
    role: str
    email: str
    what: str


def access_row(record: AccessRecord) -> AccessRow:
    """One line of "Who has seen my information". The viewer is shown by role and work
    e-mail: staff look as colleagues doing their job, and the survivor must be able to tell
    exactly who it was — a role alone could be any of several people."""
    role_code = getattr(record, "viewer_role", None)
    role = str(Role(role_code).label) if role_code else _("No longer a member here")
    return AccessRow(
        when=record.created_at,
        role=role,
        email=record.viewer.email if record.viewer else "",
        what=describe_access(record.what),
    )


def _initial_profile(profile: SurvivorProfile | None) -> dict[str, object]:
    if profile is None:
        return {}
    return {
        "chosen_name": profile.chosen_name,
        "pronouns": profile.pronouns,
        "languages": profile.languages,
        "time_zone": profile.time_zone,
        "expertise": profile.expertise,
        "availability": profile.availability,
        "safe_channels": profile.safe_channels,
        "quiet_hours_start": _hh_mm(profile.quiet_hours_start),
        "quiet_hours_end": _hh_mm(profile.quiet_hours_end),
    }


def _hh_mm(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


@login_required
def my_profile(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    profile = profile_of(user, organization)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial=_initial_profile(profile),
        organization_time_zone=organization.time_zone,
    )
    if form.is_valid():
        try:
            update_profile(user=user, organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("my_profile", org=organization.slug)
    context = {
        "organization": organization,
        "form": form,
        "profile": profile,
        # Chosen before only e-mail was offered: nothing ever went out on them.
        "undelivered": profile is not None
        and any(channel not in DELIVERED_CHANNELS for channel in profile.safe_channels),
    }
    return render(request, "accounts/profile/my_profile.html", context)


@login_required
def my_payment_details(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    # A legal name, phone and address must not be read, or changed, by whoever picks up a
    # device left signed in. A post that arrives too late is dropped, not kept for later.
    if confirm := confirm_it_is_you(request, request.path):
        return confirm
    profile = profile_of(user, organization)
    initial = {}
    if profile is not None:
        initial = {
            "legal_name": profile.legal_name,
            "phone": profile.phone,
            "mailing_address": profile.mailing_address,
        }
    form = PaymentDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if profile is not None and form.is_valid():
        try:
            update_payment_details(user=user, organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your payment details are saved."))
            return redirect("my_payment_details", org=organization.slug)
    context = {"organization": organization, "form": form, "profile": profile}
    return render(request, "accounts/profile/my_payment_details.html", context)


@login_required
def who_has_seen(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    page = Paginator(access_records_for(user, organization), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "organization": organization,
        "page": page,
        "rows": [access_row(record) for record in page.object_list],
        "retention_days": settings.ACCESS_RECORD_RETENTION.days,
    }
    return render(request, "accounts/profile/who_has_seen.html", context)


@login_required
def people(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    page = Paginator(survivor_leaders_visible_to(user, organization), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "accounts/profile/people.html", {"organization": organization, "page": page}
    )


@login_required
def survivor_profile(request: AuthenticatedRequest, org: str, user_id: int) -> HttpResponse:
    viewer = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    subject = get_survivor_for_staff(viewer, organization, user_id)
    record_access(viewer=viewer, subject=subject, organization=organization, what=ACCESS_PROFILE)
    profile = profile_of(subject, organization)
    context = {
        "organization": organization,
        "profile": profile,
        "expertise": expertise_labels(profile),
    }
    return render(request, "accounts/profile/survivor_profile.html", context)
