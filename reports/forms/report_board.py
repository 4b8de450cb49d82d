"""Forms for the board's side of reports. The services check everything again; these only
turn the page's fields into terms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advisory.models import REPORT_K_FLOOR, SignOffRule
from advisory.services.influence import ANSWER_MISSING
from reports.models import SignOffChoice
from reports.services.report_board import (
    APPROVAL_MISSING,
    NOTE_MAX,
    REPORT_K_MAX,
    RULE_MISSING,
    STATEMENT_MAX,
    Answer,
)


class SignOffForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your answer"),
        choices=SignOffChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": APPROVAL_MISSING},
    )
    could_identify = forms.BooleanField(
        label=_("This could identify someone"),
        required=False,
        help_text=_(
            "Tick this if something in the report could show who a person is. Then the "
            "report cannot be published, whatever the rest of the board says."
        ),
    )
    note = forms.CharField(
        label=_("What should change (you do not have to write anything)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Staff read this note without your name. You never have to share anything "
            "about your past."
        ),
    )

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            choice=data["choice"], could_identify=data["could_identify"], note=data["note"]
        )


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("The board's statement"),
        required=False,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Funders read these words with the report, just as the board writes them. Staff "
            "cannot change them. You never have to share anything about your past."
        ),
    )


class ReportSettingsForm(forms.Form):
    min_people = forms.IntegerField(
        label=_("The smallest group a figure may describe"),
        min_value=REPORT_K_FLOOR,
        max_value=REPORT_K_MAX,
        error_messages={
            "required": _("Give a number."),
            "invalid": _("Give a whole number, like 5."),
            "min_value": _("The number can never be lower than %(limit_value)s."),
            "max_value": _("The number can be at most %(limit_value)s."),
        },
    )
    rule = forms.ChoiceField(
        label=_("Who must approve a report before staff can publish it"),
        choices=SignOffRule.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": RULE_MISSING,
            "invalid_choice": RULE_MISSING,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, not on the class, so the number goes into the words of the reader's
        # language rather than the language at import time.
        self.fields["min_people"].help_text = gettext(
            "A figure about fewer people than this is hidden. It can never be lower than "
            "%(floor)d. A bigger number hides more figures and keeps people safer."
        ) % {"floor": REPORT_K_FLOOR}


class QuoteAnswerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("decline", "decline"), ("take_back", "take_back")],
        error_messages={
            "required": ANSWER_MISSING,
            "invalid_choice": ANSWER_MISSING,
        },
    )
