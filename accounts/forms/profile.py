"""Forms for "My seat". They only gather and tidy input; the services check and save it.

No field here — or in any other form — asks about anyone's past: a test scans every form's
field names, labels and help texts for words that would."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import DELIVERED_CHANNELS, ExpertiseArea
from accounts.rule_errors import show_rule_errors
from accounts.services.profile import NAME_MISSING, quiet_hours_errors
from accounts.time_zones import time_zone_choices, zone_label


def quiet_hour_choices() -> list[tuple[str, str | Promise]]:
    hours = [time(hour, minute) for hour in range(24) for minute in (0, 30)]
    return [("", _("No quiet hours")), *[(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in hours]]


def _to_time(value: str) -> time:
    return time.fromisoformat(value)


class _PlainLabels(forms.Form):
    """Labels without Django's trailing colon: they read as plain sentences."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProfileForm(_PlainLabels):
    chosen_name = forms.CharField(
        label=_("The name you want us to use"),
        help_text=_("It does not have to be your legal name."),
        max_length=80,
        error_messages={"required": NAME_MISSING},
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    pronouns = forms.CharField(
        label=_("Pronouns"),
        help_text=_("For example: she/her, he/him, they/them. You can leave this empty."),
        max_length=40,
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages you speak"),
        help_text=_("You can leave this empty."),
        max_length=200,
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        help_text=_("We use it to show times and to keep your quiet hours."),
        choices=time_zone_choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )
    expertise = forms.MultipleChoiceField(
        label=_("What you know a lot about"),
        help_text=_("Pick any that fit. You can change them any time."),
        choices=ExpertiseArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose areas from the list.")},
    )
    availability = forms.CharField(
        label=_("When you are usually free"),
        help_text=_("For example: weekday evenings. You can leave this empty."),
        max_length=300,
        required=False,
    )
    safe_channels = forms.MultipleChoiceField(
        label=_("Safe ways to tell you there is an update"),
        help_text=_(
            "Tick only what is safe for you. If you tick none, we will not contact you: "
            "you will see updates when you sign in here."
        ),
        choices=[(channel.value, channel.label) for channel in DELIVERED_CHANNELS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    quiet_hours_start = forms.TypedChoiceField(
        label=_("Quiet hours start at"),
        help_text=_("We never contact you between these times, in your time zone."),
        choices=quiet_hour_choices,
        coerce=_to_time,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a time from the list.")},
    )
    quiet_hours_end = forms.TypedChoiceField(
        label=_("Quiet hours end at"),
        choices=quiet_hour_choices,
        coerce=_to_time,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a time from the list.")},
    )

    def __init__(self, *args: Any, organization_time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # First, and chosen until the person picks another: the program's own zone, which
        # follows the program if it ever changes.
        field: forms.ChoiceField = self.fields["time_zone"]  # type: ignore[assignment]  # declared above
        program = _("The program's time zone (%(zone)s)") % {
            "zone": zone_label(organization_time_zone)
        }
        field.choices = [("", program), *time_zone_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("quiet_hours_start"), cleaned.get("quiet_hours_end")
        both_given = "quiet_hours_start" in cleaned and "quiet_hours_end" in cleaned
        if both_given:
            show_rule_errors(self, quiet_hours_errors(start, end))
        return cleaned


class PaymentDetailsForm(_PlainLabels):
    legal_name = forms.CharField(
        label=_("Legal name"),
        help_text=_("Only if a payment needs it, for example a cheque."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("Only if a payment needs it."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    mailing_address = forms.CharField(
        label=_("Safe mailing address"),
        help_text=_("An address where post is safe for you. Only if a payment needs it."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
    )
