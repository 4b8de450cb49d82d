from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import InvitedRole


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Type the person's e-mail address."),
            "invalid": _("This does not look like an e-mail address. Check it and try again."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=InvitedRole.choices,
        error_messages={"required": _("Choose a role."), "invalid_choice": _("Choose a role.")},
    )
    address_checked = forms.BooleanField(
        label=_("I checked privately with this person that this e-mail address is safe to use"),
        help_text=_("Someone else may read this inbox. Ask the person first, in private."),
        # Needed only when the link goes by e-mail: the service says so (`invite_person`).
        required=False,
    )
    in_person = forms.BooleanField(
        label=_("I will give the link to the person myself, instead of sending an e-mail"),
        help_text=_(
            "For a survivor leader without a safe inbox. Nothing is sent to the address: "
            "they only sign in with it. The link is shown to you once, on the next page."
        ),
        required=False,
    )


class AcceptInvitationForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Use at least 8 characters. A few unusual words together work well."),
        error_messages={"required": _("Choose a password.")},
    )
    password_again = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again.")},
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", _("The two passwords are not the same."))
        return cleaned
