from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.models import Role, User
from accounts.selectors import (
    get_organization_for_user,
    is_funder_of,
    membership_in,
    organizations_visible_to,
    waiting_updates_for,
)

HOME_TEMPLATES = {
    Role.SURVIVOR_LEADER: "accounts/home_survivor.html",
    Role.STAFF: "accounts/home_staff.html",
    Role.FINANCE: "accounts/home_finance.html",
    Role.ADMIN: "accounts/home_admin.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a person to the one organization they belong to, or let them pick."""
    user: User = request.user  # type: ignore[assignment]  # login_required guarantees it
    organizations = list(organizations_visible_to(user))
    if len(organizations) == 1:
        return redirect("organization_home", org=organizations[0].slug)
    return render(request, "accounts/choose_organization.html", {"organizations": organizations})


@login_required
def organization_home(request: HttpRequest, org: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organization = get_organization_for_user(user, org)
    membership = membership_in(user, organization)
    if membership is None and is_funder_of(user, organization):
        template = "accounts/home_funder.html"
    else:
        assert membership is not None  # noqa: S101  # visible means member or funder
        template = HOME_TEMPLATES[Role(membership.role)]
    updates = waiting_updates_for(user, organization)
    return render(
        request,
        template,
        {
            "organization": organization,
            "membership": membership,
            "update_count": updates.count(),
        },
    )


@require_GET
def quick_exit(request: HttpRequest) -> HttpResponse:
    """End the session, tell the browser to forget this site, and go somewhere ordinary."""
    logout(request)
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Cache-Control"] = "no-store"
    return response


def session_ended(request: HttpRequest) -> HttpResponse:
    """Where an idle page goes: the session is over and the page says why."""
    logout(request)
    return render(request, "accounts/session_ended.html")


def staying_safer(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staying_safer.html")


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Polled by the idle warning; passive, so it never extends the session."""
    return JsonResponse({"active": request.user.is_authenticated})
