"""Forms for open feedback and "What we changed". The services check everything again;
these only turn the page's fields into terms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from advisory.models import Feedback
from advisory.services.feedback import (
    ANSWER_MISSING,
    CHANGE_MISSING,
    CHANGED_ON_MISSING,
    FEEDBACK_MISSING,
    FEEDBACK_NOT_OURS,
    INPUT_NOT_OURS,
    TEXT_MAX,
    TITLE_MAX,
    ChangeTerms,
    FeedbackTerms,
)
from meetings.models import Input

if TYPE_CHECKING:
    _FeedbackChoiceField = forms.ModelMultipleChoiceField[Feedback]
    _InputChoiceField = forms.ModelMultipleChoiceField[Input]
else:  # Django's form fields take no type arguments at run time
    _FeedbackChoiceField = forms.ModelMultipleChoiceField
    _InputChoiceField = forms.ModelMultipleChoiceField

ANONYMOUS = "anonymous"
NAMED = "named"
EXCERPT_WORDS = 25  # enough of the words to tell messages apart in a list


class BoardMayReadForm(forms.Form):
    board_may_read = forms.BooleanField(
        label=_("The board may read this and the answer (without your name)"),
        required=False,
    )


class FeedbackForm(BoardMayReadForm):
    body = forms.CharField(
        label=_("What works, or what doesn't"),
        help_text=_("You never have to share anything about your past."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": FEEDBACK_MISSING},
    )

    def __init__(self, *args: Any, may_name: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(ANONYMOUS, _("Send it without my name"))]
        if may_name:
            choices.append((NAMED, _("Staff can see it is mine")))
        self.fields["sender"] = forms.ChoiceField(
            label=_("Who can see it is yours"),
            choices=choices,
            initial=ANONYMOUS,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose whether staff can see it is yours.")},
        )
        self.order_fields(["body", "sender", "board_may_read"])

    def terms(self) -> FeedbackTerms:
        data = self.cleaned_data
        return FeedbackTerms(
            body=data["body"],
            anonymous=data["sender"] != NAMED,
            board_may_read=bool(data["board_may_read"]),
        )


class AnswerFeedbackForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        help_text=_("The person who sent this reads it. Say what you will do, or why not."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": ANSWER_MISSING},
    )


class FeedbackChoiceField(_FeedbackChoiceField):
    def label_from_instance(self, obj: Feedback) -> str:
        # The month only, as everywhere staff read feedback: the exact day of an
        # anonymous message could point at who was around that day.
        month = date_format(localtime(obj.created_at), "F Y")
        return f"{month}: {Truncator(obj.body).words(EXCERPT_WORDS)}"


class InputChoiceField(_InputChoiceField):
    def label_from_instance(self, obj: Input) -> str:
        day = date_format(localtime(obj.meeting.starts_at), "j F Y")
        return f"{obj.meeting.title} ({day}): {Truncator(obj.body).words(EXCERPT_WORDS)}"


_CHOOSE_FEEDBACK = FEEDBACK_NOT_OURS
_CHOOSE_INPUT = INPUT_NOT_OURS


class ProgramChangeForm(forms.Form):
    title = forms.CharField(
        label=_("What changed"),
        max_length=TITLE_MAX,
        error_messages={"required": CHANGE_MISSING},
    )
    description = forms.CharField(
        label=_("More about the change (if you like)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    changed_on = forms.DateField(
        label=_("The day of the change"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": CHANGED_ON_MISSING,
            "invalid": _("Give the day as a date, like 2025-03-31."),
        },
    )
    feedback = FeedbackChoiceField(
        label=_("Feedback that led to it"),
        queryset=Feedback.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _CHOOSE_FEEDBACK, "invalid_pk_value": _CHOOSE_FEEDBACK},
    )
    inputs = InputChoiceField(
        label=_("What was said in a meeting that led to it"),
        queryset=Input.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _CHOOSE_INPUT, "invalid_pk_value": _CHOOSE_INPUT},
    )

    def __init__(
        self,
        *args: Any,
        feedback: QuerySet[Feedback],
        inputs: QuerySet[Input],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        feedback_field = self.fields["feedback"]
        inputs_field = self.fields["inputs"]
        assert isinstance(feedback_field, FeedbackChoiceField)  # noqa: S101  # declared above
        assert isinstance(inputs_field, InputChoiceField)  # noqa: S101  # declared above
        feedback_field.queryset = feedback
        inputs_field.queryset = inputs

    def terms(self) -> ChangeTerms:
        data = self.cleaned_data
        return ChangeTerms(
            title=data["title"],
            description=data["description"],
            changed_on=data["changed_on"],
            feedback_ids=[item.pk for item in data["feedback"]],
            input_ids=[item.pk for item in data["inputs"]],
        )
