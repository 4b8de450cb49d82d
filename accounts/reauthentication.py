"""Confirming it's you: one way for every page that changes the account or shows what must
not be seen from a device left signed in (payment details, a data download, deleting the
account, the password).

It is allauth's own re-authentication (password, sign-in app or passkey), asked for unless
the person confirmed in the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. What they typed
on a form that needs it is dropped, not kept in the session for later: it can be a legal
name or a new password.
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from allauth.core.exceptions import ImmediateHttpResponse
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def confirm_it_is_you(request: HttpRequest, then: str) -> HttpResponse | None:
    """A redirect to confirm it's them unless they did in the last few minutes; afterwards
    they come back to `then`. None when they may go on."""
    if not is_reauthentication_required(request, app=""):
        return None
    methods = get_adapter(request).get_reauthentication_methods(request.user)
    if not methods:
        raise PermissionDenied  # no password and no second step: nothing to confirm with
    return redirect(f"{methods[0]['url']}?{urlencode({'next': then})}")


def require_recent_confirmation(request: HttpRequest) -> None:
    """The same, for allauth's own pages, reached through their form hooks: allauth's
    middleware turns the exception into the redirect."""
    if (response := confirm_it_is_you(request, request.path)) is not None:
        raise ImmediateHttpResponse(response)
