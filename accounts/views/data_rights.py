"""Data rights: "Download my data" and "Delete my account".

Anyone who belongs to an organization (or funds it) may download their own data; deleting
the account is on the survivor leader's own page. Both ask the person to confirm it's them
first (their password, or their sign-in app if they have one).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.data_rights import deletion_notices
from accounts.models import DataExport, ExportStatus, Organization, User
from accounts.permissions import AuthenticatedRequest, Capability, grants, organization_for
from accounts.reauthentication import confirm_it_is_you
from accounts.selectors import get_organization_for_user, membership_in
from accounts.selectors.data_rights import get_export_for_owner, latest_export_of
from accounts.services import data_rights as services


class DeleteAccountForm(forms.Form):
    KEEP = "keep"
    DELETE = "delete"

    input_choice = forms.ChoiceField(
        label=_("What you said in meetings"),
        choices=[
            (DELETE, _("Delete everything I said in meetings")),
            (KEEP, _("Keep what I said, without my name")),
        ],
        initial=DELETE,
        widget=forms.RadioSelect,
    )
    PAY_FIRST = "pay_first"
    FORGO = "forgo"
    # Asked only when an app says something is owed to the person (see deletion_notices).
    pay_choice = forms.ChoiceField(
        label=_("Pay you have earned and not been paid yet"),
        choices=[
            (PAY_FIRST, _("Pay it to me first")),
            (FORGO, _("I give it up")),
        ],
        initial=PAY_FIRST,
        widget=forms.RadioSelect,
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and this cannot be undone."),
        error_messages={"required": _("Tick the box if you want to delete your account.")},
    )

    def __init__(self, *args: Any, ask_about_pay: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_about_pay:
            del self.fields["pay_choice"]

    def forgo_unpaid_pay(self) -> bool:
        return self.cleaned_data.get("pay_choice") == self.FORGO


def _is_expired(export: DataExport) -> bool:
    return export.expires_at <= timezone.now()


def _expired(request: HttpRequest, organization: Organization, status: int = 410) -> HttpResponse:
    return render(
        request,
        "accounts/data_rights/export_expired.html",
        {"organization": organization},
        status=status,
    )


def _export_or_expired_page(
    request: HttpRequest, user: User, organization: Organization, public_id: UUID
) -> DataExport | HttpResponse:
    """The person's own export, or the "expired" page: a purged or replaced file, and
    someone else's, all read the same (404 for those, so nothing says which it was)."""
    try:
        export = get_export_for_owner(user, public_id)
    except Http404:
        return _expired(request, organization, status=404)
    if _is_expired(export):
        return _expired(request, organization)
    return export


@login_required
def my_data(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    membership = membership_in(user, organization)
    return render(
        request,
        "accounts/data_rights/my_data.html",
        {
            "organization": organization,
            "export": latest_export_of(user),
            "can_delete": grants(membership.role if membership else None, Capability.USE_OWN_SEAT),
        },
    )


@login_required
@require_POST
def request_data_export(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    export = services.request_data_export(user=user)
    return redirect("data_export_status", org=organization.slug, public_id=export.public_id)


@login_required
def data_export_status(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    export = _export_or_expired_page(request, user, organization, public_id)
    if isinstance(export, HttpResponse):
        return export
    context = {"organization": organization, "export": export}
    if getattr(request, "htmx", False):
        # The polled progress box only: it never offers the file itself.
        return render(request, "accounts/data_rights/_export_progress.html", context)
    if export.status == ExportStatus.READY and (
        confirm := confirm_it_is_you(request, request.path)
    ):
        return confirm
    return render(request, "accounts/data_rights/export_status.html", context)


@login_required
def download_data_export(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    organization = get_organization_for_user(user, org)
    export = _export_or_expired_page(request, user, organization, public_id)
    if isinstance(export, HttpResponse):
        return export
    status_url = reverse(
        "data_export_status", kwargs={"org": organization.slug, "public_id": export.public_id}
    )
    if export.status != ExportStatus.READY:
        return redirect(status_url)
    if confirm := confirm_it_is_you(request, status_url):
        return confirm
    response = HttpResponse(services.read_export(export), content_type="application/zip")
    services.record_export_download(export=export)
    # A name that says nothing about what is inside or where it came from.
    filename = f"download-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@login_required
def delete_account(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    if confirm := confirm_it_is_you(request, request.path):
        return confirm
    notices = deletion_notices(user)
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None, ask_about_pay=bool(notices)
    )
    if form.is_valid():
        services.erase_account(
            user=user,
            keep_input_anonymous=form.cleaned_data["input_choice"] == DeleteAccountForm.KEEP,
            forgo_unpaid_pay=form.forgo_unpaid_pay(),
        )
        logout(request)
        return render(request, "accounts/data_rights/account_deleted.html")
    return render(
        request,
        "accounts/data_rights/delete_account.html",
        {"organization": organization, "form": form, "notices": notices},
    )
