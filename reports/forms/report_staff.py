"""Forms for staff's report pages. The services check everything again; these only turn the
page's fields into arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from meetings.models import Input
from reports.services.report_publish import INPUT_NOT_IN_PERIOD, QUOTE_MAX, QUOTE_MISSING

if TYPE_CHECKING:
    _InputChoiceField = forms.ModelChoiceField[Input]
else:  # Django's form fields take no type arguments at run time
    _InputChoiceField = forms.ModelChoiceField

QUARTER_NAMES = {
    1: _("January to March"),
    2: _("April to June"),
    3: _("July to September"),
    4: _("October to December"),
}


def period_label(year: int, quarter: int) -> str:
    if quarter == 0:
        return str(_("%(year)s, the whole year")) % {"year": year}
    return str(_("%(year)s, quarter %(quarter)s (%(months)s)")) % {
        "year": year,
        "quarter": quarter,
        "months": QUARTER_NAMES[quarter],
    }


class StartReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Which period?"),
        choices=[],
        error_messages={
            "required": _("Choose a period."),
            "invalid_choice": _(
                "Choose one of the periods listed. Only ended periods can be used."
            ),
        },
    )

    def __init__(self, *args: Any, periods: list[tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (f"{year}-{quarter}", period_label(year, quarter)) for year, quarter in periods
        ]

    def chosen_period(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["period"].split("-")
        return int(year), int(quarter)


class InputChoiceField(_InputChoiceField):
    """Meeting, day and the words: never who said them."""

    def label_from_instance(self, obj: Input) -> str:
        day = date_format(localtime(obj.meeting.starts_at), "j F Y")
        words = Truncator(" ".join(obj.body.split())).chars(160)
        return f"{obj.meeting.title} ({day}): {words}"


class AskQuoteForm(forms.Form):
    input = InputChoiceField(
        label=_("Which input?"),
        queryset=Input.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the input you would like to quote."),
            "invalid_choice": INPUT_NOT_IN_PERIOD,
        },
    )
    wording = forms.CharField(
        label=_("The exact words to quote"),
        help_text=_(
            "Copy the words exactly. You may leave words out (put ... where you do), but "
            "not change them. The author sees these words and decides."
        ),
        max_length=QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": QUOTE_MISSING},
    )

    def __init__(self, *args: Any, inputs: QuerySet[Input], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: InputChoiceField = self.fields["input"]  # type: ignore[assignment]  # declared above
        field.queryset = inputs
