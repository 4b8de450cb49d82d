"""Encrypted personal details and MFA secrets: a wrong or missing key fails closed, the
database holds only ciphertext, and keys rotate without losing anything (promise 6)."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.adapters import MFAAdapter
from accounts.fields import EncryptedTextField, field_fernet
from accounts.models import AuditEvent, DataExport, SurvivorProfile
from accounts.services.encryption import encrypted_text_fields
from tests.factories import PASSWORD, SurvivorProfileFactory
from tests.mfa import TEST_TOTP_SECRET, give_totp, totp_code

pytestmark = pytest.mark.django_db

CANARY = "canary-7f3a"
K1, K2, K3 = (Fernet.generate_key().decode() for _ in range(3))
EXPORT_BYTES = f"PK zip bytes with {CANARY}".encode()


@pytest.fixture
def keys(settings):
    """Start every test from K1 alone, for both kinds of key."""

    def use(*field_keys: str, mfa: tuple[str, ...] | None = None) -> None:
        settings.FIELD_ENCRYPTION_KEYS = list(field_keys)
        settings.MFA_ENCRYPTION_KEYS = list(field_keys if mfa is None else mfa)

    use(K1)
    return use


def profile_for(user, **details) -> SurvivorProfile:
    values = {
        "legal_name": f"Legal {CANARY}",
        "phone": f"+1 555 {CANARY}",
        "mailing_address": f"1 Safe St {CANARY}",
    }
    return SurvivorProfileFactory.create(user=user, chosen_name="Ash", **{**values, **details})


def export_for(user) -> DataExport:
    return DataExport.objects.create(
        user=user,
        content=field_fernet().encrypt(EXPORT_BYTES),
        expires_at=timezone.now() + timedelta(hours=24),
    )


def raw_row(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def raw_details(profile):
    return raw_row(
        "SELECT legal_name, phone, mailing_address FROM accounts_survivorprofile WHERE id = %s",
        [profile.pk],
    )


def rotate(**options) -> str:
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out, **options)
    return out.getvalue()


# --- failing closed ------------------------------------------------------------------------


def test_reading_with_a_wrong_key_raises(personas, keys):
    profile = profile_for(personas.ash)
    keys(K2)
    with pytest.raises(InvalidToken):
        SurvivorProfile.objects.get(pk=profile.pk)


def test_reading_or_writing_without_a_key_raises(personas, keys):
    profile = profile_for(personas.ash)
    keys()
    with pytest.raises(ImproperlyConfigured):
        SurvivorProfile.objects.get(pk=profile.pk)
    with pytest.raises(ImproperlyConfigured):
        profile_for(personas.river)


def test_details_not_given_stay_blank_and_need_no_key(personas, keys):
    profile = profile_for(personas.ash, legal_name="", phone="", mailing_address="")
    assert raw_details(profile) == ("", "", "")
    keys()
    assert SurvivorProfile.objects.get(pk=profile.pk).phone == ""


def test_mfa_secrets_without_a_key_raise(personas, keys):
    authenticator = give_totp(personas.sam)
    keys(K1, mfa=())
    with pytest.raises(ImproperlyConfigured):
        MFAAdapter().decrypt(authenticator.data["secret"])


# --- only ciphertext in the database -------------------------------------------------------


def test_a_raw_read_of_the_encrypted_columns_shows_only_ciphertext(personas, keys):
    profile = profile_for(personas.ash)
    export = export_for(personas.ash)
    give_totp(personas.sam)

    for token in raw_details(profile):
        assert CANARY not in token
        assert CANARY in Fernet(K1).decrypt(token.encode()).decode()
    (content,) = raw_row("SELECT content FROM accounts_dataexport WHERE id = %s", [export.pk])
    assert CANARY.encode() not in bytes(content)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator")
        stored = " ".join(str(data) for (data,) in cursor.fetchall())
    assert TEST_TOTP_SECRET not in stored
    assert "secret" in stored  # the key is there, holding a token


def test_every_encrypted_text_field_is_found_through_the_app_registry():
    found = {(model._meta.label, field.name) for model, field in encrypted_text_fields()}
    assert {
        ("accounts.SurvivorProfile", "legal_name"),
        ("accounts.SurvivorProfile", "phone"),
        ("accounts.SurvivorProfile", "mailing_address"),
    } <= found
    assert all(isinstance(field, EncryptedTextField) for _, field in encrypted_text_fields())


# --- rotation ------------------------------------------------------------------------------


def test_rotation_from_k1_to_k2_keeps_every_value_readable(personas, keys):
    profile = profile_for(personas.ash)
    export = export_for(personas.ash)
    give_totp(personas.sam)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=personas.sam, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()

    keys(K2, K1)
    output = rotate()
    assert "accounts.SurvivorProfile.legal_name: 1 re-encrypted" in output
    assert "accounts.DataExport.content: 1 re-encrypted" in output
    assert "allauth.mfa.Authenticator.data: 2 re-encrypted" in output
    assert CANARY not in output
    assert TEST_TOTP_SECRET not in output

    keys(K2)
    profile = SurvivorProfile.objects.get(pk=profile.pk)
    assert profile.legal_name == f"Legal {CANARY}"
    assert profile.phone == f"+1 555 {CANARY}"
    assert profile.mailing_address == f"1 Safe St {CANARY}"
    export.refresh_from_db()
    assert export.content is not None
    assert field_fernet().decrypt(bytes(export.content)) == EXPORT_BYTES
    totp = Authenticator.objects.get(user=personas.sam, type=Authenticator.Type.TOTP)
    assert MFAAdapter().decrypt(totp.data["secret"]) == TEST_TOTP_SECRET
    recovery = Authenticator.objects.get(user=personas.sam, type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(recovery).get_unused_codes() == codes
    for token in raw_details(profile):
        Fernet(K2).decrypt(token.encode())  # under K2 itself, not just readable through K1


def test_rotation_is_recorded_in_the_audit_log(personas, keys):
    keys(K2, K1)
    rotate()
    assert AuditEvent.objects.filter(action="encryption_keys.rotated").count() == 1


def test_a_second_run_changes_nothing(personas, keys):
    profile = profile_for(personas.ash)
    give_totp(personas.sam)
    keys(K2, K1)
    rotate()
    before = raw_details(profile)

    output = rotate()
    assert raw_details(profile) == before
    assert "0 re-encrypted" in output
    assert "accounts.SurvivorProfile.phone: 0 re-encrypted, 1 already under the newest key" in (
        output
    )
    assert "allauth.mfa.Authenticator.data: 0 re-encrypted, 2 already" in output


def test_rotation_works_in_small_batches(personas, keys):
    profiles = [profile_for(user) for user in (personas.ash, personas.river, personas.otto)]
    # Otto's second profile, given to Harbor, is rotated like any other.
    profiles.append(profile_for(personas.otto, organization=personas.harbor))
    keys(K2, K1)
    assert "accounts.SurvivorProfile.phone: 4 re-encrypted" in rotate(batch_size=2)
    keys(K2)
    assert {SurvivorProfile.objects.get(pk=p.pk).phone for p in profiles} == {f"+1 555 {CANARY}"}


def test_staff_sign_in_with_their_app_code_under_the_new_key_alone(client, personas, keys):
    give_totp(personas.sam)
    keys(K2, K1)
    rotate()
    keys(K2)

    response = client.post(
        reverse("account_login"), {"login": personas.sam.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.sam.pk)


def test_a_value_no_key_decrypts_stops_the_run_and_changes_nothing_in_its_batch(personas, keys):
    readable = profile_for(personas.ash)
    keys(K3)
    lost = profile_for(personas.river)  # written under a key the operator no longer has
    keys(K2, K1)
    before = raw_details(readable)

    with pytest.raises(CommandError) as raised:
        rotate()
    assert raised.value.returncode != 0
    message = str(raised.value)
    assert f"row {lost.pk}" in message
    assert "FIELD_ENCRYPTION_KEYS" in message
    assert CANARY not in message
    assert raw_details(readable) == before
    assert not AuditEvent.objects.filter(action="encryption_keys.rotated").exists()


def test_rotating_without_keys_is_a_clear_error(keys):
    keys()
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEYS"):
        rotate()
