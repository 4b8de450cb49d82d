"""Middleware for the promises every page keeps: sessions end when idle, staff use a
second factor before anything else, no page is stored by the browser, and times are shown
in the viewer's own time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.usersessions.middleware import UserSessionsMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import requires_mfa
from accounts.selectors.profile import viewer_time_zone_at

Handler = Callable[[HttpRequest], HttpResponse]

LAST_ACTIVITY_KEY = "last_activity"
STARTED_KEY = "session_started"
# Background requests (the idle-warning poll) say so with this header, and do not count as
# activity: otherwise an open tab would keep a session alive forever.
PASSIVE_HEADER = "X-Passive-Request"
# Activity is written down at most once a minute, so reading pages does not write the
# session on every request; against a 30-minute idle limit a minute is fine enough. (Never
# coarser than half the warning, so "Stay signed in" always counts.)
ACTIVITY_STEP = timedelta(minutes=1)
# Set on the request when this request's activity was written down.
ACTIVITY_RECORDED = "_activity_recorded"


def activity_step() -> timedelta:
    return min(ACTIVITY_STEP, settings.SESSION_IDLE_WARNING / 2)


def start_session_clocks(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On signing in (`user_logged_in`): the session's lifetime and its idle time start now,
    so the first page after signing in has nothing to write."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().isoformat()
        request.session[STARTED_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


def idle_seconds_left(request: HttpRequest) -> int:
    """Seconds until the session ends if nothing happens, counted from the activity written
    down (which may be up to a minute old), so the page warns and leaves in step with it."""
    limit = settings.SESSION_IDLE_TIMEOUT
    last = getattr(request, "session", {}).get(LAST_ACTIVITY_KEY)
    if last:
        limit -= timezone.now() - datetime.fromisoformat(last)
    return max(1, int(limit.total_seconds()))


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            if self._expired(request, now):
                logout(request)
                if PASSIVE_HEADER in request.headers or request.path == reverse("session_ended"):
                    # The poll reads JSON: let it hear "signed out" so the page leaves. An idle
                    # page on its way to "you have been signed out" gets there too.
                    return self.get_response(request)
                return redirect(f"{reverse('account_login')}?timed_out=1")
            request.session.setdefault(STARTED_KEY, now.isoformat())
            if PASSIVE_HEADER not in request.headers and self._due(request, now):
                request.session[LAST_ACTIVITY_KEY] = now.isoformat()
                setattr(request, ACTIVITY_RECORDED, True)
        return self.get_response(request)

    @staticmethod
    def _due(request: HttpRequest, now: datetime) -> bool:
        last = request.session.get(LAST_ACTIVITY_KEY)
        return not last or now - datetime.fromisoformat(last) >= activity_step()

    @staticmethod
    def _expired(request: HttpRequest, now: datetime) -> bool:
        last = request.session.get(LAST_ACTIVITY_KEY)
        started = request.session.get(STARTED_KEY)
        if last and now - datetime.fromisoformat(last) > settings.SESSION_IDLE_TIMEOUT:
            return True
        return bool(
            started and now - datetime.fromisoformat(started) > settings.SESSION_ABSOLUTE_LIFETIME
        )


class UserSessionActivityMiddleware:
    """allauth's "where I'm signed in" list, with "last active" written down only when the
    session's own activity is (at most once a minute), not on every request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.track = UserSessionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, ACTIVITY_RECORDED, False):
            response: HttpResponse = self.track(request)
            return response
        return self.get_response(request)


# Paths a person who must set up MFA can still reach: setting it up, leaving, and help.
MFA_SETUP_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/exit/",
    "/staying-safer/",
    "/static/",
    "/healthz",
    "/session/",
    "/.well-known/",
)


class RequireMFAMiddleware:
    """allauth offers MFA but cannot require it, so roles that must have it are sent to
    set it up before they can see anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_SETUP_ALLOWED_PREFIXES)
            and not get_mfa_adapter().is_mfa_enabled(user)
            and requires_mfa(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class SafeResponseHeadersMiddleware:
    """No HTML page is kept in the browser's cache or history snapshots, and powerful
    browser features are switched off."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class TimeZoneMiddleware:
    """On an organization's pages (/o/<slug>/...), every time is shown and typed in the
    viewer's time zone: the one they chose in their profile there, else the organization's
    (`viewer_time_zone`). Activated here, once, so `{{ value|date }}`, forms and messages
    all agree and no page converts on its own. Elsewhere times stay in UTC."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            # The zone belongs to this request: the thread's next one starts from UTC.
            timezone.deactivate()

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        slug = view_kwargs.get("org")
        if isinstance(slug, str) and isinstance(request.user, User):
            zone = viewer_time_zone_at(request.user, slug)
            if zone is not None:
                timezone.activate(zone)
