"""The organization settings form. It only gathers the choice; the service checks it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import time_zone_choices


class OrganizationSettingsForm(forms.Form):
    # A plain list: it works without JavaScript, and phones open their own picker for it.
    time_zone = forms.ChoiceField(
        label=_("The program's time zone"),
        help_text=_(
            "Times on every page are shown in this zone. Survivor leaders who chose their own "
            "time zone in their profile see times in theirs."
        ),
        choices=time_zone_choices,
        error_messages={
            "required": _("Choose the time zone the program works in."),
            "invalid_choice": _(
                "“%(value)s” is not a time zone we know. Choose one from the list."
            ),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels read as plain words, as on My profile
        super().__init__(*args, **kwargs)
