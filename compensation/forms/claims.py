"""Forms for other paid work (claims) and flagged hours. The services check everything again;
these give the page its fields, labels and first errors."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.rule_errors import show_rule_errors
from compensation.models import FlagOutcome, WorkKind
from compensation.pay_rules import MAX_HOURS_A_DAY, MIN_CLAIM_HOURS, QUARTER_HOUR, hours_message
from compensation.services.claims import TEXT_MAX, answer_errors
from compensation.services.flags import ANSWER_MISSING
from meetings.models import Meeting

PAST_NOTE = _("You never have to share anything about your past.")

if TYPE_CHECKING:
    _MeetingChoiceField = forms.ModelChoiceField[Meeting]
else:  # Django's form fields take no type arguments at run time
    _MeetingChoiceField = forms.ModelChoiceField


class _MeetingChoice(_MeetingChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title} ({date_format(localtime(obj.starts_at), 'j F Y')})"


def _hours_field(label: str, minimum: Decimal, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=minimum,
        max_value=MAX_HOURS_A_DAY,
        step_size=QUARTER_HOUR,
        max_digits=4,
        decimal_places=2,
        error_messages={
            "invalid": hours_message(None),
            "min_value": _("Hours cannot be less than %(limit_value)s."),
            "max_value": hours_message(MAX_HOURS_A_DAY + QUARTER_HOUR),
            "step_size": hours_message(QUARTER_HOUR / 2),
        },
        **kwargs,
    )


def _text_field(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("What you did"), choices=WorkKind.choices)
    work_date = forms.DateField(
        label=_("When"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2026-03-31.")},
    )
    hours = _hours_field(
        str(_("Hours")),
        MIN_CLAIM_HOURS,
        help_text=_("In quarter hours, like 0.5, 1 or 1.75."),
    )
    note = _text_field(str(_("A note, if you want")), help_text=str(PAST_NOTE))

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = _MeetingChoice(
            queryset=meetings,
            required=False,
            label=_("Was it for a meeting? (optional)"),
            empty_label=_("Not for one meeting"),
        )


class DecideClaimForm(forms.Form):
    """One per waiting claim on the staff page; its two buttons carry the decision."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Do not approve"))]
    )
    reason = _text_field(
        str(_("Reason")),
        help_text=str(
            _(
                "Needed if you do not approve it. The person and the co-chairs read it, so "
                "do not name anyone in it."
            )
        ),
    )

    def __init__(self, *args: Any, claim_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_claim{claim_id}_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        approve = cleaned.get("decision") != "decline"
        show_rule_errors(self, answer_errors(approve=approve, reason=cleaned.get("reason", "")))
        return cleaned

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data["decision"] == "approve")


class FlagHoursForm(forms.Form):
    hours_expected = _hours_field(
        str(_("Hours you think are right")),
        Decimal("0"),
        help_text=_("In quarter hours, like 1, 1.25, 1.5 or 1.75."),
    )
    note = _text_field(str(_("Anything finance should know (optional)")), help_text=str(PAST_NOTE))


class AnswerFlagForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            (FlagOutcome.CORRECTED.value, _("Corrected: pay these hours")),
            (FlagOutcome.UNCHANGED.value, _("It stays as recorded")),
        ],
    )
    hours = _hours_field(
        str(_("Hours to pay")),
        Decimal("0"),
        required=False,
        help_text=_("Only if corrected. Pay changes by the difference from the recorded hours."),
    )
    answer = _text_field(
        str(_("Answer for the person")),
        required=True,
        help_text=str(_("They read this, whichever answer you choose.")),
    )

    def __init__(self, *args: Any, flag_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_flag{flag_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["answer"].error_messages["required"] = ANSWER_MISSING

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        corrected = cleaned.get("outcome") == FlagOutcome.CORRECTED
        if corrected and cleaned.get("hours") is None and "hours" not in self.errors:
            self.add_error("hours", _("Put in the hours to pay."))
        return cleaned
