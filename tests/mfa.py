"""Giving a test person a second factor, and producing codes for it, as allauth does."""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as AUTHENTICATION_METHODS_USER_SESSION_KEY,
)
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession

# A fixed, public test secret (32 base32 characters, 20 bytes).
TEST_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def give_totp(user, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    """Set up an authenticator app (and recovery codes) for `user`, stored encrypted."""
    totp = TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return totp.instance


def totp_code(secret: str = TEST_TOTP_SECRET, *, periods_from_now: int = 0) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + periods_from_now
    return str(format_hotp_value(hotp_value(secret, counter)))


def wrong_totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """A six-digit code that is valid in no period of the tolerance window."""
    window = range(-mfa_settings.TOTP_TOLERANCE - 1, mfa_settings.TOTP_TOLERANCE + 2)
    valid = {totp_code(secret, periods_from_now=offset) for offset in window}
    return next(code for code in ("000000", "111111", "222222", "123456") if code not in valid)


def sign_in(client, user, *, recently_confirmed: bool = True) -> None:
    """Sign `user` in on the test client, recording the sign-in in the session the way
    allauth does: a password, then the code if they have an authenticator. With
    `recently_confirmed`, they have also just confirmed their password again, so pages
    that ask for that (security settings) let them through."""
    client.force_login(user)
    now = time.time()
    records: list[dict[str, object]] = [{"method": "password", "at": now, "email": user.email}]
    if recently_confirmed:
        records.append({"method": "password", "at": now, "reauthenticated": True})
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        records.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
    # Listed under "Where I'm signed in", as allauth lists every session it signs in.
    UserSession.objects.get_or_create(
        session_key=session.session_key, defaults={"user": user, "ip": "127.0.0.1"}
    )
