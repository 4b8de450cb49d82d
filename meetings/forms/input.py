"""Forms for input. The wording promises nothing is ever asked about anyone's past."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.forms.roles import PersonChoiceField
from accounts.models import User
from meetings.models import AgendaItem, InputVisibility

BODY_MAX = 5000

if TYPE_CHECKING:
    _AgendaChoiceField = forms.ModelChoiceField[AgendaItem]
else:  # Django's form fields take no type arguments at run time
    _AgendaChoiceField = forms.ModelChoiceField


class _AgendaChoice(_AgendaChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return obj.title


def _body_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


def _agenda_field(items: QuerySet[AgendaItem]) -> _AgendaChoice:
    return _AgendaChoice(
        queryset=items,
        required=False,
        label=_("Topic (optional)"),
        empty_label=_("No topic in particular"),
    )


class InputForm(forms.Form):
    def __init__(
        self, *args: Any, agenda_items: QuerySet[AgendaItem], may_attribute: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field(str(_("What you want to say")))
        self.fields["agenda_item"] = _agenda_field(agenda_items)
        choices = [(InputVisibility.ANONYMOUS.value, InputVisibility.ANONYMOUS.label)]
        if may_attribute:
            choices.append((InputVisibility.ATTRIBUTED.value, InputVisibility.ATTRIBUTED.label))
        self.fields["visibility"] = forms.ChoiceField(
            label=_("Who can see it is yours"),
            choices=choices,
            initial=InputVisibility.ANONYMOUS,
            widget=forms.RadioSelect,
        )


class EditInputForm(forms.Form):
    body = _body_field(str(_("What you want to say")))


class CorrectInputForm(forms.Form):
    body = _body_field(str(_("What you meant")))


class OnBehalfForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        agenda_items: QuerySet[AgendaItem],
        people: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"] = PersonChoiceField(queryset=people, label=_("Who said it"))
        self.fields["body"] = _body_field(str(_("What they said, in their words")))
        self.fields["agenda_item"] = _agenda_field(agenda_items)


class InputFilterForm(forms.Form):
    """Staff's filters on input across meetings (GET). A value that is not offered is not
    an error page: the view ignores it and says so."""

    def __init__(
        self,
        *args: Any,
        meetings: Sequence[tuple[int, str, datetime]],
        topics: Sequence[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        meeting_choices: list[tuple[Any, str]] = [("", str(_("All meetings")))]
        meeting_choices += [
            (pk, f"{title} ({date_format(localtime(starts_at), 'DATE_FORMAT')})")
            for pk, title, starts_at in meetings
        ]
        topic_choices: list[tuple[str, str]] = [("", str(_("All topics")))]
        topic_choices += [(topic, topic) for topic in topics]
        self.fields["meeting"] = forms.TypedChoiceField(
            label=_("Meeting"),
            choices=meeting_choices,
            coerce=int,
            required=False,
            empty_value=None,
        )
        self.fields["topic"] = forms.ChoiceField(
            label=_("Topic"), choices=topic_choices, required=False
        )
