"""A person's updates: the list, opening one (seen, then on to the page it is about), and
marking them all seen. Each is the person's own: anyone else's update is 404. Reading the
list writes nothing; opening an update is a button, so a prefetch or a crawler following
a link never marks anything seen."""

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
from accounts.services.sign_in_notices import mark_sign_in_notices_seen


@login_required
@require_GET
def updates(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    context = {"organization": organization, "updates": update_list(user, organization)}
    return render(request, "accounts/updates.html", context)


@login_required
@require_POST
def open_update(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    """The person pressed the update: it counts as seen, and they go on to its page. Theirs
    alone (anyone else's is 404 before anything)."""
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


@login_required
@require_POST
def sign_in_notice_read(request: AuthenticatedRequest, org: str) -> HttpResponse:
    """The person read the notice about wrong sign-in tries on their home page: it goes."""
    user = request.user
    organization = get_organization_for_user(user, org)
    mark_sign_in_notices_seen(user=user, organization=organization)
    return redirect("organization_home", org=organization.slug)
