"""My seat: saving the profile, safe-contact rules and payment details through the services,
and the promise that no form anywhere asks about anyone's past."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from datetime import time
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import AuditEvent, SurvivorProfile
from accounts.services.profile import update_payment_details, update_profile
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "meetings", "compensation", "opportunities", "advisory", "reports")
# Word stems (at the start of a word) and whole words that would mean a form asks about
# someone's past. Whole words where a stem would also catch innocent words ("Casey", a time
# zone; "courtesy"; "paste").
FORBIDDEN = re.compile(
    r"\b(traffick|exploit|abus|immigra|criminal|arrest|convict|victim|trauma|offen[cs]|deport"
    r"|polic[ei]|(cases?|visas?|stor(y|ies)|past|history|courts?)\b)",
    re.IGNORECASE,
)
# Sentences that promise the opposite may mention these words: they are the reassurance.
REASSURANCES = (
    "Sharing your personal story is not expected.",
    "You never have to share anything about your past.",
)


def save(personas, **fields):
    return update_profile(user=personas.ash, organization=personas.harbor, **fields)


def test_first_save_creates_the_profile_with_only_a_chosen_name(personas):
    profile = save(personas, chosen_name="  Ash  ")
    assert profile.chosen_name == "Ash"
    assert profile.time_zone == ""  # no zone chosen: times follow the organization's
    assert profile.safe_channels == []  # no channel chosen: nobody contacts them
    event = AuditEvent.objects.get()
    assert (event.action, event.target_id, event.actor_id) == (
        "profile.created",
        profile.pk,
        personas.ash.pk,
    )


def test_later_saves_change_only_what_is_given_and_are_audited(personas):
    save(personas, chosen_name="Ash", pronouns="they/them")
    profile = save(
        personas,
        languages="English, Tagalog",
        time_zone="Asia/Manila",
        expertise=["training", "policy", "training"],
        safe_channels=["email"],
        quiet_hours_start=time(21, 0),
        quiet_hours_end=time(8, 0),
    )
    profile.refresh_from_db()
    assert profile.pronouns == "they/them"
    assert profile.expertise == ["policy", "training"]
    assert (profile.quiet_hours_start, profile.quiet_hours_end) == (time(21), time(8))
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "profile.created",
        "profile.updated",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"chosen_name": "   "}, "chosen_name"),
        ({"chosen_name": "Ash", "quiet_hours_start": time(22)}, "quiet_hours_end"),
        ({"chosen_name": "Ash", "quiet_hours_end": time(7)}, "quiet_hours_end"),
        ({"chosen_name": "Ash", "time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"chosen_name": "Ash", "expertise": ["policy", "not_a_topic"]}, "expertise"),
        ({"chosen_name": "Ash", "safe_channels": ["carrier_pigeon"]}, "safe_channels"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(personas, fields, field):
    with pytest.raises(ValidationError) as caught:
        save(personas, **fields)
    assert field in caught.value.message_dict
    assert not SurvivorProfile.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_failed_update_keeps_the_saved_profile(personas):
    save(personas, chosen_name="Ash", time_zone="Europe/Lisbon")
    with pytest.raises(ValidationError):
        save(personas, chosen_name="", time_zone="Europe/Paris")
    profile = SurvivorProfile.objects.get()
    assert (profile.chosen_name, profile.time_zone) == ("Ash", "Europe/Lisbon")
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye"])
def test_only_survivor_leaders_of_the_organization_have_a_profile(personas, who):
    with pytest.raises(ValidationError):
        update_profile(
            user=getattr(personas, who), organization=personas.harbor, chosen_name="Someone"
        )
    with pytest.raises(ValidationError):  # otto leads in Second, not in Harbor
        update_profile(user=personas.otto, organization=personas.harbor, chosen_name="Otto")
    assert not SurvivorProfile.objects.exists()


def test_payment_details_are_saved_encrypted_and_can_be_cleared(personas):
    save(personas, chosen_name="Ash")
    update_payment_details(
        user=personas.ash,
        organization=personas.harbor,
        legal_name="Canary Legalname",
        phone="+1 555 0100",
        mailing_address="PO Box Canary 12",
    )
    profile = SurvivorProfile.objects.get()
    assert (profile.legal_name, profile.phone) == ("Canary Legalname", "+1 555 0100")
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_name, phone, mailing_address FROM accounts_survivorprofile")
        raw = " ".join(cursor.fetchone())
    assert "Canary" not in raw
    assert "555" not in raw
    assert raw.startswith("gAAAA")  # Fernet tokens

    update_payment_details(
        user=personas.ash, organization=personas.harbor, legal_name="", phone="", mailing_address=""
    )
    profile.refresh_from_db()
    assert (profile.legal_name, profile.phone, profile.mailing_address) == ("", "", "")
    assert AuditEvent.objects.filter(action="profile.payment_details_updated").count() == 2


def test_payment_details_need_a_profile_first(personas):
    with pytest.raises(ValidationError):
        update_payment_details(
            user=personas.ash,
            organization=personas.harbor,
            legal_name="A",
            phone="",
            mailing_address="",
        )
    assert not SurvivorProfile.objects.exists()


def test_each_organization_gets_its_own_profile_and_details(personas):
    """Otto joined Harbor too. Saving for Harbor makes Harbor's own profile; Second's is
    neither read nor changed, and payment details need Harbor's profile, not Second's."""
    MembershipFactory.create(user=personas.otto, organization=personas.harbor)
    second = update_profile(
        user=personas.otto, organization=personas.second, chosen_name="Otto", pronouns="he/him"
    )
    update_payment_details(
        user=personas.otto,
        organization=personas.second,
        legal_name="Otto Legal",
        phone="",
        mailing_address="",
    )
    with pytest.raises(ValidationError) as caught:
        update_payment_details(
            user=personas.otto,
            organization=personas.harbor,
            legal_name="Otto Harbor",
            phone="",
            mailing_address="",
        )
    assert caught.value.code == "no_profile"
    harbor = update_profile(user=personas.otto, organization=personas.harbor, chosen_name="O")
    assert harbor.pk != second.pk
    assert (harbor.pronouns, harbor.legal_name) == ("", "")
    second.refresh_from_db()
    assert (second.chosen_name, second.pronouns, second.legal_name) == (
        "Otto",
        "he/him",
        "Otto Legal",
    )


def test_a_profile_only_for_an_organization_one_leads_in(personas):
    with pytest.raises(ValidationError):
        update_profile(user=personas.otto, organization=personas.harbor, chosen_name="Otto")
    assert not SurvivorProfile.objects.exists()


def test_payment_details_that_are_too_long_are_refused(personas):
    save(personas, chosen_name="Ash")
    with pytest.raises(ValidationError) as caught:
        update_payment_details(
            user=personas.ash,
            organization=personas.harbor,
            legal_name="x" * 201,
            phone="",
            mailing_address="",
        )
    assert "legal_name" in caught.value.message_dict
    assert SurvivorProfile.objects.get().legal_name == ""


# --- no form asks about anyone's past -----------------------------------------------------


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's apps (every module is imported)."""
    found: dict[str, type[forms.BaseForm]] = {}
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            modules.append(importlib.import_module(info.name))
        for module in modules:
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.BaseForm) and obj.__module__.startswith(PROJECT_APPS):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def forbidden_in(text: str) -> str | None:
    for sentence in REASSURANCES:
        text = text.replace(sentence, "")
    found = FORBIDDEN.search(text.replace("_", " "))
    return found.group(0) if found else None


def field_words(form_class: Any) -> list[tuple[str, str]]:
    words = []
    for name, field in form_class.base_fields.items():
        words.append((name, name))
        words.append((name, str(field.label or "")))
        words.append((name, str(field.help_text or "")))
        for choice in getattr(field, "choices", ()) or ():
            if isinstance(choice, tuple) and len(choice) == 2:  # (value, label)
                words.append((name, f"{choice[0]} {choice[1]}"))
    return words


def test_the_scan_finds_the_projects_forms():
    names = {form.__name__ for form in project_forms()}
    assert {"ProfileForm", "PaymentDetailsForm", "InviteForm"} <= names


def test_no_form_field_asks_about_anyones_past():
    """Promise 6: no field asks about trafficking experience, dates, people involved,
    immigration, criminal record or case status — by name, label, help text or choice."""
    problems = [
        f"{form.__module__}.{form.__name__}.{name}: {text!r} contains {word!r}"
        for form in project_forms()
        for name, text in field_words(form)
        if (word := forbidden_in(text))
    ]
    assert not problems, "\n".join(problems)


def test_the_survivor_profile_model_has_no_such_field_either():
    problems = [
        f"{field.name}: {word}"
        for field in SurvivorProfile._meta.get_fields()
        for text in (field.name, str(getattr(field, "verbose_name", "")))
        if (word := forbidden_in(text))
    ]
    assert not problems


def test_the_scan_would_catch_a_bad_field():
    class BadForm(forms.Form):
        immigration_status = forms.CharField(label="Status")

        story = forms.CharField(label="Tell us", required=False)

    assert [forbidden_in(text) for _name, text in field_words(BadForm) if forbidden_in(text)] == [
        "immigra",
        "story",
    ]
    assert forbidden_in("Antarctica/Casey") is None
    assert forbidden_in("Sharing your personal story is not expected.") is None


def test_a_channel_nothing_sends_on_cannot_be_chosen(personas):
    """Text messages are not sent, so choosing them would mean silently getting nothing."""
    with pytest.raises(ValidationError) as refused:
        save(personas, chosen_name="Ash", safe_channels=["sms"])
    assert "safe_channels" in refused.value.message_dict
    assert not SurvivorProfile.objects.filter(user=personas.ash).exists()
