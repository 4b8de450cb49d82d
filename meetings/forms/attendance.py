"""One form for the whole attendance sheet: three fields per invitee, named by their id.

Fields are keyed by user id, not by position, so a sheet opened before someone was invited
or uninvited never writes one person's answers onto another.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from compensation.pay_rules import MAX_HOURS_A_DAY, NO_HOURS, QUARTER_HOUR, hours_message
from meetings.models import MeetingRole
from meetings.selectors.attendance import SheetRow
from meetings.services.attendance import AttendanceRow


@dataclass(frozen=True)
class SheetFields:
    """What the template needs for one table row."""

    row: SheetRow
    attended: forms.BoundField
    hours: forms.BoundField
    meeting_role: forms.BoundField


def _versions_text(sheet: list[SheetRow]) -> str:
    return ",".join(f"{row.user_id}:{row.version}" for row in sheet if row.version)


class AttendanceSheetForm(forms.Form):
    # The sheet as it was when the page was made, so a save that crosses someone else's
    # is refused instead of replacing theirs (ids and version numbers only).
    saved_versions = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sheet: list[SheetRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.fields["saved_versions"].initial = _versions_text(sheet)
        for row in sheet:
            self.fields[f"attended_{row.user_id}"] = forms.BooleanField(
                label=_("%(name)s came") % {"name": row.name},
                required=False,
                initial=row.attended,
            )
            self.fields[f"hours_{row.user_id}"] = forms.DecimalField(
                label=_("Hours for %(name)s") % {"name": row.name},
                min_value=Decimal("0"),
                max_value=MAX_HOURS_A_DAY,
                step_size=QUARTER_HOUR,
                max_digits=4,
                decimal_places=2,
                initial=row.hours,
                error_messages={
                    "min_value": hours_message(NO_HOURS - QUARTER_HOUR),
                    "max_value": hours_message(MAX_HOURS_A_DAY + QUARTER_HOUR),
                    "step_size": hours_message(QUARTER_HOUR / 2),
                },
            )
            self.fields[f"role_{row.user_id}"] = forms.ChoiceField(
                label=_("Meeting role for %(name)s") % {"name": row.name},
                choices=MeetingRole.choices,
                initial=row.meeting_role,
            )

    def clean_saved_versions(self) -> dict[int, int] | None:
        if "saved_versions" not in self.data:
            return None  # a post made without the page (a script): no check
        text = self.cleaned_data["saved_versions"]
        try:
            pairs = [part.split(":") for part in text.split(",") if part]
            return {int(user_id): int(version) for user_id, version in pairs}
        except ValueError:
            raise forms.ValidationError(
                _("This page was out of date. Open the sheet again and save once more.")
            ) from None

    def table(self) -> list[SheetFields]:
        return [
            SheetFields(
                row=row,
                attended=self[f"attended_{row.user_id}"],
                hours=self[f"hours_{row.user_id}"],
                meeting_role=self[f"role_{row.user_id}"],
            )
            for row in self.sheet
        ]

    def rows(self) -> list[AttendanceRow]:
        data = self.cleaned_data
        return [
            AttendanceRow(
                user_id=row.user_id,
                attended=bool(data[f"attended_{row.user_id}"]),
                hours=data[f"hours_{row.user_id}"],
                meeting_role=data[f"role_{row.user_id}"],
            )
            for row in self.sheet
        ]
