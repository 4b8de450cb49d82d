"""A person's updates: the list, opening one (seen, then on to the page it is about), and
marking them all seen. Each is the person's own: anyone else's update is 404."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import AuthenticatedRequest
from accounts.selectors import get_organization_for_user
from accounts.selectors.updates import get_update_for, update_list
from accounts.services import updates as services


@login_required
@require_GET
def updates(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    context = {"organization": organization, "updates": update_list(user, organization)}
    return render(request, "accounts/updates.html", context)


@login_required
@require_GET
def open_update(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    """A link, so a GET: opening an update only marks it seen, which the person may do as
    often as they like, and it is theirs alone (anyone else's is 404 before anything)."""
    user = request.user
    organization = get_organization_for_user(user, org)
    target = services.open_update(user=user, message=get_update_for(user, organization, public_id))
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("updates", org=organization.slug)


@login_required
@require_POST
def mark_updates_seen(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    if services.mark_all_updates_seen(user=user, organization=organization):
        messages.success(request, _("All your updates are marked as seen."))
    return redirect("updates", org=organization.slug)
