"""allauth's code forms (sign-in app or recovery code), at sign-in and when confirming it is
you again, with the per-account delay of `accounts.sign_in_limits`. Set in MFA_FORMS."""

from __future__ import annotations

from allauth.mfa.base import forms as mfa_forms
from django.core.exceptions import ValidationError

from accounts import sign_in_limits


class CodeStepLimit(mfa_forms.BaseAuthenticateForm):  # type: ignore[misc]  # allauth is untyped
    def clean_code(self) -> str:
        limit = sign_in_limits.code_limit(self.user.pk)
        limit.begin()
        try:
            code: str = super().clean_code()
        except ValidationError as error:
            if error.code == "incorrect_code":
                sign_in_limits.code_failed(self.user.pk)
            else:  # allauth's per-address limit refused it before any code was checked
                limit.abandon()
            raise
        limit.succeeded()
        return code


class AuthenticateForm(CodeStepLimit, mfa_forms.AuthenticateForm):  # type: ignore[misc]
    pass


class ReauthenticateForm(CodeStepLimit, mfa_forms.ReauthenticateForm):  # type: ignore[misc]
    pass
