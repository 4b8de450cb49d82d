"""Press again to confirm: the one way a page asks before doing something unusual (pay
below parity, fewer hours than agreed).

The first press shows a warning and puts a key naming what was shown in a hidden field.
Only a press that sends that same key back goes ahead, so a warning seen for other
values (other pay, other hours) never counts as confirming these.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.http import QueryDict


def confirm_field() -> forms.CharField:
    """The hidden field that carries the key back; declare it on the form."""
    return forms.CharField(widget=forms.HiddenInput, required=False)


class ConfirmAgain(forms.Form):
    """A form that asks once. `confirm_field_name` names its `confirm_field()`."""

    confirm_field_name: ClassVar[str]

    def confirmed_again(self, key: str) -> bool:
        """True when the page sent back `key`. Otherwise the form now carries `key`, so
        the page shows it and pressing the button again confirms."""
        if self.data.get(self.confirm_field_name) == key:
            return True
        if isinstance(self.data, QueryDict):
            # A copy keeps every value of a field posted several times (checkboxes).
            posted = self.data.copy()
            posted[self.confirm_field_name] = key
            self.data = posted
        else:
            self.data = {**self.data, self.confirm_field_name: key}
        return False
