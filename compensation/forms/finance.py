"""Finance's forms: approving pay, making a batch, marking a batch paid.

The approval form takes entry ids as plain numbers: the service approves only those still
waiting in this organization, so a list opened before someone else approved some of it
never approves anything twice or anything from elsewhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compensation.services.payments import (
    MAX_APPROVALS_AT_ONCE,
    METHOD_NOT_OFFERED,
    REFERENCE_MAX_LENGTH,
    REFERENCE_MISSING,
    TOO_MANY_AT_ONCE,
)


class IdListField(forms.Field):
    """A list of ids, from checkboxes or hidden inputs sharing one name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            ids = sorted({int(item) for item in value})
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Something in the list was not understood.")) from exc
        if any(not 0 < pk < 2**63 for pk in ids):  # a database id never lies outside this
            raise ValidationError(_("Something in the list was not understood."))
        if len(ids) > MAX_APPROVALS_AT_ONCE:
            raise ValidationError(TOO_MANY_AT_ONCE % {"count": MAX_APPROVALS_AT_ONCE})
        return ids


class ApprovalForm(forms.Form):
    SELECTED = "selected"
    SHOWN = "shown"

    entry = IdListField(required=False)
    shown = IdListField(required=False)
    approve = forms.ChoiceField(
        choices=[(SELECTED, SELECTED), (SHOWN, SHOWN)],
        error_messages={
            "required": gettext_lazy("Use one of the two buttons to approve."),
            "invalid_choice": gettext_lazy("Use one of the two buttons to approve."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "approve" in data and not self.chosen_ids(data):
            raise ValidationError(
                _("Choose the pay to approve first, or use “Approve all on this page”.")
            )
        return data

    def chosen_ids(self, data: dict[str, Any] | None = None) -> list[int]:
        data = data if data is not None else self.cleaned_data
        ids: list[int] = data.get("shown" if data.get("approve") == self.SHOWN else "entry", [])
        return ids


class BatchForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Pay everyone who chose"),
        error_messages={
            "required": gettext_lazy("Choose how this batch will be paid."),
            "invalid_choice": METHOD_NOT_OFFERED,
        },
    )

    def __init__(self, *args: Any, methods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods  # type: ignore[attr-defined]  # a ChoiceField


class MarkPaidForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"),
        help_text=gettext_lazy("The reference your bank or payment processor gave this payment."),
        max_length=REFERENCE_MAX_LENGTH,
        error_messages={"required": REFERENCE_MISSING},
    )
    paid_on = forms.DateField(
        label=gettext_lazy("Day it was paid"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Write the day it was paid."),
            "invalid": gettext_lazy("Write the day as year-month-day, like 2026-03-31."),
        },
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = today
