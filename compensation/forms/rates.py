"""Forms for finance's setup pages. They check what was typed; the services in
compensation/services/rates.py check the rest and write.

Field names match the keys of the services' errors, so an error the service finds (an
overlapping rate, a currency already used for pay) shows next to the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rule_errors import show_rule_errors
from compensation.models import (
    DEFAULT_TAX_THRESHOLD,
    LateCancellationPay,
    OfferedMethod,
    PaymentMethod,
    RateBasis,
)
from compensation.money import AMOUNT_TOO_LARGE
from compensation.services.rates import (
    BASIS_MISSING,
    CURRENCY_NOT_CODE,
    MEMO_MISSING,
    PAYER_MISSING,
    MethodTerms,
    PaySettingsTerms,
    RateTerms,
    method_field,
    rate_errors_across_fields,
)
from meetings.models import MeetingRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": gettext_lazy("Type the date like 2026-05-31.")}


def money_field(
    label: StrOrPromise, *, too_small: StrOrPromise, help_text: StrOrPromise = "", **kwargs: Any
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=12,
        decimal_places=2,
        max_value=MAX_MONEY,
        error_messages={
            "required": gettext_lazy("Type an amount, like 50 or 42.50."),
            "invalid": gettext_lazy("Type the amount as a number, like 50 or 42.50."),
            "max_decimal_places": gettext_lazy("Use at most two digits after the point."),
            "max_digits": AMOUNT_TOO_LARGE,
            "max_whole_digits": AMOUNT_TOO_LARGE,
            "max_value": AMOUNT_TOO_LARGE,
            "min_value": too_small,
        },
        **kwargs,
    )


def minutes_field(label: StrOrPromise, *, low: int, high: int, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": gettext_lazy("Type a number of minutes."),
            "invalid": gettext_lazy("Type a whole number of minutes."),
            "min_value": gettext_lazy("Type at least %(limit_value)s."),
            "max_value": gettext_lazy("Type at most %(limit_value)s."),
        },
        **kwargs,
    )


class RateForm(forms.Form):
    basis = forms.ChoiceField(
        label=gettext_lazy("How it is paid"),
        choices=RateBasis.choices,
        initial=RateBasis.HOURLY,
        widget=forms.RadioSelect,
        error_messages={"required": BASIS_MISSING},
    )
    amount = money_field(
        gettext_lazy("Amount"),
        help_text=gettext_lazy("Per hour, or for the whole meeting."),
        min_value=CENT,
        too_small=gettext_lazy("The amount must be more than 0."),
    )
    meeting_role = forms.ChoiceField(
        label=gettext_lazy("For which meeting role"),
        choices=[("", gettext_lazy("Any meeting role")), *MeetingRole.choices],
        required=False,
        help_text=gettext_lazy(
            "A rate for one role (such as chair) is used for that role; the rate for any role "
            "is used for everyone else."
        ),
    )
    usual_minutes = minutes_field(
        gettext_lazy("Usual meeting length in minutes"),
        low=15,
        high=8 * 60,
        required=False,
        help_text=gettext_lazy(
            "Needed for a fixed amount per meeting: it shows what the amount is per hour, "
            "and pays other work by the hour."
        ),
    )
    minimum_paid_minutes = minutes_field(
        gettext_lazy("Minimum paid time in minutes"),
        low=0,
        high=8 * 60,
        initial=60,
        help_text=gettext_lazy("Someone who comes is paid at least this much time."),
    )
    late_cancellation_hours = forms.IntegerField(
        label=gettext_lazy("A cancellation by the program is late with less notice than"),
        min_value=0,
        max_value=24 * 14,
        initial=48,
        help_text=gettext_lazy("In hours. 48 means two days."),
        error_messages={
            "required": gettext_lazy("Type a number of hours."),
            "invalid": gettext_lazy("Type a whole number of hours."),
            "min_value": gettext_lazy("Type at least %(limit_value)s."),
            "max_value": gettext_lazy("Type at most %(limit_value)s (two weeks)."),
        },
    )
    late_cancellation_pay = forms.ChoiceField(
        label=gettext_lazy("When the program cancels late, pay"),
        choices=LateCancellationPay.choices,
        initial=LateCancellationPay.PLANNED_LENGTH,
        widget=forms.RadioSelect,
    )
    benchmark_hourly = money_field(
        gettext_lazy("What a professional consultant is paid per hour"),
        help_text=gettext_lazy("Your organization's usual rate for outside experts."),
        min_value=CENT,
        too_small=gettext_lazy("The consultant rate must be more than 0."),
    )
    effective_from = forms.DateField(
        label=gettext_lazy("First day"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": gettext_lazy("Choose the first day.")},
    )
    effective_to = forms.DateField(
        label=gettext_lazy("Last day (leave empty if it has none yet)"),
        widget=DATE_WIDGET,
        required=False,
        error_messages=DATE_ERRORS,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        found = rate_errors_across_fields(
            basis=cleaned.get("basis"),
            usual_minutes=cleaned.get("usual_minutes"),
            effective_from=cleaned.get("effective_from"),
            effective_to=cleaned.get("effective_to"),
        )
        show_rule_errors(self, found)
        return cleaned

    def terms(self) -> RateTerms:
        data = self.cleaned_data
        return RateTerms(
            basis=data["basis"],
            amount=data["amount"],
            benchmark_hourly=data["benchmark_hourly"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
            meeting_role=data["meeting_role"],
            usual_minutes=data["usual_minutes"],
            minimum_paid_minutes=data["minimum_paid_minutes"],
            late_cancellation_hours=data["late_cancellation_hours"],
            late_cancellation_pay=data["late_cancellation_pay"],
        )


class EndRateForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Last day paid at this rate"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": gettext_lazy("Choose the last day.")},
    )


class PaySettingsForm(forms.Form):
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        min_length=3,
        help_text=gettext_lazy("Three letters, like USD or EUR."),
        error_messages={
            "required": CURRENCY_NOT_CODE,
            "min_length": CURRENCY_NOT_CODE,
            "max_length": CURRENCY_NOT_CODE,
        },
    )
    payer_name = forms.CharField(
        label=gettext_lazy("Payer name"),
        max_length=120,
        error_messages={"required": PAYER_MISSING},
    )
    payment_memo = forms.CharField(
        label=gettext_lazy("Memo on payments"),
        max_length=120,
        error_messages={"required": MEMO_MISSING},
    )
    benefits_help_url = forms.URLField(
        label=gettext_lazy("Link to free benefits counselling"),
        required=False,
        error_messages={"invalid": gettext_lazy("Type a web address, like https://example.org.")},
    )
    tax_help_url = forms.URLField(
        label=gettext_lazy("Link to free tax help"),
        required=False,
        error_messages={"invalid": gettext_lazy("Type a web address, like https://example.org.")},
    )
    tax_threshold = money_field(
        gettext_lazy("Tax-reporting threshold per year"),
        help_text=gettext_lazy(
            "Before someone's pay in a year goes over this amount, they are told a tax form "
            "will be needed. Their pay is never held back because of it."
        ),
        min_value=Decimal("0"),
        too_small=gettext_lazy("The threshold cannot be less than 0."),
        initial=DEFAULT_TAX_THRESHOLD,
    )

    def clean_currency(self) -> str:
        currency: str = self.cleaned_data["currency"]
        return currency.strip().upper()

    def terms(self) -> PaySettingsTerms:
        data = self.cleaned_data
        return PaySettingsTerms(
            currency=data["currency"],
            payer_name=data["payer_name"],
            payment_memo=data["payment_memo"],
            tax_threshold=data["tax_threshold"],
            benefits_help_url=data["benefits_help_url"],
            tax_help_url=data["tax_help_url"],
        )


# --- the payment methods offered: one form, a group of fields per method ------------------

METHOD_TEXTS = {
    "fees": gettext_lazy("Fees"),
    "on_statements": gettext_lazy("What appears on bank or card statements"),
    "on_envelopes": gettext_lazy("What appears on envelopes"),
    "on_tax_forms": gettext_lazy("What appears on tax forms"),
}


@dataclass(frozen=True)
class MethodFields:
    """What the template needs for one method's fieldset."""

    method: str
    label: str
    people: int
    offered: forms.BoundField
    texts: list[forms.BoundField]


class OfferedMethodsForm(forms.Form):
    """Every payment method at once, each with fields named `<method>_<field>`."""

    def __init__(
        self,
        *args: Any,
        saved: dict[str, OfferedMethod],
        people: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for method, label in PaymentMethod.choices:
            found = saved.get(method)
            self.fields[method_field(method, "offered")] = forms.BooleanField(
                label=_("We offer this: %(method)s") % {"method": label},
                required=False,
                initial=bool(found and found.offered),
            )
            for name, text_label in METHOD_TEXTS.items():
                self.fields[method_field(method, name)] = forms.CharField(
                    label=text_label,
                    max_length=200,
                    required=False,
                    initial=getattr(found, name, ""),
                )

    def methods(self) -> list[MethodFields]:
        return [
            MethodFields(
                method=method,
                label=str(label),
                people=self.people.get(method, 0),
                offered=self[method_field(method, "offered")],
                texts=[self[method_field(method, name)] for name in METHOD_TEXTS],
            )
            for method, label in PaymentMethod.choices
        ]

    def rows(self) -> list[MethodTerms]:
        data = self.cleaned_data
        return [
            MethodTerms(
                method=method,
                offered=bool(data[method_field(method, "offered")]),
                fees=data[method_field(method, "fees")],
                on_statements=data[method_field(method, "on_statements")],
                on_envelopes=data[method_field(method, "on_envelopes")],
                on_tax_forms=data[method_field(method, "on_tax_forms")],
            )
            for method in PaymentMethod.values
        ]
