"""The organization settings page, for its admins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms.organization import OrganizationSettingsForm
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from accounts.services.organization import update_organization_settings
from accounts.time_zones import zone_label


@login_required
def organization_settings(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    form = OrganizationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": organization.time_zone},
    )
    if form.is_valid():
        try:
            saved = update_organization_settings(
                organization=organization, by=user, time_zone=form.cleaned_data["time_zone"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            zone = zone_label(saved.time_zone)
            messages.success(request, _("Saved. Times are now shown in %(zone)s.") % {"zone": zone})
            return redirect("organization_settings", org=organization.slug)
    context = {"organization": organization, "form": form}
    return render(request, "accounts/organization_settings.html", context)
