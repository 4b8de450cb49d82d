"""Pages for boards and roles: the admin's roles, the staff's board, the survivor's roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.forms.roles import BoardRoleForm, RoleInvitationForm
from accounts.models import BoardRole, Organization
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from accounts.selectors.roles import (
    board_roles_of,
    board_seats_visible_to,
    get_assignment_for_staff,
    get_board_role_for_admin,
    get_my_assignment,
    my_assignments,
    survivor_leaders_of,
)
from accounts.services import roles as services

ACTION_DONE = {
    "accept": gettext_lazy("You accepted the role. You can pause it or step down at any time."),
    "decline": gettext_lazy("You said no to this role. Nothing bad happens because you said no."),
    "pause": gettext_lazy("Your role is paused. Start it again whenever you like."),
    "resume": gettext_lazy("Your role has started again."),
    "step_down": gettext_lazy(
        "You stepped down from this role. Thank you for your time on the board."
    ),
}


def _form_errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- the admin's roles -------------------------------------------------------------------


def _render_roles(
    request: HttpRequest, organization: Organization, form: BoardRoleForm
) -> HttpResponse:
    return render(
        request,
        "accounts/roles/board_roles.html",
        {
            "organization": organization,
            "roles": board_roles_of(organization),
            "usual_roles": services.USUAL_ROLES,
            "form": form,
        },
    )


@login_required
def board_roles(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    if request.method != "POST":
        return _render_roles(request, organization, BoardRoleForm())
    if "add_usual" in request.POST:
        try:
            services.add_usual_roles(organization=organization, actor=user)
        except ValidationError as exc:
            messages.error(request, _form_errors(exc))
        else:
            messages.success(request, _("The usual roles were added. You can change any of them."))
        return redirect("board_roles", org=organization.slug)
    form = BoardRoleForm(request.POST)
    if form.is_valid():
        try:
            services.create_board_role(organization=organization, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Role added."))
            return redirect("board_roles", org=organization.slug)
    return _render_roles(request, organization, form)


@login_required
def edit_board_role(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    role = get_board_role_for_admin(user, organization, pk)
    form = BoardRoleForm(request.POST if request.method == "POST" else None, initial=_initial(role))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_board_role(role=role, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Role saved."))
            return redirect("board_roles", org=organization.slug)
    context = {"organization": organization, "role": role, "form": form}
    return render(request, "accounts/roles/edit_board_role.html", context)


def _initial(role: BoardRole) -> dict[str, object]:
    return {"name": role.name, "description": role.description, "is_co_chair": role.is_co_chair}


# --- the staff's board -------------------------------------------------------------------


def _invitation_form(
    organization: Organization, data: QueryDict | None = None
) -> RoleInvitationForm:
    return RoleInvitationForm(
        data,
        people=survivor_leaders_of(organization),
        roles=board_roles_of(organization),
    )


def _render_board(
    request: AuthenticatedRequest, organization: Organization, form: RoleInvitationForm
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/roles/board.html",
        {
            "organization": organization,
            "seats": board_seats_visible_to(user, organization),
            "has_roles": board_roles_of(organization).exists(),
            "form": form,
        },
    )


@login_required
def board(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    return _render_board(request, organization, _invitation_form(organization))


@login_required
@require_POST
def invite_to_role(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    form = _invitation_form(organization, request.POST)
    if form.is_valid():
        try:
            services.invite_to_role(invited_by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Invitation sent. They will see it on their page."))
            return redirect("board", org=organization.slug)
    return _render_board(request, organization, form)


@login_required
@require_POST
def withdraw_role_invitation(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    assignment = get_assignment_for_staff(user, organization, pk)
    try:
        services.withdraw_role_invitation(assignment=assignment, actor=user)
    except ValidationError as exc:
        messages.error(request, _form_errors(exc))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("board", org=organization.slug)


# --- the survivor's own roles ------------------------------------------------------------


@login_required
def my_roles(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    context = {"organization": organization, "assignments": my_assignments(user, organization)}
    return render(request, "accounts/roles/my_roles.html", context)


@login_required
@require_POST
def change_my_role(request: AuthenticatedRequest, org: str, pk: int, action: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    assignment = get_my_assignment(user, organization, pk)
    if action not in services.SURVIVOR_ACTIONS:
        raise Http404
    try:
        services.change_my_role(assignment=assignment, person=user, action=action)
    except ValidationError as exc:
        messages.error(request, _form_errors(exc))
    else:
        messages.success(request, ACTION_DONE[action])
    return redirect("my_roles", org=organization.slug)
