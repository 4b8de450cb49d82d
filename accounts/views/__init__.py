from __future__ import annotations

import base64

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import services
from accounts.forms.invitations import AcceptInvitationForm, InviteForm
from accounts.models import Organization, Role, User
from accounts.permissions import (
    AuthenticatedRequest,
    Capability,
    organization_for,
    organizations_visible_to,
    standing_in,
)
from accounts.selectors import (
    get_invitation_for_admin,
    get_organization_for_user,
    get_usable_invitation,
    invitations_visible_to,
    is_address_of,
    members_visible_to,
    membership_in,
    open_invitations_visible_to,
)
from accounts.selectors.profile import member_rows, profile_of
from accounts.selectors.sign_in_notices import sign_in_notice_for
from accounts.selectors.updates import needs_you_now, unseen_updates
from accounts.services.invitations import hand_over_invitation
from accounts.services.sign_in_notices import SIGN_IN_ATTEMPTS
from accounts.update_kinds import FUNDER

HOME_TEMPLATES = {
    Role.SURVIVOR_LEADER: "accounts/home_survivor.html",
    Role.STAFF: "accounts/home_staff.html",
    Role.FINANCE: "accounts/home_finance.html",
    Role.ADMIN: "accounts/home_admin.html",
}


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Send a person to the one organization they belong to, or let them pick."""
    user = request.user
    organizations = list(organizations_visible_to(user))
    if len(organizations) == 1:
        return redirect("organization_home", org=organizations[0].slug)
    return render(request, "accounts/choose_organization.html", {"organizations": organizations})


@login_required
def organization_home(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    membership = membership_in(user, organization)
    standing = standing_in(user, organization, role=membership.role if membership else None)
    if standing.may(Capability.READ_FUNDED_REPORTS):
        template = "accounts/home_funder.html"
    else:
        assert membership is not None  # noqa: S101  # visible means member or funder
        template = HOME_TEMPLATES[Role(membership.role)]
    role = membership.role if membership is not None else FUNDER
    context = {
        "organization": organization,
        "membership": membership,
        # Shown here in full until the person says they have read it (a POST): the page
        # itself writes nothing, and the notice is never also counted as an update.
        "sign_in_notice": sign_in_notice_for(user, organization),
        "update_count": unseen_updates(user, organization).exclude(kind=SIGN_IN_ATTEMPTS).count(),
        "needs_you": needs_you_now(user, organization, role),
        # Survivor leaders are greeted by the chosen name they gave this organization, or
        # told how to give one: a profile given elsewhere is not theirs to read here.
        "survivor_profile": (
            profile_of(user, organization) if standing.may(Capability.USE_OWN_SEAT) else None
        ),
    }
    if standing.may(Capability.MANAGE_ORGANIZATION):
        context["member_count"] = members_visible_to(user, organization).count()
        context["open_invitation_count"] = open_invitations_visible_to(user, organization).count()
    return render(request, template, context)


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


def _render_members(
    request: AuthenticatedRequest, organization: Organization, form: InviteForm
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/members.html",
        {
            "organization": organization,
            "members": member_rows(user, organization),
            "invitations": invitations_visible_to(user, organization),
            "form": form,
            "invitation_days": settings.INVITATION_LIFETIME.days,
        },
    )


@login_required
def members(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    return _render_members(request, organization, InviteForm())


@login_required
def invite_person(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    if request.method != "POST":
        return redirect("members", org=organization.slug)
    form = InviteForm(request.POST)
    if form.is_valid() and form.cleaned_data["in_person"]:
        return _hand_over(request, organization, form)
    if form.is_valid():
        try:
            services.invite_person(
                organization=organization,
                invited_by=user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                address_checked=form.cleaned_data["address_checked"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("members", org=organization.slug)
    return _render_members(request, organization, form)


def _hand_over(
    request: AuthenticatedRequest, organization: Organization, form: InviteForm
) -> HttpResponse:
    """The link, shown on this response only: never redirected to, put in the session, the
    messages or a log. Going back or reloading cannot show it again (a second post finds an
    open invitation and says so), and the page is not stored by the browser (no-store)."""
    user = request.user
    try:
        invitation, link = hand_over_invitation(
            organization=organization,
            invited_by=user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_members(request, organization, form)
    context = {
        "organization": organization,
        "invitation": invitation,
        "link": link,
        "link_qr_code": _qr_code(link),
        "invitation_days": settings.INVITATION_LIFETIME.days,
    }
    return render(request, "accounts/invitation_hand_over.html", context)


def _qr_code(text: str) -> str:
    """A QR code of `text` as an image address, made in memory: the person scans the link
    with their own phone instead of copying it. allauth's MFA adapter already makes QR
    codes (for sign-in apps) with the library it depends on."""
    svg: str = get_mfa_adapter().build_totp_svg(text)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def revoke_invitation(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    invitation = get_invitation_for_admin(user, organization, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.revoke_invitation(invitation=invitation, revoked_by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation cancelled. The link no longer works."))
    return redirect("members", org=organization.slug)


def _invitation_unusable(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/invitation_unusable.html", status=410)


# The link this device opened, kept while its holder signs in (see `accept_invitation`).
# Kept in the session rather than in the sign-in page's `next`, so the token never travels
# in another address (browser history, access logs) than the one the e-mail holds.
PENDING_INVITATION = "pending_invitation"


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link proves the person reads the invited inbox. Unknown, used, revoked
    and expired links all get the same page, so a guessed link learns nothing.

    The link never gives anyone an existing account: a person who already has one signs in
    as themselves (with their second step, if they have one) and then accepts; a new person
    chooses a password. What the page tells someone holding only the link about whether
    the address has an account: the page itself is the same for every address — both ways
    in, side by side, with no name, organization or address on it. Only choosing a password
    for an address that already has an account gets a different answer ("sign in first"),
    and that one is unavoidable: setting the password would hand over the account, and
    pretending to succeed would leave a real new person unable to join. It costs a valid,
    unused link per answer, tells nothing about where else the person belongs, and changes
    nothing on the account. Someone signed in as another person learns only that the link
    is not for them (they must sign out first, so two people's accounts never mix)."""
    invitation = get_usable_invitation(token)
    if invitation is None:
        return _invitation_unusable(request)
    signed_in = request.user
    if isinstance(signed_in, User):
        if not is_address_of(signed_in, invitation.email):
            return render(request, "accounts/invitation_signed_in.html")
        return _accept_signed_in(request, token, signed_in, invitation.organization)
    request.session[PENDING_INVITATION] = token
    return _accept_as_new_person(request, token)


def _accept_signed_in(
    request: HttpRequest, token: str, user: User, organization: Organization
) -> HttpResponse:
    """An existing person, signed in as themselves: one button. Nothing posted here is read
    — a password field sent along is ignored, and their password never changes."""
    error = ""
    if request.method == "POST":
        try:
            services.accept_invitation_signed_in(token=token, user=user, request=request)
        except ValidationError as exc:
            if getattr(exc, "code", None) == services.UNUSABLE:
                return _invitation_unusable(request)
            error = " ".join(exc.messages)
        else:
            request.session.pop(PENDING_INVITATION, None)
            messages.success(request, _("You have joined %(name)s.") % {"name": organization.name})
            return redirect("organization_home", org=organization.slug)
    context = {"organization": organization, "error": error}
    return render(request, "accounts/invitation_join.html", context)


def _accept_as_new_person(request: HttpRequest, token: str) -> HttpResponse:
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = services.accept_invitation(
                token=token, password=form.cleaned_data["password"], request=request
            )
        except ValidationError as exc:
            code = getattr(exc, "code", None)
            if code == services.UNUSABLE:
                return _invitation_unusable(request)
            form.add_error(None if code == services.SIGN_IN_FIRST else "password", exc)
        else:
            request.session.pop(PENDING_INVITATION, None)
            # Choosing the password on this page is signing in with it, as far as allauth's
            # record of this session's sign-ins is concerned.
            record_authentication(request, user, "password")
            response: HttpResponse = perform_login(request, user, redirect_url=reverse("home"))
            return response
    return render(request, "accounts/invitation_accept.html", {"form": form})


@login_required
def continue_invitation(request: AuthenticatedRequest) -> HttpResponse:
    """Where signing in from an invitation's page comes back to: the link this device
    opened, if there is one, else home."""
    token = request.session.get(PENDING_INVITATION)
    if not isinstance(token, str) or not token:
        return redirect("home")
    return redirect("accept_invitation", token=token)
