"""Strong sign-in (DESIGN promise 12) and MFA secrets at rest (promise 6)."""

import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.adapters import MFAAdapter
from accounts.middleware import MFA_SETUP_ALLOWED_PREFIXES
from accounts.tasks import drain_outbox
from tests.factories import PASSWORD
from tests.mfa import TEST_TOTP_SECRET, give_totp, sign_in, totp_code, wrong_totp_code
from tests.test_url_access import RULES, request
from tests.url_walk import Redirect, build_world

pytestmark = pytest.mark.django_db

TOTP_SETUP = Redirect("mfa_activate_totp")
MUST_USE_MFA = ("sam", "fin", "ada", "faye")
NEVER_FORCED = ("ash", "river", "otto")


def every_url(world, who):
    """(URL name, path, response) for every URL in the walker's rules, as `who`."""
    for name, rule in sorted(RULES.items()):
        path = reverse(name, kwargs=rule.kwargs(world, who))
        yield name, path, request(world, who, name, rule, rule.kwargs)


# --- who must set up a second factor -------------------------------------------------------


@pytest.mark.parametrize("who", MUST_USE_MFA)
def test_roles_that_need_mfa_are_sent_to_set_it_up_from_everywhere_else(personas, who):
    world = build_world(personas, with_authenticators=False)
    wrong = []
    allowed_reached = 0
    for name, path, response in every_url(world, who):
        if path.startswith(MFA_SETUP_ALLOWED_PREFIXES):
            allowed_reached += 1
            if TOTP_SETUP.matches(response) and name != "mfa_activate_totp":
                wrong.append(f"{name}: sent to set-up although it is on the allow-list")
        elif not TOTP_SETUP.matches(response):
            wrong.append(f"{name}: {response.status_code} instead of going to set-up")
    assert not wrong, "\n".join(wrong)
    assert allowed_reached > 10  # the allow-list was exercised, not skipped


@pytest.mark.parametrize("who", NEVER_FORCED)
def test_survivor_leaders_are_offered_mfa_never_forced(personas, who):
    world = build_world(personas, with_authenticators=False)
    forced = [
        name for name, _path, response in every_url(world, who) if TOTP_SETUP.matches(response)
    ]
    assert forced == []


def test_the_allow_list_is_only_setting_up_leaving_and_help():
    assert set(MFA_SETUP_ALLOWED_PREFIXES) == {
        "/accounts/2fa/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
        "/exit/",
        "/staying-safer/",
        "/static/",
        "/healthz",
        "/session/",
        "/.well-known/",  # security.txt: where to report a problem
    }


def test_with_an_authenticator_staff_reach_their_pages(client, personas):
    give_totp(personas.sam)
    client.force_login(personas.sam)
    response = client.get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert response.status_code == 200


# --- secrets at rest -----------------------------------------------------------------------


def test_the_authenticator_secret_is_encrypted_at_rest(personas):
    authenticator = give_totp(personas.sam)
    authenticator.refresh_from_db()
    stored = authenticator.data["secret"]
    assert TEST_TOTP_SECRET not in stored
    key = Fernet(settings.MFA_ENCRYPTION_KEYS[0].encode())
    assert key.decrypt(stored.encode()).decode() == TEST_TOTP_SECRET
    assert MFAAdapter().decrypt(stored) == TEST_TOTP_SECRET


def test_recovery_codes_are_encrypted_at_rest(personas):
    give_totp(personas.sam)
    codes = Authenticator.objects.get(
        user=personas.sam, type=Authenticator.Type.RECOVERY_CODES
    ).wrap()
    seed = codes.instance.data["seed"]
    plain_seed = MFAAdapter().decrypt(seed)
    assert plain_seed != seed
    assert all(code not in str(codes.instance.data) for code in codes.get_unused_codes())


def test_the_encryption_key_is_not_derived_from_the_secret_key(settings):
    settings.SECRET_KEY = "a-different-secret-key-" + "z" * 40
    encrypted = MFAAdapter().encrypt(TEST_TOTP_SECRET)
    settings.SECRET_KEY = "yet-another-secret-key-" + "w" * 40
    assert MFAAdapter().decrypt(encrypted) == TEST_TOTP_SECRET


def test_a_wrong_key_fails_closed(personas, settings):
    authenticator = give_totp(personas.sam)
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        MFAAdapter().decrypt(authenticator.data["secret"])
    with pytest.raises(InvalidToken):
        TOTP(authenticator).validate_code(totp_code())


def test_an_old_key_still_decrypts_after_a_new_one_is_added(personas, settings):
    authenticator = give_totp(personas.sam)
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.MFA_ENCRYPTION_KEYS]
    assert MFAAdapter().decrypt(authenticator.data["secret"]) == TEST_TOTP_SECRET


# --- signing in with a second factor -------------------------------------------------------


def sign_in_with_password(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_a_wrong_code_at_sign_in_says_so_and_does_not_sign_in(client, personas):
    give_totp(personas.sam)
    response = sign_in_with_password(client, personas.sam.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_totp_code()})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.sam.pk)


def test_a_code_cannot_be_used_twice(client, personas):
    give_totp(personas.sam)
    sign_in_with_password(client, personas.sam.email)
    code = totp_code()
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    other = Client()
    sign_in_with_password(other, personas.sam.email)
    assert other.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in other.session


def test_survivor_leaders_without_mfa_sign_in_with_a_password(client, personas):
    response = sign_in_with_password(client, personas.ash.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.ash.pk)


# --- rate limits ---------------------------------------------------------------------------

TOO_MANY = "Too many failed login attempts"


def test_many_failed_sign_ins_from_one_address_are_slowed_down(client, personas):
    answers = [
        sign_in_with_password(client, f"guess{n}@example.test", "wrong-password", ip="10.6.6.6")
        for n in range(11)
    ]
    assert all(TOO_MANY not in answer.content.decode() for answer in answers[:10])
    assert answers[10].status_code == 200
    assert TOO_MANY in answers[10].content.decode()
    # Even the right password waits until the limit passes, from that address.
    blocked = sign_in_with_password(client, personas.ash.email, ip="10.6.6.6")
    assert TOO_MANY in blocked.content.decode()


def test_someone_elses_failed_attempts_keep_a_person_out_only_briefly(personas):
    """The limit per account (tests/accounts/test_sign_in_limits.py) makes the owner wait
    a little, never for long: after a burst of wrong passwords, seconds."""
    attacker = Client()
    for _ in range(11):
        sign_in_with_password(attacker, personas.ash.email, "wrong-password", ip="10.6.6.6")

    ash = Client()
    with time_machine.travel(time.time() + 10):
        response = sign_in_with_password(ash, personas.ash.email, ip="192.0.2.10")
    assert response.status_code == 302
    assert ash.session["_auth_user_id"] == str(personas.ash.pk)


def test_guessing_codes_is_slowed_down_too(client, personas):
    give_totp(personas.sam)
    sign_in_with_password(client, personas.sam.email)
    answers = [
        client.post(
            reverse("mfa_authenticate"), {"code": wrong_totp_code()}, REMOTE_ADDR="10.0.0.1"
        )
        for _ in range(11)
    ]
    assert "Incorrect code." in answers[0].content.decode()
    assert "Too many wrong tries" in answers[-1].content.decode()
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()}, REMOTE_ADDR="10.0.0.1")
    assert "_auth_user_id" not in client.session, right.status_code


# --- the same answer whether or not an address is known ------------------------------------


def errors_of(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def test_sign_in_answers_the_same_for_known_and_unknown_addresses(personas):
    known = sign_in_with_password(Client(), personas.ash.email, "wrong-password")
    unknown = sign_in_with_password(Client(), "nobody@example.test", "wrong-password")
    other_org = sign_in_with_password(Client(), personas.otto.email, "wrong-password")
    assert known.status_code == unknown.status_code == other_org.status_code == 200
    assert errors_of(known) == errors_of(unknown) == errors_of(other_org)
    assert errors_of(known)  # and it does say something went wrong


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(personas):
    known = Client().post(reverse("account_reset_password"), {"email": personas.sam.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []  # nothing is sent in the request (tests/accounts/test_account_mail.py)
    drain_outbox()
    assert [message.to for message in mail.outbox] == [[personas.sam.email]]


def test_staff_just_signed_in_set_up_their_first_app_without_typing_the_password_again(
    client, personas
):
    client.post(reverse("account_login"), {"login": personas.sam.email, "password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200


def test_anyone_who_already_had_a_second_step_confirms_the_password_before_changes(
    client, personas
):
    give_totp(personas.sam)
    sign_in(client, personas.sam, recently_confirmed=False)
    response = client.get(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
