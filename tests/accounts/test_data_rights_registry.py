"""Every model that refers to a person says what "Download my data" and "Delete my account"
do with it (DESIGN promise 10). A model added later without a registration fails here."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Model

from accounts import data_rights
from accounts.data_rights import handlers, user_relations
from accounts.models import Membership


def related_models() -> set[type[Model]]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {
        model
        for model in apps.get_models(include_auto_created=True)
        if user_relations(model) or model is user_model
    }
    return found


def test_every_model_that_refers_to_a_person_is_registered():
    registered = {handler.model for handler in handlers()}
    missing = sorted(model._meta.label for model in related_models() - registered)
    assert not missing, f"Register these in their app's data_rights.py: {missing}"


def test_every_registration_still_refers_to_a_person():
    direct = related_models()
    stale = []
    for handler in handlers():
        if handler.via:
            field = handler.model._meta.get_field(handler.via)
            if not (field.is_relation and field.related_model in direct):
                stale.append(handler.model._meta.label)
        elif handler.model not in direct:
            stale.append(handler.model._meta.label)
    assert not stale, f"Registered but no longer pointing at a person: {stale}"


def test_each_registration_says_why():
    assert all(handler.reason.strip() for handler in handlers())


def test_the_user_row_becomes_a_tombstone_last():
    assert handlers()[-1].model is apps.get_model(settings.AUTH_USER_MODEL)


def test_allauth_and_django_models_are_covered():
    labels = {handler.model._meta.label for handler in handlers()}
    assert {
        "account.EmailAddress",
        "mfa.Authenticator",
        "usersessions.UserSession",
        "accounts.SurvivorProfile",
        "accounts.ConsentEvent",
        "accounts.RoleAssignmentChange",
    } <= labels


def test_registering_twice_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        data_rights.register(Membership, export=None, erase=data_rights.keep, reason="twice")
