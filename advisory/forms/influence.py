"""Forms for influence links: staff linking and revising, survivors proposing and
answering "Is this what you said?", staff answering proposals.

Forms repeated once per row on a page take an `auto_id` naming the row, so every label
points at its own field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from advisory.models import AnswerChoice, Decision, InfluenceLevel
from advisory.services.influence import ANSWER_MISSING
from meetings.models import Input

RATIONALE_MAX = 2000
NOTE_MAX = 2000
EXCERPT_WORDS = 30

if TYPE_CHECKING:
    _DecisionChoiceField = forms.ModelChoiceField[Decision]
else:  # Django's form fields take no type arguments at run time
    _DecisionChoiceField = forms.ModelChoiceField


def _level_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How much did it change the decision?"),
        choices=InfluenceLevel.choices,
        widget=forms.RadioSelect,
    )


def _rationale_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("How it shaped the decision, in plain words"),
        max_length=RATIONALE_MAX,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _meeting_label(title: str, starts_at: datetime) -> str:
    return f"{title} ({date_format(localtime(starts_at), 'j F Y')})"


def input_choice_label(input: Input) -> str:
    """What staff choose from: the meeting, the topic and the start of what was said —
    never who said it."""
    topic = input.agenda_item.title if input.agenda_item else str(_("No topic in particular"))
    excerpt = Truncator(input.body).words(EXCERPT_WORDS)
    return f"{_meeting_label(input.meeting.title, input.meeting.starts_at)} · {topic} — {excerpt}"


class LinkFilterForm(forms.Form):
    """Which meeting's input the link form offers (GET). A value not offered is ignored."""

    def __init__(
        self, *args: Any, meetings: Sequence[tuple[int, str, datetime]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", str(_("All meetings")))]
        choices += [(pk, _meeting_label(title, starts_at)) for pk, title, starts_at in meetings]
        self.fields["meeting"] = forms.TypedChoiceField(
            label=_("Meeting"), choices=choices, coerce=int, required=False, empty_value=None
        )


class LinkInputForm(forms.Form):
    """Link one confirmed input. The choice is checked by the service, not against the
    list shown, so input linked or withdrawn meanwhile gets a clear reason."""

    def __init__(self, *args: Any, inputs: Sequence[Input], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["input"] = forms.UUIDField(
            label=_("Which input"),
            widget=forms.RadioSelect(
                choices=[(str(input.public_id), input_choice_label(input)) for input in inputs]
            ),
            error_messages={"required": _("Choose the input that shaped the decision.")},
        )
        self.fields["level"] = _level_field()
        self.fields["rationale"] = _rationale_field()


class ReviseLinkForm(forms.Form):
    level = _level_field()
    rationale = _rationale_field()


class ProposeLinkForm(forms.Form):
    def __init__(self, *args: Any, decisions: QuerySet[Decision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"] = _DecisionField(
            queryset=decisions,
            label=_("Which decision"),
            empty_label=_("Choose a decision"),
        )
        self.fields["note"] = forms.CharField(
            label=_("How you think it shaped the decision (you can leave this empty)"),
            max_length=NOTE_MAX,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )


class _DecisionField(_DecisionChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.title} ({date_format(obj.decided_on, 'j F Y')})"


ACCEPT = "accept"
DECLINE = "decline"


class AnswerProposalForm(forms.Form):
    """Accept (level and rationale needed) or decline (an answer needed)."""

    outcome = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(ACCEPT, _("Yes, link it")), (DECLINE, _("No — say why not"))],
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(
        label=_("If yes: how much did it change the decision?"),
        choices=InfluenceLevel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    rationale = forms.CharField(
        label=_("If yes: how it shaped the decision, in plain words"),
        max_length=RATIONALE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer = forms.CharField(
        label=_("Your answer to them (needed if no)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == ACCEPT:
            if not cleaned.get("level"):
                self.add_error("level", _("Choose how much it changed the decision."))
            if not (cleaned.get("rationale") or "").strip():
                self.add_error("rationale", _("Say how it shaped the decision."))
        elif cleaned.get("outcome") == DECLINE and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Say why not. The person who proposed it reads this."))
        return cleaned


class AnswerLinkForm(forms.Form):
    """The author's answer to "Is this what you said?"."""

    answer = forms.ChoiceField(
        label=_("Is this what you said?"),
        choices=AnswerChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ANSWER_MISSING},
    )
    comment = forms.CharField(
        label=_("If not quite: what you meant"),
        help_text=_("You never have to share anything about your past."),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("answer") == AnswerChoice.NOT_QUITE
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Say what you meant."))
        return cleaned
