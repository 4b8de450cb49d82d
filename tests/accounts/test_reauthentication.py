"""Someone holding a device that was left signed in cannot take the account over: adding or
changing the address, changing the password, changing sign-in security, and reading or
changing payment details all ask to confirm it's the person first — and nothing changes
until they do."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.account_messages import AccountMessage
from accounts.models import OutboxMessage, SurvivorProfile
from accounts.services.profile import update_payment_details, update_profile
from tests.factories import PASSWORD
from tests.mfa import give_totp, sign_in, totp_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-river-stones-42"
NEW_ADDRESS = "new.address@example.test"


def open_session(client: Client, user) -> Client:
    """A device left signed in: the sign-in was longer ago than the re-authentication
    timeout, and the person has not confirmed it's them since."""
    sign_in(client, user, recently_confirmed=False)
    session = client.session
    long_ago = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 60
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": long_ago} for record in session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    session.save()
    return client


def asks_to_confirm(response) -> bool:
    if response.status_code != 302:
        return False
    path = urlsplit(response["Location"]).path
    return path in (reverse("account_reauthenticate"), reverse("mfa_reauthenticate"))


def add_address(client: Client, address: str = NEW_ADDRESS):
    return client.post(reverse("account_email"), {"email": address, "action_add": ""})


def confirm_with_password(client: Client, next_url: str, password: str = PASSWORD):
    return client.post(
        reverse("account_reauthenticate") + f"?next={next_url}",
        {"password": password, "next": next_url},
    )


# --- an open session asks first, and nothing changes --------------------------------------


def test_an_open_session_cannot_add_an_address(client, personas):
    open_session(client, personas.ash)
    response = add_address(client)
    assert asks_to_confirm(response)
    assert list(EmailAddress.objects.filter(user=personas.ash).values_list("email", flat=True)) == [
        personas.ash.email
    ]
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_an_open_session_cannot_change_the_password(client, personas):
    open_session(client, personas.ash)
    assert asks_to_confirm(client.get(reverse("account_change_password")))
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert asks_to_confirm(response)
    personas.ash.refresh_from_db()
    assert personas.ash.check_password(PASSWORD)
    assert not OutboxMessage.objects.exists()


def test_what_was_typed_on_the_password_form_is_not_kept_for_later(client, personas):
    open_session(client, personas.ash)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert NEW_PASSWORD not in str(dict(client.session))


def test_an_open_session_cannot_set_up_a_sign_in_app(client, personas):
    open_session(client, personas.ash)
    assert asks_to_confirm(client.get(reverse("mfa_activate_totp")))
    assert asks_to_confirm(client.post(reverse("mfa_activate_totp"), {"code": "123456"}))
    assert not Authenticator.objects.filter(user=personas.ash).exists()


@pytest.mark.parametrize(
    "name", ["mfa_deactivate_totp", "mfa_generate_recovery_codes", "mfa_add_webauthn"]
)
def test_an_open_session_cannot_change_sign_in_security(client, personas, name):
    give_totp(personas.sam)
    before = list(Authenticator.objects.filter(user=personas.sam).values())
    open_session(client, personas.sam)
    assert asks_to_confirm(client.get(reverse(name)))
    assert asks_to_confirm(client.post(reverse(name), {}))
    assert list(Authenticator.objects.filter(user=personas.sam).values()) == before


def ash_with_payment_details(personas) -> None:
    update_profile(user=personas.ash, organization=personas.harbor, chosen_name="Ash")
    update_payment_details(
        user=personas.ash,
        organization=personas.harbor,
        legal_name="Ashley Private",
        phone="555 0100",
        mailing_address="1 Quiet Lane",
    )


def payment_url() -> str:
    return reverse("my_payment_details", kwargs={"org": "harbor"})


def test_an_open_session_cannot_read_payment_details(client, personas):
    ash_with_payment_details(personas)
    open_session(client, personas.ash)
    response = client.get(payment_url())
    assert asks_to_confirm(response)
    assert "Ashley" not in response.content.decode()


def test_an_open_session_cannot_change_payment_details(client, personas):
    ash_with_payment_details(personas)
    open_session(client, personas.ash)
    response = client.post(
        payment_url(), {"legal_name": "Someone Else", "phone": "", "mailing_address": ""}
    )
    assert asks_to_confirm(response)
    profile = SurvivorProfile.objects.get(user=personas.ash)
    assert (profile.legal_name, profile.mailing_address) == ("Ashley Private", "1 Quiet Lane")
    assert "Someone Else" not in str(dict(client.session))


@pytest.mark.parametrize("who", ["sam", "otto"])
def test_other_people_still_get_404_not_a_confirmation_page(personas, who):
    give_totp(personas.sam)
    client = open_session(Client(), getattr(personas, who))
    assert client.get(payment_url()).status_code == 404


# --- after confirming it's them -------------------------------------------------------------


def test_after_confirming_the_address_change_goes_on_and_the_old_address_is_told(client, personas):
    open_session(client, personas.ash)
    response = add_address(client)
    assert asks_to_confirm(response)

    resumed = confirm_with_password(client, reverse("account_email"))

    assert resumed.status_code == 302
    new = EmailAddress.objects.get(user=personas.ash, email=NEW_ADDRESS)
    assert (new.verified, new.primary) == (False, False)
    personas.ash.refresh_from_db()
    assert personas.ash.email != NEW_ADDRESS  # only once the new address is confirmed
    kinds = dict(OutboxMessage.objects.values_list("kind", "reference_id"))
    assert kinds == {
        AccountMessage.CONFIRM_ADDRESS: new.pk,
        AccountMessage.ADDRESS_CHANGE_ASKED: None,
    }
    assert mail.outbox == []  # queued, never sent from the request


def test_a_wrong_password_confirms_nothing(client, personas):
    open_session(client, personas.ash)
    add_address(client)
    response = confirm_with_password(client, reverse("account_email"), password="wrong-one")
    assert response.status_code == 200
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()
    assert asks_to_confirm(client.get(payment_url()))


def test_the_sign_in_app_can_confirm_it_is_them(client, personas):
    give_totp(personas.sam)
    open_session(client, personas.sam)
    next_url = reverse("account_change_password")
    response = client.post(
        reverse("mfa_reauthenticate") + f"?next={next_url}",
        {"code": totp_code(), "next": next_url},
    )
    assert response.status_code == 302
    assert client.get(next_url).status_code == 200


def test_after_confirming_the_password_can_be_changed_and_the_address_is_told(client, personas):
    open_session(client, personas.ash)
    confirm_with_password(client, reverse("account_change_password"))
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    personas.ash.refresh_from_db()
    assert personas.ash.check_password(NEW_PASSWORD)
    assert OutboxMessage.objects.get().kind == AccountMessage.PASSWORD_CHANGED


def test_after_confirming_payment_details_show_and_save(client, personas):
    ash_with_payment_details(personas)
    open_session(client, personas.ash)
    confirm_with_password(client, payment_url())
    assert "Ashley Private" in client.get(payment_url()).content.decode()
    client.post(payment_url(), {"legal_name": "Ash Private", "phone": "", "mailing_address": ""})
    assert SurvivorProfile.objects.get(user=personas.ash).legal_name == "Ash Private"


def test_the_confirmation_lasts_only_a_few_minutes(client, personas):
    ash_with_payment_details(personas)
    open_session(client, personas.ash)
    confirm_with_password(client, payment_url())
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 1}
        for record in session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    session.save()
    assert asks_to_confirm(client.get(payment_url()))


def test_a_code_by_email_is_never_offered_to_confirm(client, personas):
    open_session(client, personas.ash)
    page = client.get(reverse("account_reauthenticate"))
    assert page.status_code == 200
    assert reverse("account_request_reauthentication_code") not in page.content.decode()
    assert client.get(reverse("account_request_reauthentication_code")).status_code == 403
