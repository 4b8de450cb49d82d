"""Test clients signed in as a persona, the way allauth signs people in."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.test import Client

from accounts.models import User
from accounts.selectors import requires_mfa
from tests.mfa import give_totp, sign_in


def client_for(user: User | None) -> Client:
    """A client signed in as `user`, past the second step: someone whose role requires an
    authenticator app gets one (the test secret) unless they have one already. For None, an
    anonymous client."""
    client = Client()
    if user is None:
        return client
    if requires_mfa(user) and not Authenticator.objects.filter(user=user).exists():
        give_totp(user)
    sign_in(client, user)
    return client
