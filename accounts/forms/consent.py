"""Forms for consent texts. They only check what was typed; services do the rest."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import ConsentScope
from accounts.services.consent import WORDING_MISSING


class ConsentTextForm(forms.Form):
    scope = forms.ChoiceField(label=_("Choice"), choices=ConsentScope.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.CONSENT_TEXT_LANGUAGES)
    text = forms.CharField(
        label=_("New wording"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Plain words, short sentences. The board sees the new wording now; it can take "
            "effect after the board has had time to read it."
        ),
        error_messages={"required": WORDING_MISSING},
    )


class ChoiceForm(forms.Form):
    """What "My choices" posts: yes (to the words shown, in that language) or no."""

    answer = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])
    version = forms.IntegerField(required=False, min_value=1)
    language = forms.CharField(required=False, max_length=16)
