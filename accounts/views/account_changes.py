"""Undoing a change of the account's e-mail address, from the notice sent to the old one."""

from __future__ import annotations

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.account_messages import read_undo_token
from accounts.selectors.account_changes import get_open_address_change
from accounts.services import account_changes


def _unusable(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_changes/undo_unusable.html", status=410)


@require_http_methods(["GET", "POST"])
def undo_address_change(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link is the proof. Opening it changes nothing (mail programs open links
    on their own); the button does. Unknown, used and expired links get the same page."""
    public_id = read_undo_token(token)
    change = get_open_address_change(public_id)
    if change is None or public_id is None:
        return _unusable(request)
    if request.method != "POST":
        return render(request, "accounts/account_changes/undo_confirm.html")
    try:
        account_changes.undo_address_change(public_id=public_id)
    except ValidationError:
        return _unusable(request)
    if request.user.pk == change.user_id:
        logout(request)  # every session of the account ended; this one too
    return render(request, "accounts/account_changes/undo_done.html")
