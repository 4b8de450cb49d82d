"""Forms for boards and roles. They only check what was typed; services do the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import BoardRole, User
from accounts.rule_errors import show_rule_errors
from accounts.selectors.roles import person_label
from accounts.services.roles import role_dates_errors


class BoardRoleForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the role"),
        max_length=80,
        error_messages={"required": _("Give the role a name, such as “Reviewer”.")},
    )
    description = forms.CharField(
        label=_("What the role involves"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Use plain words. We add “Sharing your personal story is not expected.” at the "
            "end if it is not there yet."
        ),
        error_messages={"required": _("Say in a sentence or two what the role involves.")},
    )
    is_co_chair = forms.BooleanField(
        label=_("People in this role co-chair the board"),
        required=False,
    )


if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
else:  # Django's form fields take no type arguments at run time
    _UserChoiceField = forms.ModelChoiceField


class PersonChoiceField(_UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class RoleInvitationForm(forms.Form):
    person = PersonChoiceField(
        label=_("Who to invite"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose who to invite."),
            "invalid_choice": _("Choose a survivor leader of this organization from the list."),
        },
    )
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=BoardRole.objects.none(),
        empty_label=_("Choose a role"),
        error_messages={
            "required": _("Choose a role."),
            "invalid_choice": _("Choose one of this organization's roles from the list."),
        },
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose the day the role starts."),
            "invalid": _("Write the date like 2026-03-31."),
        },
    )
    ends_on = forms.DateField(
        label=_("Ends on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave it empty if the role has no end date."),
        error_messages={"invalid": _("Write the date like 2026-03-31.")},
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        roles: QuerySet[BoardRole],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        role_field = self.fields["role"]
        assert isinstance(person_field, PersonChoiceField)  # noqa: S101  # declared above
        assert isinstance(role_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        person_field.queryset = people
        role_field.queryset = roles

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        found = role_dates_errors(
            starts_on=cleaned.get("starts_on"), ends_on=cleaned.get("ends_on")
        )
        show_rule_errors(self, found)
        return cleaned
