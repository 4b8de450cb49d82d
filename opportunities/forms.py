"""Forms for leadership opportunities. The services check everything again; these only
turn the page's fields into terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.confirm_again import ConfirmAgain, confirm_field
from accounts.models import ExpertiseArea
from accounts.rule_errors import show_rule_errors
from compensation.models import WorkKind
from compensation.money import AMOUNT_TOO_LARGE
from compensation.pay_rules import MAX_BOOKED_HOURS, NO_HOURS, QUARTER_HOUR, booked_hours_message
from opportunities.models import PayBasis
from opportunities.services.opportunities import (
    AREA_UNKNOWN,
    FIXED_AMOUNT_MISSING,
    HOW_CHOSEN_MISSING,
    INVOLVES_MISSING,
    KIND_MISSING,
    NAME_MAX,
    NAME_TOO_LONG,
    PAY_BASIS_MISSING,
    TERMS_NOT_SHOWN,
    TEXT_MAX,
    TIME_NEEDED_MAX,
    TIME_NEEDED_MISSING,
    TITLE_MAX,
    TITLE_MISSING,
    OpportunityTerms,
    PublicTerms,
    pay_and_days_errors,
)

DATE_ERRORS = {"invalid": _("Give the day as a date, like 2025-03-31.")}
HOURS_ERRORS = {
    "required": _("Give the hours, like 1.5."),
    "invalid": booked_hours_message(None),
    "min_value": booked_hours_message(NO_HOURS),
    "max_value": booked_hours_message(MAX_BOOKED_HOURS + QUARTER_HOUR),
    "max_digits": booked_hours_message(MAX_BOOKED_HOURS + QUARTER_HOUR),
    "max_decimal_places": booked_hours_message(QUARTER_HOUR / 2),
}


class OpportunityForm(ConfirmAgain):
    confirm_field_name = "pay_seen"

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={"required": TITLE_MISSING},
    )
    kind = forms.ChoiceField(
        label=_("Kind of work"),
        choices=[("", _("Choose the kind of work")), *WorkKind.choices],
        error_messages={"required": KIND_MISSING},
    )
    area = forms.ChoiceField(
        label=_("Topic (optional)"),
        help_text=_("People who chose this topic in their profile see it first."),
        choices=[("", _("No topic")), *ExpertiseArea.choices],
        required=False,
        error_messages={"invalid_choice": AREA_UNKNOWN},
    )
    involves = forms.CharField(
        label=_("What it involves"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": INVOLVES_MISSING},
    )
    time_needed = forms.CharField(
        label=_("Time needed"),
        help_text=_("For example: two mornings in May, with an hour to prepare."),
        max_length=TIME_NEEDED_MAX,
        error_messages={"required": TIME_NEEDED_MISSING},
    )
    hours = forms.DecimalField(
        label=_("Hours of work, including preparation"),
        help_text=_("In quarter hours, like 3 or 4.5."),
        min_value=QUARTER_HOUR,
        max_value=MAX_BOOKED_HOURS,
        max_digits=5,
        decimal_places=2,
        error_messages=HOURS_ERRORS,
    )
    pay_basis = forms.ChoiceField(
        label=_("How it is paid"),
        choices=PayBasis.choices,
        widget=forms.RadioSelect,
        initial=PayBasis.HOURLY,
        error_messages={"required": PAY_BASIS_MISSING},
    )
    fixed_amount = forms.DecimalField(
        label=_("Fixed amount (only for a fixed amount)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": _("Give the amount as a number, like 250 or 250.50."),
            "min_value": FIXED_AMOUNT_MISSING,
            "max_digits": AMOUNT_TOO_LARGE,
            "max_decimal_places": _("Give the amount to the cent, like 250.50."),
        },
    )
    starts_on = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the first day."), **DATE_ERRORS},
    )
    ends_on = forms.DateField(
        label=_("Last day (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )
    public_facing = forms.BooleanField(
        label=_("The public will see or hear the person"),
        help_text=_("Then the person sets their own terms before saying yes, like no photos."),
        required=False,
    )
    # Named and worded so that no form field in the app reads as asking about anyone's
    # past: this one asks the poster whether the *work* involves personal sharing.
    personal_sharing = forms.BooleanField(
        label=_("The work asks people to talk about their own life"),
        help_text=_(
            "Leave this off unless the work really needs it. If it is on, the page says "
            "plainly that how much to share is always the person's choice."
        ),
        required=False,
    )
    how_chosen = forms.CharField(
        label=_("How people are chosen"),
        help_text=_("For example: in the order people say they are interested."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": HOW_CHOSEN_MISSING},
    )
    # Pay below parity is posted only after a second press for the same pay.
    pay_seen = confirm_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pay_basis") == PayBasis.HOURLY:
            # Hourly work is paid at the organization's rate: an amount typed here is ignored.
            data["fixed_amount"] = None
        found = pay_and_days_errors(
            pay_basis=data.get("pay_basis"),
            fixed_amount=data.get("fixed_amount"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        show_rule_errors(self, found)
        return data

    def terms(self) -> OpportunityTerms:
        data = self.cleaned_data
        return OpportunityTerms(
            title=data["title"],
            kind=data["kind"],
            area=data["area"],
            involves=data["involves"],
            time_needed=data["time_needed"],
            hours=data["hours"],
            pay_basis=data["pay_basis"],
            fixed_amount=data["fixed_amount"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            public_facing=data["public_facing"],
            story_expected=data["personal_sharing"],
            how_chosen=data["how_chosen"],
        )


class PublicTermsForm(forms.Form):
    """The survivor's own terms for public-facing work. `terms_shown` proves the form with
    the terms was on the page that was sent: an answer without it is not an acceptance."""

    terms_shown = forms.CharField(
        widget=forms.HiddenInput,
        initial="1",
        error_messages={"required": TERMS_NOT_SHOWN},
    )
    no_photos = forms.BooleanField(label=_("No photos of me"), required=False)
    no_recording = forms.BooleanField(label=_("No audio or video recording"), required=False)
    first_name_only = forms.BooleanField(label=_("Use my first name only"), required=False)
    different_name = forms.CharField(
        label=_("Use a different name (optional)"),
        help_text=_("The name the public will see instead of yours."),
        max_length=NAME_MAX,
        required=False,
        error_messages={"max_length": NAME_TOO_LONG},
    )
    no_organization_name = forms.BooleanField(
        label=_("Do not put the organization's name next to mine"), required=False
    )

    def public_terms(self) -> PublicTerms:
        data = self.cleaned_data
        return PublicTerms(
            no_photos=data["no_photos"],
            no_recording=data["no_recording"],
            first_name_only=data["first_name_only"],
            different_name=data["different_name"],
            no_organization_name=data["no_organization_name"],
        )


ANSWER_CHOICES = [
    ("yes", _("Yes, I will do this work")),
    ("no", _("No, thank you")),
]


class AnswerOfferForm(PublicTermsForm):
    """Yes or no, with no box for a reason. For public-facing work the terms come with the
    answer; for other work they are dropped."""

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )

    def __init__(self, *args: Any, public_facing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.public_facing = public_facing
        if not public_facing:
            for name in (
                "terms_shown",
                "no_photos",
                "no_recording",
                "first_name_only",
                "different_name",
                "no_organization_name",
            ):
                del self.fields[name]

    def accepts(self) -> bool:
        return bool(self.cleaned_data["answer"] == "yes")

    def public_terms(self) -> PublicTerms:
        if not self.public_facing:
            return PublicTerms()
        return super().public_terms()


class CompleteForm(ConfirmAgain):
    confirm_field_name = "confirm_fewer"

    hours = forms.DecimalField(
        label=_("Hours actually worked, including preparation"),
        help_text=_("In quarter hours, like 3 or 4.5."),
        min_value=QUARTER_HOUR,
        max_value=MAX_BOOKED_HOURS,
        max_digits=5,
        decimal_places=2,
        error_messages=HOURS_ERRORS,
    )

    # The hours staff already confirmed, when they are fewer than agreed: the page asks
    # once ("press again") and this carries the answer, for exactly those hours.
    confirm_fewer = confirm_field()

    def __init__(self, *args: Any, hourly: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not hourly:
            del self.fields["hours"]
            del self.fields["confirm_fewer"]

    def fewer_unconfirmed(self, agreed: Decimal) -> bool:
        """Fewer hours than agreed, not yet confirmed for these hours. Sets the hidden
        answer, so pressing the button again confirms them."""
        hours = self.cleaned_data.get("hours")
        if hours is None or hours >= agreed:
            return False
        return not self.confirmed_again(format(hours.normalize(), "f"))
