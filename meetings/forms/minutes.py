"""Forms for minutes. They only check what was typed; services do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors.roles import person_label
from meetings.mentions import token_for


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "A code below always shows as “a board member”, to everyone who reads the "
            "minutes, whatever anyone has chosen. If you type a name yourself, everyone who "
            "reads the minutes sees it: type a name only if that person said it is fine."
        ),
        error_messages={"required": _("Write the minutes before saving.")},
    )
    mention = forms.TypedChoiceField(
        label=_("Mention a member without naming them (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Their code is added at the end of the minutes when you save. Everyone reads it "
            "as “a board member”."
        ),
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = [(person.pk, person_label(person)) for person in people]
        self.fields["mention"].choices = [("", _("Nobody")), *self.people]  # type: ignore[attr-defined]  # ChoiceField has choices; Field does not say so

    def mention_codes(self) -> list[tuple[str, str]]:
        return [(label, token_for(pk)) for pk, label in self.people]

    def body_with_mention(self) -> str:
        body: str = self.cleaned_data["body"]
        mention = self.cleaned_data.get("mention")
        if mention is None:
            return body
        return f"{body.rstrip()} {token_for(mention)}"


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Write your comment before sending it.")},
    )
