"""allauth's account forms, through its form hooks (ACCOUNT_FORMS): asking for a password
reset learns nothing about the address, changing the password needs a fresh confirmation
that it's you, and asking to change the address tells the current one."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.account_messages import AccountMessage
from accounts.reauthentication import require_recent_confirmation
from accounts.services import account_changes


class ResetPasswordForm(allauth_forms.ResetPasswordForm):  # type: ignore[misc]  # untyped
    """Nothing in the request depends on the address: no lookup here (allauth's form looks
    the address up while validating), one stored row and one task in `save` for every
    address. The response and the time it takes are the same for known and unknown ones."""

    def clean_email(self) -> str:
        email: str = get_adapter().clean_email(self.cleaned_data["email"].lower())
        return email

    def save(self, request: HttpRequest, **kwargs: Any) -> str:
        email: str = self.cleaned_data["email"]
        account_changes.request_password_reset(address=email)
        return email


class ChangePasswordForm(allauth_forms.ChangePasswordForm):  # type: ignore[misc]  # untyped
    """allauth asks only for the current password here. Someone holding a signed-in device
    may know it from a saved password, and the person may have a sign-in app or passkey:
    confirming it's them comes first, by allauth's own flow. The form is built for the page
    and for the post alike, so this check runs before either."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        require_recent_confirmation(context.request)
        super().__init__(*args, **kwargs)


class AddEmailForm(allauth_forms.AddEmailForm):  # type: ignore[misc]  # untyped
    """Asking to change the address (confirmed only once the new one answers) is already a
    change worth telling the current address about: it may be the first sign of a takeover."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = settings.ADDRESS_CHANGE_UNDO_LIFETIME.days
        field = self.fields["email"]
        field.label = _("New e-mail address")
        field.help_text = ngettext(
            "Your old address is told about the change, and can undo it for %(days)d day.",
            "Your old address is told about the change, and can undo it for %(days)d days.",
            days,
        ) % {"days": days}
        field.widget.attrs.pop("placeholder", None)

    def save(self, request: HttpRequest) -> EmailAddress:
        new_address: EmailAddress = super().save(request)
        current = EmailAddress.objects.filter(user=self.user, verified=True, primary=True).first()
        if current is not None and current.pk != new_address.pk:
            account_changes.notify_account_change(
                user=self.user, kind=AccountMessage.ADDRESS_CHANGE_ASKED
            )
        return new_address
