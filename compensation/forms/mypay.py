"""Forms for the survivor's own pay pages. The services check everything again; these
forms only turn what was posted into values and say plainly what is missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from accounts.rule_errors import show_rule_errors
from compensation.models import HoldChoice, OfferedMethod, PaymentPreference, Schedule
from compensation.money import AMOUNT_TOO_LARGE
from compensation.services.choices import (
    AMOUNT_NOT_NUMBER,
    FATE_MISSING,
    LIMIT_BELOW_ZERO,
    METHOD_NOT_OFFERED,
    MONTH_UNKNOWN,
    TOO_MANY_DECIMALS,
    WHEN_MISSING,
    months_error,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CAP_ERRORS = {
    "invalid": AMOUNT_NOT_NUMBER,
    "min_value": LIMIT_BELOW_ZERO,
    "max_digits": AMOUNT_TOO_LARGE,
    "max_whole_digits": AMOUNT_TOO_LARGE,
    "max_decimal_places": TOO_MANY_DECIMALS,
}


def _cap_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        error_messages=CAP_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class PaymentChoicesForm(forms.Form):
    label_suffix = ""  # the labels are questions and sentences; no colon after them
    """Nothing is chosen for anyone: a person who has not chosen yet sees no answer
    selected, and cards are never the default."""

    method = forms.ChoiceField(
        label=_("How you want to be paid"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want to be paid."),
            "invalid_choice": METHOD_NOT_OFFERED,
        },
    )
    schedule = forms.ChoiceField(
        label=_("When you want to be paid"),
        choices=Schedule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": WHEN_MISSING},
    )
    months = forms.TypedMultipleChoiceField(
        label=_("The months you want to be paid in"),
        choices=[(number, name) for number, name in MONTHS.items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    monthly_cap = _cap_field(
        _("The most you want to be paid in one month (optional)"),
        _("Leave it empty for no limit. Pay over it is held until you decide."),
    )
    yearly_cap = _cap_field(
        _("The most you want to be paid in one year (optional)"),
        _("Leave it empty for no limit. Pay over it is held until you decide."),
    )

    def __init__(
        self,
        *args: Any,
        offered: list[OfferedMethod],
        preference: PaymentPreference | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offered = offered
        method = self.fields["method"]
        method.choices = [(m.method, m.get_method_display()) for m in offered]  # type: ignore[attr-defined]  # a ChoiceField; Field does not say so
        method.required = bool(offered)
        if preference is not None:
            if preference.method in {m.method for m in offered}:
                self.initial["method"] = preference.method
            self.initial["schedule"] = preference.schedule
            self.initial["months"] = preference.months
            self.initial["monthly_cap"] = preference.monthly_cap
            self.initial["yearly_cap"] = preference.yearly_cap

    def method_options(self) -> list[tuple[BoundWidget, OfferedMethod]]:
        """Each radio button with the organization's details for that method."""
        return list(zip(self["method"], self.offered, strict=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        error = months_error(data.get("schedule"), data.get("months") or [])
        if error:
            show_rule_errors(self, {"months": error})
        return data


class HoldDecisionForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[
            (c, HoldChoice(c).label)
            for c in (HoldChoice.LATER, HoldChoice.TAKE, HoldChoice.DECLINE)
        ],
        error_messages={
            "required": FATE_MISSING,
            "invalid_choice": FATE_MISSING,
        },
    )
    month = forms.ChoiceField(required=False)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, months: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.months = {f"{m:%Y-%m}": m for m in months}
        month = self.fields["month"]
        month.choices = [("", ""), *((key, key) for key in self.months)]  # type: ignore[attr-defined]  # a ChoiceField; Field does not say so
        month.error_messages["invalid_choice"] = MONTH_UNKNOWN

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("choice") == HoldChoice.LATER and not data.get("month"):
            self.add_error("month", _("Choose the month you want it paid in."))
        return data

    def release_from(self) -> date | None:
        if self.cleaned_data["choice"] != HoldChoice.LATER:
            return None
        return self.months[self.cleaned_data["month"]]

    def needs_confirmation(self) -> bool:
        return bool(
            self.cleaned_data["choice"] == HoldChoice.DECLINE and not self.cleaned_data["confirm"]
        )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(required=False)
