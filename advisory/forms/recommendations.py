"""Forms for recommendations and the loop-health settings. The services check everything
again; these only turn the page's fields into terms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from advisory.models import (
    DEFAULT_ANSWER_DAYS,
    DEFAULT_OUTCOME_DAYS,
    Decision,
    DecisionArea,
    RecommendationResponse,
)
from advisory.services.recommendations import (
    ADOPTED_ON_MISSING,
    AREA_MISSING,
    DECISIONS_NOT_OURS,
    MEETING_NOT_PAST,
    REASONS_MISSING,
    RESPONSE_MISSING,
    TEXT_MISSING,
    AnswerTerms,
    RecommendationTerms,
)
from meetings.models import Meeting

if TYPE_CHECKING:
    _MeetingChoiceField = forms.ModelChoiceField[Meeting]
    _DecisionChoiceField = forms.ModelMultipleChoiceField[Decision]
else:  # Django's form fields take no type arguments at run time
    _MeetingChoiceField = forms.ModelChoiceField
    _DecisionChoiceField = forms.ModelMultipleChoiceField


class MeetingChoiceField(_MeetingChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        day = date_format(localtime(obj.starts_at), "j F Y")
        return f"{obj.title} ({day})"


class DecisionChoiceField(_DecisionChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.title} ({date_format(obj.decided_on, 'j F Y')})"


TEXT_MAX = 5000  # as the other long text boxes on the board's pages


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("What the board recommends"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": TEXT_MISSING},
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", _("Choose an area")), *DecisionArea.choices],
        error_messages={"required": AREA_MISSING},
    )
    meeting = MeetingChoiceField(
        label=_("The meeting it came from (if any)"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not from a meeting"),
        error_messages={"invalid_choice": MEETING_NOT_PAST},
    )
    adopted_on = forms.DateField(
        label=_("The day the board adopted it"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": ADOPTED_ON_MISSING,
            "invalid": _("Give the day as a date, like 2025-03-31."),
        },
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, MeetingChoiceField)  # noqa: S101  # declared above
        field.queryset = meetings

    def terms(self) -> RecommendationTerms:
        data = self.cleaned_data
        meeting: Meeting | None = data["meeting"]
        return RecommendationTerms(
            text=data["text"],
            area=data["area"],
            adopted_on=data["adopted_on"],
            meeting_id=meeting.pk if meeting is not None else None,
        )


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=RecommendationResponse.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RESPONSE_MISSING},
    )
    reason = forms.CharField(
        label=_("Your reasons"),
        help_text=_("Always needed, whatever the answer. The board reads them."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": REASONS_MISSING},
    )
    decisions = DecisionChoiceField(
        label=_("Decisions that came of it"),
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": DECISIONS_NOT_OURS,
            "invalid_pk_value": DECISIONS_NOT_OURS,
        },
    )

    def __init__(self, *args: Any, decisions: QuerySet[Decision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decisions"]
        assert isinstance(field, DecisionChoiceField)  # noqa: S101  # declared above
        field.queryset = decisions

    def terms(self) -> AnswerTerms:
        data = self.cleaned_data
        return AnswerTerms(
            response=data["response"],
            reason=data["reason"],
            decision_ids=[decision.pk for decision in data["decisions"]],
        )


class AdvisorySettingsForm(forms.Form):
    recommendation_answer_days = forms.IntegerField(
        label=_("Days staff have to answer a recommendation"),
        help_text=_("From 1 to 365. Applies to recommendations recorded from now on."),
        min_value=1,
        max_value=365,
        initial=DEFAULT_ANSWER_DAYS,
    )
    input_outcome_days = forms.IntegerField(
        label=_("Days before input with no outcome is shown here"),
        help_text=_("From 1 to 730."),
        min_value=1,
        max_value=730,
        initial=DEFAULT_OUTCOME_DAYS,
    )
