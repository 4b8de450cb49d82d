"""Forms for scheduling and the agenda. They check what was typed; services do the rest.

The date and time are typed in the time zone of the person typing them (the one their pages
show times in: `TimeZoneMiddleware`) and turned into an aware datetime here, so services
and the database only ever see moments, never wall-clock times.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import zone_label
from meetings.models import MeetingFormat, Reply
from meetings.services.scheduling import ANSWER_MISSING

MIN_MINUTES = 15
MAX_MINUTES = 8 * 60


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the meeting a title, such as “Board meeting”.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Choose the date of the meeting."),
            "invalid": _("Type the date like 2026-05-31."),
        },
    )
    time = forms.TimeField(
        label=_("Start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Choose the start time."),
            "invalid": _("Type the time like 18:30."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        initial=90,
        error_messages={
            "required": _("Say how long the meeting is, in minutes."),
            "invalid": _("Type the length as a number of minutes."),
            "min_value": _("A meeting is at least 15 minutes long."),
            "max_value": _("A meeting is at most 8 hours (480 minutes) long."),
        },
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
    )
    format = forms.ChoiceField(
        label=_("How people meet"),
        choices=MeetingFormat.choices,
        error_messages={"required": _("Choose how people meet.")},
    )
    location = forms.CharField(
        label=_("Place or link"),
        max_length=500,
        required=False,
        help_text=_("Only people invited to the meeting, and staff, can see this."),
    )

    def __init__(self, *args: Any, time_zone: tzinfo | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone or timezone.get_current_timezone()
        self.fields["time"].help_text = _("In your time zone: %(zone)s.") % {
            "zone": zone_label(self.time_zone)
        }

    def starts_at(self) -> datetime:
        """The typed date and time, in the zone of the person who typed them."""
        data = self.cleaned_data
        return datetime.combine(data["date"], data["time"], tzinfo=self.time_zone)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "location": data["location"],
        }


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Will you come?"),
        choices=[(Reply.YES, _("Yes")), (Reply.NO, _("No")), (Reply.MAYBE, _("Maybe"))],
        widget=forms.RadioSelect,
        error_messages={"required": ANSWER_MISSING},
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=200,
        error_messages={"required": _("Give the topic a short name.")},
    )
    description = forms.CharField(
        label=_("What it is about (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    content_note = forms.CharField(
        label=_("Content note (optional)"),
        max_length=300,
        required=False,
        help_text=_(
            "A short heads-up if the topic may be hard for some people, so they can choose "
            "to skip it."
        ),
    )


ROLE_FIELD_PREFIX = "role_"


def meeting_roles_from(data: QueryDict) -> dict[int, str]:
    """The posted roles as user id -> role, from fields named `role_<user id>`. Whether each
    role exists and each person is invited is for the service to decide."""
    roles: dict[int, str] = {}
    for key in data:
        if not key.startswith(ROLE_FIELD_PREFIX):
            continue
        user_id = key.removeprefix(ROLE_FIELD_PREFIX)
        if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 18):
            raise ValidationError(_("Something in the list was not right. Nothing was saved."))
        roles[int(user_id)] = data.get(key, "")
    return roles
