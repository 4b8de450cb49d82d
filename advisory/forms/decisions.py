"""Forms for decisions: logging one, correcting it, changing its status, and the filters on
staff's list and the board's log. The services check everything again; these give the page
its fields, labels and first errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from advisory.models import DecisionArea, DecisionStatus
from advisory.services.decisions import MEETING_NOT_OURS
from meetings.models import Meeting

TEXT_MAX = 5000

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    _MeetingChoiceField = forms.ModelChoiceField[Meeting]
else:  # Django's form fields take no type arguments at run time
    _MeetingChoiceField = forms.ModelChoiceField


class _MeetingChoice(_MeetingChoiceField):
    """Meetings by title and day, the day in the viewer's time zone."""

    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title} ({date_format(localtime(obj.starts_at), 'j F Y')})"


def _text(label: StrOrPromise, *, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _reason() -> forms.CharField:
    return _text(
        _("Reason"),
        help_text=_(
            "Needed for “Not adopted” and “Partly adopted”. Survivor leaders on the board read it."
        ),
    )


def _choices(
    blank: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]]
) -> list[tuple[str, StrOrPromise]]:
    return [("", blank), *choices]


class EditDecisionForm(forms.Form):
    """What a decision says. Its status changes on the decision's page, so the timeline
    keeps every step."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("What was decided"))
    area = forms.ChoiceField(
        label=_("Area"), choices=_choices(_("Choose an area"), DecisionArea.choices)
    )
    decided_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2026-03-31.")},
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = _MeetingChoice(
            queryset=meetings,
            required=False,
            label=_("Meeting it came from (optional)"),
            empty_label=_("No meeting"),
            error_messages={"invalid_choice": MEETING_NOT_OURS},
        )


class DecisionForm(EditDecisionForm):
    """A new decision: what it says, and its first status."""

    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)
    reason = _reason()

    field_order = ["title", "description", "area", "decided_on", "meeting", "status", "reason"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=_choices(_("Choose a status"), DecisionStatus.choices),
    )
    reason = _reason()


class DecisionFilterForm(forms.Form):
    """Staff's filters (GET). A value that is not offered is ignored, never an error page."""

    area = forms.ChoiceField(
        label=_("Area"),
        choices=_choices(_("All areas"), DecisionArea.choices),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=_choices(_("All statuses"), DecisionStatus.choices),
        required=False,
    )


class AreaFilterForm(forms.Form):
    """The board's filter by area (GET); a value that is not offered is ignored."""

    area = forms.ChoiceField(
        label=_("Area"),
        choices=_choices(_("All areas"), DecisionArea.choices),
        required=False,
    )
